"""Shared fixtures: small MNIST-layout files made on the fly, and a subprocess runner."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest


def make_splits(train_count: int = 60, test_count: int = 20, seed: int = 0) -> dict[str, np.ndarray]:
    """Random MNIST-layout arrays: uint8 images of 28 x 28 and labels 0-9 covering every digit."""
    generator = np.random.default_rng(seed)
    return {
        "x_train": generator.integers(0, 256, (train_count, 28, 28), dtype=np.uint8),
        "y_train": (np.arange(train_count) % 10).astype(np.uint8),
        "x_test": generator.integers(0, 256, (test_count, 28, 28), dtype=np.uint8),
        "y_test": (np.arange(test_count) % 10).astype(np.uint8),
    }


@pytest.fixture
def write_npz(tmp_path: pathlib.Path):
    """Writes an npz from a dict of arrays (defaults from make_splits, overridden by keywords)."""

    def write(name: str = "digits.npz", **overrides) -> pathlib.Path:
        arrays = make_splits()
        arrays.update(overrides)
        arrays = {key: value for key, value in arrays.items() if value is not None}
        path = tmp_path / name
        np.savez(path, **arrays)
        return path

    return write


def run_python(code: str, cwd: pathlib.Path, timeout: float = 300, **environment: str):
    """Runs code in a fresh interpreter of this environment; returns the CompletedProcess."""
    env = {**os.environ, **environment}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=timeout, check=False,
    )


@pytest.fixture(scope="session")
def quick_run(tmp_path_factory):
    """``python -m helpers.series`` run once on the student edition, with the quickest settings.

    The quickest settings that still run every notebook through: a third of MNIST's training
    images, one epoch everywhere, and a one-point grid for notebook 10. It runs the student
    edition, which differs from the course only in its exercises, so one run checks both that every
    notebook takes other parameters and that the edition runs through. The browser tests read the
    models it saves. Returns the CompletedProcess and the run's output folder.
    """
    from helpers import data, edition

    folder = tmp_path_factory.mktemp("series")
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    subset = folder / "mnist_subset.npz"
    np.savez_compressed(subset, x_train=x_train[:20000], y_train=y_train[:20000], x_test=x_test, y_test=y_test)
    edition.build("student", folder / "student")
    result = subprocess.run(
        [sys.executable, "-m", "helpers.series", "-p", "epochs", "1", "-p", "hidden_units_grid", "16",
         "-p", "epochs_grid", "1", "-p", "data_path", str(subset), "--output", str(folder / "run"),
         "--notebooks", str(folder / "student" / "notebooks")],
        cwd=folder, capture_output=True, text=True, timeout=1200, check=False,
    )
    return result, folder / "run"

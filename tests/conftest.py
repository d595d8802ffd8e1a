"""Shared fixtures: small MNIST-layout files made on the fly, a subprocess runner, and the quick series run."""

from __future__ import annotations

import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile

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


class _QuickRun:
    """The session's quick series run, started in the background as soon as collection ends.

    The quickest settings that still run every notebook through: a third of MNIST's training
    images, one epoch everywhere, and a one-point grid for notebook 12. It runs the student edition,
    which differs from the course only in its exercises, so one run checks both that every notebook
    takes other parameters and that the edition runs through. The browser tests read the models it
    saves. It takes two to three minutes, mostly starting kernels and Python code on one core, so
    it runs beside the tests that do not need it; those that do run after them and wait for it.
    """

    def __init__(self) -> None:
        from helpers import data, edition

        self.folder = pathlib.Path(tempfile.mkdtemp(prefix="mnist-course-quick-run-"))
        (x_train, y_train), (x_test, y_test) = data.load_mnist()
        subset = self.folder / "mnist_subset.npz"
        np.savez_compressed(subset, x_train=x_train[:20000], y_train=y_train[:20000], x_test=x_test, y_test=y_test)
        edition.build("student", self.folder / "student")
        self.arguments = [
            sys.executable, "-m", "helpers.series", "-p", "epochs", "1", "-p", "hidden_units_grid", "16",
            "-p", "epochs_grid", "1", "-p", "data_path", str(subset), "--output", str(self.folder / "run"),
            "--notebooks", str(self.folder / "student" / "notebooks")]
        self.stdout = (self.folder / "stdout.txt").open("w")
        self.stderr = (self.folder / "stderr.txt").open("w")
        self.process = subprocess.Popen(self.arguments, cwd=self.folder, stdout=self.stdout, stderr=self.stderr,
                                        text=True, start_new_session=True)

    def result(self, timeout: float = 1200) -> subprocess.CompletedProcess:
        """Waits for the run; returns it as ``subprocess.run`` would have."""
        returncode = self.process.wait(timeout=timeout)
        self.stdout.close()
        self.stderr.close()
        return subprocess.CompletedProcess(
            self.arguments, returncode, (self.folder / "stdout.txt").read_text(),
            (self.folder / "stderr.txt").read_text())

    def close(self) -> None:
        """Stops the run if it is still going (an interrupted session) and removes its folder."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.stdout.close()
        self.stderr.close()
        shutil.rmtree(self.folder, ignore_errors=True)


_QUICK_RUN_KEY = pytest.StashKey[_QuickRun]()


def _needs_quick_run(item: pytest.Item) -> bool:
    return "quick_run" in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Orders the run: unit tests first, then the tests that read the quick run, then the notebooks.

    nbval's notebook cells keep their order (a notebook's cells run in one kernel, and 07, 11 and 13
    use what 06 and 09 saved); so does every group.
    """
    def group(item: pytest.Item) -> int:
        if item.path.suffix == ".ipynb":
            return 2
        return 1 if _needs_quick_run(item) else 0

    items.sort(key=group)


def pytest_collection_finish(session: pytest.Session) -> None:
    if session.config.option.collectonly or not any(_needs_quick_run(item) for item in session.items):
        return
    session.config.stash[_QUICK_RUN_KEY] = _QuickRun()


def pytest_sessionfinish(session: pytest.Session) -> None:
    quick_run = session.config.stash.get(_QUICK_RUN_KEY, None)
    if quick_run is not None:
        quick_run.close()


@pytest.fixture(scope="session")
def mnist_subset(tmp_path_factory) -> pathlib.Path:
    """An MNIST-layout file with a third of the training images and the whole test set.

    For tests that train through a notebook and need a real model, not a good one, without
    waiting for the quick run (whose subset is the same).
    """
    from helpers import data

    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    path = tmp_path_factory.mktemp("subset") / "mnist_subset.npz"
    np.savez(path, x_train=x_train[:20000], y_train=y_train[:20000], x_test=x_test, y_test=y_test)
    return path


@pytest.fixture(scope="session")
def quick_run(request) -> tuple[subprocess.CompletedProcess, pathlib.Path]:
    """``python -m helpers.series`` run once on the student edition, with the quickest settings.

    Started in the background when collection ends (see ``_QuickRun``). Returns the
    CompletedProcess and the run's output folder.
    """
    started = request.config.stash[_QUICK_RUN_KEY]
    return started.result(), started.folder / "run"

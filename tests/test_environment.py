"""requirements.txt and environment.yml describe one environment, and every line says why."""

from __future__ import annotations

import importlib.metadata
import re

import pytest

from helpers import paths

PIN = re.compile(r"^\s*-?\s*([A-Za-z0-9_.\-]+)==([^\s#]+)")


def _lines(name: str) -> list[str]:
    return (paths.REPOSITORY_ROOT / name).read_text().splitlines()


def _pins(name: str) -> dict[str, str]:
    return {match[1].lower(): match[2] for line in _lines(name) if (match := PIN.match(line))}


def test_both_files_pin_the_same_versions():
    requirements = _pins("requirements.txt")
    assert len(requirements) >= 10
    assert _pins("environment.yml") == requirements


def test_every_dependency_line_says_why_it_is_there():
    for name in ("requirements.txt", "environment.yml"):
        for line in _lines(name):
            stripped = line.strip()
            is_dependency = PIN.match(line) or stripped.endswith("-e .") or "-e . " in stripped
            if is_dependency or stripped.startswith(("- python", "- pip ")):
                assert "#" in line, f"{name}: no comment on {line!r}"


@pytest.mark.parametrize("package", ["tensorflow", "keras", "numpy", "nbval", "papermill", "matplotlib"])
def test_the_installed_versions_are_the_pinned_ones(package):
    assert importlib.metadata.version(package) == _pins("requirements.txt")[package]

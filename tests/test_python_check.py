"""The setup's first step names the supported Pythons in one line, on any Python it turns away."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

from helpers import paths, python_check


@pytest.mark.parametrize("version", [(3, 11), (3, 12), (3, 13)])
def test_the_supported_pythons_pass_silently(version):
    assert python_check.problem(version) is None


@pytest.mark.parametrize("version", [(3, 10), (3, 14), (2, 7)])
def test_another_python_gets_one_line_naming_the_supported_ones(version):
    message = python_check.problem(version)
    assert message.startswith(f"This is Python {version[0]}.{version[1]}; the course needs Python 3.11, 3.12 or 3.13")
    assert "\n" not in message and "python.org" in message


def test_the_supported_range_is_the_one_pyproject_declares():
    text = (paths.REPOSITORY_ROOT / "pyproject.toml").read_text()
    assert 'requires-python = ">=3.11,<3.14"' in text
    for major, minor in python_check.SUPPORTED:
        assert f"Programming Language :: Python :: {major}.{minor}" in text


def test_the_readme_setup_runs_the_check_first():
    readme = (paths.REPOSITORY_ROOT / "README.md").read_text()
    setup = readme.split("<!-- ci:setup -->", 1)[1].split("```", 2)[1]
    assert setup.strip().splitlines()[1].startswith("python3 -m helpers.python_check && python3 -m venv .venv")


OLD_PYTHONS = sorted(pathlib.Path.home().glob(".pyenv/versions/3.[6-9]*/bin/python")) + \
    sorted(pathlib.Path.home().glob(".pyenv/versions/3.10*/bin/python"))


@pytest.mark.skipif(not OLD_PYTHONS, reason="no older Python (pyenv) on this machine to run the check with")
@pytest.mark.parametrize("python", OLD_PYTHONS, ids=lambda path: path.parent.parent.name)
def test_the_check_itself_runs_on_old_pythons_and_exits_1(python):
    result = subprocess.run([str(python), "-m", "helpers.python_check"], cwd=paths.REPOSITORY_ROOT,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "the course needs Python 3.11, 3.12 or 3.13" in result.stderr


def test_the_check_exits_0_on_this_python():
    result = subprocess.run([sys.executable, "-m", "helpers.python_check"], cwd=paths.REPOSITORY_ROOT,
                            capture_output=True, text=True, timeout=60, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")

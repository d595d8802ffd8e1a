"""The course runs on every release of TensorFlow and Keras it declares, not only on the pins.

pyproject.toml declares the ranges; requirements.txt pins the newest, and constraints/oldest.txt the
oldest. The README's test command runs these tests on the pins; .ci/run runs them again in an
environment built with the oldest releases, where the stored outputs are not compared (a release
changes reprs and figures), but every notebook must run through on the quick settings.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import tomllib

from packaging.requirements import Requirement

from helpers import paths


def declared_requirements() -> dict[str, Requirement]:
    project = tomllib.loads((paths.REPOSITORY_ROOT / "pyproject.toml").read_text())["project"]
    return {requirement.name: requirement for requirement in map(Requirement, project["dependencies"])}


def test_the_pins_and_the_oldest_releases_lie_inside_the_declared_ranges():
    declared = declared_requirements()
    for name in ("tensorflow", "keras", "numpy"):
        assert str(declared[name].specifier), f"pyproject.toml declares no range for {name}"
    for file in ("requirements.txt", "constraints/oldest.txt"):
        for line in (paths.REPOSITORY_ROOT / file).read_text().splitlines():
            match = re.match(r"^(tensorflow|keras|numpy)==(\S+)", line)
            if match:
                assert declared[match[1]].specifier.contains(match[2]), f"{file}: {match[0]} is outside {declared[match[1]]}"


def test_the_installed_releases_are_supported():
    declared = declared_requirements()
    for name in ("tensorflow", "keras", "numpy"):
        installed = importlib.metadata.version(name)
        assert declared[name].specifier.contains(installed), f"{name} {installed} is outside {declared[name]}"


def test_every_notebook_runs_through_on_the_installed_releases(quick_run):
    result, output = quick_run
    summary = json.loads((output / "summary.json").read_text())
    failed = [f"{run['name']}: {run.get('error')}" for run in summary["notebooks"] if run["status"] != "ok"]
    assert result.returncode == 0 and not failed, "\n".join(failed) or result.stderr
    print("ran every notebook with", ", ".join(f"{name} {summary['versions'][name]}"
                                            for name in ("python", "tensorflow", "keras", "numpy")))

"""Running the course in Google Colab, where a notebook opens alone.

Colab opens one notebook file with no repository around it: no ``helpers`` package and no
``data/``. Each notebook of the Colab edition (``python -m helpers.edition colab``) therefore starts
with a short setup cell that does nothing outside Colab and, in Colab, clones the course into
``/content/mnist-course`` (``MNIST_COURSE_COLAB_ROOT`` names another folder than ``/content``), puts
the clone on ``sys.path`` and calls :func:`setup`, which makes the rest of the notebook work
without restarting the runtime:

- the clone stays first on ``sys.path`` and goes on ``PYTHONPATH`` too, so the kernels that
  notebook 12 starts (papermill runs of notebook 06) import the same ``helpers``;
- the working folder becomes the clone's ``notebooks/``, as in JupyterLab;
- the packages that ``helpers`` imports (``pyproject.toml``'s dependencies) and Colab lacks are
  installed, at ``requirements.txt``'s pins, with ``pip install --no-deps``; their own
  dependencies that Colab lacks follow the same way, found in the metadata of what was installed.
  Nothing Colab has is replaced: a package that is there is used as it is, whatever its version.

Colab's own scientific stack (:data:`COLAB_STACK`: TensorFlow, Keras, NumPy, matplotlib, seaborn,
and ipywidgets, which its widget front end matches) is never installed: replacing a module that the
runtime has already imported needs a restart. :func:`setup` says when Colab's versions differ from
the pins that the stored outputs were made with. What the course needs only to be developed or
tested (JupyterLab, ipykernel, pytest, pytest-xdist, nbval, playwright) is not a dependency of ``helpers`` and is
never looked at.

``MNIST_COURSE_COLAB_PIP`` replaces the ``python -m pip`` command (tests point it at a stand-in).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import pathlib
import re
import shlex
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence

#: Where the setup cell clones the course unless ``MNIST_COURSE_COLAB_ROOT`` says otherwise.
DEFAULT_ROOT = "/content"

#: The clone's folder name inside the root.
CLONE_NAME = "mnist-course"

#: Colab's own packages, used as they are and never installed: Colab has imported some of them
#: already, and installing over an imported package needs a restart of the runtime.
COLAB_STACK = frozenset({"tensorflow", "keras", "numpy", "matplotlib", "seaborn", "ipywidgets"})

#: Never installed, whatever asks for them: Colab's stack, the notebook machinery Colab runs on,
#: and what only tests use (they are not dependencies of ``helpers``; this is a second guard).
NEVER_INSTALL = COLAB_STACK | frozenset({
    "ipykernel", "ipython", "jupyterlab", "notebook", "jupyter-server", "jupyter-client", "traitlets",
    "pip", "setuptools", "pytest", "pytest-xdist", "nbval", "playwright", "mnist-course-helpers",
})


class ColabSetupError(RuntimeError):
    """The course could not be set up in Colab; the message says what to do."""


def colab_root() -> pathlib.Path:
    """The folder that holds the clone: ``MNIST_COURSE_COLAB_ROOT``, else ``/content``."""
    return pathlib.Path(os.environ.get("MNIST_COURSE_COLAB_ROOT", DEFAULT_ROOT))


def normalize(name: str) -> str:
    """A distribution name in PEP 503's normal form: ``PyYAML`` and ``pyyaml`` are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(requirements_text: str) -> dict[str, str]:
    """The exact pins of a requirements file, by normalized name.

    Args:
        requirements_text: The text of ``requirements.txt``; comments, options such as ``-e .``
            and lines without ``==`` are skipped.

    Returns:
        For example ``{"anywidget": "anywidget==0.11.0", "pyyaml": "pyyaml==6.0.3"}``.
    """
    pins = {}
    for line in requirements_text.splitlines():
        line = line.split("#", 1)[0].strip()
        found = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;]+)\s*(;.*)?", line)
        if found:
            pins[normalize(found.group(1))] = f"{found.group(1)}=={found.group(2)}"
    return pins


def runtime_requirements(course: str | pathlib.Path) -> list[str]:
    """What the course needs at run time beyond Colab's stack, as pip requirements.

    The names are ``pyproject.toml``'s dependencies (the packages ``helpers`` imports), less
    :data:`NEVER_INSTALL` and those whose environment marker does not apply; the versions are
    ``requirements.txt``'s pins, or the dependency's own range where there is no pin.

    Args:
        course: The course's folder, with ``pyproject.toml`` and ``requirements.txt``.

    Returns:
        For example ``["papermill==2.7.0", "pyyaml==6.0.3", ..., "anywidget==0.11.0"]``.

    Raises:
        ColabSetupError: A file is missing or unreadable.
    """
    import tomllib  # noqa: PLC0415 - only the setup needs it.

    from packaging.requirements import InvalidRequirement, Requirement  # noqa: PLC0415

    course = pathlib.Path(course)
    try:
        project = tomllib.loads((course / "pyproject.toml").read_text(encoding="utf-8"))
        pins = read_pins((course / "requirements.txt").read_text(encoding="utf-8"))
        dependencies = [Requirement(text) for text in project["project"]["dependencies"]]
    except (OSError, KeyError, tomllib.TOMLDecodeError, InvalidRequirement) as error:
        raise ColabSetupError(f"{course}: cannot read the course's dependencies ({error}).") from None
    needed = []
    for requirement in dependencies:
        name = normalize(requirement.name)
        if name in NEVER_INSTALL or (requirement.marker and not requirement.marker.evaluate({"extra": ""})):
            continue
        needed.append(pins.get(name, f"{requirement.name}{requirement.specifier}"))
    return needed


def installed_version(name: str) -> str | None:
    """The installed version of a distribution, or ``None`` when it is not installed."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def declared_requirements(name: str) -> list[str]:
    """An installed distribution's own requirements, as its metadata lists them."""
    try:
        return importlib.metadata.requires(name) or []
    except importlib.metadata.PackageNotFoundError:
        return []


def pip_install(requirements: Sequence[str]) -> None:
    """Runs ``pip install -q --no-deps`` on the requirements, in this kernel's Python.

    ``MNIST_COURSE_COLAB_PIP`` replaces ``python -m pip`` (a command line, split as a shell would).

    Raises:
        ColabSetupError: pip failed.
    """
    command = shlex.split(os.environ.get("MNIST_COURSE_COLAB_PIP", "")) or [sys.executable, "-m", "pip"]
    result = subprocess.run([*command, "install", "-q", "--no-deps", *requirements], capture_output=True,
                            text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise ColabSetupError(f"pip could not install {', '.join(requirements)}: "
                              f"{detail[-1] if detail else f'exit status {result.returncode}'}")


def install_missing(
    requirements: Iterable[str],
    installed: Callable[[str], str | None] = installed_version,
    requires: Callable[[str], Sequence[str]] = declared_requirements,
    install: Callable[[Sequence[str]], None] = pip_install,
) -> tuple[list[str], list[str]]:
    """Installs the requirements that are not installed, then what they need that is not installed.

    Each round installs without dependencies, reads the new packages' own requirements (those
    whose marker applies, without extras) and installs the ones still missing, until nothing is.
    A package that is installed is left as it is, whatever its version, and nothing in
    :data:`NEVER_INSTALL` is installed.

    Args:
        requirements: pip requirements such as ``"anywidget==0.11.0"``.
        installed: A package's installed version or ``None`` (tests give a stand-in).
        requires: A package's own requirements, read once it is installed.
        install: Installs a list of requirements without their dependencies.

    Returns:
        The requirements installed, in order, and the names of packages that are missing but
        never installed here (Colab's own, which the caller reports).
    """
    from packaging.requirements import Requirement  # noqa: PLC0415

    done, lacking, seen = [], [], set()
    wanted = list(requirements)
    while wanted:
        batch = []
        for text in wanted:
            requirement = Requirement(text)
            name = normalize(requirement.name)
            if name in seen or (requirement.marker and not requirement.marker.evaluate({"extra": ""})):
                continue
            seen.add(name)
            if installed(name) is not None:
                continue
            if name in NEVER_INSTALL:
                lacking.append(name)
                continue
            batch.append(str(Requirement(f"{requirement.name}{requirement.specifier}")))
        if not batch:
            break
        install(batch)
        importlib.invalidate_caches()  # So that this kernel finds the new packages without a restart.
        done += batch
        wanted = [dependency for text in batch for dependency in requires(Requirement(text).name)]
    return done, lacking


def stack_differences(course: str | pathlib.Path,
                      installed: Callable[[str], str | None] = installed_version) -> list[str]:
    """Colab's own packages whose versions are not the pins the stored outputs were made with.

    Returns:
        Lines such as ``"tensorflow 2.19.0 (the outputs: 2.21.0)"``, with ``", outside the course's
        tensorflow>=2.18,<2.22"`` added when the version is outside ``pyproject.toml``'s range.
    """
    import tomllib  # noqa: PLC0415

    from packaging.requirements import Requirement  # noqa: PLC0415

    course = pathlib.Path(course)
    pins = read_pins((course / "requirements.txt").read_text(encoding="utf-8"))
    ranges = {normalize(requirement.name): requirement for requirement in
              (Requirement(text) for text in
               tomllib.loads((course / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"])}
    lines = []
    for name in sorted(COLAB_STACK & set(pins)):
        version, pinned = installed(name), pins[name].split("==", 1)[1]
        if version is None or version == pinned:
            continue
        line = f"{name} {version} (the outputs: {pinned})"
        supported = ranges.get(name)
        if supported is not None and supported.specifier and not supported.specifier.contains(version, prereleases=True):
            line += f", outside the course's {supported.name}{supported.specifier}"
        lines.append(line)
    return lines


def setup(course: str | pathlib.Path) -> dict[str, object]:
    """Makes a clone of the course work in this Colab runtime; the edition's first cell calls it.

    Args:
        course: The clone's folder (the setup cell has cloned it and put it on ``sys.path``).

    Returns:
        What was done: ``course``, ``installed`` (requirements), ``lacking`` and ``differences``.

    Raises:
        ColabSetupError: The folder is not a clone of the course, or pip failed.
    """
    course = pathlib.Path(course).resolve()
    if not (course / "helpers" / "__init__.py").is_file() or not (course / "notebooks").is_dir():
        raise ColabSetupError(f"{course} is not a copy of the course (no helpers/ or notebooks/); delete it "
                              f"(!rm -rf {course}) and run this cell again.")
    sys.path[:] = [str(course)] + [entry for entry in sys.path if entry != str(course)]
    others = [entry for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep) if entry and entry != str(course)]
    os.environ["PYTHONPATH"] = os.pathsep.join([str(course), *others])
    os.chdir(course / "notebooks")
    installed, lacking = install_missing(runtime_requirements(course))
    differences = stack_differences(course)
    print(_summary(course, installed, lacking, differences))
    return {"course": course, "installed": installed, "lacking": lacking, "differences": differences}


def _summary(course: pathlib.Path, installed: Sequence[str], lacking: Sequence[str],
             differences: Sequence[str]) -> str:
    """What :func:`setup` did, in a few plain lines."""
    lines = [f"Colab is set up: the course's code and data are in {course}, and this notebook runs in its notebooks/ folder.",
             (f"Installed what Colab lacked: {', '.join(installed)}." if installed
              else "Nothing to install: Colab has every package the course needs.")]
    if lacking:
        lines.append(f"Missing and not installed here (Colab's own): {', '.join(lacking)}; some cells may fail.")
    if differences:
        lines.append("Colab's own versions are used, so a printed number may differ a little from the stored one: "
                     + "; ".join(differences) + ".")
    return "\n".join(lines)

"""Where the repository keeps its data and what the notebooks write.

The package is installed in editable mode (``pip install -e .``), so its source folder sits in the
repository and every path here is found from it, whatever the current working directory is.
"""

from __future__ import annotations

import functools
import os
import pathlib
import tempfile

#: The repository's root folder: the parent of the ``helpers`` package.
REPOSITORY_ROOT: pathlib.Path = pathlib.Path(__file__).resolve().parent.parent

#: The copy of MNIST that ships with the course.
BUNDLED_MNIST_PATH: pathlib.Path = REPOSITORY_ROOT / "data" / "mnist.npz"

#: SHA-256 of the bundled ``mnist.npz``, as published with the file.
BUNDLED_MNIST_SHA256: str = "06af5dfe73b70e3bc1c36439982b18a8d76803db9b544f6fdf838a37fbb01b64"

#: Where notebooks write models and metrics unless told otherwise (git-ignored).
DEFAULT_ARTIFACTS_DIR: pathlib.Path = REPOSITORY_ROOT / "artifacts"

#: The course's name for per-user folders (see :func:`user_artifacts_dir`).
APP_NAME = "mnist-course"

#: Where ``python -m helpers.series`` writes its runs unless told otherwise (git-ignored).
DEFAULT_RUNS_DIR: pathlib.Path = REPOSITORY_ROOT / "runs"

#: The folder of the numbered notebooks.
NOTEBOOKS_DIR: pathlib.Path = REPOSITORY_ROOT / "notebooks"


def folder_write_problem(folder: str | pathlib.Path) -> str | None:
    """Why files cannot be written into ``folder``, found by trying; ``None`` when they can.

    It creates the folder if it is missing, writes and deletes a small file in it, and then removes
    the folders it created, so nothing is left behind. Trying is the only reliable test: root ignores
    permission bits, and a read-only file system does not show in them.

    Args:
        folder: The folder to check; it need not exist.

    Returns:
        ``None`` if a file could be written there, else the reason in a few words, such as
        ``"Read-only file system"`` or ``"a file is in the way at /data/x"``.
    """
    folder = pathlib.Path(folder)
    missing = []
    existing = folder
    while not existing.exists() and existing != existing.parent:
        missing.append(existing)
        existing = existing.parent
    if not existing.is_dir():
        return f"a file is in the way at {existing}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, probe = tempfile.mkstemp(dir=folder, prefix=".write-check-")
        os.close(descriptor)
        os.unlink(probe)
    except OSError as error:
        return error.strerror or str(error)
    finally:
        for created in missing:  # The deepest first.
            try:
                created.rmdir()
            except OSError:
                pass
    return None


def user_artifacts_dir() -> pathlib.Path:
    """This user's own artifacts folder, for a course installed where learners cannot write.

    It is platformdirs' per-user data folder: ``~/.local/share/mnist-course/artifacts`` on Linux,
    ``~/Library/Application Support/mnist-course/artifacts`` on macOS and
    ``%LOCALAPPDATA%\\mnist-course\\artifacts`` on Windows.
    """
    import platformdirs  # noqa: PLC0415 - only needed where the repository's artifacts/ is read-only.

    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "artifacts"


@functools.cache
def shared_artifacts_problem() -> str | None:
    """Why the repository's ``artifacts/`` cannot be written (a read-only classroom install), or ``None``.

    Checked once per process, by trying (:func:`folder_write_problem`).
    """
    return folder_write_problem(DEFAULT_ARTIFACTS_DIR)


def default_artifacts_dir() -> pathlib.Path:
    """Where models are written when ``artifacts_dir`` is ``None``: the repository's ``artifacts/``,
    or, where that cannot be written, :func:`user_artifacts_dir`."""
    return DEFAULT_ARTIFACTS_DIR if shared_artifacts_problem() is None else user_artifacts_dir()


def display_path(path: str | pathlib.Path) -> str:
    """Returns a path relative to the repository when it lies inside it, else the absolute path.

    Notebooks print paths through this so that their stored outputs read the same on every machine.

    Args:
        path: Any path.

    Returns:
        ``"artifacts/hidden_model.keras"`` for a path in the repository, else the absolute path.
    """
    resolved = pathlib.Path(path).resolve()
    try:
        return resolved.relative_to(REPOSITORY_ROOT).as_posix()
    except ValueError:
        return str(resolved)

"""Saving a trained model with its metrics, and loading it back safely, for later notebooks.

A model ``NAME`` is kept as two files in the artifacts folder: ``NAME_model.keras`` and
``NAME_metrics.json``. Each is written to a temporary file in the same folder and then renamed over
the old one, so an interrupted run never leaves half a file. The SHA-256 that the metrics record is
that of the bytes written, taken before any rename, and both files are written and renamed while the
process holds a lock on the model (``.NAME.save.lock``), so two writers cannot pair one's model with
the other's metrics. Loading reads the model's bytes once, checks them against the metrics, and
loads exactly those bytes: a model without matching metrics is reported as stale, never used.
Loading uses Keras's safe mode, which refuses to run code stored in a model file.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import hashlib
import importlib.metadata
import json
import os
import pathlib
import platform
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import psutil

from helpers import data, paths, runtime

#: The packages whose versions every metrics file records.
RECORDED_PACKAGES = ("tensorflow", "keras", "numpy")

#: Which notebook trains and saves each model, for messages that say what to run.
MADE_BY = {
    "single_layer": "notebook 05 (05_single_layer_model.ipynb)",
    "hidden_layer": "notebook 06 (06_hidden_layer_model.ipynb)",
    "cnn": "notebook 09 (09_convolutional_network.ipynb)",
    "augmented_cnn": "notebook 11 (11_data_augmentation.ipynb)",
}


class ArtifactError(RuntimeError):
    """A saved model is missing, stale or unreadable; the message says which and what to do."""


def artifacts_directory(directory: str | pathlib.Path | None) -> pathlib.Path:
    """The folder models are written to: ``directory``, or for ``None`` the repository's git-ignored
    ``artifacts/`` (this user's own folder where ``artifacts/`` is read-only: :func:`paths.default_artifacts_dir`)."""
    return paths.default_artifacts_dir() if directory is None else pathlib.Path(directory)


def reading_directories(directory: str | pathlib.Path | None) -> list[pathlib.Path]:
    """The folders a model is looked for in, in order: the one it would be written to, then, for
    ``None`` where the repository's ``artifacts/`` is read-only, that shared folder, where a teacher
    may have left trained models."""
    folders = [artifacts_directory(directory)]
    if directory is None and folders[0] != paths.DEFAULT_ARTIFACTS_DIR:
        folders.append(paths.DEFAULT_ARTIFACTS_DIR)
    return folders


def _saved_in(name: str, directory: str | pathlib.Path | None) -> pathlib.Path:
    """The first of :func:`reading_directories` that holds ``name``'s metrics (else the first)."""
    folders = reading_directories(directory)
    return next((folder for folder in folders if (folder / f"{name}_metrics.json").is_file()), folders[0])


def model_path(directory: str | pathlib.Path | None, name: str) -> pathlib.Path:
    """Where the model ``name`` is saved, for example ``artifacts/hidden_layer_model.keras``."""
    return artifacts_directory(directory) / f"{name}_model.keras"


def metrics_path(directory: str | pathlib.Path | None, name: str) -> pathlib.Path:
    """Where the metrics of model ``name`` are saved, for example ``artifacts/hidden_layer_metrics.json``."""
    return artifacts_directory(directory) / f"{name}_metrics.json"


def library_versions() -> dict[str, str]:
    """The versions of Python and of the recorded packages, without importing them."""
    versions = {"python": platform.python_version()}
    for package in RECORDED_PACKAGES:
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return versions


def _new_file_mode() -> int:
    """The mode a plain ``open(path, "w")`` would give a new file: 0o666 less the process's umask.

    ``tempfile.mkstemp`` creates its files with mode 0o600 whatever the umask; files renamed from it
    get this mode instead, so that a teacher's shared folder stays readable by the group.
    """
    return 0o666 & ~_umask()


def new_folder_mode() -> int:
    """The mode a plain ``os.mkdir`` would give a new folder: 0o777 less the process's umask.

    ``tempfile.mkdtemp`` creates its folders with mode 0o700; a folder renamed from it (an exported
    SavedModel) gets this mode instead, for the same reason as :func:`_new_file_mode`.
    """
    return 0o777 & ~_umask()


def _umask() -> int:
    """The process's umask; reading it means setting it, so it is set back at once."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


_TEMPORARY_NAME = re.compile(r"^\..+\.pid(\d+)\.[^.]+\.(?:tmp|keras)$")


@contextlib.contextmanager
def folder_lock(directory: str | pathlib.Path | None, wait_seconds: float = 5.0) -> Iterator[pathlib.Path]:
    """Holds an artifacts folder for one run, so that two runs never mix their models and metrics.

    The lock is a ``filelock.FileLock`` on ``.lock`` in the folder: an exclusive lock that the
    operating system holds for the open file (``flock`` on Linux and macOS, ``LockFileEx`` on
    Windows). The system releases it when the process ends, however it ends, so a killed run never
    leaves the folder locked.

    Args:
        directory: The artifacts folder (created if missing); ``None`` means the repository's.
        wait_seconds: How long to wait for another run to let go of it.

    Yields:
        The folder.

    Raises:
        ArtifactError: Another process still holds the folder after ``wait_seconds``.
    """
    import filelock  # noqa: PLC0415 - only the series runner locks a folder; notebooks need not load it.

    folder = artifacts_directory(directory)
    folder.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(folder / ".lock", timeout=wait_seconds)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise ArtifactError(
            f"another run is using the artifacts folder {folder} (waited {wait_seconds:g} s). "
            "Wait for it to finish, or give this run a folder of its own with -p artifacts_dir DIR."
        ) from None
    try:
        yield folder
    finally:
        lock.release()


def _remove_stale_temporaries(folder: pathlib.Path) -> None:
    """Deletes the temporary files of saves whose process is gone (killed during a save).

    Each temporary file carries the id of the process that writes it (``.NAME.pid1234.xyz.keras``);
    one whose process no longer exists can never be finished, so it is removed. Files of live
    processes, such as a concurrent run's, are left alone.
    """
    for path in folder.glob(".*.pid*.*"):
        match = _TEMPORARY_NAME.match(path.name)
        if match and not _process_exists(int(match[1])):
            path.unlink(missing_ok=True)


def _process_exists(pid: int) -> bool:
    """Whether a process with this id runs now, another user's included, on any operating system.

    ``psutil.pid_exists`` asks the system without touching the process: ``os.kill(pid, 0)`` would
    probe it on Linux and macOS, but on Windows it sends the process a Ctrl-C.
    """
    return psutil.pid_exists(pid)


def write_json_atomic(path: str | pathlib.Path, content: Mapping[str, Any]) -> pathlib.Path:
    """Writes ``content`` as indented JSON through a temporary file and a rename.

    Args:
        path: The file to write; its folder is created if needed.
        content: JSON-serialisable data.

    Returns:
        The path written.
    """
    text = json.dumps(content, indent=2, sort_keys=False, default=str) + "\n"
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: str | pathlib.Path, content: bytes) -> pathlib.Path:
    """Writes ``content`` through a temporary file in the same folder, synced, then renamed into place.

    A reader sees the old file or the new one, never half of it; the new file gets the mode a plain
    ``open`` would give it (see :func:`_new_file_mode`).

    Args:
        path: The file to write; its folder is created if needed.
        content: The bytes.

    Returns:
        The path written.
    """
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(path.parent)
    temporary = _temporary_file(path, ".tmp")
    try:
        _write_synced(temporary, content)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def save_model(
    model: Any,
    name: str,
    metrics: Mapping[str, Any],
    directory: str | pathlib.Path | None = None,
) -> tuple[pathlib.Path, pathlib.Path]:
    """Saves a trained Keras model and its metrics, each file atomically.

    The metrics file gets ``model_file``, ``model_sha256``, ``saved_at`` and ``versions`` added.

    Args:
        model: The trained Keras model.
        name: A short name such as ``"hidden_layer"``; it starts both file names.
        metrics: What to record, for example test accuracy, training time and the parameters.
        directory: The artifacts folder; ``None`` means the repository's ``artifacts/``.

    Returns:
        The paths of the model file and of the metrics file.
    """
    import filelock  # noqa: PLC0415 - a notebook that only reads models need not load it.

    target, metrics_target = model_path(directory, name), metrics_path(directory, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporaries: list[pathlib.Path] = []
    try:
        with filelock.FileLock(target.parent / f".{name}.save.lock"):
            _remove_stale_temporaries(target.parent)
            model_temporary = _temporary_file(target, ".keras")
            temporaries.append(model_temporary)
            model.save(model_temporary)
            os.chmod(model_temporary, _new_file_mode())
            record = dict(metrics)
            record.update(
                model_file=target.name,
                model_sha256=data.file_sha256(model_temporary),  # the bytes written, before any rename
                saved_at=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                versions=library_versions(),
            )
            text = json.dumps(record, indent=2, sort_keys=False, default=str) + "\n"
            metrics_temporary = _temporary_file(metrics_target, ".tmp")
            temporaries.append(metrics_temporary)
            _write_synced(metrics_temporary, text.encode("utf-8"))
            # Both files are complete before either is renamed; a failure up to here leaves the old pair.
            os.replace(model_temporary, target)
            os.replace(metrics_temporary, metrics_target)
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise ArtifactError(
                f"the disk is full: {name}'s model could not be saved in {target.parent}. Free some space (or "
                "give artifacts_dir a folder on another disk) and run the notebook again; the previous model, "
                "if any, is unchanged.") from None
        raise
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
    return target, metrics_target


def _temporary_file(target: pathlib.Path, suffix: str) -> pathlib.Path:
    """An empty temporary file beside ``target``, named for this process so a dead one's can be removed."""
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.pid{os.getpid()}.", suffix=suffix)
    os.close(descriptor)
    return pathlib.Path(temporary)


def _write_synced(path: pathlib.Path, content: bytes) -> None:
    """Writes ``content`` to ``path``, flushed to the disk, with the mode a plain ``open`` gives."""
    with open(path, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, _new_file_mode())


def load_metrics(name: str, directory: str | pathlib.Path | None = None) -> dict[str, Any]:
    """Reads the metrics of model ``name``.

    Raises:
        ArtifactError: The file is missing or is not a JSON object.
    """
    path = metrics_path(_saved_in(name, directory), name)
    if not path.is_file():
        raise ArtifactError(f"No metrics for model '{name}' at {path}: it has not been saved there yet.")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArtifactError(f"{path} is not readable JSON ({error}). Delete it and rerun the notebook.") from error
    if not isinstance(record, dict):
        raise ArtifactError(f"{path} should hold a JSON object, found {type(record).__name__}.")
    return record


def load_model(
    name: str,
    directory: str | pathlib.Path | None = None,
    expected_parameters: Mapping[str, Any] | None = None,
    made_by: str = "the notebook that trains it",
    expected_model: Any | None = None,
) -> tuple[Any, dict[str, Any]]:
    """Loads a model saved by :func:`save_model`, after checking that it is complete and current.

    Args:
        name: The name it was saved under.
        directory: The artifacts folder; ``None`` means the repository's ``artifacts/``.
        expected_parameters: Parameters the model must have been trained with; a difference makes
            it stale.
        made_by: What to run to make the model again, for the error messages.
        expected_model: A freshly built, untrained model of the layout the parameters ask for. The
            saved model must have the same layers and parameter count, so that a metrics file
            edited by hand (or copied from another run) cannot pass off another model.

    Returns:
        The model (compiled, as saved) and its metrics.

    Raises:
        ArtifactError: A file is missing; the model does not match its metrics; it was trained with
            other parameters or another Keras; or Keras cannot load it in safe mode.
    """
    remedy = f"Run {made_by} to save it again."
    record = load_metrics(name, directory)
    path = model_path(_saved_in(name, directory), name)
    if not path.is_file():
        raise ArtifactError(f"The model file {path} is missing although its metrics exist. {remedy}")
    for field in ("versions", "parameters"):
        if not isinstance(record.get(field, {}), dict):
            raise ArtifactError(f"{path} is stale: its metrics' {field!r} is not a mapping (was the file edited?). {remedy}")
    try:
        content = path.read_bytes()  # read once: what is checked below is what Keras loads
    except OSError as error:
        raise ArtifactError(f"{path} cannot be read ({error.strerror}). {remedy}") from None
    if hashlib.sha256(content).hexdigest() != record.get("model_sha256"):
        raise ArtifactError(
            f"{path} is stale: it is not the model its metrics describe (an interrupted or "
            f"concurrent save?). {remedy}"
        )
    saved_keras = record.get("versions", {}).get("keras")
    if saved_keras != library_versions()["keras"]:
        raise ArtifactError(
            f"{path} is stale: it was saved with Keras {saved_keras}, this is Keras "
            f"{library_versions()['keras']}. {remedy}"
        )
    saved_parameters = record.get("parameters", {})
    for key, value in (expected_parameters or {}).items():
        if saved_parameters.get(key) != value:
            raise ArtifactError(
                f"{path} is stale: it was trained with {key}={saved_parameters.get(key)!r}, "
                f"but {key}={value!r} is asked for. {remedy}"
            )
    runtime.import_tensorflow()
    import keras  # noqa: PLC0415

    try:
        with tempfile.TemporaryDirectory(prefix="mnist-course-model-") as folder:
            checked = pathlib.Path(folder) / path.name
            checked.write_bytes(content)
            model = keras.models.load_model(checked, safe_mode=True)
    except Exception as error:
        raise ArtifactError(f"Keras could not load {path} ({type(error).__name__}: {error}). {remedy}") from error
    if expected_model is not None:
        (layers, count), (expected_layers, expected_count) = _layout(model), _layout(expected_model)
        if (layers, count) != (expected_layers, expected_count):
            raise ArtifactError(
                f"{path} does not match its metrics: it has the layers {layers} and {count:,} parameters, "
                f"but the parameters asked for give {expected_layers} and {expected_count:,}. Was its "
                f"metrics file edited or copied? {remedy}"
            )
    return model, record


def _layout(model: Any) -> tuple[str, int]:
    """A model's layer types with their sizes, and its parameter count, for comparing layouts."""
    parts = []
    for layer in model.layers:
        size = getattr(layer, "units", None) or getattr(layer, "filters", None)
        parts.append(f"{type(layer).__name__}({size})" if size else type(layer).__name__)
    return ", ".join(parts), int(model.count_params())


def save_run(
    model: Any,
    name: str,
    settings: Mapping[str, Any],
    history: Any,
    test_loss: float,
    test_accuracy: float,
    train_seconds: float,
    **extra: Any,
) -> None:
    """Saves a notebook's trained model with the metrics of its run, and prints where they went.

    The metrics hold the model's name, its test loss and accuracy, the last epoch's validation
    accuracy when the training had a validation set, the time spent in ``fit``, the parameter
    count, the training history and the notebook's parameters (``settings``), plus ``extra``.

    Args:
        model: The trained Keras model.
        name: The name to save it under, e.g. ``"hidden_layer"``.
        settings: The notebook's checked parameters, as ``params.validate`` returns them; their
            ``artifacts_dir`` (if any) says where to save.
        history: The ``History`` that ``fit`` returned, or its ``.history`` dict.
        test_loss: The loss on the test set.
        test_accuracy: The accuracy on the test set, from 0 to 1.
        train_seconds: The time ``fit`` took.
        **extra: More JSON-serialisable figures to record.
    """
    from helpers import params  # noqa: PLC0415 - params imports nothing heavy; kept local to avoid a cycle.

    values = dict(getattr(history, "history", history))
    metrics = {
        "model": name,
        "test_accuracy": float(test_accuracy),
        "test_loss": float(test_loss),
        "train_seconds": round(float(train_seconds), 2),
        "parameter_count": int(model.count_params()),
        "history": {key: [float(value) for value in series] for key, series in values.items()},
        "parameters": params.as_json(settings),
        **extra,
    }
    if values.get("val_accuracy"):
        metrics["validation_accuracy"] = float(values["val_accuracy"][-1])
    saved = save_model(model, name, metrics, settings.get("artifacts_dir"))
    print("saved", " and ".join(paths.display_path(path) for path in saved))


def comparison_table(names: Sequence[str], directory: str | pathlib.Path | None = None) -> str:
    """A plain-text table of the saved models' size, test accuracy and training time.

    Args:
        names: The models to compare, e.g. ``["single_layer", "hidden_layer"]``.
        directory: The artifacts folder; ``None`` means the repository's ``artifacts/``.

    Returns:
        One row per model; a model that has not been saved there gets a row that says which
        notebook to run, and one whose metrics file cannot be read a row that says why.
    """
    lines = [f"{'model':14} {'parameters':>10} {'test accuracy':>14} {'training (s)':>13}"]
    for name in names:
        if not metrics_path(directory, name).exists():
            lines.append(f"{name:14} not saved in this artifacts folder yet: run {MADE_BY.get(name, 'its notebook')}")
            continue
        try:
            record = load_metrics(name, directory)
        except ArtifactError as problem:
            lines.append(f"{name:14} cannot be read: {problem}")
            continue
        count = record.get("parameter_count")
        lines.append(
            f"{name:14} {'?' if count is None else format(count, ','):>10} "
            f"{record.get('test_accuracy', float('nan')):>14.4f} {record.get('train_seconds', float('nan')):>13.1f}"
        )
    return "\n".join(lines)

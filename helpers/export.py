"""Taking a trained model out of the course: a SavedModel, LiteRT files, and running them.

``python -m helpers.export`` exports the models that notebooks 06 and 09 saved, and
``python -m helpers.predict`` reads digits with them. It writes three forms of a Keras model into one
folder (by default ``artifacts/exported/``):

- a **SavedModel** folder (``cnn_saved_model/``), TensorFlow's own format, with one ``serve``
  endpoint that takes a batch of images and returns the model's ten outputs per image. Keras's
  ``model.export`` writes it; ``tf.saved_model.load`` reads it without Keras or this course.
- a **LiteRT** file (``cnn.tflite``, the format once called TensorFlow Lite), made from that
  SavedModel by TensorFlow's converter, with float32 weights.
- the same with **int8 weights** (``cnn_int8.tflite``): the converter's default optimisation
  (``tf.lite.Optimize.DEFAULT`` without sample data), which stores the weights of large enough
  convolution and dense layers as 8-bit integers with one scale per output channel. Layers whose
  weights are small (the converter's threshold is 1,024 values) stay float32; :func:`quantized_weights`
  lists which weights were stored as int8.

The LiteRT files are converted from the SavedModel with TensorFlow's converter rather than with
Keras's ``model.export(format="litert")``, because that Keras format only exists in recent Keras
releases and the course supports Keras 3.8 and later.

LiteRT files run with the interpreter of the ``ai-edge-litert`` package, which TensorFlow's own
``tf.lite.Interpreter`` now points to (it warns that it is deprecated). ``ai-edge-litert`` 2.3.0 has
wheels for Linux (x86-64 and ARM64), Windows (x86-64) and macOS on Apple silicon only; on any other
machine (an Intel Mac) :func:`interpreter_class` falls back to ``tf.lite.Interpreter``, which runs the
same files, and :func:`describe_interpreter` says so.

Every file is written under a temporary name and renamed into place, so an interrupted export
leaves the previous one, never half a file. TensorFlow's C++ runtime logs to file descriptor 2
while it converts and while an interpreter starts ("Created TensorFlow Lite XNNPACK delegate"); those
lines are kept out of the notebook and put into the error if something fails.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import os
import pathlib
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from helpers import artifacts, runtime

#: The exported forms of a model, in the order the notebook compares them.
FORMS = ("saved_model", "litert_float", "litert_int8")

#: The folder, inside an artifacts folder, that the exports go to.
EXPORT_FOLDER_NAME = "exported"


class ExportError(RuntimeError):
    """An export could not be written or read; the message says which file and what to do."""


def export_folder(artifacts_dir: str | pathlib.Path | None = None) -> pathlib.Path:
    """The folder the exports go to: ``exported/`` inside the artifacts folder.

    Args:
        artifacts_dir: The artifacts folder; ``None`` means the repository's ``artifacts/``.

    Returns:
        The folder's path (it may not exist yet).
    """
    return artifacts.artifacts_directory(artifacts_dir) / EXPORT_FOLDER_NAME


def export_paths(name: str, folder: str | pathlib.Path) -> dict[str, pathlib.Path]:
    """Where each form of the model called ``name`` is written in ``folder``.

    Args:
        name: A short name such as ``"cnn"``; it starts every file name.
        folder: The export folder, for example :func:`export_folder`'s.

    Returns:
        A path for each of :data:`FORMS`.
    """
    if not name or not name.replace("_", "").isalnum():
        raise ValueError(f"name must be letters, digits and underscores, such as 'cnn'; got {name!r}.")
    folder = pathlib.Path(folder)
    return {"saved_model": folder / f"{name}_saved_model", "litert_float": folder / f"{name}.tflite",
            "litert_int8": folder / f"{name}_int8.tflite"}


#: The saved models that ``python -m helpers.export`` exports, by their artifacts name.
EXPORTABLE = ("cnn", "hidden_layer")


def export_all(model: Any, name: str, folder: str | pathlib.Path) -> dict[str, pathlib.Path]:
    """Writes the SavedModel and both LiteRT files of ``model`` into ``folder``.

    Args:
        model: A trained Keras model.
        name: A short name such as ``"cnn"``.
        folder: The export folder; it is created if needed.

    Returns:
        The path of each form, as :func:`export_paths` gives them.

    Raises:
        ExportError: The folder cannot be written, or TensorFlow failed to convert the model.
    """
    targets = export_paths(name, folder)
    export_saved_model(model, targets["saved_model"])
    for form, int8_weights in (("litert_float", False), ("litert_int8", True)):
        convert_to_litert(targets["saved_model"], targets[form], int8_weights=int8_weights)
    return targets


def export_saved_model(model: Any, path: str | pathlib.Path) -> pathlib.Path:
    """Writes ``model`` as a SavedModel folder with a ``serve`` endpoint, replacing any earlier one.

    Args:
        model: A trained Keras model.
        path: The SavedModel folder to write.

    Returns:
        The folder written.

    Raises:
        ExportError: The folder cannot be written, or Keras could not export the model.
    """
    target = pathlib.Path(path)
    parent = _writable_parent(target)
    temporary = pathlib.Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.pid{os.getpid()}."))
    try:
        os.chmod(temporary, artifacts.new_folder_mode())
        with runtime.native_log() as log, contextlib.redirect_stdout(io.StringIO()), _tensorflow_log_level(logging.WARNING):
            # Keras prints the endpoint's signature ("Saved artifact at ..."), and TensorFlow logs "Assets written
            # to" (a temporary folder's name) at INFO, which a Jupyter kernel's root logger shows; the notebook
            # shows its own summary.
            try:
                model.export(str(temporary))
            except Exception as error:
                raise ExportError(f"Keras could not export the model to {target}: {error}. {_log_line(log)}".strip()) from None
        _replace_folder(temporary, target)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return target


def convert_to_litert(saved_model: str | pathlib.Path, path: str | pathlib.Path, int8_weights: bool = False) -> pathlib.Path:
    """Converts a SavedModel into a LiteRT file, with float32 or int8 weights.

    Args:
        saved_model: A SavedModel folder, such as :func:`export_saved_model` writes.
        path: The ``.tflite`` file to write; an earlier one is replaced.
        int8_weights: Store the weights of large enough layers as int8 (the converter's default
            optimisation), instead of float32.

    Returns:
        The file written.

    Raises:
        ExportError: The SavedModel is missing, or TensorFlow could not convert it.
    """
    saved_model, target = pathlib.Path(saved_model), pathlib.Path(path)
    if not (saved_model / "saved_model.pb").is_file():
        raise ExportError(f"{saved_model} is not a SavedModel folder (it has no saved_model.pb); export the model first.")
    if target.suffix != ".tflite":
        raise ValueError(f"A LiteRT file's name ends in .tflite; got {target.name!r}.")
    tensorflow = runtime.import_tensorflow()
    with runtime.native_log() as log:
        try:
            converter = tensorflow.lite.TFLiteConverter.from_saved_model(str(saved_model))
            if int8_weights:
                converter.optimizations = [tensorflow.lite.Optimize.DEFAULT]
            content = converter.convert()
        except Exception as error:
            raise ExportError(f"TensorFlow could not convert {saved_model} to LiteRT: {error}. {_log_line(log)}".strip()) from None
    _writable_parent(target)
    artifacts.write_bytes_atomic(target, content)
    return target


def interpreter_class() -> type:
    """The LiteRT interpreter to run ``.tflite`` files with.

    Returns:
        ``ai_edge_litert.interpreter.Interpreter`` where the ``ai-edge-litert`` package is installed
        (every machine it has wheels for); otherwise TensorFlow's ``tf.lite.Interpreter``, which runs
        the same files.
    """
    try:
        from ai_edge_litert import interpreter  # noqa: PLC0415 - loaded only when a LiteRT file is run.
    except ImportError:
        return runtime.import_tensorflow().lite.Interpreter
    return interpreter.Interpreter


def describe_interpreter() -> str:
    """One sentence: which interpreter :func:`open_litert` uses on this machine, and why."""
    interpreter = interpreter_class()
    if interpreter.__module__.startswith("ai_edge_litert"):
        from importlib import metadata  # noqa: PLC0415

        return f"LiteRT files run with ai_edge_litert's Interpreter (ai-edge-litert {metadata.version('ai-edge-litert')})."
    return ("LiteRT files run with TensorFlow's tf.lite.Interpreter: the ai-edge-litert package has no build for "
            "this machine, and TensorFlow's interpreter runs the same files.")


def open_litert(path: str | pathlib.Path) -> Any:
    """Opens a LiteRT file with :func:`interpreter_class`'s interpreter, ready to run.

    It does what ``Interpreter(model_path=path)`` and ``allocate_tensors()`` do, with two differences:
    a missing or unreadable file gets one line saying so, and the interpreter's start-up log
    (and ``tf.lite.Interpreter``'s deprecation warning) stays out of the notebook.

    Args:
        path: A ``.tflite`` file.

    Returns:
        The interpreter, its tensors allocated for one image at a time.

    Raises:
        ExportError: The file is missing or is not a LiteRT model.
    """
    path = pathlib.Path(path)
    if not path.is_file():
        raise ExportError(f"{path}: no such LiteRT file; python -m helpers.export writes one.")
    interpreter_type = interpreter_class()
    with runtime.native_log() as log, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*tf\.lite\.Interpreter is deprecated.*")
        try:
            interpreter = interpreter_type(model_path=str(path))
            interpreter.allocate_tensors()
        except (ValueError, RuntimeError) as error:
            first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
            raise ExportError(f"{path} is not a LiteRT model that can be run ({first_line}). {_log_line(log)}".strip()) from None
    return interpreter


def litert_predict(interpreter: Any, images: np.ndarray, batch_size: int = 1000) -> np.ndarray:
    """Runs a LiteRT interpreter on images, as ``model.predict`` does for Keras.

    A converted file takes one image at a time; the input is resized to a batch of up to
    ``batch_size`` images while they run (so that memory stays small), and back to one image
    afterwards.

    Args:
        interpreter: An interpreter from :func:`open_litert`.
        images: A float32 array of images in the model's input layout, such as (count, 28, 28, 1).
        batch_size: The most images run at once.

    Returns:
        The model's outputs, one row of ten per image.

    Raises:
        ValueError: ``images`` does not have the layout the model takes.
    """
    (inputs,), (outputs,) = interpreter.get_input_details(), interpreter.get_output_details()
    images = np.asarray(images, dtype=np.float32)
    expected = tuple(int(size) for size in inputs["shape"][1:])
    if images.ndim != len(expected) + 1 or images.shape[1:] != expected or len(images) == 0:
        raise ValueError(f"This LiteRT model takes images of shape (count, {', '.join(map(str, expected))}); "
                         f"got {images.shape}.")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a whole number of at least 1, got {batch_size!r}.")
    results = []
    with runtime.native_log():
        for start in range(0, len(images), batch_size):
            batch = images[start:start + batch_size]
            if tuple(interpreter.get_input_details()[0]["shape"]) != batch.shape:
                interpreter.resize_tensor_input(inputs["index"], list(batch.shape))
                interpreter.allocate_tensors()
            interpreter.set_tensor(inputs["index"], batch)
            interpreter.invoke()
            results.append(np.array(interpreter.get_tensor(outputs["index"])))
        if len(images) > 1:
            interpreter.resize_tensor_input(inputs["index"], [1, *expected])
            interpreter.allocate_tensors()
    return np.concatenate(results)


def quantized_weights(path: str | pathlib.Path) -> list[dict[str, Any]]:
    """The weights that a LiteRT file stores as int8, with their shapes and value counts.

    Args:
        path: A ``.tflite`` file.

    Returns:
        One dict per int8 tensor: ``name`` (TensorFlow's name for the operation, which names the
        layer), ``shape`` and ``values``; empty for a float32 file.
    """
    interpreter = open_litert(path)
    found = []
    for tensor in interpreter.get_tensor_details():
        if np.dtype(tensor["dtype"]) == np.int8:
            shape = tuple(int(size) for size in tensor["shape"])
            found.append({"name": tensor["name"], "shape": shape, "values": int(np.prod(shape))})
    return found


def size_on_disk(path: str | pathlib.Path) -> int:
    """The bytes a model takes on disk: a file's size, or the sum over a folder's files."""
    path = pathlib.Path(path)
    if path.is_dir():
        return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())
    return path.stat().st_size


def int8_tensor(path: str | pathlib.Path, shape: Sequence[int]) -> dict[str, Any]:
    """The whole numbers and scales of one weight tensor that a LiteRT file stores as int8.

    The converter stores a weight matrix with one row per output neuron (a Dense kernel of Keras's
    shape (784, 100) is stored as (100, 784)) and one scale per row: ``integers[row] * scales[row]``
    is what the file gives back for that neuron's weights.

    Args:
        path: A ``.tflite`` file with int8 weights.
        shape: The stored tensor's shape, as :func:`quantized_weights` lists it, such as (100, 784).

    Returns:
        ``name``, ``integers`` (an int8 array of that shape) and ``scales`` (one float per row).

    Raises:
        ExportError: The file holds no int8 tensor of that shape.
    """
    interpreter = open_litert(path)
    wanted = tuple(int(size) for size in shape)
    for tensor in interpreter.get_tensor_details():
        if np.dtype(tensor["dtype"]) == np.int8 and tuple(int(size) for size in tensor["shape"]) == wanted:
            quantization = tensor["quantization_parameters"]
            if int(quantization["quantized_dimension"]) != 0 or len(quantization["scales"]) != wanted[0]:
                raise ExportError(f"{path}: the int8 tensor {tensor['name']} does not have one scale per row.")
            return {"name": tensor["name"], "integers": np.array(interpreter.get_tensor(tensor["index"])),
                    "scales": np.array(quantization["scales"], dtype=np.float32)}
    found = ", ".join(str(item["shape"]) for item in quantized_weights(path)) or "none"
    raise ExportError(f"{path} stores no int8 tensor of shape {wanted}; its int8 tensors: {found}.")


def keras_file_size(model: Any) -> int:
    """The bytes of ``model`` saved as a ``.keras`` file (written to a temporary folder, then removed)."""
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "model.keras"
        model.save(path)
        return path.stat().st_size


def time_per_image(run: Callable[[np.ndarray], Any], images: np.ndarray, count: int = 100) -> float:
    """The median seconds that ``run`` takes for one image, over ``count`` images given one at a time.

    The first call is not counted: it is where TensorFlow traces and prepares a model.

    Args:
        run: A function that takes a batch of images, here a batch of one.
        images: Images in the model's input layout; the first ``count`` are used.
        count: How many images to time.

    Returns:
        The median time, in seconds.
    """
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= len(images):
        raise ValueError(f"count must be a whole number from 1 to {len(images)}, got {count!r}.")
    run(images[:1])
    seconds = []
    for index in range(count):
        start = time.perf_counter()
        run(images[index:index + 1])
        seconds.append(time.perf_counter() - start)
    return float(np.median(seconds))


#: The forms that :func:`compare_forms` measures, in its order, with the names the table shows.
FORM_NAMES = {"keras": "Keras (.keras file)", "saved_model": "SavedModel", "litert_float": "LiteRT, float32 weights",
              "litert_int8": "LiteRT, int8 weights"}


def compare_forms(model: Any, exported: dict[str, pathlib.Path], images: np.ndarray, labels: np.ndarray,
                  count: int = 100) -> list[dict[str, Any]]:
    """Test accuracy, size on disk and time per image of a Keras model and each of its exported forms.

    Args:
        model: The Keras model.
        exported: Its exported forms, as :func:`export_all` returns them.
        images: The test images, in the model's input layout, as float32.
        labels: Their labels.
        count: How many images to time, one at a time, per form.

    Returns:
        One dict per form of :data:`FORM_NAMES`: ``form``, ``accuracy``, ``bytes`` and ``seconds``
        (the median time per image). For Keras, the time is of ``model(image)``, not
        ``model.predict``, which prepares itself anew on every call.
    """
    from helpers import predict  # noqa: PLC0415 - predict imports this module.

    labels = np.asarray(labels)
    readers = {form: predict.Reader(exported[form]) for form in ("saved_model", "litert_float", "litert_int8")}

    def in_batches(run: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
        return lambda batch: np.concatenate([run(batch[start:start + 1000]) for start in range(0, len(batch), 1000)])

    runners = {
        "keras": (lambda batch: model.predict(batch, batch_size=1000, verbose=0), lambda batch: model(batch, training=False)),
        **{form: (in_batches(reader.run), reader.run) for form, reader in readers.items()},
    }
    sizes = {"keras": keras_file_size(model), **{form: size_on_disk(exported[form]) for form in FORMS}}
    rows = []
    for form, (predict_all, predict_one) in runners.items():
        accuracy = float(np.mean(np.argmax(predict_all(images), axis=1) == labels))
        rows.append({"form": form, "accuracy": accuracy, "bytes": sizes[form],
                     "seconds": time_per_image(predict_one, images, count)})
    return rows


def format_comparison(rows: Sequence[dict[str, Any]]) -> str:
    """A plain-text table of :func:`compare_forms`'s rows, with sizes in kB and times in milliseconds."""
    lines = [f"{'form':<26}{'test accuracy':>14}{'size (kB)':>11}{'ms per image':>14}"]
    for row in rows:
        lines.append(f"{FORM_NAMES[row['form']]:<26}{row['accuracy']:>14.4f}{row['bytes'] / 1000:>11.0f}"
                     f"{row['seconds'] * 1000:>14.2f}")
    return "\n".join(lines)


@contextlib.contextmanager
def _tensorflow_log_level(level: int) -> Iterator[None]:
    """Raises the ``tensorflow`` logger to ``level`` for the block, whatever the root logger's level is."""
    logger = logging.getLogger("tensorflow")
    saved = logger.level
    logger.setLevel(max(level, saved))
    try:
        yield
    finally:
        logger.setLevel(saved)


def _log_line(log: runtime.NativeLog) -> str:
    """The end of what TensorFlow logged, for an error message; empty when it logged nothing."""
    text = log.text()
    return f"TensorFlow's log: {text[-2000:]}" if text else ""


def _writable_parent(target: pathlib.Path) -> pathlib.Path:
    """Creates ``target``'s folder, or says in one line why it cannot be written."""
    from helpers import paths  # noqa: PLC0415

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"cannot create {target.parent} ({error.strerror}); give another artifacts_dir.") from None
    problem = paths.folder_write_problem(target.parent)
    if problem:
        raise ExportError(f"cannot write the export to {target.parent}: {problem}") from None
    return target.parent


def _replace_folder(new: pathlib.Path, target: pathlib.Path) -> None:
    """Puts the folder ``new`` at ``target``; an earlier ``target`` is moved aside first, then removed.

    A folder cannot be renamed over another one on Windows, so the old one goes first; between the
    two renames ``target`` is missing for an instant, never half-written.
    """
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old.pid{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        if old is not None:
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m helpers.export``: exports the saved models of an artifacts folder; returns the exit status.

    Exit status 0 when every model asked for was exported, 2 when one is missing, stale or could not
    be exported (one line each says which and what to do; the others are still exported).
    """
    parser = argparse.ArgumentParser(
        prog="python -m helpers.export",
        description="Exports the models that notebooks 06 and 09 saved (artifacts/) as a SavedModel, a LiteRT "
                    "file and a LiteRT file with int8 weights, into artifacts/exported/.")
    parser.add_argument("--artifacts-dir", metavar="DIR", default=None,
                        help="the artifacts folder the notebooks saved into (default: artifacts/ in the repository)")
    parser.add_argument("--model", choices=EXPORTABLE, action="append", default=None,
                        help="export only this model (may be repeated; default: both)")
    arguments = parser.parse_args(argv)
    from helpers import paths  # noqa: PLC0415

    folder = export_folder(arguments.artifacts_dir)
    status = 0
    for name in arguments.model or EXPORTABLE:
        try:
            model, _ = artifacts.load_model(name, arguments.artifacts_dir, made_by=artifacts.MADE_BY[name])
            written = export_all(model, name, folder)
        except (artifacts.ArtifactError, ExportError) as error:
            remedy = "" if "Run " in str(error) else f" Run {artifacts.MADE_BY[name]} to save it."
            print(f"python -m helpers.export: {name}: {error}{remedy}", file=sys.stderr)
            status = 2
            continue
        sizes = ", ".join(f"{paths.display_path(path)} ({size_on_disk(path) / 1000:.0f} kB)" for path in written.values())
        print(f"{name}: {sizes}")
    return status


if __name__ == "__main__":
    sys.exit(main())

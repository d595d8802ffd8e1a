"""Reads handwritten digits from image files with an exported model: ``python -m helpers.predict``.

Usage::

    python -m helpers.predict IMAGE [IMAGE ...] [--model PATH] [--json]

Each image (a photo or a scan of one handwritten digit, PNG or JPEG, any size, dark on light or
light on dark) is prepared the way MNIST's digits were, with :func:`helpers.handwriting.to_mnist`,
and read by the model; one line per image gives the digit and the model's probability for it. The
model is, by default, the CNN of notebook 09 as ``python -m helpers.export`` exports it, a LiteRT
file (``artifacts/exported/cnn.tflite``); ``--model`` takes another LiteRT file, a SavedModel folder or
a ``.keras`` file. A LiteRT file is run with the ``ai-edge-litert`` interpreter and needs no
TensorFlow, so the command answers in about a second; the other two forms load TensorFlow first.

An image that cannot be read (a missing file, a folder, a file that is not an image, a blank page)
gets one line on standard error naming the file and what is wrong; the other images are still read,
and the exit status is 2. ``--json`` prints one JSON list instead, an object per image.

Exit status: 0 when every image was read, 2 when an image or the model could not be read or an
argument is wrong.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

from helpers import artifacts, export, paths

EXIT_OK, EXIT_PROBLEM = 0, 2

#: What makes the models this command reads.
EXPORTING_COMMAND = ("notebook 14 (notebooks/14_use_your_model.ipynb), or python -m helpers.export after notebook 09 "
                     "has saved the CNN,")


class ModelError(Exception):
    """The model cannot be found or read; the message says what to do."""


class ImageError(Exception):
    """One image cannot be read as a digit; the message says why."""


class Reader:
    """An exported model, whatever its form, that reads batches of 28 x 28 digits.

    Attributes:
        path: The model's file or folder.
        input_shape: The shape of one image as the model takes it: (28, 28, 1) or (784,).
    """

    def __init__(self, path: str | pathlib.Path) -> None:
        self.path = pathlib.Path(path).expanduser()
        if self.path.suffix == ".tflite":
            self._open_litert()
        elif self.path.is_dir() or self.path.suffix == ".keras":
            self._open_tensorflow()
        elif not self.path.exists():
            raise ModelError(f"no model at {self.path}; give a .tflite file, a SavedModel folder or a .keras file.")
        else:
            raise ModelError(f"{self.path} is not a model this command reads: give a .tflite file, a SavedModel "
                             "folder or a .keras file.")

    def _open_litert(self) -> None:
        try:
            interpreter = export.open_litert(self.path)
        except export.ExportError as error:
            raise ModelError(str(error)) from None
        self.input_shape = tuple(int(size) for size in interpreter.get_input_details()[0]["shape"][1:])
        self._predict = lambda batch: export.litert_predict(interpreter, batch)

    def _open_tensorflow(self) -> None:
        if not self.path.exists():
            raise ModelError(f"no model at {self.path}.")
        from helpers import runtime  # noqa: PLC0415 - TensorFlow takes seconds to import; a LiteRT file needs none.

        tensorflow = runtime.import_tensorflow()
        if self.path.suffix == ".keras":
            import keras  # noqa: PLC0415

            try:
                model = keras.saving.load_model(self.path)
            except Exception as error:  # noqa: BLE001 - any failure to load is one line for the user.
                raise ModelError(f"{self.path} is not a Keras model that can be loaded ({type(error).__name__}).") from None
            self.input_shape = tuple(int(size) for size in model.input_shape[1:])
            self._predict = lambda batch: np.asarray(model(batch, training=False))
            return
        if not (self.path / "saved_model.pb").is_file():
            raise ModelError(f"{self.path} is a folder but not a SavedModel (it has no saved_model.pb).")
        try:
            loaded = tensorflow.saved_model.load(str(self.path))
            serve = loaded.signatures["serving_default"]
        except Exception as error:  # noqa: BLE001
            raise ModelError(f"{self.path} is not a SavedModel that can be loaded ({type(error).__name__}).") from None
        self._loaded = loaded  # Its functions use its variables, which live only as long as it does.
        (spec,) = serve.structured_input_signature[1].values()
        self.input_shape = tuple(int(size) for size in spec.shape[1:])
        self._predict = lambda batch: np.asarray(next(iter(serve(tensorflow.constant(batch)).values())))

    def run(self, batch: np.ndarray) -> np.ndarray:
        """The model's ten outputs for each of a float32 batch already in :attr:`input_shape`'s layout."""
        return self._predict(batch)

    def scores(self, digits: np.ndarray) -> np.ndarray:
        """The model's ten outputs for each of a batch of (28, 28) uint8 digits in MNIST's format."""
        batch = (np.asarray(digits, dtype=np.float32) / 255.0).reshape((len(digits), *self.input_shape))
        return self.run(batch)


def prepare(path: str | pathlib.Path) -> np.ndarray:
    """Reads an image file and turns it into one MNIST digit with ``to_mnist``.

    Args:
        path: A PNG or JPEG file of one handwritten digit.

    Returns:
        A (28, 28) uint8 digit.

    Raises:
        ImageError: The file is missing, a folder, not an image, or holds no digit.
    """
    from helpers import drawing, handwriting  # noqa: PLC0415 - Pillow is needed only once there is an image.

    path = pathlib.Path(path).expanduser()
    if path.is_dir():
        raise ImageError("is a folder, not an image; give the image files in it, for example folder/*.png.")
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise ImageError("no such file.") from None
    except OSError as error:
        raise ImageError(f"cannot be read ({error.strerror or type(error).__name__}).") from None
    if not content:
        raise ImageError("is empty (0 bytes), not an image.")
    try:
        picture = drawing.read_image(content)
    except ValueError as error:
        raise ImageError(str(error).removeprefix("the uploaded file ")) from None
    try:
        return handwriting.to_mnist(picture)
    except ValueError as error:
        raise ImageError(str(error)) from None


def read_digits(image_paths: Sequence[str], reader: Reader) -> list[dict[str, Any]]:
    """Reads each image with ``reader``: a result per image, in the order given.

    Args:
        image_paths: The image files.
        reader: The model.

    Returns:
        For each image, ``image`` and either ``error`` (why it could not be read) or ``digit``,
        ``probability`` (``None`` when the model's outputs are not probabilities, as with the
        sigmoid output of notebook 06's model), ``score`` (the model's output for that digit) and
        ``scores`` (all ten).
    """
    results: list[dict[str, Any]] = []
    prepared: list[tuple[int, np.ndarray]] = []
    for path in image_paths:
        try:
            prepared.append((len(results), prepare(path)))
            results.append({"image": path})
        except ImageError as error:
            results.append({"image": path, "error": str(error)})
    if prepared:
        scores = reader.scores(np.stack([digit for _, digit in prepared]))
        for (index, _), row in zip(prepared, scores, strict=True):
            digit = int(np.argmax(row))
            is_probability = bool(np.all(row >= 0) and abs(float(row.sum()) - 1.0) < 1e-3)
            results[index].update(digit=digit, probability=float(row[digit]) if is_probability else None,
                                  score=float(row[digit]), scores=[round(float(value), 6) for value in row])
    return results


def describe(result: dict[str, Any]) -> str:
    """One line for one image's result."""
    if "error" in result:
        return f"{result['image']}: {result['error']}"
    if result["probability"] is not None:
        return f"{result['image']}: {result['digit']} (probability {result['probability']:.3f})"
    return (f"{result['image']}: {result['digit']} (score {result['score']:.3f}; this model's scores are not "
            "probabilities)")


def default_model() -> pathlib.Path:
    """The model read when ``--model`` is not given: the CNN's float LiteRT file in ``artifacts/exported/``
    (in a read-only classroom install, this user's own export if there is one, else the shared one)."""
    candidates = [export.export_paths("cnn", folder / export.EXPORT_FOLDER_NAME)["litert_float"]
                  for folder in artifacts.reading_directories(None)]
    return next((path for path in candidates if path.is_file()), candidates[0])


def build_parser() -> argparse.ArgumentParser:
    """The command line's arguments."""
    default = paths.display_path(default_model())
    parser = argparse.ArgumentParser(
        prog="python -m helpers.predict",
        description="Reads the handwritten digit in each image (PNG or JPEG, a photo or a scan) with a model "
                    "exported by python -m helpers.export, and prints the digit and its probability.")
    parser.add_argument("images", nargs="+", metavar="IMAGE", help="image files, one digit each")
    parser.add_argument("--model", metavar="PATH", default=None,
                        help=f"a .tflite file, a SavedModel folder or a .keras file (default: {default}, "
                             "the CNN that python -m helpers.export writes)")
    parser.add_argument("--json", action="store_true", help="print one JSON list, an object per image")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit status."""
    arguments = build_parser().parse_args(argv)
    prefix = "python -m helpers.predict"
    if arguments.model is None:
        model_path = default_model()
        if not model_path.is_file():
            print(f"{prefix}: no exported model at {paths.display_path(model_path)}; run {EXPORTING_COMMAND} to "
                  "export one, or give --model PATH.", file=sys.stderr)
            return EXIT_PROBLEM
    else:
        model_path = pathlib.Path(arguments.model)
    try:
        reader = Reader(model_path)
    except ModelError as error:
        print(f"{prefix}: {error}", file=sys.stderr)
        return EXIT_PROBLEM
    results = read_digits(arguments.images, reader)
    for result in results:
        if "error" in result:
            print(f"{prefix}: {describe(result)}", file=sys.stderr)
    if arguments.json:
        print(json.dumps(results, indent=2))
    else:
        for result in results:
            if "error" not in result:
                print(describe(result))
    return EXIT_PROBLEM if any("error" in result for result in results) else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

"""Loading MNIST: the copy bundled with the course, any ``.npz`` of the same layout, or Keras.

:func:`load_mnist` returns exactly what ``keras.datasets.mnist.load_data()`` returns, without
importing TensorFlow, so a notebook that only looks at the data starts in about a second. Files are
read with ``allow_pickle=False`` and checked key by key, so a wrong or damaged file gives one error
that names the file and says what is wrong.
"""

from __future__ import annotations

import hashlib
import pathlib
import socket
import warnings
import zipfile

import numpy as np

from helpers import paths

#: The arrays an MNIST-layout ``.npz`` holds, in the order ``load_mnist`` returns them.
KEYS = ("x_train", "y_train", "x_test", "y_test")

#: Height and width of every image.
IMAGE_SHAPE = (28, 28)

#: The number of digit classes; labels run from 0 to NUM_CLASSES - 1.
NUM_CLASSES = 10

#: How long the Keras fallback waits for a network answer before giving up, in seconds.
DOWNLOAD_TIMEOUT_SECONDS = 30.0

Split = tuple[np.ndarray, np.ndarray]


class DataWarning(UserWarning):
    """Data in the MNIST layout that cannot teach what the course says: a class missing, too few
    images, or blank images. The notebooks still run."""


#: The first bytes of the files people mistake for an .npz archive, and what to say about each.
_FOREIGN_FORMATS = {
    b"\x1f\x8b": "gzip-compressed, not an .npz archive: decompress it (gunzip) first, or save the arrays "
                 "again with numpy.savez_compressed",
    b"\x93NUMPY": "a single .npy array, not an .npz archive of four: save x_train, y_train, x_test and "
                  "y_test together with numpy.savez",
}


class DataFileError(ValueError):
    """An MNIST file exists but cannot be used: not an npz, wrong layout or wrong checksum."""


def file_sha256(path: str | pathlib.Path) -> str:
    """Returns the SHA-256 hex digest of a file, read in blocks.

    Args:
        path: The file to hash.

    Returns:
        64 lower-case hex digits.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_mnist(path: str | pathlib.Path | None = None) -> tuple[Split, Split]:
    """Loads MNIST as ``(x_train, y_train), (x_test, y_test)``, like Keras does.

    Args:
        path: An ``.npz`` file with the arrays ``x_train``, ``y_train``, ``x_test`` and ``y_test``
            (uint8 images of 28 x 28 pixels, integer labels from 0 to 9). ``None`` reads the copy
            bundled in ``data/mnist.npz`` and checks its SHA-256; if that copy is missing, it asks
            Keras to download MNIST, which needs the internet.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes (count, 28, 28) and
        (count,); for MNIST (60000, 28, 28), (60000,), (10000, 28, 28) and (10000,).

    Raises:
        FileNotFoundError: ``path`` does not exist, or the bundled copy is missing and the download
            failed too.
        DataFileError: The file is not an npz archive, lacks a key, has a wrong dtype or shape,
            arrays whose lengths differ, labels outside 0-9, or (bundled copy) a wrong checksum.
    """
    if path is not None:
        return read_mnist_npz(path)
    bundled = paths.BUNDLED_MNIST_PATH
    if bundled.exists():
        return read_mnist_npz(bundled, expected_sha256=paths.BUNDLED_MNIST_SHA256)
    try:
        arrays = _download_with_keras()
    except Exception as error:  # Any failure of the download has the same two remedies.
        raise FileNotFoundError(
            f"The bundled MNIST file {bundled} is missing, and Keras could not download MNIST "
            f"either ({type(error).__name__}: {error}). Either restore the bundled copy "
            f"(`git checkout -- data/mnist.npz` in the repository, or copy an mnist.npz there), "
            "or connect to the internet so that keras.datasets.mnist.load_data() can download it."
        ) from error
    return _validated(arrays, source="the MNIST that Keras downloaded")


def read_mnist_npz(
    path: str | pathlib.Path, expected_sha256: str | None = None
) -> tuple[Split, Split]:
    """Reads and checks one MNIST-layout ``.npz`` file, never unpickling anything.

    Args:
        path: The file.
        expected_sha256: If given, the file's SHA-256 must equal it.

    Returns:
        ``(x_train, y_train), (x_test, y_test)`` as :func:`load_mnist` describes.

    Raises:
        FileNotFoundError: The file does not exist.
        DataFileError: Anything else wrong with the file; the message names the file.
    """
    path = pathlib.Path(path)
    if not path.exists():
        raise FileNotFoundError(
            f"MNIST file not found: {path}. Check the path, or pass data_path=None to use the "
            "copy bundled with the course."
        )
    if not path.is_file():
        raise DataFileError(f"{path} is a folder, not an .npz file.")
    try:
        with path.open("rb") as handle:
            start = handle.read(8)
    except OSError as error:
        raise DataFileError(
            f"{path} cannot be read ({error.strerror}). Check that your user may read it "
            f"(ls -l {path}), or copy it somewhere you can."
        ) from error
    for magic, advice in _FOREIGN_FORMATS.items():
        if start.startswith(magic):
            raise DataFileError(f"{path} is {advice}.")
    if not start.startswith(b"PK"):
        raise DataFileError(
            f"{path} is not an .npz archive (it starts with the bytes {start[:4]!r}, not a zip "
            "header). Save MNIST-layout data with numpy.savez or numpy.savez_compressed."
        )
    if expected_sha256 is not None:
        actual = file_sha256(path)
        if actual != expected_sha256:
            raise DataFileError(
                f"{path} is damaged or is not the file that ships with the course: its SHA-256 is "
                f"{actual}, expected {expected_sha256}. Restore it with "
                "`git checkout -- data/mnist.npz`."
            )
    arrays = {}
    try:
        loaded = np.load(path, allow_pickle=False)
        if not isinstance(loaded, np.lib.npyio.NpzFile):
            raise DataFileError(f"{path} holds a single array, not an .npz archive of four.")
        with loaded as archive:
            missing = [key for key in KEYS if key not in archive.files]
            if missing:
                raise DataFileError(
                    f"{path} lacks the array(s) {', '.join(missing)}. An MNIST-layout .npz holds "
                    f"{', '.join(KEYS)}; this one holds {', '.join(archive.files) or 'nothing'}."
                )
            for key in KEYS:
                arrays[key] = archive[key]
    except DataFileError:
        raise
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError) as error:
        raise DataFileError(
            f"{path} is not a readable .npz archive ({type(error).__name__}: {error}). "
            "Save MNIST-layout data with numpy.savez or numpy.savez_compressed."
        ) from error
    train = (arrays["x_train"], arrays["y_train"])
    test = (arrays["x_test"], arrays["y_test"])
    checked = _validated((train, test), source=str(path))
    if expected_sha256 is None:
        _warn_if_it_cannot_teach(checked, source=str(path))
    return checked


def _warn_if_it_cannot_teach(arrays: tuple[Split, Split], source: str) -> None:
    """Warns (:class:`DataWarning`) about valid data on which the course's lessons cannot work."""
    (x_train, y_train), (x_test, y_test) = arrays
    problems = []
    for split, images, labels in (("training", x_train, y_train), ("test", x_test, y_test)):
        missing = sorted(set(range(NUM_CLASSES)) - set(np.unique(labels).tolist()))
        if missing:
            problems.append(f"the {split} set has no images of the digit(s) {', '.join(map(str, missing))}")
        blank = int(np.count_nonzero(images.reshape(len(images), -1).max(axis=1) == 0))
        if blank == len(images):
            problems.append(f"every {split} image is blank")
        elif blank:
            problems.append(f"{blank:,} of the {len(images):,} {split} images are blank")
    if len(x_train) < 100:
        problems.append(f"it has only {len(x_train)} training images (the lessons need at least 100)")
    if problems:
        warnings.warn(
            f"{source}: {'; '.join(problems)}. The notebooks will run, but their models cannot learn "
            "what the text describes.",
            DataWarning,
            stacklevel=4,
        )


def _validated(arrays: tuple[Split, Split], source: str) -> tuple[Split, Split]:
    """Checks dtypes, shapes, lengths and label range; returns labels as uint8 like Keras."""
    (x_train, y_train), (x_test, y_test) = arrays
    checked = []
    for split, images, labels in (("train", x_train, y_train), ("test", x_test, y_test)):
        images = np.asarray(images)
        labels = np.asarray(labels)
        if images.dtype != np.uint8:
            raise DataFileError(
                f"{source}: x_{split} has dtype {images.dtype}; expected uint8 pixels from 0 to 255."
            )
        if images.ndim != 3 or images.shape[1:] != IMAGE_SHAPE:
            raise DataFileError(
                f"{source}: x_{split} has shape {images.shape}; expected (count, 28, 28)."
            )
        if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
            raise DataFileError(
                f"{source}: y_{split} has shape {labels.shape} and dtype {labels.dtype}; "
                "expected one integer label per image."
            )
        if len(labels) != len(images):
            raise DataFileError(
                f"{source}: x_{split} has {len(images)} images but y_{split} has "
                f"{len(labels)} labels; they must match."
            )
        if len(images) == 0:
            raise DataFileError(f"{source}: x_{split} holds no images.")
        low, high = int(labels.min()), int(labels.max())
        if low < 0 or high >= NUM_CLASSES:
            raise DataFileError(
                f"{source}: y_{split} has labels from {low} to {high}; expected digits 0 to 9."
            )
        checked.append((images, labels.astype(np.uint8, copy=False)))
    return checked[0], checked[1]


def _download_with_keras() -> tuple[Split, Split]:
    """Asks Keras for MNIST (its cache, else a download), with a network timeout."""
    from helpers import runtime  # noqa: PLC0415 - TensorFlow only loads on this fallback.

    runtime.import_tensorflow()
    import keras  # noqa: PLC0415

    previous_timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_SECONDS)
    try:
        return keras.datasets.mnist.load_data()
    finally:
        socket.setdefaulttimeout(previous_timeout)

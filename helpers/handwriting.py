"""MNIST's own preprocessing, for any image of one handwritten digit.

MNIST's digits were size-normalised to fit a 20 x 20 box, keeping their aspect ratio, with
anti-aliasing, then placed in a 28 x 28 image so that their centre of mass sits at its centre
(LeCun, Cortes and Burges, "The MNIST database of handwritten digits"). Measured on the bundled
training images, that centre is pixel (14.0, 14.0) of rows and columns numbered from 0.

:func:`to_mnist` does the same to a drawing, a photo or a scan: any size, greyscale or RGB(A),
uint8 or float, dark ink on light paper or light ink on dark. Pillow does the resampling (its
Lanczos filter widens with the reduction factor, so shrinking a large drawing is anti-aliased);
Pillow is already installed with matplotlib, and requirements.txt pins it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: The side of the box the digit is fitted into, and of the image it is placed in.
BOX_SIDE, IMAGE_SIDE = 20, 28

#: Where MNIST puts a digit's centre of mass: (row, column) in pixels from the top-left pixel.
CENTRE = (14.0, 14.0)

#: Ink fainter than this share of the darkest stroke counts as paper (noise, paper texture).
NOISE_FLOOR = 0.15

#: The least contrast between paper and ink, as a share of the full range, that counts as ink.
MINIMUM_CONTRAST = 0.1

#: The largest share of the picture that ink may cover and still be a digit on paper.
MAXIMUM_INK_SHARE = 0.6


def to_mnist(image: Any) -> np.ndarray:
    """Turns an image of one handwritten digit into a digit in MNIST's format.

    Args:
        image: A 2-D greyscale array, or an H x W x 3 (RGB) or H x W x 4 (RGBA) array; uint8 from
            0 to 255, or float from 0 to 1; of any size from 8 x 8; dark ink on light paper or
            light ink on dark (the paper's shade is read from the image's border). Transparent
            pixels of an RGBA image count as paper.

    Returns:
        A (28, 28) uint8 array like ``load_mnist``'s images: a white digit (up to 255) on black
        (0), fitted into 20 x 20 with its aspect ratio kept, its centre of mass at the centre.

    Raises:
        ValueError: The input is not an image array of that kind, or it holds no digit: it is
            blank, its contrast is too low, or "ink" covers most of it.
    """
    return steps(image)["mnist"]


def steps(image: Any) -> dict[str, np.ndarray]:
    """The stages of :func:`to_mnist`, for showing what each one does.

    Returns:
        ``"ink"`` (the ink map, any size), ``"cropped"`` (its bounding box), ``"fitted"`` (the
        box resized so that its longer side is 20 pixels) and ``"mnist"`` (the result), as floats
        from 0 to 1 except the last (uint8), plus ``"fitted_centre"``: the fitted digit's centre of
        mass as (row, column).
    """
    ink = ink_map(image)
    rows, columns = np.nonzero(ink)
    cropped = ink[rows.min():rows.max() + 1, columns.min():columns.max() + 1]
    fitted = _fit_into_box(cropped)
    return {"ink": ink, "cropped": cropped, "fitted": fitted, "fitted_centre": np.array(centre_of_mass(fitted)),
            "mnist": _centre_by_mass(fitted)}


def shrink_whole(image: Any) -> np.ndarray:
    """What a naive reader does: the whole picture shrunk to 28 x 28 and turned white on black.

    No cropping, no fitting into 20 x 20 and no centring: the digit keeps its place and its share
    of the picture. Returns a (28, 28) uint8 array like :func:`to_mnist`'s.
    """
    from PIL import Image

    ink = ink_map(image)
    small = Image.fromarray(ink.astype(np.float32), mode="F").resize((IMAGE_SIDE, IMAGE_SIDE), Image.Resampling.LANCZOS)
    return np.round(np.clip(np.asarray(small, dtype=np.float64), 0, 1) * 255).astype(np.uint8)


def sample_drawing(digit: np.ndarray, side: int = 280, scale: float = 4.0, top: int = 10, left: int = 150) -> np.ndarray:
    """An MNIST digit as a learner might draw it on a pad: enlarged, dark on white, off-centre.

    Args:
        digit: A (28, 28) uint8 MNIST image (white on black).
        side: The square pad's side in pixels.
        scale: How much larger than in MNIST the digit is drawn.
        top: The row of the enlarged image's top edge.
        left: The column of its left edge.

    Returns:
        A (side, side) uint8 array, 255 for paper and 0 for ink.

    Raises:
        ValueError: The digit is not 28 x 28, or does not fit on the pad where asked.
    """
    from PIL import Image

    digit = np.asarray(digit)
    if digit.shape != (IMAGE_SIDE, IMAGE_SIDE):
        raise ValueError(f"sample_drawing expects one 28 x 28 MNIST image, got shape {digit.shape}.")
    size = round(IMAGE_SIDE * scale)
    if scale <= 0 or top < 0 or left < 0 or top + size > side or left + size > side:
        raise ValueError(f"a digit scaled {scale} times ({size} pixels) at ({top}, {left}) does not fit on a "
                         f"{side} x {side} pad.")
    enlarged = Image.fromarray(digit.astype(np.uint8)).resize((size, size), Image.Resampling.BICUBIC)
    pad = np.full((side, side), 255, dtype=np.uint8)
    pad[top:top + size, left:left + size] = 255 - np.asarray(enlarged)
    return pad


def sample_drawings(images: np.ndarray, labels: np.ndarray) -> dict[str, np.ndarray]:
    """The first image of each digit, drawn as :func:`sample_drawing` does, named for a list to pick from.

    For the capstone's drop-down list of samples, which lets a learner have digits read without
    drawing them (from the keyboard, for example).

    Args:
        images: MNIST images of shape (count, 28, 28), white on black (the test set, say).
        labels: Their labels.

    Returns:
        Names such as ``"a 7 (test image 0)"`` to (280, 280) drawings, dark on white, digits 0 to 9
        in order; a digit that does not occur is left out.

    Raises:
        ValueError: The images are not (count, 28, 28), or the labels do not match them.
    """
    images, labels = np.asarray(images), np.asarray(labels).reshape(-1)
    if images.ndim != 3 or images.shape[1:] != (IMAGE_SIDE, IMAGE_SIDE) or len(images) != len(labels):
        raise ValueError(f"sample_drawings expects (count, 28, 28) images with one label each, got images of "
                         f"shape {images.shape} and {len(labels)} labels.")
    found = {}
    for digit in range(10):
        where = np.flatnonzero(labels == digit)
        if where.size:
            found[f"a {digit} (test image {int(where[0])})"] = sample_drawing(images[where[0]])
    return found


def ink_map(image: Any) -> np.ndarray:
    """The image as ink from 0 (paper) to 1 (the darkest stroke), whatever its polarity.

    Raises:
        ValueError: See :func:`to_mnist`.
    """
    grey = _as_grey(image)
    border = np.concatenate([grey[0], grey[-1], grey[1:-1, 0], grey[1:-1, -1]])
    paper = float(np.median(border))
    ink = 1 - grey if paper > 0.5 else grey  # Light paper: dark ink; dark paper: light ink.
    paper_ink = 1 - paper if paper > 0.5 else paper
    contrast = float(ink.max()) - paper_ink
    if contrast <= 0:
        raise ValueError("to_mnist found no ink: the image is blank, one shade throughout.")
    if contrast < MINIMUM_CONTRAST:
        raise ValueError(
            f"to_mnist found no ink: the strongest stroke differs from the paper by only {contrast:.0%} of "
            f"the full range (at least {MINIMUM_CONTRAST:.0%} is needed). Is the digit too faint?"
        )
    ink = np.clip((ink - paper_ink) / contrast, 0, 1)
    ink[ink < NOISE_FLOOR] = 0
    share = float(np.mean(ink > 0))
    if share > MAXIMUM_INK_SHARE:
        raise ValueError(
            f"to_mnist found ink over {share:.0%} of the image, which is not a digit on plain paper. "
            "Crop the image to the digit and its paper, with the paper all round it."
        )
    if np.count_nonzero(ink) < 4:
        raise ValueError("to_mnist found only a speck of ink (fewer than 4 pixels); draw or photograph a whole digit.")
    return ink


def _as_grey(image: Any) -> np.ndarray:
    """A float64 greyscale image from 0 (black) to 1 (white)."""
    if isinstance(image, (str, bytes)) or not hasattr(image, "__array__") and not isinstance(image, (list, tuple)):
        raise ValueError(f"to_mnist expects an image as a NumPy array, got {type(image).__name__}.")
    array = np.asarray(image)
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise ValueError(f"to_mnist expects an array of pixel values, got dtype {array.dtype}.")
    if not (array.ndim == 2 or (array.ndim == 3 and array.shape[2] in (3, 4))):
        raise ValueError(
            f"to_mnist expects a 2-D greyscale image or an H x W x 3 / x 4 RGB(A) image, got shape {array.shape}."
        )
    if min(array.shape[:2]) < 8:
        raise ValueError(f"to_mnist expects an image of at least 8 x 8 pixels, got {array.shape[0]} x {array.shape[1]}.")
    array = _shrunk(array)
    if array.dtype == bool:
        values = array.astype(np.float64)
    elif np.issubdtype(array.dtype, np.floating):
        if not np.all(np.isfinite(array)):
            bad = int(np.count_nonzero(~np.isfinite(array)))
            raise ValueError(f"to_mnist expects pixel values that are numbers; {bad:,} of these {array.size:,} are NaN or "
                             "infinite.")
        if array.min() < 0 or array.max() > 1:
            raise ValueError(
                f"to_mnist expects float pixels from 0 to 1; these run from {np.nanmin(array):g} to {np.nanmax(array):g}. "
                "Divide 0-255 values by 255, or pass them as uint8."
            )
        values = array.astype(np.float64)
    else:
        if array.min() < 0 or array.max() > 255:
            raise ValueError(f"to_mnist expects integer pixels from 0 to 255; these run from {array.min()} to {array.max()}.")
        values = array.astype(np.float64) / 255
    if values.ndim == 2:
        return values
    colour, alpha = values[..., :3], values[..., 3] if values.shape[2] == 4 else None
    grey = colour @ np.array([0.299, 0.587, 0.114])  # ITU-R 601 luma, as Pillow's "L" mode uses.
    if alpha is not None and alpha.min() < alpha.max():
        # Transparent pixels are paper: lay the image on paper of the shade opposite to its ink.
        opaque = alpha > 0.5
        ink_shade = float(np.mean(grey[opaque])) if opaque.any() else 0.0
        paper = 1.0 if ink_shade < 0.5 else 0.0
        grey = alpha * grey + (1 - alpha) * paper
    return grey


#: The longest side an image is shrunk to before it becomes floating-point pixels (see drawing.MAXIMUM_SIDE).
MAXIMUM_SIDE = 2000


def _shrunk(array: np.ndarray) -> np.ndarray:
    """An 8-bit image larger than MAXIMUM_SIDE a side, shrunk with Pillow (averaging), else as it is.

    A 12,000 x 12,000 RGB photo is 432 MB as uint8 and 3.5 GB as float64; shrinking it first keeps
    to_mnist's memory to a few tens of MB. A digit ends up 20 pixels high, so nothing it needs is lost.
    """
    from PIL import Image

    if max(array.shape[:2]) <= MAXIMUM_SIDE or array.dtype != np.uint8:
        return array
    picture = Image.fromarray(array)
    picture.thumbnail((MAXIMUM_SIDE, MAXIMUM_SIDE), Image.Resampling.BOX)
    return np.asarray(picture)


def _fit_into_box(digit: np.ndarray) -> np.ndarray:
    """The digit resized with Pillow so that its longer side is BOX_SIDE, keeping its aspect ratio."""
    from PIL import Image

    height, width = digit.shape
    scale = BOX_SIDE / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    resized = Image.fromarray(digit.astype(np.float32), mode="F").resize(size, Image.Resampling.LANCZOS)
    return np.clip(np.asarray(resized, dtype=np.float64), 0, 1)


def _centre_by_mass(digit: np.ndarray) -> np.ndarray:
    """The digit placed in a 28 x 28 image so that its centre of mass is at CENTRE, as uint8."""
    centre_row, centre_column = centre_of_mass(digit)
    top = int(np.clip(round(CENTRE[0] - centre_row), 0, IMAGE_SIDE - digit.shape[0]))
    left = int(np.clip(round(CENTRE[1] - centre_column), 0, IMAGE_SIDE - digit.shape[1]))
    placed = np.zeros((IMAGE_SIDE, IMAGE_SIDE))
    placed[top:top + digit.shape[0], left:left + digit.shape[1]] = digit
    return np.round(placed * 255).astype(np.uint8)


def centres_of_mass(images: np.ndarray) -> np.ndarray:
    """The centre of mass (row, column) of each image of a (count, height, width) array, shape (count, 2)."""
    images = np.asarray(images, dtype=np.float64)
    if images.ndim != 3:
        raise ValueError(f"centres_of_mass expects images of shape (count, height, width), got {images.shape}.")
    rows, columns = np.indices(images.shape[1:])
    mass = images.sum(axis=(1, 2))
    if np.any(mass == 0):
        raise ValueError("centres_of_mass: a blank image has no centre of mass.")
    return np.stack([(images * rows).sum(axis=(1, 2)), (images * columns).sum(axis=(1, 2))], axis=1) / mass[:, None]


def centre_of_mass(digit: np.ndarray) -> tuple[float, float]:
    """The ink-weighted mean (row, column) of one 2-D image."""
    row, column = centres_of_mass(digit[np.newaxis])[0]
    return float(row), float(column)

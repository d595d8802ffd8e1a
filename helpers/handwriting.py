"""MNIST's own preprocessing, for any image of one handwritten digit.

MNIST's digits were size-normalised to fit a 20 x 20 box, keeping their aspect ratio, with
anti-aliasing, then placed in a 28 x 28 image so that their centre of mass sits at its centre
(LeCun, Cortes and Burges, "The MNIST database of handwritten digits"). Measured on the bundled
training images, that centre is pixel (14.0, 14.0) of rows and columns numbered from 0.

:func:`to_mnist` does the same to a drawing, a photo or a scan: any size, greyscale or RGB(A),
uint8 or float, dark ink on light paper or light ink on dark. Pillow does the resampling (its
Lanczos filter widens with the reduction factor, so shrinking a large drawing is anti-aliased);
Pillow is already installed with matplotlib, and requirements.txt pins it. SciPy's ``ndimage`` does
the image morphology that a scanner's preparation needs (the opening that finds the paper's shade,
the labelling of connected blobs, the round dilation that restores thin strokes): compiled, tested
code where hand-written NumPy was slower (labelling alone took two thirds of the time) and could only
dilate with square windows.
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

#: The darkest paper, as a share of full light, whose ink is brightened to match the ink on well-lit paper;
#: anything darker (a desk, a deep shadow) is brightened only as much, so that its grain stays faint.
DARKEST_PAPER = 0.6

#: The highest threshold the digit's blobs are found with. Otsu's level splits ink from paper, but on a
#: clean drawing it splits the strokes' cores from their soft edges instead, and a stroke a little
#: fainter than the rest (in a shadow's edge) then falls out of the digit.
BLOB_THRESHOLD_CAP = 0.5

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
    cropped = _with_strokes_restored(ink[rows.min():rows.max() + 1, columns.min():columns.max() + 1])
    fitted = _fit_into_box(cropped)
    return {"ink": ink, "cropped": cropped, "fitted": fitted, "fitted_centre": np.array(centre_of_mass(fitted)),
            "mnist": _centre_by_mass(fitted)}


#: How wide MNIST's strokes are, as a share of the digit's longer side: about 2 to 3 pixels of its 20.
STROKE_SHARE = 0.12


def _with_strokes_restored(cropped: np.ndarray) -> np.ndarray:
    """The cropped digit with strokes thickened to MNIST's width where they are much thinner.

    A thin pen on a large photo gives strokes that shrinking to 20 pixels would average away to a
    faint grey; MNIST's are 2 to 3 pixels wide there. The width is estimated as twice the ink's area
    over the length of its outline, and every pixel within the missing half-width of the ink becomes
    ink: a round pen's dilation, from SciPy's Euclidean distance transform, with a one-pixel soft edge.
    """
    from scipy import ndimage

    mask = cropped > 0
    outline = (np.count_nonzero(mask[1:] != mask[:-1]) + np.count_nonzero(mask[:, 1:] != mask[:, :-1]))
    width = 2 * np.count_nonzero(mask) / max(outline, 1)
    target = STROKE_SHARE * max(cropped.shape)
    if width >= 0.6 * target:
        return cropped
    radius = (target - width) / 2
    padded = np.pad(cropped, int(np.ceil(radius)) + 1)
    distance = ndimage.distance_transform_edt(padded <= 0)  # from each pixel to the nearest ink
    return np.maximum(padded, np.clip(radius + 0.5 - distance, 0, 1))


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


#: The side, in pixels, of the small copy on which the paper's shade and the digit's parts are found.
WORKING_SIDE = 192

#: The width of the window, as a share of the working copy's side, within which the paper's shade is
#: taken as even: wider than any pen stroke, narrower than a shadow or the fall of the light.
PAPER_WINDOW = 0.25

#: The narrowest that window gets, in pixels, so that the strokes of a small image (MNIST's own 28 x 28)
#: are never taken for paper.
PAPER_WINDOW_MINIMUM = 15

#: A part of the ink (a connected blob) smaller than this share of the largest is a speck, not the digit's.
SPECK_SHARE = 0.08

#: Ink whose largest connected piece holds less than this share of it is noise, not pen strokes.
NOISE_PIECE_SHARE = 0.02

#: What to_mnist says of a picture whose ink is spread over it rather than one digit.
NO_SINGLE_DIGIT = ("to_mnist found no single digit: the ink is spread over the picture (noise, text or a pattern). "
                   "Photograph one digit on plain paper.")

#: The most parts (blobs larger than specks) a handwritten digit is taken to have: a stroke may break
#: where the pen skipped, but noise or text makes dozens.
MAXIMUM_PARTS = 12


def ink_map(image: Any) -> np.ndarray:
    """The image as ink from 0 (paper) to 1 (the darkest stroke), whatever its polarity and lighting.

    The steps, as a document scanner takes them:

    1. *Polarity.* The paper is the shade most of the image has (its median): light paper means
       dark ink.
    2. *The paper's own shade, place by place.* A morphological opening (the darkest, then the
       lightest, value within a window wider than a stroke) of a small copy of the image keeps
       shadows, falling light and a desk around the sheet, but not the pen's strokes. What stands
       above it, less the paper's grain (under :data:`NOISE_FLOOR` of the strongest stroke), is then
       divided by the light on the paper round it (at least :data:`DARKEST_PAPER`), so a stroke in
       a shadow is as strong as one in the light.
    3. *Ink from paper by a threshold chosen from the image* (Otsu's: the level that best splits the
       image's values into two groups), never below :data:`NOISE_FLOOR` of the strongest stroke and
       never above :data:`BLOB_THRESHOLD_CAP`. Ink in thousands of specks, none holding
       :data:`NOISE_PIECE_SHARE` of it, is noise: refused.
    4. *The digit, not the specks or the page's edge.* On a copy at most :data:`WORKING_SIDE` pixels a
       side, in which a block is ink when the strokes, widened by a block, fill most of it (so a thin
       pen's line stays whole), of the connected blobs of ink, one that touches
       the frame's edge is the page or the desk (unless nothing inside is half its size: a digit
       cropped tightly), and one smaller than :data:`SPECK_SHARE` of the largest is a speck; the rest
       are the digit. Ink found only along the frame's edge is refused, and so is an image where
       those parts are more than :data:`MAXIMUM_PARTS`, hold less than half of the ink, or whose
       largest holds under a quarter of it (pure noise, a page of text): it has no single digit.

    Raises:
        ValueError: See :func:`to_mnist`.
    """
    grey = _as_grey(image)
    paper = float(np.median(grey))
    raw = 1 - grey if paper > 0.5 else grey  # Light paper: dark ink; dark paper: light ink.
    contrast = float(raw.max()) - float(np.median(raw))
    if contrast <= 0:
        raise ValueError("to_mnist found no ink: the image is blank, one shade throughout.")
    if contrast < MINIMUM_CONTRAST:
        raise ValueError(
            f"to_mnist found no ink: the strongest stroke differs from the paper by only {contrast:.0%} of "
            f"the full range (at least {MINIMUM_CONTRAST:.0%} is needed). Is the digit too faint?"
        )
    shade, light = _paper_shade(raw)
    ink = np.clip(raw - shade, 0, 1)
    ink[ink < NOISE_FLOOR * float(ink.max())] = 0  # the paper's grain, and the desk's
    # Light multiplies: where the paper gets half the light, the ink's contrast halves too. So what is
    # left is measured against the light on the paper round it (a photographer's flat-field correction).
    ink = ink / np.maximum(light, DARKEST_PAPER)
    ink = ink / max(float(ink.max()), 1e-12)
    ink[ink < NOISE_FLOOR] = 0
    share = float(np.mean(ink > 0))
    if share > MAXIMUM_INK_SHARE:
        raise ValueError(
            f"to_mnist found ink over {share:.0%} of the image, which is not a digit on plain paper. "
            "Crop the image to the digit and its paper, with the paper all round it."
        )
    if np.count_nonzero(ink) < 4:
        if np.count_nonzero(raw - np.median(raw) > MINIMUM_CONTRAST) >= 4:
            raise ValueError("to_mnist found no pen strokes: the dark parts are too broad to be strokes (a blot, a "
                             "shadow, or a photo of something else).")
        raise ValueError("to_mnist found only a speck of ink (fewer than 4 pixels); draw or photograph a whole digit.")
    return _digit_only(ink, min(BLOB_THRESHOLD_CAP, max(NOISE_FLOOR, _otsu_threshold(ink))))


def _working_copy(values: np.ndarray) -> np.ndarray:
    """``values`` (0 to 1) shrunk with Pillow so that the longer side is at most WORKING_SIDE."""
    from PIL import Image

    height, width = values.shape
    scale = min(1.0, WORKING_SIDE / max(height, width))
    if scale == 1.0:
        return values
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return np.asarray(Image.fromarray(values.astype(np.float32), mode="F").resize(size, Image.Resampling.BOX),
                      dtype=np.float64)


def _to_size(values: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """A working copy brought back to ``shape`` (bilinear)."""
    from PIL import Image

    if values.shape == shape:
        return values
    return np.asarray(Image.fromarray(values.astype(np.float32), mode="F").resize((shape[1], shape[0]),
                      Image.Resampling.BILINEAR), dtype=np.float64)


def _paper_shade(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The paper's own shade at each pixel of ``raw`` (ink high), and the light falling there.

    The shade is an opening wider than any stroke (the darkest, then the lightest, value within the
    window): it keeps shadows, falling light and a desk, and drops the strokes. The light is the
    lightest value within the window (the first half of the opening), from 0 (dark) to 1 (full light):
    a band of desk narrower than the window counts as lit by the paper beside it, not as dark paper.
    """
    from scipy import ndimage

    small = _working_copy(raw)
    size = max(PAPER_WINDOW_MINIMUM, int(round(max(small.shape) * PAPER_WINDOW))) | 1
    lightest = ndimage.grey_erosion(small, size=(size, size), mode="nearest")
    shade = ndimage.grey_dilation(lightest, size=(size, size), mode="nearest")
    return _to_size(shade, raw.shape), 1 - _to_size(lightest, raw.shape)


def _otsu_threshold(ink: np.ndarray) -> float:
    """Otsu's threshold of the values above 0: the level that best splits them into two groups."""
    values = ink[ink > 0]
    if values.size < 2:
        return 0.0
    counts, edges = np.histogram(values, bins=64, range=(0.0, 1.0))
    centres = (edges[:-1] + edges[1:]) / 2
    weight_low = np.cumsum(counts)
    weight_high = weight_low[-1] - weight_low
    sum_low = np.cumsum(counts * centres)
    mean_low = sum_low / np.maximum(weight_low, 1)
    mean_high = (sum_low[-1] - sum_low) / np.maximum(weight_high, 1)
    between = weight_low * weight_high * (mean_low - mean_high) ** 2
    return float(edges[1:][int(np.argmax(between))])


def _pooled(values: np.ndarray, factor: int, reduce: Any) -> np.ndarray:
    """``values`` in blocks of ``factor`` x ``factor`` pixels, each block reduced to one (``np.mean``, ``np.sum``)."""
    height, width = values.shape
    padded = np.pad(values, ((0, -height % factor), (0, -width % factor)))
    return reduce(padded.reshape(padded.shape[0] // factor, factor, padded.shape[1] // factor, factor), axis=(1, 3))


def _digit_only(ink: np.ndarray, threshold: float) -> np.ndarray:
    """``ink`` without the blobs that are not the digit (see :func:`ink_map`, step 4).

    The blobs are those of the ink above ``threshold``, found on a working copy at most
    WORKING_SIDE pixels a side in which a block is ink when the strokes, widened by a block, fill
    most of it (so that a thin pen's line on a large photo stays a line); the digit keeps its fainter
    edges around them.
    """
    from scipy import ndimage

    square = np.ones((3, 3), dtype=bool)
    above = ink > threshold
    # Noise is thousands of specks, none of them much of the ink; a digit's strokes hang together.
    pieces = np.bincount(ndimage.label(above, square)[0].ravel())[1:]
    if pieces.size > MAXIMUM_PARTS and pieces.max() < NOISE_PIECE_SHARE * pieces.sum():
        raise ValueError(NO_SINGLE_DIGIT)
    factor = max(1, -(-max(ink.shape) // WORKING_SIDE))
    # Each stroke widened by a block first, so that a thin pen's line fills the blocks it crosses.
    grown = ndimage.binary_dilation(above, np.ones((factor, factor), dtype=bool)) if factor > 1 else above
    strong, mass = _pooled(grown, factor, np.mean) > 0.5, _pooled(ink, factor, np.sum)
    if np.mean(strong) > MAXIMUM_INK_SHARE:
        raise ValueError(NO_SINGLE_DIGIT)
    # Blobs a working pixel apart are one: a stroke may break where the pen skipped. SciPy labels the
    # 8-connected blobs (each pixel's eight neighbours count as touching).
    labels, count = ndimage.label(ndimage.binary_dilation(strong, square), square)
    if count == 0:
        raise ValueError("to_mnist found only faint ink, no pen strokes; draw or photograph the digit darker.")
    names, sizes = np.unique(labels[labels > 0], return_counts=True)
    masses = np.asarray(ndimage.sum_labels(mass, labels, names))
    edge = set(np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))) - {0}
    inside = [index for index, name in enumerate(names) if name not in edge]
    # The page's edge or a strip of desk touches the frame; the digit, photographed with paper round it, does
    # not. But a digit cropped tightly touches it too: so blobs at the edge count only when nothing inside
    # is at least half as large.
    if not inside or max(sizes[index] for index in inside) < 0.5 * sizes.max():
        inside = list(range(len(names)))
    largest = max(sizes[index] for index in inside)
    kept = [names[index] for index in inside if sizes[index] >= SPECK_SHARE * largest]
    band = max(1, round(0.05 * max(strong.shape)))
    interior = np.zeros(strong.shape, dtype=bool)
    interior[band:-band, band:-band] = True
    kept_mask = np.isin(labels, kept) & strong
    if np.count_nonzero(kept_mask & interior) < 0.1 * np.count_nonzero(kept_mask):
        raise ValueError("to_mnist found ink only along the picture's edge (a frame, or the page's edge), no digit. "
                         "Photograph the digit with plain paper all round it.")
    kept_mass = masses[[index for index, name in enumerate(names) if name in kept]].sum()
    largest_mass = max(masses[index] for index, name in enumerate(names) if name in kept)
    if len(kept) > MAXIMUM_PARTS or kept_mass < 0.5 * masses.sum() or largest_mass < 0.25 * masses.sum():
        raise ValueError(NO_SINGLE_DIGIT)
    around = ndimage.binary_dilation(np.isin(labels, kept), square)  # and a working pixel round them
    keep = np.repeat(np.repeat(around, factor, axis=0), factor, axis=1)[:ink.shape[0], :ink.shape[1]]
    return np.where(keep, ink, 0.0)


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

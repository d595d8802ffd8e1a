"""Deterministic geometric changes of digit images: shifts and rotations, in NumPy.

Notebook 11 measures what data augmentation buys on digits that are moved or turned. The test set
for that is made here, from MNIST's own test images, with a seeded NumPy generator and no
TensorFlow, so the same seed gives the same images on every machine and in every version.
"""

from __future__ import annotations

import numpy as np


def _checked_images(images: np.ndarray) -> np.ndarray:
    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError(f"Expected images of shape (count, height, width), got shape {images.shape}.")
    return images


def transform_images(images: np.ndarray, angles_degrees: np.ndarray, shifts: np.ndarray) -> np.ndarray:
    """Rotates each image about its centre, then shifts it, with bilinear interpolation.

    Pixels that come from outside the image are blank (0).

    Args:
        images: Shape (count, height, width), any numeric dtype.
        angles_degrees: One angle per image, counter-clockwise, in degrees.
        shifts: Shape (count, 2): rows down and columns right, in pixels (may be fractional).

    Returns:
        An array of the same shape and dtype as ``images`` (rounded for integer dtypes).

    Raises:
        ValueError: The shapes do not line up.
    """
    images = _checked_images(images)
    count, height, width = images.shape
    angles = np.asarray(angles_degrees, dtype=np.float64)
    shifts = np.asarray(shifts, dtype=np.float64)
    if angles.shape != (count,) or shifts.shape != (count, 2):
        raise ValueError(
            f"Expected {count} angles and shifts of shape ({count}, 2), got {angles.shape} and {shifts.shape}."
        )
    # In blocks of images small enough for the processor's cache: the same pixels, and about four
    # times as fast on 10,000 digits as all of them at once (benchmarks/transforms.py).
    return np.concatenate([
        _transform_block(images[start:start + _BLOCK], angles[start:start + _BLOCK], shifts[start:start + _BLOCK])
        for start in range(0, count, _BLOCK)
    ]) if count else images.copy()


#: Images per block in transform_images.
_BLOCK = 256


def _transform_block(images: np.ndarray, angles: np.ndarray, shifts: np.ndarray) -> np.ndarray:
    """transform_images on checked arguments: angles in degrees of shape (count,), shifts (count, 2)."""
    count, height, width = images.shape
    rows, columns = np.meshgrid(np.arange(height, dtype=np.float64), np.arange(width, dtype=np.float64),
                                indexing="ij")
    centre_row, centre_column = (height - 1) / 2, (width - 1) / 2
    radians = np.deg2rad(angles)[:, None, None]
    # For every output pixel, find where it comes from in the input: undo the shift, then the turn.
    row_offset = rows[None] - shifts[:, 0, None, None] - centre_row
    column_offset = columns[None] - shifts[:, 1, None, None] - centre_column
    source_row = np.cos(radians) * row_offset + np.sin(radians) * column_offset + centre_row
    source_column = -np.sin(radians) * row_offset + np.cos(radians) * column_offset + centre_column
    top = np.floor(source_row).astype(np.int64)
    left = np.floor(source_column).astype(np.int64)
    down = source_row - top
    right = source_column - left
    # The images with a blank border, as one flat array: a pixel is read at one index, not three.
    padded_width = width + 2
    flat = np.pad(images.astype(np.float64), ((0, 0), (1, 1), (1, 1))).reshape(-1)
    first = (np.arange(count) * (height + 2) * padded_width)[:, None, None]

    def pixel(row: np.ndarray, column: np.ndarray) -> np.ndarray:
        inside = (row >= -1) & (row <= height) & (column >= -1) & (column <= width)
        index = first + np.clip(row + 1, 0, height + 1) * padded_width + np.clip(column + 1, 0, width + 1)
        return np.where(inside, flat.take(index), 0.0)

    result = ((1 - down) * (1 - right) * pixel(top, left) + (1 - down) * right * pixel(top, left + 1)
              + down * (1 - right) * pixel(top + 1, left) + down * right * pixel(top + 1, left + 1))
    if np.issubdtype(images.dtype, np.integer):
        info = np.iinfo(images.dtype)
        return np.clip(np.rint(result), info.min, info.max).astype(images.dtype)
    return result.astype(images.dtype)


def perturbed_test_set(
    images: np.ndarray,
    labels: np.ndarray,
    seed: int = 0,
    max_rotation_degrees: float = 20.0,
    max_shift_pixels: float = 4.0,
) -> tuple[np.ndarray, np.ndarray]:
    """A moved-and-turned copy of a test set: each image rotated and shifted by random amounts.

    Each image gets an angle drawn uniformly from ±``max_rotation_degrees`` and a shift of up to
    ``max_shift_pixels`` in each direction, from ``numpy.random.default_rng(seed)``.

    Args:
        images: Test images of shape (count, height, width).
        labels: Their labels, returned unchanged (as a copy).
        seed: The generator's seed; the same seed gives the same images.
        max_rotation_degrees: The largest turn, in degrees (0 to 180).
        max_shift_pixels: The largest move along each axis, in pixels (0 or more).

    Returns:
        ``(images, labels)``: the perturbed images, same shape and dtype, and the labels.

    Raises:
        ValueError: Bad shapes or limits.
    """
    images = _checked_images(images)
    labels = np.asarray(labels)
    if labels.shape != (len(images),):
        raise ValueError(f"Expected one label per image ({len(images)}), got shape {labels.shape}.")
    if not 0 <= max_rotation_degrees <= 180 or max_shift_pixels < 0:
        raise ValueError(
            "max_rotation_degrees must lie in [0, 180] and max_shift_pixels be 0 or more, got "
            f"{max_rotation_degrees!r} and {max_shift_pixels!r}."
        )
    generator = np.random.default_rng(seed)
    angles = generator.uniform(-max_rotation_degrees, max_rotation_degrees, len(images))
    shifts = generator.uniform(-max_shift_pixels, max_shift_pixels, (len(images), 2))
    return transform_images(images, angles, shifts), labels.copy()

"""Preprocessing as the original script does it: pixels divided by 255, images flattened to 784.

Each function checks what it is given, because re-running a notebook cell is the most common way to
scale data twice, and a model trained on pixels divided by 255 twice still runs, only badly.
"""

from __future__ import annotations

import numpy as np

#: The largest value of an 8-bit pixel.
MAX_PIXEL_VALUE = 255.0


def scale_pixels(images: np.ndarray) -> np.ndarray:
    """Divides 8-bit pixel values by 255, giving float32 values in [0, 1].

    Args:
        images: A uint8 array of any shape, as ``load_mnist`` returns it.

    Returns:
        A new float32 array of the same shape with values in [0, 1].

    Raises:
        ValueError: The array is not uint8, for example because it was scaled already.
    """
    images = np.asarray(images)
    if images.dtype != np.uint8:
        hint = ""
        if np.issubdtype(images.dtype, np.floating) and images.size and float(images.max()) <= 1.0:
            hint = (
                " Its values already lie in [0, 1], so it looks scaled already: was the cell run "
                "twice? Run the notebook from the top (Kernel > Restart and Run All)."
            )
        raise ValueError(
            f"scale_pixels expects uint8 pixels from 0 to 255, got dtype {images.dtype}.{hint}"
        )
    return images.astype(np.float32) / np.float32(MAX_PIXEL_VALUE)


def flatten_images(images: np.ndarray) -> np.ndarray:
    """Turns each height x width image into one row of height * width values.

    Args:
        images: An array of shape (count, height, width), for MNIST (count, 28, 28).

    Returns:
        A view of shape (count, height * width), for MNIST (count, 784).

    Raises:
        ValueError: The array does not have three dimensions (it may be flattened already).
    """
    images = np.asarray(images)
    if images.ndim != 3:
        hint = " It looks flattened already: was the cell run twice?" if images.ndim == 2 else ""
        raise ValueError(
            "flatten_images expects images of shape (count, height, width), "
            f"got shape {images.shape}.{hint}"
        )
    return images.reshape(images.shape[0], images.shape[1] * images.shape[2])


def preprocess(images: np.ndarray) -> np.ndarray:
    """Scales and flattens, the two steps of the original script, in one call.

    Args:
        images: A uint8 array of shape (count, height, width).

    Returns:
        A float32 array of shape (count, height * width) with values in [0, 1].

    Raises:
        ValueError: As :func:`scale_pixels` and :func:`flatten_images`.
    """
    return flatten_images(scale_pixels(images))

"""helpers.preprocessing: the original's divide-by-255 and flatten, with their checks."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import preprocessing


def test_scale_pixels_divides_by_255_into_float32():
    images = np.array([[[0, 51], [255, 128]]], dtype=np.uint8)
    scaled = preprocessing.scale_pixels(images)
    assert scaled.dtype == np.float32
    np.testing.assert_allclose(scaled, [[[0.0, 0.2], [1.0, 128 / 255]]], rtol=1e-6)
    assert images.dtype == np.uint8  # The input is left alone.


def test_scaling_twice_is_caught_with_a_hint():
    scaled = preprocessing.scale_pixels(np.full((2, 28, 28), 255, dtype=np.uint8))
    with pytest.raises(ValueError, match=r"got dtype float32\. .*scaled already: was the cell run twice"):
        preprocessing.scale_pixels(scaled)


def test_other_dtypes_are_refused():
    with pytest.raises(ValueError, match="expects uint8 pixels from 0 to 255, got dtype int64.$"):
        preprocessing.scale_pixels(np.full((1, 28, 28), 300, dtype=np.int64))


def test_flatten_images_makes_rows_of_784_in_row_major_order():
    images = np.arange(2 * 28 * 28).reshape(2, 28, 28)
    flat = preprocessing.flatten_images(images)
    assert flat.shape == (2, 784)
    assert flat[1, 28] == images[1, 1, 0]


def test_flattening_twice_is_caught():
    with pytest.raises(ValueError, match=r"got shape \(2, 784\)\. It looks flattened already"):
        preprocessing.flatten_images(np.zeros((2, 784)))


def test_preprocess_gives_what_the_models_take():
    images = np.random.default_rng(0).integers(0, 256, (5, 28, 28), dtype=np.uint8)
    result = preprocessing.preprocess(images)
    assert result.shape == (5, 784) and result.dtype == np.float32
    assert 0.0 <= result.min() and result.max() <= 1.0
    np.testing.assert_allclose(result[3], images[3].ravel() / 255.0, rtol=1e-6)

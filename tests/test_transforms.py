"""helpers.transforms: exact shifts and turns, and a moved test set that is the same for a seed."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import transforms


def _dot(row: int, column: int, size: int = 7) -> np.ndarray:
    image = np.zeros((1, size, size), dtype=np.uint8)
    image[0, row, column] = 200
    return image


def test_zero_angle_and_shift_leave_images_unchanged():
    images = np.random.default_rng(0).integers(0, 256, (4, 28, 28), dtype=np.uint8)
    np.testing.assert_array_equal(transforms.transform_images(images, np.zeros(4), np.zeros((4, 2))), images)


def test_a_shift_moves_pixels_down_and_right():
    moved = transforms.transform_images(_dot(3, 3), [0], [[2, -1]])
    assert np.argwhere(moved[0]).tolist() == [[5, 2]]
    assert moved[0, 5, 2] == 200


@pytest.mark.parametrize(("angle", "expected"), [(90, [1, 3]), (-90, [5, 3]), (180, [3, 1])])
def test_positive_angles_turn_counter_clockwise(angle, expected):
    # The dot sits two pixels right of the centre (3, 3).
    turned = transforms.transform_images(_dot(3, 5), [angle], [[0, 0]])
    assert np.argwhere(turned[0] > 150).tolist() == [expected]


def test_pixels_moved_out_of_the_frame_are_lost_and_the_border_fills_blank():
    moved = transforms.transform_images(_dot(3, 6), [0], [[0, 3]])
    assert moved.sum() == 0


def test_float_images_keep_their_dtype():
    images = np.random.default_rng(1).random((2, 28, 28)).astype(np.float32)
    assert transforms.transform_images(images, [10, -10], np.ones((2, 2))).dtype == np.float32


def test_the_moved_test_set_is_the_same_for_a_seed_and_differs_for_another():
    images = np.random.default_rng(2).integers(0, 256, (20, 28, 28), dtype=np.uint8)
    labels = np.arange(20) % 10
    first, first_labels = transforms.perturbed_test_set(images, labels, seed=0)
    second, _ = transforms.perturbed_test_set(images, labels, seed=0)
    other, _ = transforms.perturbed_test_set(images, labels, seed=1)
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first, other)
    assert first.shape == images.shape and first.dtype == np.uint8
    np.testing.assert_array_equal(first_labels, labels)
    assert not np.array_equal(first, images)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: transforms.transform_images(np.zeros((2, 28, 28)), [0], np.zeros((2, 2))), r"Expected 2 angles"),
        (lambda: transforms.perturbed_test_set(np.zeros((2, 784)), [0, 1]), r"shape \(count, height, width\)"),
        (lambda: transforms.perturbed_test_set(np.zeros((2, 28, 28)), [0]), "one label per image"),
        (lambda: transforms.perturbed_test_set(np.zeros((1, 28, 28)), [0], max_rotation_degrees=200), r"\[0, 180\]"),
    ],
)
def test_bad_input_is_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()

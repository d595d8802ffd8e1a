"""The exercises of notebook 01 (loading the data): class balance, selecting by label, border pixels."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.exercises.core import Exercise, Wrong, as_array, as_integer, as_number, within_rounding


def _labels(labels: Any) -> np.ndarray:
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.size == 0 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be a 1-D array of digit labels such as y_train; got shape {labels.shape}, "
                         f"dtype {labels.dtype}.")
    return labels


def _images(images: Any) -> np.ndarray:
    images = np.asarray(images)
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise ValueError(f"images must be MNIST images of shape (count, 28, 28) such as x_train; got shape {images.shape}.")
    return images


# Exercise 1: the rarest digit and its share of the training set.

def _expect_rarest(labels: Any) -> dict[str, Any]:
    counts = np.bincount(_labels(labels), minlength=10)
    rarest = int(np.argmin(counts))
    return {"counts": counts, "digit": rarest, "share": counts[rarest] / counts.sum()}


def _judge_rarest(digit: Any, share: Any, expected: dict[str, Any]) -> str:
    counts = expected["counts"]
    digit = as_integer(digit, "rarest_digit")
    if not 0 <= digit <= 9:
        raise Wrong(f"rarest_digit should be a digit from 0 to 9; it is {digit}.")
    if digit == int(np.argmax(counts)):
        raise Wrong(f"{digit} is the most common digit ({counts[digit]:,} images): the rarest has the smallest "
                    f"count, which np.argmin finds.")
    if digit != expected["digit"]:
        raise Wrong(f"{digit} has {counts[digit]:,} training images, but another digit has fewer.")
    share = as_number(share, "rarest_share")
    if abs(share - expected["share"] * 100) < 0.01:
        raise Wrong(f"rarest_share is {share:g}, a percentage: give it as a fraction between 0 and 1.")
    if abs(share - counts[digit]) < 0.5:
        raise Wrong(f"rarest_share is {share:g}, the count itself: divide it by the number of training labels.")
    if not within_rounding(share, expected["share"]):
        raise Wrong(f"rarest_share is {share:g}, but {digit}'s count over the number of training labels "
                    f"is not that: did you divide by len(y_train)?")
    return (f"{digit} is the rarest digit, with {counts[digit]:,} of {counts.sum():,} training images "
            f"({expected['share']:.2%}), {10 - expected['share'] * 100:.2f} points short of a balanced 10%.")


exercise_1 = Exercise(
    "01", 1,
    hint="np.bincount(y_train, minlength=10) counts each digit; np.argmin gives the position of the smallest count.",
    answers=("rarest_digit", "rarest_share"),
    expect=_expect_rarest, judge=_judge_rarest,
    describe=lambda expected: f"rarest_digit = {expected['digit']}, rarest_share = {expected['share']:.5f}",
)


# Exercise 2: the first 16 sevens, selected with a boolean mask.

def _expect_sevens(images: Any, labels: Any) -> np.ndarray:
    images, labels = _images(images), _labels(labels)
    if len(images) != len(labels):
        raise ValueError(f"images and labels must be the same length; got {len(images)} and {len(labels)}.")
    return images[labels == 7][:16]


def _judge_sevens(first_sevens: Any, expected: np.ndarray) -> str:
    first_sevens = as_array(first_sevens, "first_sevens")
    if first_sevens.shape[1:] != (28, 28):
        raise Wrong(f"first_sevens has shape {first_sevens.shape}; 16 images of 28 x 28 have shape (16, 28, 28).")
    if len(first_sevens) != len(expected):
        raise Wrong(f"first_sevens holds {len(first_sevens)} images, not {len(expected)}. Select the sevens first "
                    f"(x_train[y_train == 7]), then take the first 16 of them ([:16]).")
    if not np.array_equal(first_sevens, expected):
        raise Wrong("these are not the first 16 sevens of the training set: select them with the mask "
                    "y_train == 7, in the order they come.")
    return "these are the first 16 sevens. The mask y_train == 7 picks the images whose label is 7, in order."


exercise_2 = Exercise(
    "01", 2,
    hint="y_train == 7 is an array of True and False, one per image; x_train[mask] keeps the images where it is True.",
    answers=("first_sevens",),
    expect=_expect_sevens, judge=_judge_sevens,
    describe=lambda expected: f"first_sevens = the {len(expected)} images x_train[y_train == 7][:16], shape {expected.shape}",
)


# Exercise 3: the share of border pixels that are inked in at least one training image.

def _border_mask() -> np.ndarray:
    border = np.zeros((28, 28), dtype=bool)
    border[0, :] = border[-1, :] = border[:, 0] = border[:, -1] = True
    return border


def _expect_border(images: Any) -> dict[str, float]:
    images = _images(images)
    ever_inked = (images > 0).any(axis=0)
    border = _border_mask()
    rows_and_columns = np.concatenate([ever_inked[0], ever_inked[-1], ever_inked[:, 0], ever_inked[:, -1]])
    return {
        "share": float(ever_inked[border].mean()),
        "corners_twice": float(rows_and_columns.mean()),
        "per_image": float((images[:, border] > 0).mean()),
        "whole_image": float(ever_inked.mean()),
        "pixels": int(border.sum()),
    }


def _judge_border(border_share: Any, expected: dict[str, float]) -> str:
    share = as_number(border_share, "border_share")
    if 1 < share <= 100 and abs(share / 100 - expected["share"]) < 1e-3:
        raise Wrong(f"border_share is {share:g}, a percentage: give it as a fraction between 0 and 1.")
    if within_rounding(share, expected["share"]):
        return (f"{share:.1%} of the {expected['pixels']} border pixels are inked in at least one training image; "
                f"the other {1 - share:.1%} are blank in every training image.")
    if abs(share - expected["corners_twice"]) < 1e-4:
        raise Wrong("the four corners are counted twice: rows 0 and 27 and columns 0 and 27 share them. The border "
                    f"has {expected['pixels']} pixels, not 112; a 28 x 28 mask of the border counts each once.")
    if abs(share - expected["per_image"]) < 1e-4:
        raise Wrong("that is how often a border pixel is inked in an average image. The question asks which border "
                    "pixels are inked in at least one image: (x_train > 0).any(axis=0) first, then the border.")
    if abs(share - expected["whole_image"]) < 1e-4:
        raise Wrong("that is the share for all 784 pixels; the question is about the border pixels only.")
    raise Wrong(f"border_share is {share:g}. The border has {expected['pixels']} pixels (rows 0 and 27, columns 0 and "
                "27); the answer is the share of them that are above 0 in at least one training image.")


exercise_3 = Exercise(
    "01", 3,
    hint="(x_train > 0).any(axis=0) is a 28 x 28 map of the pixels inked in at least one image. Make a 28 x 28 "
         "mask that is True on the border, and take the mean of the map where the mask is True.",
    answers=("border_share",),
    expect=_expect_border, judge=_judge_border,
    describe=lambda expected: f"border_share = {expected['share']:.4f} (of {expected['pixels']} border pixels)",
)

#: The notebook's exercises, in order.
EXERCISES = (exercise_1, exercise_2, exercise_3)

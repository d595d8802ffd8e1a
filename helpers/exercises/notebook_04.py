"""The exercises of notebook 04 (training in batches): the pixels no step moves, counting steps."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from helpers.exercises.core import Exercise, Wrong, as_array, as_integer


# Exercise 1: the pixels that are blank in every training image, whose weights no step moves.

def _expect_blank(images: Any) -> np.ndarray:
    images = np.asarray(images)
    if images.ndim != 2 or images.shape[1] != 784:
        raise ValueError(f"images must be flattened images of shape (count, 784) such as x_train_flat; got {images.shape}.")
    return np.all(images == 0, axis=0)


def _judge_blank(blank_everywhere: Any, expected: np.ndarray) -> str:
    if np.ndim(blank_everywhere) == 0 and not isinstance(blank_everywhere, (bool, np.bool_)):
        raise Wrong("blank_everywhere should be a mask of 784 True/False values, one per pixel, not a single number.")
    mask = as_array(blank_everywhere, "blank_everywhere")
    if mask.ndim == 1 and len(mask) != 784:
        raise Wrong(f"blank_everywhere has {len(mask)} values, one per image: use axis=0 to get one per pixel.")
    mask = as_array(mask, "blank_everywhere", (784,))
    if mask.dtype != bool:
        raise Wrong(f"blank_everywhere holds {mask.dtype} values; it should be True or False for each pixel.")
    if np.array_equal(mask, expected):
        return (f"{expected.sum()} of the 784 pixels are blank in every training image; their gradient, "
                "x times (p - one-hot), is 0 in every step, so their weights stay exactly where they started.")
    if expected.sum() and mask.sum() > expected.sum() and np.all(mask[expected]):
        raise Wrong(f"blank_everywhere marks {mask.sum()} pixels, more than are blank in every image: np.any marks a "
                    "pixel blank in at least one image; use np.all.")
    raise Wrong(f"blank_everywhere marks {mask.sum()} pixels; a pixel belongs in it when it is 0 in every training "
                "image: np.all(x_train_flat == 0, axis=0).")


exercise_1 = Exercise(
    "04", 1,
    hint="x_train_flat == 0 is True where a pixel is blank; np.all(..., axis=0) asks, for each of the 784 pixels, "
         "whether that holds in every image.",
    answers=("blank_everywhere",),
    expect=_expect_blank, judge=_judge_blank,
    describe=lambda expected: f"blank_everywhere = np.all(x_train_flat == 0, axis=0): {expected.sum()} True of 784",
)


# Exercise 2: how many gradient steps a training run takes.

def _expect_steps(images: Any, batch_size: Any, epochs: Any) -> dict[str, int]:
    count, batch_size, epochs = len(images), int(batch_size), int(epochs)
    if count < 1 or batch_size < 1 or epochs < 1:
        raise ValueError(f"images, batch_size and epochs must be positive; got {count}, {batch_size}, {epochs}.")
    per_epoch = math.ceil(count / batch_size)
    return {"count": count, "batch_size": batch_size, "epochs": epochs, "per_epoch": per_epoch,
            "steps": per_epoch * epochs}


def _judge_steps(total_steps: Any, expected: dict[str, int]) -> str:
    steps = as_integer(total_steps, "total_steps")
    count, batch_size, epochs, per_epoch = (expected[key] for key in ("count", "batch_size", "epochs", "per_epoch"))
    if steps == expected["steps"]:
        return (f"{count:,} images in batches of {batch_size} make {per_epoch:,} steps an epoch (a last, smaller "
                f"batch counts as a step too), and {epochs} epochs make {steps:,} steps: one per point of the loss curve.")
    if steps == per_epoch:
        raise Wrong(f"{steps:,} is one epoch's steps; the loop goes over the images {epochs} times.")
    if steps == count * epochs or steps == count:
        raise Wrong(f"{steps:,} counts images, not steps: each step takes a whole batch of {batch_size} images.")
    if steps == (count // batch_size) * epochs and count % batch_size:
        raise Wrong("the last batch of each epoch is smaller, but it is still a step: round up, not down.")
    raise Wrong(f"{steps:,} is not it: divide the {count:,} images into batches of {batch_size}, then count the epochs.")


exercise_2 = Exercise(
    "04", 2,
    hint="Each step takes one batch. How many batches of batch_size fit in the training images (round up), and how "
         "many times does the loop go over them?",
    answers=("total_steps",),
    expect=_expect_steps, judge=_judge_steps,
    describe=lambda expected: f"total_steps = {expected['epochs']} x ceil({expected['count']} / {expected['batch_size']}) = {expected['steps']}",
)

#: The notebook's exercises, in order.
EXERCISES = (exercise_1, exercise_2)

"""The exercises of notebook 00 (the original script): counting the first model's weights, reading the matrix."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.exercises.core import Exercise, Wrong, as_integer
from helpers.exercises.notebook_05 import dense_layers, judge_parameter_count


# Exercise 1: the first model's weights and biases.

exercise_1 = Exercise(
    "00", 1,
    hint="The first model's one layer has 10 neurons, and each looks at all 784 pixels with a weight per pixel. "
         "Each neuron also adds one number of its own, a bias.",
    answers=("first_model_numbers",),
    expect=dense_layers,
    judge=lambda answer, expected: judge_parameter_count(answer, expected, name="first_model_numbers"),
    describe=lambda layers: f"first_model_numbers = {sum(inputs * units + units for inputs, units in layers):,}",
)


# Exercise 2: how many test digits the second model read right, from the confusion matrix.

def _expect_right(confusion: Any) -> dict[str, int]:
    matrix = np.asarray(confusion)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"confusion must be a square confusion matrix such as cm; got shape {matrix.shape}.")
    return {"right": int(np.trace(matrix)), "total": int(matrix.sum()), "largest_wrong": int((matrix - np.diag(np.diag(matrix))).max())}


def _judge_right(digits_read_right: Any, expected: dict[str, int]) -> str:
    answer = as_integer(digits_read_right, "digits_read_right")
    right, total = expected["right"], expected["total"]
    if answer == right:
        return (f"the diagonal holds the digits whose prediction equals their label: {right:,} of {total:,}, "
                f"that is {right / total:.1%}, the test accuracy.")
    if answer == total:
        raise Wrong(f"{answer:,} counts every test digit; only the diagonal (true digit = predicted digit) is right.")
    if answer == total - right:
        raise Wrong(f"{answer:,} is the digits read wrong: everything off the diagonal.")
    raise Wrong(f"{answer:,} is not it: add up the diagonal of the matrix (np.trace does it).")


exercise_2 = Exercise(
    "00", 2,
    hint="Row i, column j of the matrix counts the digits i that the model read as j. Which cells count right "
         "answers? np.trace adds up a matrix's diagonal.",
    answers=("digits_read_right",),
    expect=_expect_right, judge=_judge_right,
    describe=lambda expected: f"digits_read_right = np.trace(cm) = {expected['right']:,}",
)

#: The notebook's exercises, in order.
EXERCISES = (exercise_1, exercise_2)

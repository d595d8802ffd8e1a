"""The exercises of notebook 13 (draw your own digit): the centre of mass, centring by hand, size."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers import handwriting
from helpers.exercises.core import Exercise, Wrong, as_array, as_number, call_function


def _digit(digit: Any) -> np.ndarray:
    digit = np.asarray(digit)
    if digit.shape != (28, 28) or not digit.any():
        raise ValueError(f"digit must be one 28 x 28 image with some ink, such as prepared; got shape {digit.shape}.")
    return digit.astype(np.float64)


# Exercise 1: a function that finds a digit's centre of mass.

def _expect_centre(digit: Any) -> dict[str, Any]:
    digit = _digit(digit)
    rows, columns = np.nonzero(digit)
    return {"digit": digit, "centre": handwriting.centre_of_mass(digit), "unweighted": (float(rows.mean()), float(columns.mean()))}


def _judge_centre(function: Any, expected: dict[str, Any]) -> str:
    values = as_array(call_function(function, "centre_of_mass", expected["digit"].copy()), "centre_of_mass(digit)")
    if values.shape != (2,):
        raise Wrong(f"centre_of_mass should return two numbers, (row, column); it returned shape {values.shape}.")
    row, column = (as_number(value, "each value centre_of_mass returns") for value in values)
    target = expected["centre"]
    if abs(row - target[0]) < 1e-3 and abs(column - target[1]) < 1e-3:
        return (f"({row:.2f}, {column:.2f}) for the prepared digit: within a pixel of (14, 14), where to_mnist put "
                "it; placing the digit on whole pixels keeps it from being exact.")
    if abs(row - target[1]) < 1e-3 and abs(column - target[0]) < 1e-3:
        raise Wrong("row and column are swapped: the row number goes first.")
    if abs(row - expected["unweighted"][0]) < 1e-3 and abs(column - expected["unweighted"][1]) < 1e-3:
        raise Wrong("that is the mean position of the inked pixels, each counted once. Weight each pixel by its ink "
                    "(its value), so that faint edges count less than strong strokes.")
    raise Wrong(f"({row:.2f}, {column:.2f}) is not it: sum row number x ink over all pixels and divide by the sum of ink; "
                "likewise for the column.")


exercise_1 = Exercise(
    "13", 1,
    hint="rows, columns = np.indices(digit.shape) gives each pixel's row and column number. The centre's row is "
         "(rows * ink).sum() / ink.sum(), with ink = digit.astype(float).",
    answers=("centre_of_mass",),
    expect=_expect_centre, judge=_judge_centre,
    describe=lambda expected: (f"centre_of_mass(prepared) = ({expected['centre'][0]:.2f}, "
                               f"{expected['centre'][1]:.2f})"),
)


# Exercise 2: the naive digit moved by whole pixels so that its centre of mass is near (14, 14).

def _expect_recentred(digit: Any) -> dict[str, Any]:
    digit = _digit(digit)
    row, column = handwriting.centre_of_mass(digit)
    shift = (round(14 - row), round(14 - column))
    return {"digit": digit, "shift": shift, "recentred": np.roll(digit, shift, axis=(0, 1))}


def _judge_recentred(recentred: Any, expected: dict[str, Any]) -> str:
    moved = as_array(recentred, "recentred", (28, 28)).astype(np.float64)
    digit, (down, right) = expected["digit"], expected["shift"]
    if np.array_equal(moved, expected["recentred"]):
        row, column = handwriting.centre_of_mass(moved)
        vertical = f"{abs(down)} rows {'down' if down >= 0 else 'up'}"
        horizontal = f"{abs(right)} columns {'right' if right >= 0 else 'left'}"
        return (f"moved {vertical} and {horizontal}, its centre of mass is at ({row:.2f}, {column:.2f}). It is in "
                "the right place now, but still small: exercise 3 asks what that costs.")
    if np.array_equal(moved, np.roll(digit, (-down, -right), axis=(0, 1))):
        raise Wrong("it moved the wrong way: the shift is 14 minus the centre, not the centre minus 14.")
    if np.array_equal(moved, np.roll(digit, (right, down), axis=(0, 1))):
        raise Wrong("the row and column shifts are swapped: axis 0 is rows, axis 1 columns.")
    if moved.sum() and max(abs(a - 14) for a in handwriting.centre_of_mass(moved)) <= 0.5 + 1e-9:
        return "its centre of mass is within half a pixel of (14, 14) in both directions."
    raise Wrong(f"recentred is not naive moved by whole pixels to put its centre of mass near (14, 14); the shift "
                f"is ({down}, {right}).")


exercise_2 = Exercise(
    "13", 2,
    hint="With your centre_of_mass(naive) = (row, column), the shift is round(14 - row) rows and round(14 - column) "
         "columns, and np.roll(naive, (rows, columns), axis=(0, 1)) moves it.",
    answers=("recentred",),
    expect=_expect_recentred, judge=_judge_recentred,
    describe=lambda expected: f"recentred = np.roll(naive, {expected['shift']}, axis=(0, 1))",
)

# Exercise 3 is a question to think about: which model minds the size more?
exercise_3 = Exercise(
    "13", 3,
    hint="Think of how each model uses a weight: the hidden layer's for one pixel, the CNN's filter everywhere.",
)

#: The notebook's exercises, in order.
EXERCISES = (exercise_1, exercise_2, exercise_3)

"""The exercises of notebook 11 (data augmentation): moving a digit, reading the shift curve, too much."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from helpers.exercises.core import Exercise, Wrong, as_array, as_integer


# Exercise 1: a digit moved 3 pixels to the right with np.roll.

def _expect_moved(image: Any) -> dict[str, np.ndarray]:
    image = np.asarray(image)
    if image.shape != (28, 28):
        raise ValueError(f"image must be one 28 x 28 image such as x_test[0]; got shape {image.shape}.")
    return {"image": image, "moved": np.roll(image, 3, axis=1)}


def _judge_moved(moved_right: Any, expected: dict[str, np.ndarray]) -> str:
    moved = as_array(moved_right, "moved_right", (28, 28))
    image = expected["image"]
    if np.array_equal(moved, expected["moved"]):
        wrapped = "only blank border" if not image[:, -3:].any() else "part of the digit"
        return (f"the digit moved 3 pixels right. np.roll wraps what falls off the right edge round to the left; "
                f"here that is {wrapped}.")
    if np.array_equal(moved, np.roll(image, 3, axis=0)):
        raise Wrong("the digit moved down: axis 0 runs down the rows, axis 1 across the columns (right).")
    if np.array_equal(moved, np.roll(image, -3, axis=1)):
        raise Wrong("the digit moved left: a positive shift moves it right.")
    if np.array_equal(moved, np.roll(image, 3)):
        raise Wrong("without an axis, np.roll shifts the flattened image, which moves each row's end to the next "
                    "row: give axis=1.")
    raise Wrong("moved_right is not x_test[0] moved 3 pixels right: np.roll(x_test[0], 3, axis=1).")


exercise_1 = Exercise(
    "11", 1,
    hint="np.roll(image, shift, axis=...) moves an array's values along one axis. In an image, axis 0 is the row "
         "(down) and axis 1 the column (right).",
    answers=("moved_right",),
    expect=_expect_moved, judge=_judge_moved,
    describe=lambda expected: "moved_right = np.roll(x_test[0], 3, axis=1)",
)


# Exercise 2: the first shift at which the network without augmentation falls below 90%.

def _expect_first_below(shifts: Sequence[int], accuracies: Sequence[float]) -> dict[str, Any]:
    shifts, accuracies = list(shifts), [float(value) for value in accuracies]
    if len(shifts) != len(accuracies) or not shifts:
        raise ValueError(f"shifts and accuracies must be lists of the same length; got {len(shifts)} and {len(accuracies)}.")
    below = [index for index, accuracy in enumerate(accuracies) if accuracy < 0.9]
    index = below[0] if below else None
    last_above = max((i for i, accuracy in enumerate(accuracies) if accuracy >= 0.9 and (index is None or i < index)),
                     default=None)
    return {"shift": shifts[index] if index is not None else None, "index": index, "shifts": shifts,
            "accuracies": accuracies, "last_above": shifts[last_above] if last_above is not None else None}


def _judge_first_below(first_shift_below_90: Any, expected: dict[str, Any]) -> str:
    if expected["shift"] is None:
        if first_shift_below_90 is None:
            return "in this run the accuracy never falls below 90%, so None is right."
        raise Wrong("in this run the accuracy never falls below 90%: the answer is None.")
    shift = as_integer(first_shift_below_90, "first_shift_below_90")
    if shift == expected["shift"]:
        accuracy = expected["accuracies"][expected["index"]]
        return f"moved {shift} pixels right, the network without augmentation reads only {accuracy:.1%} of the digits."
    if shift == expected["index"] and expected["index"] != expected["shift"]:
        raise Wrong("that is the position in the list; give the shift itself in pixels (shifts[index]).")
    if shift == expected["last_above"]:
        raise Wrong(f"at {shift} pixels the accuracy is still at least 90%; the question asks for the first shift below.")
    raise Wrong("go along shifts and by_shift['without augmentation'] together and stop at the first accuracy below 0.9.")


exercise_2 = Exercise(
    "11", 2,
    hint="zip(shifts, by_shift['without augmentation']) pairs each shift with its accuracy; take the first pair "
         "whose accuracy is below 0.9.",
    answers=("first_shift_below_90",),
    expect=_expect_first_below, judge=_judge_first_below,
    describe=lambda expected: f"first_shift_below_90 = {expected['shift']}",
)

# Exercise 3 is a question to think about: augmentation that is too strong.
exercise_3 = Exercise(
    "11", 3,
    hint="RandomRotation(0.5) turns images by up to half a turn either way. Which digits look like other digits "
         "when turned upside down, and what label do they keep?",
)

#: The notebook's exercises, in order.
EXERCISES = (exercise_1, exercise_2, exercise_3)

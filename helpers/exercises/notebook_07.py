"""The exercises of notebook 07 (the confusion matrix): a lopsided pair, precision, what accuracy hides."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.exercises.core import Exercise, Wrong, as_int_tuple, as_integer


def _confusion(confusion: Any) -> np.ndarray:
    confusion = np.asarray(confusion)
    if confusion.ndim != 2 or confusion.shape[0] != confusion.shape[1] or confusion.shape[0] < 2:
        raise ValueError(f"confusion must be a square confusion matrix such as notebook 07's; got shape {confusion.shape}.")
    return confusion


# Exercise 1: the pair (t, p) whose two cells differ most.

def _expect_lopsided(confusion: Any) -> dict[str, Any]:
    confusion = _confusion(confusion)
    lean = confusion - confusion.T
    true_digit, predicted_digit = np.unravel_index(np.argmax(lean), lean.shape)
    off_diagonal = confusion - np.diag(np.diag(confusion))
    return {"confusion": confusion, "pair": (int(true_digit), int(predicted_digit)),
            "largest_cell": tuple(int(i) for i in np.unravel_index(np.argmax(off_diagonal), confusion.shape))}


def _judge_lopsided(lopsided_pair: Any, expected: dict[str, Any]) -> str:
    pair = as_int_tuple(lopsided_pair, "lopsided_pair", 2)
    confusion, (true_digit, predicted_digit) = expected["confusion"], expected["pair"]
    if pair == (true_digit, predicted_digit):
        return (f"{confusion[true_digit, predicted_digit]} images of a {true_digit} were called {predicted_digit}, but "
                f"only {confusion[predicted_digit, true_digit]} of a {predicted_digit} were called {true_digit}: when in "
                f"doubt between the two, the model leans towards {predicted_digit}.")
    if pair == (predicted_digit, true_digit):
        raise Wrong("that is the pair the other way round. Cell (t, p) counts images of t predicted as p; the "
                    "question asks for the (t, p) whose count most exceeds (p, t).")
    if pair[0] == pair[1]:
        raise Wrong("a diagonal cell counts right answers; the pair must be two different digits.")
    if pair == expected["largest_cell"]:
        raise Wrong("that is the largest off-diagonal count. The question is about the largest difference between a "
                    "cell and its mirror image: confusion - confusion.T.")
    raise Wrong(f"({pair[0]}, {pair[1]}) is not the most lopsided pair: compute confusion - confusion.T and find "
                "where it is largest (np.argmax, then np.unravel_index).")


exercise_1 = Exercise(
    "07", 1,
    hint="confusion - confusion.T is positive where more t's are called p than p's are called t. np.argmax finds "
         "its largest value as a flat index; np.unravel_index turns it into (row, column).",
    answers=("lopsided_pair",),
    expect=_expect_lopsided, judge=_judge_lopsided,
    describe=lambda expected: f"lopsided_pair = {expected['pair']}",
)


# Exercise 2: the digit with the lowest precision.

def _expect_least_precise(confusion: Any) -> dict[str, Any]:
    confusion = _confusion(confusion)
    right = np.diag(confusion)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = right / confusion.sum(axis=0)
        recall = right / confusion.sum(axis=1)
    return {"precision": precision, "digit": int(np.nanargmin(precision)), "lowest_recall": int(np.nanargmin(recall))}


def _judge_least_precise(least_precise: Any, expected: dict[str, Any]) -> str:
    digit = as_integer(least_precise, "least_precise")
    if not 0 <= digit < len(expected["precision"]):
        raise Wrong(f"least_precise should be a digit from 0 to {len(expected['precision']) - 1}; it is {digit}.")
    if digit == expected["digit"]:
        return (f"when the model answers {digit}, it is right {expected['precision'][digit]:.1%} of the time, less "
                "often than for any other answer.")
    if digit == expected["lowest_recall"]:
        raise Wrong(f"{digit} has the lowest recall (its row: the share of {digit}s found). Precision reads the "
                    "column: of all the images called d, the share that really are d.")
    raise Wrong(f"the precision of {digit} is {expected['precision'][digit]:.3f}; another digit's is lower. "
                "Precision is the diagonal divided by the column sums: np.diag(confusion) / confusion.sum(axis=0).")


exercise_2 = Exercise(
    "07", 2,
    hint="Precision asks: of the images the model called d, how many were d? That is column d: its diagonal cell "
         "over the column's sum.",
    answers=("least_precise",),
    expect=_expect_least_precise, judge=_judge_least_precise,
    describe=lambda expected: (f"least_precise = {expected['digit']} (precision {expected['precision'][expected['digit']]:.3f})"),
)

# Exercise 3 is a question to think about: does one accuracy figure say how well each digit is read?
exercise_3 = Exercise(
    "07", 3,
    hint="Put the overall test accuracy beside the lowest recall and the lowest precision in the table above. "
         "Who would care about each?",
)

#: The notebook's exercises, in order.
EXERCISES = (exercise_1, exercise_2, exercise_3)

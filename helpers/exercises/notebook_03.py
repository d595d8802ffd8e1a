"""The exercises of notebook 03 (how a network learns): softmax and the cross-entropy of several images."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.exercises import core
from helpers.exercises.core import Exercise, Wrong, as_array, as_number, call_function


# Exercise 1: softmax in NumPy, one row per image, safe for large scores.

def _expect_softmax() -> dict[str, np.ndarray]:
    small = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    large = np.array([[1000.0, 1001.0, 1002.0]])
    return {"small": small, "large": large,
            "small_probabilities": core.softmax(small), "large_probabilities": core.softmax(large)}


def _judge_softmax(softmax: Any, expected: dict[str, np.ndarray]) -> str:
    small = as_array(call_function(softmax, "softmax", expected["small"].copy()), "softmax(scores)")
    if small.shape != expected["small"].shape:
        raise Wrong(f"softmax turned scores of shape {expected['small'].shape} into shape {small.shape}; "
                    "it should give one probability per score.")
    if np.isclose(small.sum(), 1) and not np.allclose(small.sum(axis=1), 1):
        raise Wrong("your probabilities sum to 1 over all the images at once; each row (image) should sum to 1: "
                    "divide by .sum(axis=1, keepdims=True).")
    if not np.allclose(small, expected["small_probabilities"], atol=1e-6):
        raise Wrong(f"softmax([[1, 2, 3]]) gave {small[0].round(4).tolist()}; it should be "
                    f"{expected['small_probabilities'][0].round(4).tolist()} (exp of each score over the sum of exps).")
    large = as_array(call_function(softmax, "softmax", expected["large"].copy()), "softmax(scores)")
    if not np.all(np.isfinite(large)):
        raise Wrong("softmax([[1000, 1001, 1002]]) gives nan: np.exp(1000) overflows. Subtract each row's largest "
                    "score before np.exp; the shift cancels out in the division.")
    if not np.allclose(large, expected["large_probabilities"], atol=1e-6):
        raise Wrong(f"softmax([[1000, 1001, 1002]]) gave {large[0].round(4).tolist()}, not "
                    f"{expected['large_probabilities'][0].round(4).tolist()}.")
    return ("softmax([[1, 2, 3]]) = " + str(expected["small_probabilities"][0].round(4).tolist())
            + ", and it stays finite for scores of 1000, because subtracting the largest score changes nothing.")


exercise_1 = Exercise(
    "03", 1,
    hint="np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True) is softmax row by row. For large scores, first "
         "subtract scores.max(axis=1, keepdims=True): the same shift in every score of a row cancels out.",
    answers=("softmax",),
    expect=_expect_softmax, judge=_judge_softmax,
    describe=lambda expected: (f"softmax([[1, 2, 3]]) = {expected['small_probabilities'][0].round(4).tolist()}; "
                               f"softmax([[1000, 1001, 1002]]) = {expected['large_probabilities'][0].round(4).tolist()}"),
)


# Exercise 2: the cross-entropy loss of several images.

def _expect_cross_entropy() -> dict[str, Any]:
    probabilities = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.25, 0.5, 0.25], [0.6, 0.3, 0.1]])
    labels = np.array([0, 2, 1, 1])
    losses = -np.log(probabilities[np.arange(len(labels)), labels])
    return {"probabilities": probabilities, "labels": labels, "loss": float(losses.mean()), "losses": losses}


def _judge_cross_entropy(cross_entropy: Any, expected: dict[str, Any]) -> str:
    result = call_function(cross_entropy, "cross_entropy", expected["probabilities"].copy(), expected["labels"].copy())
    if np.ndim(result) == 1 and len(result) == len(expected["labels"]):
        raise Wrong("cross_entropy returned one loss per image; the loss of several images is their mean (np.mean).")
    loss, target = as_number(result, "cross_entropy(probabilities, labels)"), expected["loss"]
    if abs(loss - target) < 1e-6:
        return (f"the loss of the 4 images is {target:.4f}: the mean of -log p(true digit), which is "
                f"{expected['losses'].round(3).tolist()} image by image.")
    if abs(loss + target) < 1e-6:
        raise Wrong("the loss came out negative: log p is at most 0, so the loss is -log p. Did you forget the minus?")
    if abs(loss - target * len(expected["labels"])) < 1e-6:
        raise Wrong("you summed the images' losses; the loss of several images is their mean.")
    if abs(loss - target / np.log(10)) < 1e-6 or abs(loss - target / np.log(2)) < 1e-6:
        raise Wrong("that uses log base 10 or 2; cross-entropy uses the natural logarithm, np.log.")
    raise Wrong(f"for the 4 images of the check the loss should be {target:.4f}, but cross_entropy gave {loss:.4f}. "
                "Take each image's probability of its true digit: probabilities[np.arange(len(labels)), labels].")


exercise_2 = Exercise(
    "03", 2,
    hint="probabilities[np.arange(len(labels)), labels] picks, in each row, the probability of that image's true "
         "digit; the loss is the mean of minus their logarithm.",
    answers=("cross_entropy",),
    expect=_expect_cross_entropy, judge=_judge_cross_entropy,
    describe=lambda expected: (f"cross_entropy of the check's 4 images = {expected['loss']:.4f}; "
                               f"their losses {expected['losses'].round(4).tolist()}"),
)


#: The notebook's exercises, in order.
EXERCISES = (exercise_1, exercise_2)

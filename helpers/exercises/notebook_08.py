"""The exercises of notebook 08 (softmax or sigmoid): softmax of the logits, confident predictions."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.exercises.core import Exercise, Wrong, as_array, as_number, sigmoid, softmax, within_rounding


# Exercise 1: the softmax of the sigmoid model's logits.

def _expect_from_logits(model: Any, images: Any) -> dict[str, np.ndarray]:
    try:
        weights = [np.asarray(array, np.float64) for array in model.get_weights()]
    except AttributeError:
        raise ValueError(f"model must be a Keras model such as sigmoid_model; got {type(model).__name__}.") from None
    if len(weights) != 2 or weights[0].ndim != 2:
        raise ValueError("model must be a single Dense layer, such as sigmoid_model.")
    images = np.asarray(images, np.float64)
    if images.ndim != 2 or images.shape[1] != weights[0].shape[0]:
        raise ValueError(f"images must have shape (count, {weights[0].shape[0]}); got {images.shape}.")
    logits = images @ weights[0] + weights[1]
    sigmoids = sigmoid(logits)
    return {"probabilities": softmax(logits), "logits": logits, "sigmoid": sigmoids,
            "softmax_of_sigmoid": softmax(sigmoids), "normalised_sigmoid": sigmoids / sigmoids.sum(axis=1, keepdims=True)}


def _judge_from_logits(from_logits: Any, expected: dict[str, np.ndarray]) -> str:
    answer = as_array(from_logits, "from_logits", expected["probabilities"].shape).astype(np.float64)
    if np.allclose(answer, expected["probabilities"], atol=1e-4):
        return ("softmax of the logits: rows that sum to 1, and the same probabilities a softmax output layer gives, "
                "because both models learn the same logits.")
    if np.allclose(answer, expected["softmax_of_sigmoid"], atol=1e-4):
        raise Wrong("that is softmax applied to the sigmoid outputs. Apply it to the logits, images @ W + b, which "
                    "come before the sigmoid.")
    if np.allclose(answer, expected["normalised_sigmoid"], atol=1e-4):
        raise Wrong("that divides the sigmoid scores by their sum (what the third model trains). Softmax needs the "
                    "logits: np.exp(logits) over the row's sum.")
    if np.allclose(answer, expected["sigmoid"], atol=1e-4):
        raise Wrong("these are the sigmoid scores themselves; apply softmax to the logits instead.")
    if np.allclose(answer, expected["logits"], atol=1e-3):
        raise Wrong("these are the logits; apply softmax to them.")
    raise Wrong("from_logits differs from the softmax of the logits. Steps: weights, biases = the layer's weights; "
                "logits = images @ weights + biases; then softmax row by row.")


exercise_1 = Exercise(
    "08", 1,
    hint="weights, biases = sigmoid_model.layers[0].get_weights() gives the layer; its logits are images @ weights + "
         "biases, before any activation. Softmax: np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True).",
    answers=("from_logits",),
    expect=_expect_from_logits, judge=_judge_from_logits,
    describe=lambda expected: ("from_logits = softmax(x_test_flat[:100] @ W + b); first row "
                               f"{expected['probabilities'][0].round(4).tolist()}"),
)


# Exercise 2: how many predictions are made with at least 99% confidence, and how right they are.

def _expect_confident(probabilities: Any, labels: Any) -> dict[str, float]:
    probabilities, labels = np.asarray(probabilities), np.asarray(labels)
    if probabilities.ndim != 2 or labels.shape != (len(probabilities),):
        raise ValueError(f"probabilities must be (count, 10) and labels (count,); got {probabilities.shape} and {labels.shape}.")
    confident = probabilities.max(axis=1) >= 0.99
    right = np.argmax(probabilities, axis=1) == labels
    return {"share": float(confident.mean()), "count": int(confident.sum()),
            "accuracy": float(right[confident].mean()) if confident.any() else float("nan"),
            "overall": float(right.mean())}


def _judge_confident(confident_share: Any, confident_accuracy: Any, expected: dict[str, float]) -> str:
    share = as_number(confident_share, "confident_share")
    if abs(share - expected["count"]) < 0.5 and expected["count"] > 1:
        raise Wrong(f"confident_share is {share:g}, a count: divide by the number of test images.")
    if abs(share - expected["share"] * 100) < 0.01 and share > 1:
        raise Wrong(f"confident_share is {share:g}, a percentage: give a fraction between 0 and 1.")
    if not within_rounding(share, expected["share"]):
        raise Wrong(f"confident_share is {share:.4f}. It is the share of test images whose largest probability is at "
                    "least 0.99: np.mean(probabilities.max(axis=1) >= 0.99).")
    accuracy = as_number(confident_accuracy, "confident_accuracy")
    if abs(accuracy - expected["overall"]) < 1e-4 and abs(expected["overall"] - expected["accuracy"]) > 1e-4:
        raise Wrong("confident_accuracy is the accuracy on all the test images; take only the confident ones "
                    "(the mask of >= 0.99) before the mean.")
    if not within_rounding(accuracy, expected["accuracy"]):
        raise Wrong(f"confident_accuracy is {accuracy:.4f}. Among the confident predictions only, it is the share "
                    "whose argmax equals the label.")
    verdict = ("at least what 0.99 promises" if expected["accuracy"] >= 0.99
               else "less than 0.99 promises: on these images the model is overconfident")
    return (f"{expected['share']:.1%} of the test images get a probability of at least 0.99, and "
            f"{expected['accuracy']:.2%} of those are right: {verdict}.")


exercise_2 = Exercise(
    "08", 2,
    hint="confident = probabilities.max(axis=1) >= 0.99 is a mask of the confident predictions; its mean is their "
         "share. Apply the mask to (np.argmax(probabilities, axis=1) == y_test) before taking the mean.",
    answers=("confident_share", "confident_accuracy"),
    expect=_expect_confident, judge=_judge_confident,
    describe=lambda expected: (f"confident_share = {expected['share']:.4f} ({expected['count']} images); "
                               f"confident_accuracy = {expected['accuracy']:.4f}"),
)

# Exercise 3 is a question to think about: the model with logits out.
exercise_3 = Exercise(
    "08", 3,
    hint="With from_logits=True, the loss applies softmax to the layer's outputs itself. What does it then compute "
         "the loss from, compared with the softmax model?",
)

#: The notebook's exercises, in order.
EXERCISES = (exercise_1, exercise_2, exercise_3)

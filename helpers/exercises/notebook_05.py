"""The exercises of notebook 05 (the single layer): counting parameters, accuracy per digit, seeds."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.exercises.core import Exercise, Wrong, as_array, as_integer, dict_advice


def dense_layers(model: Any) -> list[tuple[int, int]]:
    """(inputs, units) of each layer of a model made of Dense layers; ValueError for anything else."""
    try:
        shapes = [tuple(weights.shape) for weights in model.get_weights()]
    except AttributeError:
        raise ValueError(f"model must be a Keras model such as single_model; got {type(model).__name__}.") from None
    if len(shapes) % 2 or any(len(kernel) != 2 or bias != kernel[1:] for kernel, bias in zip(shapes[::2], shapes[1::2])):
        raise ValueError(f"model must be made of Dense layers (a kernel and a bias each); its weights have shapes {shapes}.")
    return [kernel for kernel in shapes[::2]]


def judge_parameter_count(answer: Any, layers: list[tuple[int, int]], name: str = "parameter_count") -> str:
    """Judges a count of a Dense network's parameters, naming the usual slips (used by notebooks 05 and 06)."""
    count = as_integer(answer, name)
    weights = sum(inputs * units for inputs, units in layers)
    biases = sum(units for _, units in layers)
    sums = " + ".join(f"{inputs} x {units} + {units}" for inputs, units in layers)
    if count == weights + biases:
        return f"{sums} = {count:,}: each neuron has one weight per input and one bias."
    if count == weights:
        raise Wrong(f"{count:,} counts the weights only: each neuron also has a bias ({biases} in all).")
    if len(layers) > 1 and count == sum(inputs * units + units for inputs, units in layers[:1]):
        raise Wrong(f"{count:,} counts the hidden layer only; the output layer has weights and biases too.")
    if count == sum(inputs for inputs, _ in layers) or count == biases:
        raise Wrong(f"{count:,} counts inputs or neurons, not parameters: each neuron has one weight per input, plus a bias.")
    raise Wrong(f"{count:,} is not the count. A Dense layer of n neurons on m inputs has m x n weights and n biases.")


# Exercise 1: the single layer's parameters, counted by hand.

def _expect_single_count(model: Any) -> list[tuple[int, int]]:
    return dense_layers(model)


exercise_1 = Exercise(
    "05", 1,
    hint="Each of the 10 neurons has one weight for each of the 784 inputs, and one bias.",
    answers=("parameter_count",),
    expect=_expect_single_count,
    judge=lambda answer, expected: judge_parameter_count(answer, expected),
    describe=lambda layers: f"parameter_count = {sum(inputs * units + units for inputs, units in layers):,}",
)


# Exercise 2: accuracy per digit, and the hardest digit.

def _expect_per_digit(model: Any, images: Any, labels: Any) -> dict[str, Any]:
    labels = np.asarray(labels)
    if labels.ndim != 1 or len(labels) != len(images):
        raise ValueError(f"labels must be one label per image; got {labels.shape} for {len(images)} images.")
    try:
        predicted = np.argmax(model.predict(images, verbose=0), axis=1)
    except AttributeError:
        raise ValueError(f"model must be a Keras model such as single_model; got {type(model).__name__}.") from None
    with np.errstate(invalid="ignore", divide="ignore"):  # A digit never predicted has no precision.
        right = np.array([np.sum((predicted == digit) & (labels == digit)) for digit in range(10)])
        per_digit = right / np.bincount(labels, minlength=10)[:10]
        precision = right / np.bincount(predicted, minlength=10)[:10]
    return {"per_digit": per_digit, "precision": precision, "hardest": int(np.nanargmin(per_digit)),
            "overall": float(np.mean(predicted == labels))}


def _judge_per_digit(per_digit_accuracy: Any, hardest_digit: Any, expected: dict[str, Any]) -> str:
    if isinstance(per_digit_accuracy, dict):
        raise Wrong(dict_advice(per_digit_accuracy, "per_digit_accuracy"))
    if np.ndim(per_digit_accuracy) == 0:
        raise Wrong("per_digit_accuracy should hold ten accuracies, one per digit, not a single number.")
    values = as_array(per_digit_accuracy, "per_digit_accuracy", (10,)).astype(float)
    if np.allclose(values, expected["per_digit"] * 100, atol=0.05):
        raise Wrong("per_digit_accuracy holds percentages: give fractions between 0 and 1.")
    if np.allclose(values, expected["precision"], atol=1e-3) and not np.allclose(values, expected["per_digit"], atol=1e-3):
        raise Wrong("that divides by how often the model answers each digit. The accuracy on a digit "
                    "divides by how many test images show that digit: predicted[y_test == d] == d.")
    if not np.allclose(values, expected["per_digit"], atol=1e-3):
        raise Wrong("per_digit_accuracy does not match: for each digit d, take the test images whose label is d "
                    "and the share of them that the model predicts as d.")
    hardest = as_integer(hardest_digit, "hardest_digit")
    if hardest == int(np.argmax(expected["per_digit"])):
        raise Wrong(f"{hardest} is the digit the model reads best; the hardest has the lowest accuracy (np.argmin).")
    if hardest != expected["hardest"]:
        raise Wrong(f"the model reads {hardest} with accuracy {expected['per_digit'][hardest]:.3f}, but another "
                    "digit is lower.")
    return (f"accuracy runs from {expected['per_digit'].min():.3f} (digit {hardest}) to "
            f"{expected['per_digit'].max():.3f}, around the overall {expected['overall']:.4f}.")


exercise_2 = Exercise(
    "05", 2,
    hint="predicted = np.argmax(single_model.predict(x_test_flat), axis=1) gives the model's answers. For each digit "
         "d, np.mean(predicted[y_test == d] == d) is the share of the d's it gets right.",
    answers=("per_digit_accuracy", "hardest_digit"),
    expect=_expect_per_digit, judge=_judge_per_digit,
    describe=lambda expected: (f"per_digit_accuracy = {expected['per_digit'].round(3).tolist()}; "
                               f"hardest_digit = {expected['hardest']}"),
)

# Exercise 3 is a question to think about: how much does the seed alone move the accuracy?
exercise_3 = Exercise(
    "05", 3,
    hint="The seed decides the starting weights and the order of the batches, nothing else. Compare the spread of "
         "accuracies over seeds with the difference you want to read something into.",
)

#: The notebook's exercises, in order.
EXERCISES = (exercise_1, exercise_2, exercise_3)

"""The exercises of notebook 06 (the hidden layer): parameters, the forward pass by hand, ReLU."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.exercises.core import Exercise, Wrong, as_array, sigmoid, softmax
from helpers.exercises.notebook_05 import dense_layers, judge_parameter_count


# Exercise 1: the hidden-layer model's parameters for another number of hidden units, by hand.

def _expect_layers(hidden_units: int) -> list[tuple[int, int]]:
    if isinstance(hidden_units, bool) or not isinstance(hidden_units, int) or hidden_units < 1:
        raise ValueError(f"hidden_units must be a whole number of at least 1; got {hidden_units!r}.")
    return [(784, hidden_units), (hidden_units, 10)]


exercise_1 = Exercise(
    "06", 1,
    hint="Count each layer on its own: the hidden layer has 400 neurons on 784 inputs, the output layer 10 "
         "neurons on 400 inputs, and every neuron has a bias.",
    answers=("parameter_count_400",),
    expect=_expect_layers,
    judge=lambda answer, expected: judge_parameter_count(answer, expected, "parameter_count_400"),
    describe=lambda layers: f"parameter_count = {sum(inputs * units + units for inputs, units in layers):,}",
)


# Exercise 2: the model's scores computed with NumPy from its weights.

def _expect_forward(model: Any, images: Any) -> dict[str, np.ndarray]:
    layers = dense_layers(model)
    if len(layers) != 2:
        raise ValueError(f"model must be the hidden-layer model (two Dense layers); it has {len(layers)}.")
    images = np.asarray(images, dtype=np.float64)
    if images.ndim != 2 or images.shape[1] != layers[0][0]:
        raise ValueError(f"images must be flattened images of shape (count, {layers[0][0]}); got {images.shape}.")
    hidden_weights, hidden_biases, output_weights, output_biases = (np.asarray(w, np.float64) for w in model.get_weights())
    before_relu = images @ hidden_weights + hidden_biases
    logits = np.maximum(0, before_relu) @ output_weights + output_biases
    return {"scores": sigmoid(logits), "logits": logits,
            "without_relu": sigmoid(before_relu @ output_weights + output_biases),
            "softmax": softmax(logits)}


def _judge_forward(by_hand: Any, expected: dict[str, np.ndarray]) -> str:
    scores = as_array(by_hand, "by_hand", expected["scores"].shape).astype(np.float64)
    if np.allclose(scores, expected["scores"], atol=1e-4):
        return ("the same scores as the model's own: a Dense layer is inputs @ weights + biases, then its "
                "activation (ReLU, then sigmoid).")
    if np.allclose(scores, expected["logits"], atol=1e-3):
        raise Wrong("these are the scores before the output's sigmoid: apply 1 / (1 + np.exp(-z)).")
    if np.allclose(scores, expected["without_relu"], atol=1e-4):
        raise Wrong("the hidden layer's ReLU is missing: np.maximum(0, ...) after the first layer.")
    if np.allclose(scores, expected["softmax"], atol=1e-4):
        raise Wrong("that is softmax; this model's output layer uses a sigmoid on each score.")
    raise Wrong("by_hand differs from the model's scores. The steps: images @ W1 + b1, ReLU, @ W2 + b2, sigmoid.")


exercise_2 = Exercise(
    "06", 2,
    hint="hidden_model.get_weights() gives W1, b1, W2, b2. The hidden layer is np.maximum(0, images @ W1 + b1); the "
         "output is the sigmoid, 1 / (1 + np.exp(-z)), of hidden @ W2 + b2.",
    answers=("by_hand",),
    expect=_expect_forward, judge=_judge_forward,
    describe=lambda expected: ("by_hand = hidden_model.predict(x_test_flat[:5]) to 4 decimals; first row "
                               f"{expected['scores'][0].round(4).tolist()}"),
)

# Exercise 3 is a question to think about: what is a hidden layer without its ReLU?
exercise_3 = Exercise(
    "06", 3,
    hint="Without an activation, the hidden layer computes x @ W1 + b1 and the output layer multiplies that by W2. "
         "Multiply it out: what kind of function of x is it?",
)

#: The notebook's exercises, in order.
EXERCISES = (exercise_1, exercise_2, exercise_3)

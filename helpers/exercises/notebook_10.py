"""The exercises of notebook 10 (what makes the CNN good): a convolution's arithmetic, the learning rate's fall."""

from __future__ import annotations

import math
from typing import Any

from helpers.exercises.core import Exercise, Wrong, as_integer, as_number


# Exercise 1: the multiplications the first convolution does for one image.

def _expect_multiplications(model: Any) -> dict[str, int]:
    layers = getattr(model, "layers", None)
    if layers is None:
        raise ValueError(f"model must be a Keras model such as cnn; got {type(model).__name__}.")
    convolutions = [layer for layer in layers if type(layer).__name__ == "Conv2D"]
    if not convolutions:
        raise ValueError("model must have a Conv2D layer, as notebook 10's cnn has; it has none.")
    first = convolutions[0]
    height, width, filters = (int(size) for size in first.output.shape[1:])
    kernel_height, kernel_width = (int(size) for size in first.kernel_size)
    channels = int(first.input.shape[-1])
    window = kernel_height * kernel_width * channels
    return {"height": height, "width": width, "filters": filters, "window": window,
            "multiplications": height * width * filters * window}


def _judge_multiplications(first_convolution_multiplications: Any, expected: dict[str, int]) -> str:
    answer = as_integer(first_convolution_multiplications, "first_convolution_multiplications")
    height, width, filters, window = (expected[key] for key in ("height", "width", "filters", "window"))
    outputs = height * width * filters
    if answer == expected["multiplications"]:
        return (f"{height} x {width} x {filters} = {outputs:,} output values, each a sum of {window} products: "
                f"{answer:,} multiplications, as the cost table says.")
    if answer == outputs:
        raise Wrong(f"{answer:,} is how many values the layer outputs; each of them costs {window} multiplications.")
    if answer == window * filters:
        raise Wrong(f"{answer:,} is the layer's weights; each weight is used at all {height * width} positions.")
    if answer == 28 * 28 * filters * window:
        raise Wrong(f"a 5 x 5 window fits {height} x {width} positions of a 28 x 28 image, not 28 x 28.")
    raise Wrong(f"{answer:,} is not it: count the output values (height x width x maps) and multiply by the "
                f"{window} products each one adds up.")


exercise_1 = Exercise(
    "10", 1,
    hint="Each value of a feature map is one window of pixels times the filter's weights, added up. How many "
         "values does the first convolution output, and how many pixels are in its window?",
    answers=("first_convolution_multiplications",),
    expect=_expect_multiplications, judge=_judge_multiplications,
    describe=lambda expected: (f"first_convolution_multiplications = {expected['height']} x {expected['width']} x "
                               f"{expected['filters']} x {expected['window']} = {expected['multiplications']:,}"),
)


# Exercise 2: the learning rate halfway through training.

def _expect_halfway(schedule: Any, total_steps: Any) -> dict[str, float]:
    total = int(total_steps)
    if total < 2:
        raise ValueError(f"total_steps must be at least 2, got {total_steps!r}.")
    start, halfway = float(schedule(0)), float(schedule(total // 2))
    return {"start": start, "halfway": halfway, "total": total}


def _judge_halfway(halfway_learning_rate: Any, expected: dict[str, float]) -> str:
    answer = as_number(halfway_learning_rate, "halfway_learning_rate")
    start, halfway = expected["start"], expected["halfway"]
    if math.isclose(answer, halfway, rel_tol=0.01):
        return (f"halfway the cosine is at 0, so the rate is (1 + cos(pi / 2)) / 2 = half the start: {halfway:.4g}. "
                "Big steps early, half-size steps in the middle, tiny steps at the end.")
    if math.isclose(answer, start, rel_tol=0.01):
        raise Wrong(f"{answer:.4g} is the rate at the start; it falls from there along the cosine.")
    if answer == 0:
        raise Wrong("0 is where it ends, after the last step; halfway it is still falling.")
    raise Wrong(f"{answer:.4g} is not it: print schedule(total_steps // 2), or work out start x (1 + cos(pi x 0.5)) / 2.")


exercise_2 = Exercise(
    "10", 2,
    hint="A cosine decay multiplies the starting rate by (1 + cos(pi x fraction done)) / 2. What is that halfway? "
         "You can also call schedule(step) yourself.",
    answers=("halfway_learning_rate",),
    expect=_expect_halfway, judge=_judge_halfway,
    describe=lambda expected: f"halfway_learning_rate = {expected['halfway']:.4g} (half of {expected['start']:.4g})",
)

#: The notebook's exercises, in order.
EXERCISES = (exercise_1, exercise_2)

"""The exercises of notebook 10 (what makes the CNN good): a convolution's arithmetic, the learning rate's fall."""

from __future__ import annotations

import math
from typing import Any

from helpers.exercises.core import Exercise, Wrong, as_integer, as_number


# Exercise 1: the multiplications the first convolution would do for one image with 3 x 3 filters. (Its own
# 5 x 5 count, 345,600, is printed in the lesson's cost table, so asking for it would show the answer.)

#: The filter size the exercise asks about, instead of the network's own.
ASKED_KERNEL = 3


def _expect_multiplications(model: Any) -> dict[str, int]:
    layers = getattr(model, "layers", None)
    if layers is None:
        raise ValueError(f"model must be a Keras model such as cnn; got {type(model).__name__}.")
    convolutions = [layer for layer in layers if type(layer).__name__ == "Conv2D"]
    if not convolutions:
        raise ValueError("model must have a Conv2D layer, as notebook 10's cnn has; it has none.")
    first = convolutions[0]
    image_height, image_width, channels = (int(size) for size in first.input.shape[1:])
    filters = int(first.output.shape[-1])
    own_height, own_width = (int(size) for size in first.output.shape[1:3])
    own_window = int(first.kernel_size[0]) * int(first.kernel_size[1]) * channels
    height, width = image_height - ASKED_KERNEL + 1, image_width - ASKED_KERNEL + 1
    window = ASKED_KERNEL * ASKED_KERNEL * channels
    return {"height": height, "width": width, "filters": filters, "window": window,
            "own_height": own_height, "own_width": own_width, "own": own_height * own_width * filters * own_window,
            "multiplications": height * width * filters * window, "image": (image_height, image_width)}


def _judge_multiplications(first_convolution_multiplications: Any, expected: dict[str, int]) -> str:
    answer = as_integer(first_convolution_multiplications, "first_convolution_multiplications")
    height, width, filters, window = (expected[key] for key in ("height", "width", "filters", "window"))
    outputs = height * width * filters
    if answer == expected["multiplications"]:
        return (f"{height} x {width} x {filters} = {outputs:,} output values, each a sum of {window} products: "
                f"{answer:,} multiplications, {answer / expected['own']:.2f} of the 5 x 5 filters' {expected['own']:,} in "
                "the cost table. Smaller filters cost less, but each sees less of the digit.")
    if answer == expected["own"]:
        raise Wrong(f"{answer:,} is the cost table's figure for the network's own 5 x 5 filters; the question is about "
                    "3 x 3 filters.")
    if answer == expected["own_height"] * expected["own_width"] * filters * window:
        raise Wrong(f"a 3 x 3 window fits {height} x {width} positions of a {expected['image'][0]} x "
                    f"{expected['image'][1]} image, not {expected['own_height']} x {expected['own_width']} as a 5 x 5 "
                    "window does.")
    if answer == outputs:
        raise Wrong(f"{answer:,} is how many values the layer would output; each of them costs {window} multiplications.")
    if answer == window * filters:
        raise Wrong(f"{answer:,} is the layer's weights; each weight is used at all {height * width} positions.")
    if answer == expected["image"][0] * expected["image"][1] * filters * window:
        raise Wrong(f"a 3 x 3 window fits {height} x {width} positions of a 28 x 28 image, not 28 x 28.")
    raise Wrong(f"{answer:,} is not it: count the output values (height x width x maps) and multiply by the "
                f"{window} products each one adds up.")


exercise_1 = Exercise(
    "10", 1,
    hint="A 3 x 3 window fits 28 - 3 + 1 positions across a 28-pixel row. Each output value is 3 x 3 pixels times "
         "the filter's weights, added up; there are 24 maps.",
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

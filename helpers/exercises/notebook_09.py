"""The exercises of notebook 09 (the CNN): the size of a feature map, a convolution's parameters."""

from __future__ import annotations

from typing import Any

from helpers.exercises.core import Exercise, Wrong, as_int_tuple, as_integer


def _convolutions(model: Any) -> list[Any]:
    layers = getattr(model, "layers", None)
    if layers is None:
        raise ValueError(f"model must be a Keras model such as cnn; got {type(model).__name__}.")
    convolutions = [layer for layer in layers if type(layer).__name__ == "Conv2D"]
    if len(convolutions) < 2:
        raise ValueError(f"model must have two Conv2D layers, as notebook 09's cnn has; it has {len(convolutions)}.")
    return convolutions


# Exercise 1: the shape of the second convolution's feature maps.

def _expect_second_maps(model: Any) -> dict[str, Any]:
    second = _convolutions(model)[1]
    kernel = second.kernel_size[0]
    return {"shape": tuple(int(size) for size in second.output.shape[1:]),
            "input": tuple(int(size) for size in second.input.shape[1:]), "kernel": kernel}


def _judge_second_maps(second_maps_shape: Any, expected: dict[str, Any]) -> str:
    shape = as_int_tuple(second_maps_shape, "second_maps_shape", 3)
    (height, width, filters), (in_height, _, in_channels) = expected["shape"], expected["input"]
    kernel = expected["kernel"]
    if shape == expected["shape"]:
        return (f"{in_height} x {in_height} maps go in; a {kernel} x {kernel} window without padding fits "
                f"{in_height} - {kernel} + 1 = {height} times across, and each of the {filters} filters makes one map.")
    if shape[:2] == (in_height, in_height):
        raise Wrong(f"{in_height} x {in_height} is the size of the maps that go in. A {kernel} x {kernel} window "
                    f"without padding loses {kernel // 2} pixels on each side.")
    if shape[:2] == (height // 2, width // 2):
        raise Wrong(f"{height // 2} x {width // 2} is after the second pooling; the question asks for the "
                    "convolution's own output.")
    if shape[2] == in_channels:
        raise Wrong(f"the second convolution has {filters} filters, so it makes {filters} maps, not {in_channels}.")
    raise Wrong(f"({', '.join(map(str, shape))}) is not it: start from the {in_height} x {in_height} maps that go in "
                f"and the {kernel} x {kernel} window, and count the filters in the model's summary.")


exercise_1 = Exercise(
    "09", 1,
    hint="The first block turns 28 x 28 into 24 x 24 (the 5 x 5 window fits 28 - 5 + 1 times) and pooling halves "
         "it. Do the same for the second convolution, and count its filters.",
    answers=("second_maps_shape",),
    expect=_expect_second_maps, judge=_judge_second_maps,
    describe=lambda expected: f"second_maps_shape = {expected['shape']}",
)


# Exercise 2: the first convolution's parameters.

def _expect_first_parameters(model: Any) -> dict[str, Any]:
    first = _convolutions(model)[0]
    kernel = tuple(int(size) for size in first.kernel.shape)
    return {"count": int(first.count_params()), "kernel": kernel, "bias": bool(first.use_bias)}


def _judge_first_parameters(first_convolution_parameters: Any, expected: dict[str, Any]) -> str:
    count = as_integer(first_convolution_parameters, "first_convolution_parameters")
    rows, columns, channels, filters = expected["kernel"]
    weights = rows * columns * channels * filters
    if count == expected["count"]:
        return (f"{filters} filters of {rows} x {columns} weights on {channels} channel: {count:,}, "
                "however large the image, because each filter slides over all of it with the same weights.")
    if not expected["bias"] and count == weights + filters:
        raise Wrong(f"{count:,} counts a bias per filter, but this convolution has none (use_bias=False): the batch "
                    "normalisation after it adds its own offset, so a bias would be redundant.")
    if count == rows * columns * channels:
        raise Wrong(f"{count} is one filter's weights; there are {filters} filters.")
    if count in (weights * 28 * 28, 24 * 24 * filters):
        raise Wrong("a filter's weights are shared across the image, so the count does not depend on its size.")
    raise Wrong(f"{count:,} is not it: each of the {filters} filters has one weight per pixel of its "
                f"{rows} x {columns} window and input channel.")


exercise_2 = Exercise(
    "09", 2,
    hint="A filter has one weight for each pixel of its 5 x 5 window on each input channel (1 here). Does this "
         "convolution have biases? Look at how it is defined.",
    answers=("first_convolution_parameters",),
    expect=_expect_first_parameters, judge=_judge_first_parameters,
    describe=lambda expected: f"first_convolution_parameters = {expected['count']:,}",
)

# Exercise 3 is a question to think about: why so few parameters?
exercise_3 = Exercise(
    "09", 3,
    hint="Compare how a Dense layer and a convolution use a weight: once, at one pixel, or everywhere in the image?",
)

#: The notebook's exercises, in order.
EXERCISES = (exercise_1, exercise_2, exercise_3)

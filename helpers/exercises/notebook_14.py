"""The exercises of notebook 14 (use your model outside the notebook): 8-bit weights by hand, their bytes."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.exercises.core import Exercise, Wrong, as_array, as_integer, as_number, call_function

#: The largest whole number an int8 weight uses; -127 is the smallest (the converter leaves out -128).
LARGEST_INTEGER = 127


def _weights(weights: Any) -> np.ndarray:
    weights = np.asarray(weights, dtype=np.float64)
    if weights.ndim != 1 or len(weights) < 2 or not np.isfinite(weights).all() or not weights.any():
        raise ValueError("weights must be one neuron's weights, a row of finite numbers that are not all 0, "
                         f"such as kernel[:, 0]; got shape {weights.shape}.")
    return weights


# Exercise 1: a function that stores one neuron's weights as whole numbers and one scale.

def _expect_quantized(weights: Any) -> dict[str, Any]:
    weights = _weights(weights)
    scale = float(np.abs(weights).max()) / LARGEST_INTEGER
    return {"weights": weights, "scale": scale, "integers": np.round(weights / scale)}


def _judge_quantized(function: Any, expected: dict[str, Any]) -> str:
    weights, scale = expected["weights"], expected["scale"]
    result = call_function(function, "quantize", weights.copy())
    if not isinstance(result, tuple) or len(result) != 2:
        raise Wrong("quantize should return two things, (integers, scale): return integers, scale.")
    integers = as_array(result[0], "the integers quantize returns", weights.shape)
    given_scale = as_number(result[1], "the scale quantize returns")
    for divisor, why in ((255, "255 is the number of steps of a byte from 0 to 255"),
                         (128, "128 would let the largest weight round to 128, one more than int8 holds")):
        if np.isclose(given_scale, float(np.abs(weights).max()) / divisor, rtol=1e-4):
            raise Wrong(f"the scale is the largest absolute value of the weights divided by {divisor}; divide by 127 instead "
                        f"({why}).")
    from_largest = float(weights.max()) / LARGEST_INTEGER
    if np.isclose(given_scale, from_largest, rtol=1e-4) and not np.isclose(from_largest, scale, rtol=1e-4):
        raise Wrong("the scale uses the largest weight; use the largest absolute value, np.abs(weights).max(), so that the most "
                    "negative weight fits too.")
    if not np.isclose(given_scale, scale, rtol=1e-4):
        raise Wrong(f"the scale is {given_scale:.6g}; it should be the largest absolute value of the weights divided by 127.")
    if np.abs(integers).max() > LARGEST_INTEGER or not np.allclose(integers, np.round(integers)):
        raise Wrong("the integers should be whole numbers from -127 to 127: round weights / scale.")
    if np.array_equal(integers, np.trunc(weights / scale)) and not np.array_equal(integers, expected["integers"]):
        raise Wrong("the integers are cut towards zero, as .astype(np.int8) does; round them first with np.round.")
    wrong = np.abs(integers - expected["integers"]) > 0.5
    if wrong.sum() > 2:  # a weight exactly halfway between two steps may round either way in float32
        raise Wrong(f"{int(wrong.sum())} of the {len(weights)} integers are not round(weights / scale).")
    error = float(np.abs(weights - integers * given_scale).max())
    return (f"scale {given_scale:.3g}; integers x scale is within {error:.3g} of every weight, which is at most half a "
            f"step ({given_scale / 2:.3g}). These are the whole numbers the int8 file stores for this neuron.")


exercise_1 = Exercise(
    "14", 1,
    hint="scale = np.abs(weights).max() / 127; then integers = np.round(weights / scale). Return both: "
         "return integers, scale.",
    answers=("quantize",),
    expect=_expect_quantized, judge=_judge_quantized,
    describe=lambda expected: (f"quantize(kernel[:, 0]) = (round(weights / scale), scale = "
                               f"{expected['scale']:.6g})"),
)


# Exercise 2: the bytes the hidden layer's weights take as int8, with their scales.

def _expect_bytes(kernel: Any) -> dict[str, Any]:
    shape = np.shape(kernel)
    if len(shape) != 2 or min(shape) < 1:
        raise ValueError(f"kernel must be a Dense layer's weight matrix (inputs x neurons); got shape {shape}.")
    inputs, neurons = (int(size) for size in shape)
    return {"inputs": inputs, "neurons": neurons, "bytes": inputs * neurons + 4 * neurons,
            "float_bytes": 4 * inputs * neurons}


def _judge_bytes(answer: Any, expected: dict[str, Any]) -> str:
    given = as_integer(answer, "int8_bytes")
    inputs, neurons, right = expected["inputs"], expected["neurons"], expected["bytes"]
    if given == right:
        return (f"{right:,} bytes, {right / expected['float_bytes']:.2f} of the {expected['float_bytes']:,} that "
                "float32 takes: a quarter, plus a little for the scales.")
    if given == inputs * neurons:
        raise Wrong("that counts the integers; each neuron also keeps its scale, a float32 of 4 bytes.")
    if given == expected["float_bytes"]:
        raise Wrong("that is the float32 size, 4 bytes a weight; int8 takes 1 byte a weight, plus the scales.")
    if given == inputs * neurons + 4 * inputs:
        raise Wrong("there is one scale per neuron (per row of the stored matrix), not one per input pixel.")
    if given == inputs * neurons + 8 * neurons:
        raise Wrong("the scales are float32, 4 bytes each, not 8.")
    raise Wrong(f"{given:,} is not it: {inputs} x {neurons} weights at 1 byte each, plus {neurons} scales at 4 bytes.")


exercise_2 = Exercise(
    "14", 2,
    hint="The kernel has 784 x 100 weights, 1 byte each as int8. Each of the 100 neurons keeps one scale, a float32 "
         "of 4 bytes.",
    answers=("int8_bytes",),
    expect=_expect_bytes, judge=_judge_bytes,
    describe=lambda expected: f"int8_bytes = {expected['bytes']:,}",
)

# Exercise 3 is a question to think about: why leave a layer in float32?
exercise_3 = Exercise(
    "14", 3,
    hint="Count what storing the first convolution's 600 weights in int8 would save, against the int8 file; then "
         "think about which layer's small errors every later layer receives.",
)

#: The notebook's exercises, in order.
EXERCISES = (exercise_1, exercise_2, exercise_3)

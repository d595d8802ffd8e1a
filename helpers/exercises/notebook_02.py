"""The exercises of notebook 02 (preprocessing): standardising, undoing the flattening, input order."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.exercises.core import Exercise, Wrong, as_array, call_function

#: The training set's mean pixel and standard deviation after scaling to [0, 1].
MEAN, STD = 0.1307, 0.3081


# Exercise 1: a function that standardises scaled images.

def _expect_standardise() -> dict[str, np.ndarray]:
    images = np.array([[[0.0, MEAN], [0.5, 1.0]]], dtype=np.float32)
    return {"images": images, "standardised": (images - MEAN) / STD}


def _judge_standardise(standardise: Any, expected: dict[str, np.ndarray]) -> str:
    images = expected["images"].copy()
    result = as_array(call_function(standardise, "standardise", images), "standardise(images)")
    if not np.array_equal(images, expected["images"]):
        raise Wrong("standardise changed the images it was given (an in-place -= or /=): compute a new array instead.")
    if result.shape != images.shape:
        raise Wrong(f"standardise turned images of shape {images.shape} into shape {result.shape}; it should keep the shape.")
    if np.allclose(result, expected["standardised"], atol=1e-4):
        low, high = (0 - MEAN) / STD, (1 - MEAN) / STD
        return (f"a blank pixel becomes {low:.4f}, the mean pixel 0 and a fully inked pixel {high:.4f}: "
                f"the standardised images range from {low:.2f} to {high:.2f}.")
    if np.allclose(result, images - MEAN / STD, atol=1e-4):
        raise Wrong("standardise divides the mean by the standard deviation before subtracting (Python does / before -): "
                    "write (images - mean) / std with brackets.")
    if np.allclose(result, images / STD - MEAN, atol=1e-4):
        raise Wrong("standardise divides first and subtracts after; subtract the mean first: (images - mean) / std.")
    if np.allclose(result, (images - MEAN) * STD, atol=1e-4):
        raise Wrong("standardise multiplies by the standard deviation; divide by it.")
    raise Wrong(f"standardise({images.ravel().round(4).tolist()}) gave {result.ravel().round(4).tolist()}; "
                f"subtracting {MEAN} and dividing by {STD} gives {expected['standardised'].ravel().round(4).tolist()}.")


exercise_1 = Exercise(
    "02", 1,
    hint=f"Standardising subtracts the mean and divides by the standard deviation: (images - {MEAN}) / {STD}. "
         "Mind the brackets.",
    answers=("standardise",),
    expect=_expect_standardise, judge=_judge_standardise,
    describe=lambda expected: (f"standardise(images) = (images - {MEAN}) / {STD}; on {expected['images'].ravel().round(4).tolist()} "
                               f"it gives {expected['standardised'].ravel().round(4).tolist()}"),
)


# Exercise 2: turning a flat vector back into its image.

def _expect_unflattened(original: Any) -> np.ndarray:
    original = np.asarray(original)
    if original.shape != (28, 28):
        raise ValueError(f"original must be one image of shape (28, 28) such as x_train_scaled[0]; got shape {original.shape}.")
    return original


def _judge_unflattened(unflattened: Any, expected: np.ndarray) -> str:
    unflattened = as_array(unflattened, "unflattened")
    if unflattened.shape == (784,):
        raise Wrong("unflattened is still a vector of 784 values: reshape it to (28, 28).")
    if unflattened.shape != (28, 28):
        raise Wrong(f"unflattened has shape {unflattened.shape}; one image has shape (28, 28).")
    if np.array_equal(unflattened, expected):
        return "the same 784 values back in the same places: flattening row by row loses nothing."
    if np.array_equal(unflattened, expected.T):
        raise Wrong("unflattened is the image transposed (order='F' reads column by column). The images were "
                    "flattened row by row, NumPy's default order 'C', so reshape with the default order.")
    raise Wrong("unflattened is not the first training image: start from x_train_flat[0].")


exercise_2 = Exercise(
    "02", 2,
    hint="x_train_flat[0] holds the first image's 784 pixels, row after row; .reshape(28, 28) puts them back.",
    answers=("unflattened",),
    expect=_expect_unflattened, judge=_judge_unflattened,
    describe=lambda expected: "unflattened = x_train_flat[0].reshape(28, 28), equal to x_train_scaled[0]",
)

# Exercise 3 is a question to think about: does a network that takes one flat row care in which order the pixels come?
exercise_3 = Exercise(
    "02", 3,
    hint="Such a network multiplies every input by an adjustable number of its own and is never told which inputs "
         "were neighbours. What happens to those numbers if the inputs are put in another, fixed order?",
)

#: The notebook's exercises, in order.
EXERCISES = (exercise_1, exercise_2, exercise_3)

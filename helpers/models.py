"""The original script's two models, for the notebooks and tests that need them without training.

Notebooks 03 and 04 write these models out in their own cells, where learners read them; a test
(``tests/test_models.py``) runs those cells and checks that they build and compile exactly what
these functions do, so the two can never drift apart. Notebook 05 calls
:func:`build_hidden_layer_model` when it has to train the model that notebook 04 did not leave.
"""

from __future__ import annotations

from typing import Any

from helpers import runtime

#: Inputs per image once flattened: 28 x 28 pixels.
INPUT_SIZE = 784

#: Training steps Keras runs per call into TensorFlow. The maths is the same as with 1 (the
#: default), but on a CPU most of a small model's time goes to the overhead of each call.
STEPS_PER_EXECUTION = 100


def build_single_layer_model() -> Any:
    """Builds the original's first model: ``Dense(10, activation="sigmoid")`` on 784 inputs.

    Returns:
        An uncompiled ``keras.Sequential`` named ``single_layer``.
    """
    runtime.import_tensorflow()
    import keras  # noqa: PLC0415 - loaded quietly by import_tensorflow.

    return keras.Sequential(
        [keras.Input(shape=(INPUT_SIZE,)), keras.layers.Dense(10, activation="sigmoid")],
        name="single_layer",
    )


def build_hidden_layer_model(hidden_units: int = 100) -> Any:
    """Builds the original's second model: ``Dense(hidden_units, relu)`` then ``Dense(10, sigmoid)``.

    Args:
        hidden_units: Neurons in the hidden layer; the original uses 100.

    Returns:
        An uncompiled ``keras.Sequential`` named ``hidden_layer``.

    Raises:
        ValueError: ``hidden_units`` is not a positive whole number.
    """
    if isinstance(hidden_units, bool) or not isinstance(hidden_units, int) or hidden_units < 1:
        raise ValueError(f"hidden_units must be a whole number of at least 1, got {hidden_units!r}.")
    runtime.import_tensorflow()
    import keras  # noqa: PLC0415

    return keras.Sequential(
        [
            keras.Input(shape=(INPUT_SIZE,)),
            keras.layers.Dense(hidden_units, activation="relu"),
            keras.layers.Dense(10, activation="sigmoid"),
        ],
        name="hidden_layer",
    )


def compile_like_original(model: Any, steps_per_execution: int = STEPS_PER_EXECUTION) -> Any:
    """Compiles as the original does: Adam and sparse categorical cross-entropy at Keras defaults.

    Args:
        model: A Keras model.
        steps_per_execution: Training steps per call into TensorFlow; 1 is Keras's default.

    Returns:
        The same model, compiled.
    """
    model.compile(
        optimizer="adam",
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        steps_per_execution=steps_per_execution,
    )
    return model

"""The course's models, for the notebooks and tests that need them without retyping them.

Notebooks 05, 06, 09 and 11 write these models out in their own cells, where learners read them; a
test (``tests/test_models.py``) runs those cells and checks that they build and compile exactly
what these functions do, so the two can never drift apart. :mod:`helpers.reuse` calls them when a
notebook has to train a model that an earlier notebook did not leave.
"""

from __future__ import annotations

import math
from typing import Any

from helpers import runtime

#: Inputs per image once flattened: 28 x 28 pixels.
INPUT_SIZE = 784

#: Training steps Keras runs per call into TensorFlow. The maths is the same as with 1 (the
#: default), but on a CPU most of a small model's time goes to the overhead of each call.
STEPS_PER_EXECUTION = 100

#: The share of the training images that notebooks 05 and 06 hold out for validation. Keras takes
#: the last 10% of the arrays, before any shuffling, so the split is the same in every run.
VALIDATION_SPLIT = 0.1


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


def build_cnn() -> Any:
    """Builds notebook 09's convolutional network for 28 x 28 x 1 images.

    Two blocks, each a 5 x 5 convolution (24 filters, then 48), 2 x 2 max pooling, batch
    normalisation and ReLU; then the 4 x 4 x 48 features flattened, dropout, and a softmax over the
    10 digits: 37,378 parameters. Pooling comes straight after each convolution, so that the
    normalisation and the ReLU work on a quarter of the values. The convolutions have no bias: the
    batch normalisation after each subtracts the mean and adds its own shift, which would cancel a
    bias. Its moving averages use momentum 0.9 rather than Keras's 0.99, so they are ready after a
    short training too (one epoch on 20,000 images gave 0.9757 test accuracy with 0.9, and 0.2413
    with 0.99).

    Returns:
        An uncompiled ``keras.Sequential`` named ``cnn``.
    """
    runtime.import_tensorflow()
    import keras  # noqa: PLC0415

    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(24, kernel_size=5, use_bias=False),
            keras.layers.MaxPooling2D(pool_size=2),
            keras.layers.BatchNormalization(momentum=0.9),
            keras.layers.ReLU(),
            keras.layers.Conv2D(48, kernel_size=5, use_bias=False),
            keras.layers.MaxPooling2D(pool_size=2),
            keras.layers.BatchNormalization(momentum=0.9),
            keras.layers.ReLU(),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.25),
            keras.layers.Dense(10, activation="softmax"),
        ],
        name="cnn",
    )


def build_reference_cnn() -> Any:
    """Builds the network of the Keras example "Simple MNIST convnet" (keras.io/examples/vision/mnist_convnet).

    Conv2D(32, 3) and Conv2D(64, 3) with ReLU, each followed by 2 x 2 max pooling, then Flatten,
    Dropout(0.5) and a softmax Dense(10): 34,826 parameters. The example trains it with Adam at its
    default learning rate, batch 128, for 15 epochs, holding out 10% of the training images.
    Notebook 09 and ``benchmarks/cnn_speed.py`` measure the course's network against it.

    Returns:
        An uncompiled ``keras.Sequential`` named ``simple_mnist_convnet``.
    """
    runtime.import_tensorflow()
    import keras  # noqa: PLC0415

    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(32, kernel_size=3, activation="relu"),
            keras.layers.MaxPooling2D(pool_size=2),
            keras.layers.Conv2D(64, kernel_size=3, activation="relu"),
            keras.layers.MaxPooling2D(pool_size=2),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(10, activation="softmax"),
        ],
        name="simple_mnist_convnet",
    )


def layer_costs(model: Any) -> list[dict[str, Any]]:
    """What each layer of a built model makes and computes for one image, in a forward pass.

    ``values`` counts the numbers a layer outputs: every one of them is read and written by the
    layers that only work value by value (normalisation, ReLU, dropout). ``multiplications`` counts
    the multiply-adds of a ``Conv2D`` (output height x width x filters x kernel height x kernel
    width x input channels) or a ``Dense`` layer (inputs x units); other layers are counted as 0,
    although they do work too (pooling compares, normalisation scales).

    Args:
        model: A built Keras model whose layers have known output shapes, e.g. ``build_cnn()``.

    Returns:
        One dict per layer, in order: ``layer`` (its class name), ``shape`` (its output for one
        image, a tuple), ``values`` and ``multiplications`` (ints).

    Raises:
        ValueError: ``model`` is not a built Keras model.
    """
    layers = getattr(model, "layers", None)
    if layers is None or not getattr(model, "built", False):
        raise ValueError(f"model must be a built Keras model such as models.build_cnn(); got {type(model).__name__}.")
    rows = []
    for layer in layers:
        shape = tuple(int(size) for size in layer.output.shape[1:])
        kind = type(layer).__name__
        if kind == "Conv2D":
            kernel_height, kernel_width, channels, filters = (int(size) for size in layer.kernel.shape)
            multiplications = math.prod(shape[:2]) * filters * kernel_height * kernel_width * channels
        elif kind == "Dense":
            multiplications = math.prod(int(size) for size in layer.kernel.shape)
        else:
            multiplications = 0
        rows.append({"layer": kind, "shape": shape, "values": math.prod(shape), "multiplications": multiplications})
    return rows


def cost_table(model: Any) -> str:
    """``layer_costs(model)`` as a text table, one line per layer and a line of totals.

    Args:
        model: A built Keras model, e.g. ``build_cnn()``.

    Returns:
        The table, ready to print.
    """
    rows = layer_costs(model)
    lines = [f"{'layer':<20} {'output per image':>16} {'values':>8} {'multiplications':>16}"]
    for row in rows:
        shape = " x ".join(map(str, row["shape"]))
        lines.append(f"{row['layer']:<20} {shape:>16} {row['values']:>8,} {row['multiplications']:>16,}")
    lines.append(f"{'total':<20} {'':>16} {sum(row['values'] for row in rows):>8,} "
                 f"{sum(row['multiplications'] for row in rows):>16,}")
    return "\n".join(lines)


def compile_cnn(model: Any, learning_rate: float, total_steps: int) -> Any:
    """Compiles as notebook 09 does: Adam whose learning rate falls to 0 along a cosine.

    Args:
        model: A Keras model.
        learning_rate: The learning rate at the start.
        total_steps: Training steps in all (epochs x batches per epoch), over which it decays.

    Returns:
        The same model, compiled.
    """
    runtime.import_tensorflow()
    import keras  # noqa: PLC0415

    schedule = keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=total_steps)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=schedule),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        steps_per_execution=STEPS_PER_EXECUTION,
    )
    return model


def build_augmentation(seed: int | None = None) -> Any:
    """Builds notebook 11's augmentation: small random turns, shifts and zooms, in training only.

    Args:
        seed: Seeds the random layers; ``None`` takes them from Keras's global seed.

    Returns:
        A ``keras.Sequential`` named ``augmentation`` that leaves images unchanged at inference.
    """
    runtime.import_tensorflow()
    import keras  # noqa: PLC0415

    return keras.Sequential(
        [
            keras.layers.RandomRotation(factor=0.05, fill_mode="constant", seed=seed),
            keras.layers.RandomTranslation(height_factor=0.1, width_factor=0.1, fill_mode="constant", seed=seed),
            keras.layers.RandomZoom(height_factor=0.1, fill_mode="constant", seed=seed),
        ],
        name="augmentation",
    )

"""Benchmark: notebook 09's CNN against the Keras example "Simple MNIST convnet", in one process.

The reference is ``helpers.models.build_reference_cnn``, the network of the Keras example "Simple
MNIST convnet" (keras.io/examples/vision/mnist_convnet): 34,826 parameters, trained as the example
trains it: Adam at its default learning rate, batch 128, 15 epochs, 10% of the training images held
out for validation. The course's network is ``helpers.models.build_cnn`` compiled with
``helpers.models.compile_cnn``, trained as notebook 09 trains it (batch 128, 5 epochs, learning rate
0.004 falling along a cosine). With ``--pool-last`` it also trains the course's network with each
block in the more common order (convolution, normalisation, ReLU, then pooling), to measure what
pooling first saves.

Shared virtual machines are noisy, so the script:
- first trains each network for one short, untimed epoch, so that no timed run pays the process's
  one-off start-up costs;
- runs the networks ``--repeats`` times, each repeat in a rotated order;
- prints every run, the ratio of the best fit times, and the ratio within each repeat.

Run it from anywhere:  python benchmarks/cnn_speed.py [--repeats 2] [--seed 0] [--pool-last]
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

from arguments import positive_int
from helpers import data, evaluation, models, preprocessing, runtime

REFERENCE = "Keras example 'Simple MNIST convnet' (15 epochs)"
COURSE = "notebook 09's CNN (5 epochs)"
POOL_LAST = "notebook 09's CNN, pooling last (5 epochs)"
BATCH_SIZE = 128
COURSE_EPOCHS = 5
COURSE_LEARNING_RATE = 0.004


def build_pool_last():
    """Notebook 09's network with each block ordered convolution, normalisation, ReLU, pooling."""
    import keras

    layers = models.build_cnn().layers
    reordered = []
    for layer in layers:
        if isinstance(layer, keras.layers.MaxPooling2D):
            continue
        reordered.append(layer.__class__.from_config(layer.get_config()))
        if isinstance(layer, keras.layers.ReLU):
            reordered.append(keras.layers.MaxPooling2D(pool_size=2))
    return keras.Sequential([keras.Input(shape=(28, 28, 1)), *reordered], name="cnn_pool_last")


def train_once(name: str, seed: int, splits, examples: int | None = None, epochs: int | None = None
               ) -> tuple[float, float]:
    """Trains a fresh network and returns (seconds in ``fit``, test accuracy).

    Args:
        name: ``REFERENCE``, ``COURSE`` or ``POOL_LAST``.
        seed: Seed for weights and shuffling.
        splits: ``((x_train, y_train), (x_test, y_test))``, scaled, with a channel axis.
        examples: Train on only the first ``examples`` images (for the warm-up); None for all.
        epochs: Overrides the network's own epoch count (for the warm-up).
    """
    import keras

    (x_train, y_train), (x_test, y_test) = splits
    x_train, y_train = x_train[:examples], y_train[:examples]
    keras.backend.clear_session()
    runtime.set_seed(seed)
    if name == REFERENCE:
        epochs = epochs or 15
        model = models.build_reference_cnn()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        fit_options = {"validation_split": 0.1}
    else:
        epochs = epochs or COURSE_EPOCHS
        total_steps = epochs * math.ceil(len(x_train) / BATCH_SIZE)
        network = models.build_cnn() if name == COURSE else build_pool_last()
        model = models.compile_cnn(network, COURSE_LEARNING_RATE, total_steps)
        fit_options = {}
    started = time.perf_counter()
    model.fit(x_train, y_train, epochs=epochs, batch_size=BATCH_SIZE, verbose=0, **fit_options)
    seconds = time.perf_counter() - started
    predicted = evaluation.predicted_labels(keras.ops.convert_to_numpy(model(x_test, training=False)))
    return seconds, evaluation.accuracy(y_test, predicted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=positive_int, default=2,
                        help="timed runs of each network, in rotated order (default 2)")
    parser.add_argument("--pool-last", action="store_true",
                        help="also train the course's network with pooling after normalisation and ReLU")
    arguments = parser.parse_args()

    runtime.import_tensorflow()
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    splits = ((preprocessing.scale_pixels(x_train)[..., None], y_train),
              (preprocessing.scale_pixels(x_test)[..., None], y_test))
    names = [REFERENCE, COURSE] + ([POOL_LAST] if arguments.pool_last else [])

    for name in names:
        train_once(name, arguments.seed, splits, examples=2048, epochs=1)  # untimed warm-up

    times: dict[str, list[float]] = {name: [] for name in names}
    accuracies: dict[str, list[float]] = {name: [] for name in names}
    for repeat in range(arguments.repeats):
        shift = repeat % len(names)
        for name in names[shift:] + names[:shift]:
            seconds, accuracy = train_once(name, arguments.seed, splits)
            times[name].append(seconds)
            accuracies[name].append(accuracy)
            print(f"run {repeat + 1}  {name:50} fit {seconds:7.1f} s   test accuracy {accuracy:.4f}", flush=True)

    print()
    for name in names:
        print(f"{name:50} best fit {min(times[name]):7.1f} s of {arguments.repeats} run(s), "
              f"test accuracy {statistics.mean(accuracies[name]):.4f}")
    for name in names[1:]:
        print(f"time ratio of the best runs ({name} / reference): {min(times[name]) / min(times[REFERENCE]):.3f}")
        pairs = [mine / reference for mine, reference in zip(times[name], times[REFERENCE])]
        print(f"  within each repeat: {', '.join(f'{ratio:.3f}' for ratio in pairs)}; "
              f"median {statistics.median(pairs):.3f}")


if __name__ == "__main__":
    main()

"""Benchmark: notebook 08's CNN against the Keras example "Simple MNIST convnet", in one process.

The reference is the network of the Keras example "Simple MNIST convnet" (keras.io/examples/vision/
mnist_convnet): Conv2D(32, 3) and Conv2D(64, 3) with ReLU, each followed by 2 x 2 max pooling, then
Flatten, Dropout(0.5) and a softmax Dense(10), 34,826 parameters, trained as the example trains it:
Adam at its default learning rate, batch 128, 15 epochs, 10% of the training images held out for
validation. The course's network is ``helpers.models.build_cnn`` compiled with
``helpers.models.compile_cnn``, trained as notebook 08 trains it (batch 128, 4 epochs, learning
rate 0.004 falling along a cosine).

Shared virtual machines are noisy, so the script:
- first trains each network for one short, untimed epoch, so that neither timed run pays the
  process's one-off start-up costs;
- runs the two ``--repeats`` times in alternating order (reference-course, course-reference, ...);
- prints every run, the ratio of the two best fit times, and the ratio within each adjacent pair.

Run it from anywhere:  python benchmarks/cnn_speed.py [--repeats 2] [--seed 0]
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

from arguments import positive_int
from helpers import data, evaluation, models, preprocessing, runtime

REFERENCE = "Keras example 'Simple MNIST convnet' (15 epochs)"
COURSE = "notebook 08's CNN (4 epochs)"
BATCH_SIZE = 128


def build_reference():
    """The Keras example's network, uncompiled."""
    import keras

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


def train_once(name: str, seed: int, splits, examples: int | None = None, epochs: int | None = None
               ) -> tuple[float, float]:
    """Trains a fresh network and returns (seconds in ``fit``, test accuracy).

    Args:
        name: ``REFERENCE`` or ``COURSE``.
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
        model = build_reference()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        fit_options = {"validation_split": 0.1}
    else:
        epochs = epochs or 4
        total_steps = epochs * math.ceil(len(x_train) / BATCH_SIZE)
        model = models.compile_cnn(models.build_cnn(), 0.004, total_steps)
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
                        help="timed runs of each network, in alternating order (default 2)")
    arguments = parser.parse_args()

    runtime.import_tensorflow()
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    splits = ((preprocessing.scale_pixels(x_train)[..., None], y_train),
              (preprocessing.scale_pixels(x_test)[..., None], y_test))

    for name in (REFERENCE, COURSE):
        train_once(name, arguments.seed, splits, examples=2048, epochs=1)  # untimed warm-up

    times: dict[str, list[float]] = {REFERENCE: [], COURSE: []}
    accuracies: dict[str, list[float]] = {REFERENCE: [], COURSE: []}
    for repeat in range(arguments.repeats):
        order = (REFERENCE, COURSE) if repeat % 2 == 0 else (COURSE, REFERENCE)
        for name in order:
            seconds, accuracy = train_once(name, arguments.seed, splits)
            times[name].append(seconds)
            accuracies[name].append(accuracy)
            print(f"run {repeat + 1}  {name:50} fit {seconds:7.1f} s   test accuracy {accuracy:.4f}", flush=True)

    print()
    for name in (REFERENCE, COURSE):
        print(f"{name:50} best fit {min(times[name]):7.1f} s of {arguments.repeats} run(s), "
              f"test accuracy {statistics.mean(accuracies[name]):.4f}")
    print(f"time ratio of the best runs (course / reference): {min(times[COURSE]) / min(times[REFERENCE]):.3f}")
    pairs = [course / reference for course, reference in zip(times[COURSE], times[REFERENCE])]
    print(f"time ratio within each pair: {', '.join(f'{ratio:.3f}' for ratio in pairs)}; "
          f"median {statistics.median(pairs):.3f}")


if __name__ == "__main__":
    main()

"""Benchmark: the original's plain ``fit`` against ``fit`` with ``steps_per_execution``.

Trains the hidden-layer model (Dense(100, relu), Dense(10, sigmoid); Adam; 5 epochs; batch size 32)
twice in one process, on the same data with the same seed: once at Keras's default of one step per
call into TensorFlow, once with ``helpers.models.STEPS_PER_EXECUTION``. It prints the time spent in
``fit`` and the test accuracy of each, and the ratio of the two times.

Run it from anywhere:  python benchmarks/training_speed.py [--epochs 5] [--repeats 1]
"""

from __future__ import annotations

import argparse
import time

from helpers import data, evaluation, models, preprocessing, runtime


def train_once(steps_per_execution: int, seed: int, epochs: int, splits) -> tuple[float, float]:
    """Returns (seconds in fit, test accuracy) for one training run."""
    import keras

    (x_train, y_train), (x_test, y_test) = splits
    keras.backend.clear_session()
    runtime.set_seed(seed)
    model = models.compile_like_original(models.build_hidden_layer_model(100), steps_per_execution)
    started = time.perf_counter()
    model.fit(x_train, y_train, epochs=epochs, batch_size=32, verbose=0)
    seconds = time.perf_counter() - started
    predicted = evaluation.predicted_labels(model.predict(x_test, batch_size=1024, verbose=0))
    return seconds, evaluation.accuracy(y_test, predicted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=1, help="runs of each setting, alternated")
    arguments = parser.parse_args()

    runtime.import_tensorflow()
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    splits = ((preprocessing.preprocess(x_train), y_train), (preprocessing.preprocess(x_test), y_test))
    settings = {"plain fit (steps_per_execution=1)": 1,
                f"steps_per_execution={models.STEPS_PER_EXECUTION}": models.STEPS_PER_EXECUTION}
    results = {name: [] for name in settings}
    for _ in range(arguments.repeats):
        for name, steps in settings.items():
            results[name].append(train_once(steps, arguments.seed, arguments.epochs, splits))
    for name, runs in results.items():
        best = min(seconds for seconds, _ in runs)
        accuracies = ", ".join(f"{accuracy:.4f}" for _, accuracy in runs)
        print(f"{name:<40} fit {best:6.1f} s (best of {len(runs)})   test accuracy {accuracies}")
    plain, fast = (min(seconds for seconds, _ in runs) for runs in results.values())
    plain_accuracy, fast_accuracy = (runs[0][1] for runs in results.values())
    print(f"time ratio (steps_per_execution / plain): {fast / plain:.3f}")
    print(f"accuracy difference: {abs(fast_accuracy - plain_accuracy) * 100:.2f} points")


if __name__ == "__main__":
    main()

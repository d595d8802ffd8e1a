"""Benchmark: the original's plain ``fit`` against ``fit`` with ``steps_per_execution``.

Trains one of the original's models (by default the hidden-layer one: Dense(100, relu),
Dense(10, sigmoid); Adam; 5 epochs; batch size 32) in one process, on the same data with the same
seed: at Keras's default of one step per call into TensorFlow, and with
``helpers.models.STEPS_PER_EXECUTION``, as notebooks 03 and 05 do.

Shared virtual machines are noisy, so the script:
- first trains each setting for one short, untimed epoch, so that neither timed run pays the
  process's one-off start-up costs;
- runs the settings ``--repeats`` times in alternating order (plain-fast, fast-plain, ...), so that
  a slow spell of the machine does not always fall on the same setting;
- prints every run, the ratio of the two best times, and the ratio within each adjacent pair with
  their median, so that one run of the script shows its own spread.

Run it from anywhere:  python benchmarks/training_speed.py [--model hidden|single] [--epochs 5]
                        [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

from arguments import positive_int
from helpers import data, evaluation, models, preprocessing, runtime

PLAIN = "plain fit (steps_per_execution=1)"
FAST = f"steps_per_execution={models.STEPS_PER_EXECUTION}"
SETTINGS = {PLAIN: 1, FAST: models.STEPS_PER_EXECUTION}
BUILDERS = {"hidden": lambda: models.build_hidden_layer_model(100),
            "single": models.build_single_layer_model}


def train_once(model_name: str, steps_per_execution: int, seed: int, epochs: int, splits,
               examples: int | None = None) -> tuple[float, float]:
    """Trains a fresh model and returns (seconds in ``fit``, test accuracy).

    Args:
        model_name: A key of ``BUILDERS``: "hidden" (notebook 06) or "single" (notebook 05).
        steps_per_execution: Training steps per call into TensorFlow; 1 is Keras's default.
        seed: Seed for weights and shuffling, so that both settings do the same arithmetic.
        epochs: Passes over the training images.
        splits: ``((x_train, y_train), (x_test, y_test))``, preprocessed.
        examples: Train on only the first ``examples`` images (for the warm-up); None for all.
    """
    import keras

    (x_train, y_train), (x_test, y_test) = splits
    keras.backend.clear_session()
    runtime.set_seed(seed)
    model = models.compile_like_original(BUILDERS[model_name](), steps_per_execution)
    started = time.perf_counter()
    model.fit(x_train[:examples], y_train[:examples], epochs=epochs, batch_size=32, verbose=0)
    seconds = time.perf_counter() - started
    # The model is called directly, not through model.predict: a new predict function for every
    # model would make TensorFlow warn about retracing, and the predicted labels are the same.
    predicted = evaluation.predicted_labels(keras.ops.convert_to_numpy(model(x_test, training=False)))
    return seconds, evaluation.accuracy(y_test, predicted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=sorted(BUILDERS), default="hidden",
                        help="the hidden-layer model of notebook 06 (default) or the single layer of 05")
    parser.add_argument("--epochs", type=positive_int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=positive_int, default=3,
                        help="timed runs of each setting, in alternating order (default 3)")
    arguments = parser.parse_args()

    runtime.import_tensorflow()
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    splits = ((preprocessing.preprocess(x_train), y_train), (preprocessing.preprocess(x_test), y_test))
    for steps in SETTINGS.values():
        train_once(arguments.model, steps, arguments.seed, 1, splits, examples=6400)

    print(f"model: {arguments.model}, {arguments.epochs} epochs at batch size 32, seed {arguments.seed}")
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in SETTINGS}
    for repeat in range(arguments.repeats):
        order = list(SETTINGS) if repeat % 2 == 0 else list(reversed(SETTINGS))
        for name in order:
            seconds, accuracy = train_once(arguments.model, SETTINGS[name], arguments.seed,
                                           arguments.epochs, splits)
            results[name].append((seconds, accuracy))
            print(f"run {repeat + 1}  {name:<36} fit {seconds:6.2f} s   test accuracy {accuracy:.4f}",
                  flush=True)

    print()
    times = {name: [seconds for seconds, _ in runs] for name, runs in results.items()}
    for name, seconds in times.items():
        print(f"{name:<36} best fit {min(seconds):6.2f} s of {len(seconds)} runs")
    pairs = [fast / plain for fast, plain in zip(times[FAST], times[PLAIN])]
    print(f"time ratio of the best runs (steps_per_execution / plain): "
          f"{min(times[FAST]) / min(times[PLAIN]):.3f}")
    print(f"time ratio within each pair: {', '.join(f'{ratio:.3f}' for ratio in pairs)}; "
          f"median {statistics.median(pairs):.3f}")
    accuracy_gap = max(abs(fast[1] - plain[1]) for fast, plain in zip(results[FAST], results[PLAIN]))
    print(f"largest test-accuracy difference within a pair: {accuracy_gap * 100:.2f} points")


if __name__ == "__main__":
    main()

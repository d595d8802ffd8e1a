"""GPU check: the series' quick settings on a GPU, twice with the same seed, and whether the runs agree.

Runs ``python -m helpers.series`` on the quick settings of the test suite (one epoch, 20,000
training images, a one-point grid for notebook 12) two times, each in its own output folder, and
prints for each model its test accuracy and training time in both runs, and whether the two runs
gave the same accuracy (``helpers.runtime.set_seed`` turns on TensorFlow's deterministic operations
when it sees a GPU, so they should). It also prints the device line every training notebook prints.

On a machine where TensorFlow sees no GPU it says so and exits with status 0 without running
anything: this project's own machines have none, so the check has not been run by the project.

Run it from anywhere:  python benchmarks/gpu_check.py [--runs 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

import numpy as np

from arguments import positive_int
from helpers import data, paths, runtime


def quick_subset(folder: pathlib.Path) -> pathlib.Path:
    """The test suite's quick-run data: the first 20,000 training images and the whole test set."""
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    subset = folder / "mnist_subset.npz"
    np.savez_compressed(subset, x_train=x_train[:20000], y_train=y_train[:20000], x_test=x_test, y_test=y_test)
    return subset


def run_series(subset: pathlib.Path, output: pathlib.Path) -> dict:
    """One quick series run; returns its summary.json."""
    command = [sys.executable, "-m", "helpers.series", "-p", "epochs", "1", "-p", "hidden_units_grid", "16",
               "-p", "epochs_grid", "1", "-p", "data_path", str(subset), "--output", str(output)]
    subprocess.run(command, cwd=paths.REPOSITORY_ROOT, check=True)
    return json.loads((output / "summary.json").read_text())


def models(summary: dict) -> dict[str, dict]:
    return {model["model"]: model for run in summary["notebooks"] for model in run["models"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=positive_int, default=2, help="how many runs with the same seed (default 2)")
    parser.add_argument("--keep", help="keep the runs' output folders here instead of a temporary folder")
    arguments = parser.parse_args()
    tensorflow = runtime.import_tensorflow()
    print(runtime.describe_device())
    if not tensorflow.config.list_physical_devices("GPU"):
        print("No GPU visible to TensorFlow: nothing to check on this machine. Install TensorFlow with CUDA "
              "(pip install 'tensorflow[and-cuda]==2.21.0' on Linux) on a machine with an NVIDIA GPU and rerun.")
        return 0
    with tempfile.TemporaryDirectory(prefix="gpu-check-") as scratch:
        root = pathlib.Path(arguments.keep or scratch)
        root.mkdir(parents=True, exist_ok=True)
        subset = quick_subset(root)
        summaries = [run_series(subset, root / f"run{index + 1}") for index in range(arguments.runs)]
    runs = [models(summary) for summary in summaries]
    print(f"{'model':<15}" + "".join(f"  run {i + 1}: accuracy, fit (s)" for i in range(len(runs))) + "  same accuracy")
    all_same = True
    for name in runs[0]:
        accuracies = [run[name]["test_accuracy"] for run in runs]
        same = len(set(accuracies)) == 1
        all_same &= same
        cells = "".join(f"  {run[name]['test_accuracy']:>15.4f}, {run[name]['train_seconds']:>6.1f}" for run in runs)
        print(f"{name:<15}{cells}  {'yes' if same else 'NO'}")
    print("every run gave the same accuracies:", "yes" if all_same else "NO")
    return 0 if all_same else 1


if __name__ == "__main__":
    sys.exit(main())

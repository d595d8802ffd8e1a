"""Benchmark: how long a data-only notebook takes to start, against importing TensorFlow.

Each measurement runs in a fresh interpreter of this environment, so nothing is cached in memory:
1. ``from helpers import data; data.load_mnist()``: what notebook 01 needs, and it checks that
   TensorFlow was not imported;
2. ``import tensorflow``: what every later notebook pays once.
Prints the best of ``--repeats`` runs of each and their ratio.

Run it from anywhere:  python benchmarks/startup.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from arguments import positive_int

DATA_ONLY = (
    "import sys\n"
    "from helpers import data\n"
    "data.load_mnist()\n"
    "assert 'tensorflow' not in sys.modules, 'loading the data imported TensorFlow'\n"
)
TENSORFLOW = "import tensorflow\n"


def best_seconds(code: str, repeats: int) -> float:
    """The fastest wall-clock time of ``repeats`` fresh interpreters running ``code``."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=positive_int, default=5)
    arguments = parser.parse_args()
    empty = best_seconds("pass\n", arguments.repeats)
    data_only = best_seconds(DATA_ONLY, arguments.repeats)
    tensorflow = best_seconds(TENSORFLOW, arguments.repeats)
    print(f"empty interpreter                    {empty:5.2f} s")
    print(f"import helpers + load_mnist()        {data_only:5.2f} s")
    print(f"import tensorflow                    {tensorflow:5.2f} s")
    print(f"ratio (data only / import tensorflow): {data_only / tensorflow:.2f}")


if __name__ == "__main__":
    main()

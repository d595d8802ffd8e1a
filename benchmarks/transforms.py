"""Benchmark: helpers.transforms.transform_images in blocks of images against all images at once.

Notebook 11 moves and turns every test digit (``perturbed_test_set``) and, for its curves, 2,000
digits per shift and per angle, in the notebook at its defaults and in every quick run of the tests.
``transform_images`` does the same arithmetic on blocks of 256 images, so that its temporary arrays
fit in the processor's cache; this script times it against one call of the block function on every
image at once (the way the function worked before), checks that both give the same pixels, and
prints the ratio of the best times.

Run it from anywhere:  python benchmarks/transforms.py [--repeats 3] [--count 10000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from arguments import positive_int
from helpers import data, transforms


def best_time(function, repeats: int) -> tuple[float, np.ndarray]:
    """The shortest of ``repeats`` wall-clock times of ``function()``, and its result."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=positive_int, default=3, help="timed runs of each way (default 3)")
    parser.add_argument("--count", type=positive_int, default=10000, help="test digits to move (default 10000)")
    arguments = parser.parse_args()
    _, (x_test, _) = data.load_mnist()
    images = np.resize(x_test, (arguments.count, 28, 28))
    generator = np.random.default_rng(0)
    angles = generator.uniform(-20, 20, arguments.count)
    shifts = generator.uniform(-4, 4, (arguments.count, 2))
    at_once, whole = best_time(lambda: transforms._transform_block(images, angles, shifts), arguments.repeats)
    blocks, blocked = best_time(lambda: transforms.transform_images(images, angles, shifts), arguments.repeats)
    print(f"{arguments.count} digits, best of {arguments.repeats}: all at once {at_once:.2f} s, "
          f"in blocks of {transforms._BLOCK} {blocks:.2f} s")
    print(f"same pixels: {np.array_equal(whole, blocked)}; blocks are {at_once / blocks:.1f} times as fast")


if __name__ == "__main__":
    main()

"""Benchmark: how long ``pytest --nbval`` takes on the notebooks, and the peak memory of a kernel.

Runs ``python -m pytest --nbval notebooks/...`` (the same options as the README's test command, but
one notebook at a time: ``-n 0`` turns pytest-xdist's workers off, so the time is the notebooks' own
and each kernel is a child of pytest) in a subprocess and, while it runs, samples the resident
memory of every Jupyter kernel it starts.
Prints the wall time, each notebook's kernel peak and the largest, in MiB.

Run it from anywhere:  python benchmarks/notebooks.py [NOTEBOOK ...]   (default: all numbered ones)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import psutil
from kernels import kernel_memory

from helpers import paths, series


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="notebook files; default: every numbered notebook")
    arguments = parser.parse_args()
    notebooks = arguments.notebooks or [str(path) for path in series.discover_notebooks()]
    command = [sys.executable, "-m", "pytest", "-q", "-n", "0", *notebooks]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=paths.REPOSITORY_ROOT, stdout=subprocess.PIPE, text=True)
    parent = psutil.Process(process.pid)
    peaks: dict[int, int] = {}
    nested: set[int] = set()  # Kernels started by a notebook (notebook 12 runs notebook 06).
    order: list[int] = []
    while process.poll() is None:
        kernels = kernel_memory(parent)
        if kernels is None:
            break
        for pid, (rss, parent_pid) in kernels.items():
            if parent_pid != process.pid:
                nested.add(pid)
            if pid not in peaks:
                order.append(pid)
            peaks[pid] = max(peaks.get(pid, 0), rss)
        time.sleep(0.1)
    output = process.communicate()[0]
    seconds = time.perf_counter() - started
    print(output.strip().splitlines()[-1])
    print(f"pytest --nbval on {len(notebooks)} notebook(s): {seconds:.1f} s wall time")
    top_level = [pid for pid in order if pid not in nested]
    names = [path.rsplit("/", 1)[-1] for path in notebooks] if len(top_level) == len(notebooks) else []
    for index, pid in enumerate(top_level):
        name = names[index] if names else f"kernel {pid}"
        print(f"  kernel peak memory {peaks[pid] / 2**20:7.0f} MiB   {name}")
    if nested:
        largest = max(peaks[pid] for pid in nested)
        print(f"  {len(nested)} kernels started by the notebooks themselves, largest peak {largest / 2**20:.0f} MiB")
    if peaks:
        print(f"largest kernel peak: {max(peaks.values()) / 2**20:.0f} MiB")
    sys.exit(process.returncode)


if __name__ == "__main__":
    main()

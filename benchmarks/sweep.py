"""Benchmark: one sweep of notebook 06 on one local Dask worker against two, and a run's peak memory.

Runs ``python -m helpers.sweep 06 -p hidden_units 16,32,64,128 -p epochs 1 --seeds 0,1`` (eight
configurations) with ``--workers 1`` and with ``--workers 2``, in alternating order ``--repeats``
times, each into a new folder, and prints the wall time of each sweep (cluster start included),
the ratio of the medians, and the test accuracies, which must not depend on the number of workers
beyond what the thread count changes. While each sweep runs it samples the memory of every kernel
the sweep starts, and prints the largest: the figure behind ``helpers.sweep.RUN_MEMORY_BYTES``.
``--cnn`` adds one run of notebook 09 (``-p epochs 1``) for the CNN's kernel peak.

    python benchmarks/sweep.py [--repeats 1] [--cnn]
"""

from __future__ import annotations

import argparse
import json
import pathlib
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import psutil
from kernels import kernel_memory

REPOSITORY = pathlib.Path(__file__).resolve().parent.parent
GRID = ["-p", "hidden_units", "16,32,64,128", "-p", "epochs", "1", "--seeds", "0,1"]


def _kernel_peak(process: psutil.Process, stop: threading.Event, peak: list[int]) -> None:
    """Samples every ipykernel below ``process`` every 0.2 s; keeps the largest resident size."""
    while not stop.is_set():
        kernels = kernel_memory(process)
        if kernels is None:
            return
        peak[0] = max([peak[0], *(rss for rss, _ in kernels.values())])
        stop.wait(0.2)


def run_sweep(arguments: list[str], output: pathlib.Path) -> tuple[float, int, dict]:
    """Runs one sweep; returns its wall time, the largest kernel's peak memory and its summary."""
    command = [sys.executable, "-m", "helpers.sweep", *arguments, "--output", str(output), "--no-progress"]
    started = time.perf_counter()
    sweeping = subprocess.Popen(command, cwd=REPOSITORY, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stop, peak = threading.Event(), [0]
    sampler = threading.Thread(target=_kernel_peak, args=(psutil.Process(sweeping.pid), stop, peak), daemon=True)
    sampler.start()
    stdout, stderr = sweeping.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    if sweeping.returncode != 0:
        raise SystemExit(f"the sweep failed (exit status {sweeping.returncode}):\n{stdout}\n{stderr}")
    return seconds, peak[0], json.loads((output / "summary.json").read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1, help="sweeps per worker count (default 1)")
    parser.add_argument("--cnn", action="store_true", help="also one run of notebook 09 for its kernel's peak")
    options = parser.parse_args()
    import dask.system

    print(f"{dask.system.CPU_COUNT} cores, {psutil.virtual_memory().total / 2**30:.1f} GiB; "
          f"notebook 06, {' '.join(GRID)} (8 configurations)")
    times: dict[int, list[float]] = {1: [], 2: []}
    accuracies: dict[int, list[float]] = {}
    largest = 0
    with tempfile.TemporaryDirectory() as folder:
        for repeat in range(options.repeats):
            order = (1, 2) if repeat % 2 == 0 else (2, 1)
            for workers in order:
                output = pathlib.Path(folder) / f"workers-{workers}-{repeat}"
                seconds, peak, summary = run_sweep(["06", *GRID, "--workers", str(workers)], output)
                largest = max(largest, peak)
                times[workers].append(seconds)
                accuracies[workers] = [model["test_accuracy"] for entry in summary["configurations"]
                                       for model in entry["models"]]
                print(f"  {workers} worker(s): {seconds:6.1f} s for the sweep; largest kernel {peak / 2**20:.0f} MiB; "
                      f"test accuracies {min(accuracies[workers]):.4f} to {max(accuracies[workers]):.4f}")
        one, two = statistics.median(times[1]), statistics.median(times[2])
        print(f"median sweep: 1 worker {one:.1f} s, 2 workers {two:.1f} s; "
              f"2 workers take {two / one:.2f} of the time of 1 ({one / two:.2f}x as fast)")
        gaps = [abs(a - b) for a, b in zip(accuracies[1], accuracies[2])]
        print(f"largest difference of a configuration's test accuracy between the two: {max(gaps):.4f}")
        print(f"largest kernel of notebook 06: {largest / 2**20:.0f} MiB")
        if options.cnn:
            seconds, peak, _ = run_sweep(["09", "-p", "epochs", "1", "--seeds", "0", "--workers", "1"],
                                         pathlib.Path(folder) / "cnn")
            print(f"notebook 09 at one epoch: {seconds:.1f} s; its kernel's peak {peak / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()

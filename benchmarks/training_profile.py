"""Profile: where the time of the original's ``fit`` goes, with ``steps_per_execution``.

Trains one of the original's models as notebooks 05 and 06 do (``helpers.models.compile_like_original``:
Adam, sparse categorical cross-entropy, ``steps_per_execution=100``; batch size 32; 10% held out for
validation) once for a short untimed warm-up, then traces ``--epochs`` epochs of ``fit`` with
TensorFlow's profiler and sums the trace by thread and by event:

- TensorFlow's executor threads (``tf_Compute``): the time inside op kernels, by op type (the
  arithmetic), and the rest of their busy time, which is the executor scheduling ops one by one;
- the input pipeline's threads (``tf_data``): slicing and shuffling batches out of the arrays;
- the Python thread: Keras's ``fit`` loop, its callbacks, and building its ``tf.function``s.

Threads run in parallel on the cores, so the thread times add up to more than the wall time. The
trace is read with the XPlane protocol buffer that TensorFlow ships (``tensorflow.tsl.profiler``);
nothing else is installed. The profiler slows ``fit`` down a little, so compare shares, not seconds,
with ``benchmarks/training_speed.py``.

Run it from anywhere:  python benchmarks/training_profile.py [--model hidden|single] [--epochs 1]
                        [--top 8]
"""

from __future__ import annotations

import argparse
import collections
import os
import pathlib
import tempfile
import time

from arguments import positive_int
from training_speed import BUILDERS

from helpers import data, models, preprocessing, runtime


def busy_seconds(events: list[tuple[int, int]]) -> float:
    """Seconds covered by a thread's events, counting nested or overlapping events once.

    Args:
        events: ``(start, duration)`` pairs in picoseconds.
    """
    covered, end = 0, None
    for start, duration in sorted(events):
        stop = start + duration
        if end is None or start >= end:
            covered += duration
            end = stop
        elif stop > end:
            covered += stop - end
            end = stop
    return covered / 1e12


def summarise(trace: pathlib.Path) -> dict[str, dict]:
    """Sums a profiler trace (an ``.xplane.pb`` file) by kind of thread.

    Returns:
        ``{"executor": ..., "input": ..., "python": ...}``; each holds ``busy`` (seconds), ``threads``
        and ``events`` (a Counter of seconds by event name); the executor's also has ``kernels``
        (a Counter of seconds by op type) and ``op_count``.
    """
    from tensorflow.tsl.profiler.protobuf import xplane_pb2  # noqa: PLC0415

    space = xplane_pb2.XSpace()
    space.ParseFromString(trace.read_bytes())
    kinds = {kind: {"busy": 0.0, "threads": 0, "events": collections.Counter()} for kind in ("executor", "input", "python")}
    kinds["executor"].update(kernels=collections.Counter(), op_count=0)
    for plane in space.planes:
        if plane.name != "/host:CPU":
            continue
        for line in plane.lines:
            if line.name.startswith("tf_Compute"):
                kind = "executor"
            elif line.name.startswith("tf_data"):
                kind = "input"
            elif line.name == "python":
                kind = "python"
            else:
                continue
            summary = kinds[kind]
            spans = [(event.offset_ps, event.duration_ps) for event in line.events]
            if not spans:
                continue
            summary["busy"] += busy_seconds(spans)
            summary["threads"] += 1
            for event in line.events:
                name = plane.event_metadata[event.metadata_id].name
                summary["events"][name] += event.duration_ps / 1e12
                if kind == "executor" and name.count(":") == 1:
                    # An op kernel is recorded as "<op name>:<op type>"; TensorFlow's own events
                    # (ExecutorState::Process, ThreadpoolListener::Record, ...) have "::" instead.
                    summary["kernels"][name.rsplit(":", 1)[1]] += event.duration_ps / 1e12
                    summary["op_count"] += 1
    return kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=sorted(BUILDERS), default="hidden",
                        help="the hidden-layer model of notebook 06 (default) or the single layer of 05")
    parser.add_argument("--epochs", type=positive_int, default=1, help="epochs traced (default 1)")
    parser.add_argument("--top", type=positive_int, default=8, help="events listed per thread kind (default 8)")
    arguments = parser.parse_args()

    runtime.import_tensorflow()
    import tensorflow as tf  # noqa: PLC0415

    (x_train, y_train), _ = data.load_mnist()
    x_train = preprocessing.preprocess(x_train)
    runtime.set_seed(0)
    model = models.compile_like_original(BUILDERS[arguments.model]())
    fit_options = {"batch_size": 32, "verbose": 0, "validation_split": models.VALIDATION_SPLIT}
    model.fit(x_train[:6400], y_train[:6400], epochs=1, **fit_options)  # untimed warm-up

    with tempfile.TemporaryDirectory() as folder:
        tf.profiler.experimental.start(folder)
        started = time.perf_counter()
        model.fit(x_train, y_train, epochs=arguments.epochs, **fit_options)
        wall = time.perf_counter() - started
        tf.profiler.experimental.stop()
        trace = max(pathlib.Path(folder).rglob("*.xplane.pb"), key=lambda path: path.stat().st_mtime)
        kinds = summarise(trace)

    training_images = round(len(x_train) * (1 - models.VALIDATION_SPLIT))
    steps = arguments.epochs * -(-training_images // 32)
    validation_steps = arguments.epochs * -(-(len(x_train) - training_images) // 32)
    executor = kinds["executor"]
    kernels = sum(executor["kernels"].values())
    print(f"model: {arguments.model}; traced {arguments.epochs} epoch(s) of fit: {steps:,} training steps of "
          f"batch 32, steps_per_execution={models.STEPS_PER_EXECUTION}, plus validation; {wall:.2f} s wall time "
          f"on {os.cpu_count()} CPU core(s)")
    print()
    print(f"TensorFlow executor: {executor['busy']:.2f} s busy on {executor['threads']} thread(s); "
          f"{executor['op_count']:,} op kernels run, about {executor['op_count'] / (steps + validation_steps):.0f} "
          f"a step ({steps:,} training and {validation_steps:,} validation steps)")
    print(f"  inside op kernels (the arithmetic):  {kernels:6.2f} s  ({kernels / executor['busy']:.0%} of its busy time)")
    print(f"  scheduling ops between kernels:      {executor['busy'] - kernels:6.2f} s  "
          f"({1 - kernels / executor['busy']:.0%})")
    matrix = sum(seconds for op_type, seconds in executor["kernels"].items() if "MatMul" in op_type)
    print(f"    of which matrix multiplications:   {matrix:6.2f} s; all other ops (Adam's element-wise "
          f"updates, activations, loss, metrics): {kernels - matrix:.2f} s")
    for op_type, seconds in executor["kernels"].most_common(arguments.top):
        print(f"    {op_type:<30} {seconds:6.3f} s")
    for kind, title in (("input", "input pipeline (tf.data)"), ("python", "Python thread (Keras's fit loop)")):
        summary = kinds[kind]
        print(f"{title}: {summary['busy']:.2f} s busy on {summary['threads']} thread(s)")
        for name, seconds in summary["events"].most_common(arguments.top):
            print(f"    {name[:60]:<60} {seconds:6.3f} s")


if __name__ == "__main__":
    main()

"""TensorFlow start-up and reproducibility.

TensorFlow's C++ runtime writes a few log lines straight to file descriptor 2 while it is imported
(oneDNN and CPU-feature notices, each with a timestamp). No environment variable removes them all,
and a Jupyter kernel forwards that descriptor into the cell, where a learner would have to read
them and nbval would see a different output on every run. :func:`import_tensorflow` imports
TensorFlow once, and runs its first operation (which looks for a GPU and logs that it found none),
with that descriptor pointed at a temporary file, so the lines never reach a cell;
if the import fails, the captured log is put into the error so that nothing useful is lost.
Only the import is silenced, and one later warning: TensorFlow's advice that a ``tf.function`` was
traced again ("triggered tf.function retracing"), which Keras causes itself whenever a notebook
predicts with several models of the same layout. It is about TensorFlow's internals, a learner can do
nothing about it, and it carries a memory address that changes on every run. Every other warning
that TensorFlow or Keras gives later still shows.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
import time
import types
from collections.abc import Iterator
from typing import Any

_MAX_SEED = 2**32 - 1
#: Whether set_seed has turned on TensorFlow's deterministic operations in this process (GPU only).
_determinism_on = False


class _RetracingFilter(logging.Filter):
    """Drops TensorFlow's "triggered tf.function retracing" warning and lets every other record through."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "triggered tf.function retracing" not in record.getMessage()


_RETRACING_FILTER = _RetracingFilter()


def import_tensorflow() -> types.ModuleType:
    """Imports TensorFlow without letting its start-up log reach the notebook.

    Call it before ``import tensorflow as tf`` in a notebook's Setup; the later import then
    returns the module already loaded. Calling it again costs nothing.

    Returns:
        The ``tensorflow`` module.

    Raises:
        ImportError: TensorFlow is not installed or failed to load; the message holds its log.
    """
    if "tensorflow" in sys.modules:
        sys.modules["tensorflow"].get_logger().addFilter(_RETRACING_FILTER)
        return sys.modules["tensorflow"]
    # Keep TensorFlow's later C++ INFO and WARNING lines (after its logger is set up) out too,
    # unless the user chose a level.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with native_log() as log:
        try:
            import tensorflow  # noqa: PLC0415 - imported here on purpose, see the module docstring.
            import keras  # noqa: F401, PLC0415 - Keras's backend set-up logs the same lines again.

            # The first operation looks for devices and logs a CUDA error on machines without a
            # GPU ("failed call to cuInit"); run one here so that the notice is captured too.
            tensorflow.constant(0)
        except Exception as error:
            raise ImportError(
                f"TensorFlow could not be imported ({error}). Its start-up log said:\n{log.text()}\n"
                "Check that the course environment is active (see README.md, 'Set up')."
            ) from error
    tensorflow.get_logger().addFilter(_RETRACING_FILTER)
    return tensorflow


class NativeLog:
    """What C++ code wrote to file descriptor 2 inside a :func:`native_log` block."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    def text(self) -> str:
        """Everything written so far, stripped; an empty string if nothing was."""
        self._handle.flush()
        self._handle.seek(0)
        return self._handle.read().decode("utf-8", errors="replace").strip()


@contextlib.contextmanager
def native_log() -> Iterator[NativeLog]:
    """Points file descriptor 2 at a temporary file for the block, so C++ log lines skip the notebook.

    TensorFlow's and LiteRT's C++ code writes straight to the descriptor, past ``sys.stderr``; a
    Jupyter kernel forwards it into the cell. The log stays readable through the yielded object,
    for an error message, until the block ends.
    """
    sys.stderr.flush()
    saved_descriptor = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as log_file:
        os.dup2(log_file.fileno(), 2)
        try:
            yield NativeLog(log_file)
        finally:
            os.dup2(saved_descriptor, 2)
            os.close(saved_descriptor)


def set_seed(seed: int) -> None:
    """Seeds Python's ``random``, NumPy and TensorFlow with one call.

    With the same seed, the same code and the same environment, training gives the same weights
    and so the same test accuracy. Different CPUs or library versions may still differ slightly.
    When TensorFlow sees a GPU, it also turns on TensorFlow's deterministic operations, without
    which a GPU gives a slightly different model from the same seed on every run.

    Args:
        seed: A whole number from 0 to 2**32 - 1.

    Raises:
        ValueError: ``seed`` is not a whole number in that range.
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= _MAX_SEED:
        raise ValueError(
            f"seed must be a whole number from 0 to {_MAX_SEED}, got {seed!r} "
            f"({type(seed).__name__})."
        )
    tensorflow = import_tensorflow()
    import keras  # noqa: PLC0415 - TensorFlow is loaded quietly first, above.

    keras.utils.set_random_seed(seed)
    if tensorflow.config.list_physical_devices("GPU"):
        # A GPU's fastest kernels add numbers in an order that changes from run to run, so without
        # this the same seed gives a slightly different model each time. On a CPU TensorFlow's
        # kernels already give the same result every run, and the course's stored outputs were made
        # without this switch, so it is left off there.
        tensorflow.config.experimental.enable_op_determinism()
        global _determinism_on  # noqa: PLW0603 - one switch per process, as TensorFlow's own is.
        _determinism_on = True


def describe_device() -> str:
    """One sentence for a notebook's setup: where TensorFlow will train, and whether runs repeat.

    Returns:
        "Training runs on the CPU ..." when TensorFlow sees no GPU (TensorFlow without CUDA, or a
        machine without one, trains there without saying so), else the first GPU's name and whether
        :func:`set_seed` has turned TensorFlow's deterministic operations on.
    """
    tensorflow = import_tensorflow()
    gpus = tensorflow.config.list_physical_devices("GPU")
    if not gpus:
        return "Training runs on the CPU (TensorFlow finds no GPU it can use on this machine)."
    details = tensorflow.config.experimental.get_device_details(gpus[0])
    name = details.get("device_name", gpus[0].name)
    more = f", and {len(gpus) - 1} more GPU(s) that Keras leaves unused" if len(gpus) > 1 else ""
    deterministic = _determinism_on
    repeat = ("deterministic operations on, so the same seed gives the same model" if deterministic else
              "deterministic operations off until runtime.set_seed is called")
    return f"Training runs on the GPU {name}{more}, with {repeat}."


class Stopwatch:
    """Measures the wall time of a ``with`` block, for example of ``model.fit``.

    Example::

        with runtime.Stopwatch() as clock:
            history = model.fit(x, y, epochs=5)
        print(f"{clock.seconds:.1f} s")

    Attributes:
        seconds: The time the block took; ``None`` until it has ended.
    """

    def __init__(self) -> None:
        self.seconds: float | None = None
        self._started = 0.0

    def __enter__(self) -> Stopwatch:
        self._started = time.perf_counter()
        return self

    def __exit__(self, *exception: object) -> None:
        self.seconds = time.perf_counter() - self._started

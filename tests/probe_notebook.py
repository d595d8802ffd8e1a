"""A probe notebook for the tests of helpers.sweep and helpers.experiments, made on the fly.

It trains nothing: with its parameters ``hidden_units``, ``seed``, ``pause``, ``fail``, ``die_once``,
``marker_dir`` and ``artifacts_dir`` it waits ``pause`` seconds, writes a marker file that holds its
worker's process id (the kernel's parent), fails on purpose or kills its kernel once when asked, and saves
``probe_metrics.json`` with accuracies computed from its parameters and the thread count its
environment gives TensorFlow. It is written into each test's own folder rather than kept under
tests/, where nbval would collect it.
"""

from __future__ import annotations

import pathlib

import nbformat

_PROBE_PARAMETERS = """\
hidden_units = 1
seed = 0
pause = 0.0
fail = False
die_once = False
marker_dir = ""
artifacts_dir = "artifacts"
"""

_PROBE_BODY = """\
import json, os, pathlib, time
if marker_dir:
    pathlib.Path(marker_dir, f"{hidden_units}-{seed}.{os.getpid()}.started").write_text(str(os.getppid()))
if die_once and not pathlib.Path(marker_dir, "died").exists():
    pathlib.Path(marker_dir, "died").write_text("")
    os._exit(1)  # The kernel dies outside any error of its own, the first time only.
time.sleep(pause)
if fail:
    raise ValueError("the probe fails on purpose")
folder = pathlib.Path(artifacts_dir)
folder.mkdir(parents=True, exist_ok=True)
threads = os.environ.get("TF_NUM_INTRAOP_THREADS")
(folder / "probe_metrics.json").write_text(json.dumps({
    "model": "probe", "validation_accuracy": 0.5 + hidden_units / 100 + seed / 1000,
    "test_accuracy": 0.4 + hidden_units / 100, "train_seconds": float(pause), "threads": threads}))
if marker_dir:
    pathlib.Path(marker_dir, f"{hidden_units}-{seed}.{os.getpid()}.done").write_text("")
"""


def write(folder: pathlib.Path) -> pathlib.Path:
    """Writes the probe notebook into ``folder``; returns its path."""
    notebook = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell(_PROBE_PARAMETERS)
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [parameters, nbformat.v4.new_code_cell(_PROBE_BODY)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "probe.ipynb"
    nbformat.write(notebook, path)
    return path

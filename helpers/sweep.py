"""Sweeps a notebook's parameters, on one machine or a Dask cluster: ``python -m helpers.sweep``.

Every combination of the values given with ``-p NAME V1,V2,...`` (times every seed of ``--seeds``)
is one **configuration**: one run of the notebook through papermill, in a kernel of its own. The
runs go to Dask: with no option, a ``LocalCluster`` of this machine with as many workers as its
cores and memory allow; with ``--scheduler ADDRESS``, an existing cluster. A worker runs the
notebook in a temporary folder of its own and returns the executed notebook and the metrics it
saved; only this command writes into the output folder, so the workers need no shared file system
and nothing a dying worker half-wrote is ever used.

The output folder holds ``sweep.json`` (the plan), ``runs/<label>.ipynb`` and ``runs/<label>.json``
for every configuration (the JSON is written last, so its presence means the run is complete),
``summary.json`` and ``summary.md`` (each setting's mean and range over seeds, and the setting chosen
on validation accuracy) and ``accuracy.png``. Running the same command again with the same output
folder keeps every configuration that finished and runs the rest.

Faults: a configuration that fails is reported with its notebook and error and the others go on; a
worker that dies has its configurations run again elsewhere (Dask reschedules them); Ctrl-C stops
the sweep and keeps what finished.

Exit status: 0 when every configuration ran, 1 when one failed, 2 for bad arguments (nothing
written), 130 when interrupted.

Notebook 12's grid (:func:`helpers.experiments.run_grid`) uses the same plan, runs and summary,
one configuration after another in the notebook's own process (:func:`run_serially`).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime
import hashlib
import itertools
import json
import logging
import os
import pathlib
import re
import shutil
import signal
import socket
import statistics
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from helpers import artifacts, catalogue, params, paths, series

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = (
    series.EXIT_OK, series.EXIT_FAILED, series.EXIT_USAGE, series.EXIT_INTERRUPTED)

#: The files and folders of an output folder.
PLAN_FILE, RUNS_FOLDER, LOCK_FILE, PLOT_FILE = "sweep.json", "runs", ".sweep.lock", "accuracy.png"

#: How often the progress line is brought up to date, in seconds.
PROGRESS_SECONDS = 1.0

#: How many times Dask runs a configuration again after its task raised (a worker that cannot
#: write its temporary folder, or whose Python lacks the course). A notebook's own error comes back
#: as a failed run, not as a raise, and is not retried (a kernel that died: KERNEL_START_RETRIES). A
#: worker that dies is a different matter: Dask reschedules its tasks by itself, up to its
#: ``distributed.scheduler.allowed-failures`` (3 by default): the fourth death of one task gives up on it.
TASK_RETRIES = 1

#: How many times a run whose kernel died or did not answer, outside any cell's error, is started
#: again on the same worker before it is reported as failed.
KERNEL_START_RETRIES = 1

#: Memory one run may need, for the default number of local workers. A kernel of notebook 06 or of
#: 09's CNN on the full training set peaked at about 1.2 GiB (benchmarks/sweep.py --cnn prints it:
#: 1228 and 1188 MiB); the rest is for its worker process and the data a notebook of your own loads.
RUN_MEMORY_BYTES = 2 * 1024**3

#: Seconds to wait for a scheduler given with ``--scheduler``.
CONNECT_SECONDS = 10


class UsageError(series.UsageError):
    """A bad argument: reported on one line, exit status 2, nothing written."""


@dataclasses.dataclass(frozen=True)
class Configuration:
    """One run of the sweep: the notebook with one value for each swept parameter and one seed."""

    label: str
    setting: dict[str, Any]
    seed: int | None
    parameters: dict[str, Any]
    key: str


@dataclasses.dataclass
class Plan:
    """What a sweep runs: the notebook, its grid, the seeds and every configuration, in order."""

    notebook: pathlib.Path
    text: str
    grid: dict[str, list[Any]]
    seeds: list[int] | None
    fixed: dict[str, Any]
    configurations: list[Configuration]
    helpers: str = ""

    def as_json(self) -> dict[str, Any]:
        """The plan as ``sweep.json`` records it."""
        return {"notebook": self.notebook.name, "notebook_sha256": _digest(self.text), "grid": self.grid,
                "seeds": self.seeds, "fixed": params.as_json(self.fixed),
                "configurations": [configuration.label for configuration in self.configurations]}


def _digest(text: str | bytes) -> str:
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


def _helpers_digest() -> str:
    """A digest of the course's helpers package: a run kept from before must have run the same code."""
    digest = hashlib.sha256()
    package = pathlib.Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode("utf-8"))
        digest.update(path.read_bytes().replace(b"\r\n", b"\n"))  # A Windows checkout's line ends too.
    return digest.hexdigest()


def _label(setting: Mapping[str, Any], seed: int | None) -> str:
    """A file name for a configuration: ``hidden_units-16_epochs-1_seed-0``."""
    parts = [f"{name}-{value}" for name, value in setting.items()]
    if seed is not None:
        parts.append(f"seed-{seed}")
    label = re.sub(r"[^A-Za-z0-9._=-]+", "~", "_".join(parts) or "run")
    return label[:120]


def resolve_notebook(text: str) -> pathlib.Path:
    """The notebook a sweep names: a course notebook's number (``06``) or name, or a path.

    Raises:
        UsageError: No such notebook.
    """
    if re.fullmatch(r"\d\d", text):
        found = catalogue.notebook_file(text)
        if found is None:
            numbers = ", ".join(notebook.stem[:2] for notebook in catalogue.course_notebooks())
            raise UsageError(f"no course notebook numbered {text}; the notebooks are numbered {numbers}.")
        return found
    path = pathlib.Path(text).expanduser()
    if path.suffix != ".ipynb":
        path = paths.NOTEBOOKS_DIR / f"{text}.ipynb"
    if not path.is_file():
        raise UsageError(f"no notebook at {path}; give a course notebook's number (06), its name "
                         "(06_hidden_layer_model) or the path of a .ipynb file.")
    return path.resolve()


def parse_values(name: str, text: str, option: str | None = None) -> list[Any]:
    """The values of ``-p NAME V1,V2,...``, each parsed as papermill parses a value.

    ``option`` is how the error names the option (``-p NAME`` unless given).

    Raises:
        UsageError: An empty value or one given twice.
    """
    option = option or f"-p {name}"
    pieces = [piece.strip() for piece in str(text).split(",")]
    if any(not piece for piece in pieces):
        raise UsageError(f"{option} {text!r}: an empty value; separate values with commas, as in 16,64,256.")
    values = [series.parse_value(piece) for piece in pieces]
    repeated = [piece for position, piece in enumerate(pieces) if piece in pieces[:position]]
    if repeated:
        raise UsageError(f"{option} {text!r}: {repeated[0]} is given twice; give each value once.")
    return values


def parse_seeds(text: str) -> list[int]:
    """The seeds of ``--seeds 0,1,2``.

    Raises:
        UsageError: A value that is not a seed, or one given twice.
    """
    seeds = []
    for value in parse_values("seed", text, option="--seeds"):
        try:
            seeds.append(params.check("seed", value))
        except ValueError as error:
            raise UsageError(f"--seeds {text}: {error}") from error
    return seeds


def _checked(name: str, value: Any) -> Any:
    """A value checked by the course's rule for its parameter; a notebook's own parameter as given."""
    if name not in params.RULES:
        return value
    try:
        return params.check(name, value)
    except ValueError as error:
        raise UsageError(series._shortened(str(error), 300)) from error


def make_plan(
    notebook: str | pathlib.Path,
    grid: Mapping[str, Sequence[Any]],
    seeds: Sequence[int] | None = None,
    fixed: Mapping[str, Any] | None = None,
    declared: Mapping[str, Any] | None = None,
) -> Plan:
    """Checks a sweep's parameters against the notebook and lists its configurations.

    Args:
        notebook: The notebook's path.
        grid: Parameter name to the values to try; the configurations run in the order of
            ``itertools.product``, each with every seed in turn.
        seeds: Seeds to run every setting with (the notebook's ``seed`` parameter); ``None`` runs
            each setting once, with the notebook's own seed or the one in ``fixed``.
        fixed: Parameters that are the same in every run.
        declared: The notebook's parameters, as :func:`helpers.series.declared_parameters` returns
            them; read from the notebook when not given.

    Returns:
        The plan.

    Raises:
        UsageError: A parameter the notebook does not declare, a value its rule does not allow, an
            empty grid, ``artifacts_dir`` (each run gets a folder of its own) or ``seed`` in the grid.
    """
    path = pathlib.Path(notebook)
    try:
        text = path.read_text(encoding="utf-8")
        declared = series.declared_parameters(path) if declared is None else declared
    except series.UsageError:
        raise
    except Exception as error:  # noqa: BLE001 - not UTF-8, not JSON, not a notebook: one line.
        raise UsageError(f"{path.name} cannot be read as a notebook ({type(error).__name__}: "
                         f"{series._shortened(str(error).splitlines()[0] if str(error) else '', 160)}).") from None
    if not declared:
        raise UsageError(f"{path.name} has no parameters cell (a cell tagged 'parameters'), so there is nothing "
                         "to sweep.")
    fixed = dict(fixed or {})
    if not grid and not seeds:
        raise UsageError("nothing to sweep: give values with -p NAME V1,V2,... or seeds with --seeds 0,1,2.")
    for name in [*grid, *fixed]:
        if name not in declared:
            raise UsageError(f"unknown parameter {name!r}; {path.name} takes: {', '.join(sorted(declared))}.")
        if name == "artifacts_dir":
            raise UsageError("artifacts_dir cannot be set: every run saves into a folder of its own, and the sweep "
                             "keeps each run's metrics in its output folder.")
    if "seed" in grid:
        raise UsageError("to repeat each setting with several seeds, give them with --seeds 0,1,2, not -p seed.")
    if seeds and "seed" not in declared:
        raise UsageError(f"--seeds: {path.name} has no seed parameter; its parameters are "
                         f"{', '.join(sorted(declared))}.")
    if seeds and "seed" in fixed:
        raise UsageError("--seeds and a fixed seed: give one of them.")
    for name, values in grid.items():
        if len(values) == 0:
            raise UsageError(f"-p {name}: give at least one value.")
    checked_grid = {name: [_checked(name, value) for value in values] for name, values in grid.items()}
    for name, values in checked_grid.items():  # 16 and 016, or 0.001 and 1e-3, are one value.
        seen = [json.dumps(value, sort_keys=True, default=str) for value in values]
        repeated = [value for position, value in enumerate(values) if seen[position] in seen[:position]]
        if repeated:
            raise UsageError(f"-p {name}: {repeated[0]!r} is given twice (as two spellings); give each value once.")
    checked_fixed = {name: _checked(name, value) for name, value in fixed.items()}
    base = {"notebook": _digest(text), "helpers": _helpers_digest(), "versions": artifacts.library_versions()}
    configurations = []
    labels: set[str] = set()
    for values in itertools.product(*checked_grid.values()):
        setting = dict(zip(checked_grid, values))
        for seed in (list(seeds) if seeds else [None]):
            parameters = params.as_json({**checked_fixed, **setting, **({"seed": seed} if seed is not None else {})})
            key = _digest(json.dumps({**base, "parameters": parameters}, sort_keys=True))
            label = _label(params.as_json(setting), seed)
            if label in labels:  # Two values that read alike once made into a file name.
                label = f"{label}-{key[:8]}"
            labels.add(label)
            configurations.append(Configuration(label, params.as_json(setting), seed, parameters, key))
    return Plan(path, text, params.as_json(checked_grid), list(seeds) if seeds else None,
                checked_fixed, configurations, base["helpers"])


# --- What a worker does ---------------------------------------------------------------------------

def thread_environment(threads: int | None) -> dict[str, str]:
    """The environment that keeps a run's TensorFlow to ``threads`` threads (none: TensorFlow's own choice)."""
    if not threads:
        return {}
    return {"TF_NUM_INTRAOP_THREADS": str(threads), "TF_NUM_INTEROP_THREADS": str(threads),
            "OMP_NUM_THREADS": str(threads)}


def _threads_here(slots_by_host: Mapping[str, int] | None) -> int | None:
    """This worker's share of its machine's cores: the cores over the runs its host holds at once."""
    if slots_by_host is None:
        return None
    from dask.system import CPU_COUNT  # noqa: PLC0415 - Dask is imported only where a sweep runs on it.
    from distributed import get_worker  # noqa: PLC0415

    from distributed.comm import get_address_host  # noqa: PLC0415

    worker = get_worker()
    host = get_address_host(worker.address)
    slots = slots_by_host.get(host) or worker.state.nthreads
    return max(1, CPU_COUNT // max(1, slots))


def run_configuration(task: Mapping[str, Any]) -> dict[str, Any]:
    """Runs one configuration in a temporary folder and returns what it made; the folder is removed.

    This is what a Dask worker runs, and it needs only the course's environment there: the notebook
    comes with the task, and the executed notebook and the metrics go back with the result.

    Args:
        task: ``label``, ``key``, ``notebook_name``, ``notebook_text``, ``parameters`` and, on Dask,
            ``slots_by_host`` (how many runs each host holds at once).

    Returns:
        ``label``, ``key``, ``status`` (``"ok"`` or ``"failed"``), ``error``, ``seconds``, ``models``
        (the metrics of every model the run saved), ``notebook`` (the executed notebook's text, or
        ``None``), ``worker`` and ``threads``.
    """
    worker = f"{socket.gethostname()} (process {os.getpid()})"
    if task.get("helpers") and task["helpers"] != _helpers_digest():
        # Another clone, or one at another commit: its runs would not be the study's.
        return {"label": task["label"], "key": task["key"], "status": "failed", "seconds": 0.0, "models": [],
                "notebook": None, "worker": worker, "threads": None,
                "error": f"the course's helpers on {socket.gethostname()} differ from the sweep command's; bring "
                         "that worker's clone to the same commit and start it again"}
    folder = pathlib.Path(tempfile.mkdtemp(prefix="mnist-sweep-"))
    try:
        notebook = folder / task["notebook_name"]
        notebook.write_text(task["notebook_text"], encoding="utf-8")
        artifacts_dir = folder / "artifacts"
        executed = folder / "executed.ipynb"
        threads = _threads_here(task.get("slots_by_host"))
        for attempt in range(1 + KERNEL_START_RETRIES):
            shutil.rmtree(artifacts_dir, ignore_errors=True)
            run = series.execute_notebook(
                notebook, executed, {**task["parameters"], "artifacts_dir": str(artifacts_dir)}, cwd=folder,
                artifacts_dir=artifacts_dir, progress_bar=False, environment=thread_environment(threads))
            # A cell's error ("cell 3 ... raised") would come again; a kernel that died or never
            # answered (two kernels started at once can draw the same free port) may not.
            if run.status != "failed" or (run.error or "").startswith("cell ") or "Timeout" in (run.error or ""):
                break
        models = []
        for model in run.models:  # execute_notebook has read each file as a JSON object.
            record = json.loads(pathlib.Path(model["metrics_file"]).read_text(encoding="utf-8"))
            models.append({key: value for key, value in {**record, **model}.items() if key != "metrics_file"})
        status, error = run.status, run.error  # "interrupted": Ctrl-C reached this process.
        return {
            "label": task["label"], "key": task["key"], "status": status, "error": error, "seconds": run.seconds,
            "models": models, "notebook": executed.read_text(encoding="utf-8") if executed.is_file() else None,
            "worker": worker, "threads": threads,
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- The output folder ----------------------------------------------------------------------------

def check_output_folder(requested: str | pathlib.Path, plan: Plan, other_files_allowed: bool = False) -> pathlib.Path:
    """The output folder: new, empty, or an earlier sweep of the same notebook (whose finished runs are kept).

    Args:
        requested: The folder named on the command line.
        plan: The sweep's plan.
        other_files_allowed: Accept a folder with other files in it (notebook 12's study folder).

    Raises:
        UsageError: A file, a folder of something else, another notebook's sweep, or no write access.
    """
    folder = pathlib.Path(requested).expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--output {requested}: it is a file; name a folder.")
    plan_file = folder / PLAN_FILE
    if plan_file.is_file():
        try:
            earlier = json.loads(plan_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            earlier = None
        if not isinstance(earlier, dict):
            raise UsageError(f"--output {requested}: its {PLAN_FILE} is damaged; name a new folder.")
        if earlier.get("notebook") != plan.notebook.name:
            raise UsageError(f"--output {requested}: it holds a sweep of {earlier.get('notebook')}, not of "
                             f"{plan.notebook.name}; name a new folder.")
    elif folder.is_dir() and any(folder.iterdir()) and not other_files_allowed:
        raise UsageError(f"--output {requested}: it holds files that are not a sweep's; name a new folder, or an "
                         "earlier sweep's to finish it.")
    reason = paths.folder_write_problem(folder)
    if reason:
        raise UsageError(f"--output {requested}: no file can be written there ({reason}); name a writable folder.")
    return folder


@contextlib.contextmanager
def output_lock(folder: pathlib.Path) -> Iterator[None]:
    """Holds the output folder for one sweep at a time.

    Raises:
        UsageError: Another sweep is writing into it.
    """
    from filelock import FileLock, Timeout  # noqa: PLC0415

    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(folder / LOCK_FILE))
    try:
        lock.acquire(timeout=0)
    except Timeout as error:
        raise UsageError(f"--output {paths.display_path(folder)}: another sweep is writing into it; wait for it "
                         "to end, or name another folder.") from error
    try:
        yield
    finally:
        lock.release()


def _kept_results(folder: pathlib.Path, plan: Plan) -> dict[str, dict[str, Any]]:
    """The configurations of the plan that an earlier run of the same sweep finished."""
    kept = {}
    for configuration in plan.configurations:
        record_file = folder / RUNS_FOLDER / f"{configuration.label}.json"
        try:
            record = json.loads(record_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        if (isinstance(record, dict) and record.get("key") == configuration.key and record.get("status") == "ok"
                and (folder / RUNS_FOLDER / f"{configuration.label}.ipynb").is_file()):
            kept[configuration.label] = {**record, "status": "kept"}
    return kept


class _Sweep:
    """The command's side of a sweep: what finished, written as results arrive, and the summary."""

    def __init__(self, plan: Plan, folder: pathlib.Path, where: str, resume: bool = True) -> None:
        self.plan, self.folder, self.where = plan, folder, where
        self.records: dict[str, dict[str, Any]] = _kept_results(folder, plan) if resume else {}
        self.started_at = datetime.datetime.now().isoformat(timespec="seconds")
        artifacts.write_json_atomic(folder / PLAN_FILE, plan.as_json())

    @property
    def to_run(self) -> list[Configuration]:
        return [configuration for configuration in self.plan.configurations if configuration.label not in self.records]

    def task(self, configuration: Configuration, slots_by_host: Mapping[str, int] | None = None) -> dict[str, Any]:
        return {"label": configuration.label, "key": configuration.key, "helpers": self.plan.helpers,
                "notebook_name": self.plan.notebook.name,
                "notebook_text": self.plan.text, "parameters": configuration.parameters,
                "slots_by_host": None if slots_by_host is None else dict(slots_by_host)}

    def record(self, configuration: Configuration, result: Mapping[str, Any]) -> dict[str, Any]:
        """Writes one configuration's executed notebook, then its record (last: its presence means done)."""
        if configuration.label in self.records:  # A second result for the same run is not used.
            return self.records[configuration.label]
        runs = self.folder / RUNS_FOLDER
        notebook = runs / f"{configuration.label}.ipynb"
        # An earlier record goes first: until the new one is written, this run is not finished.
        (runs / f"{configuration.label}.json").unlink(missing_ok=True)
        if result.get("notebook"):
            artifacts.write_bytes_atomic(notebook, result["notebook"].encode("utf-8"))
        else:
            notebook.unlink(missing_ok=True)
        record = {
            "label": configuration.label, "key": configuration.key, "setting": configuration.setting,
            "seed": configuration.seed, "parameters": configuration.parameters, "status": result["status"],
            "error": result.get("error"), "seconds": result.get("seconds"), "worker": result.get("worker"),
            "threads": result.get("threads"), "models": list(result.get("models") or []),
            "notebook": f"{RUNS_FOLDER}/{notebook.name}" if result.get("notebook") else None,
        }
        artifacts.write_json_atomic(runs / f"{configuration.label}.json", record)
        self.records[configuration.label] = record
        return record

    def summary(self, status: str) -> dict[str, Any]:
        return summarise(self.plan, self.records, status, self.where, self.started_at)

    def write(self, status: str, plot: bool = False) -> dict[str, Any]:
        summary = self.summary(status)
        if plot:
            summary["plot"] = _write_plot(self.folder, summary)
        write_summary(self.folder, summary)
        return summary


# --- Summaries ------------------------------------------------------------------------------------

def _spread(values: Sequence[float]) -> dict[str, float | None] | None:
    """Mean, standard deviation (n - 1; None for one value), lowest and highest."""
    values = [float(value) for value in values if isinstance(value, (int, float)) and not isinstance(value, bool)]
    if not values:
        return None
    return {"mean": statistics.fmean(values), "sd": statistics.stdev(values) if len(values) > 1 else None,
            "min": min(values), "max": max(values)}


def summarise(
    plan: Plan,
    records: Mapping[str, Mapping[str, Any]],
    status: str,
    where: str = "",
    started_at: str | None = None,
) -> dict[str, Any]:
    """The sweep's summary: every configuration, every setting over its seeds, and the best setting.

    A setting's figures are over the seeds that finished; the best setting, for each model the
    notebook saves, is the one with the highest mean validation accuracy (ties go to the earlier
    setting of the grid, the cheaper one when the grid's values grow), as notebook 12 teaches.
    """
    configurations = []
    for configuration in plan.configurations:
        record = records.get(configuration.label)
        configurations.append({
            "label": configuration.label, "setting": configuration.setting, "seed": configuration.seed,
            "status": record["status"] if record else "not run", "error": record.get("error") if record else None,
            "seconds": record.get("seconds") if record else None, "worker": record.get("worker") if record else None,
            "notebook": record.get("notebook") if record else None,
            "models": [{key: model.get(key) for key in ("model", "validation_accuracy", "test_accuracy", "train_seconds")}
                       for model in (record.get("models") or [])] if record else [],
        })
    settings: list[dict[str, Any]] = []
    by_setting: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in configurations:
        if entry["status"] not in ("ok", "kept"):
            continue
        for model in entry["models"]:
            group_key = (model["model"], json.dumps(entry["setting"], sort_keys=True))
            group = by_setting.get(group_key)
            if group is None:
                group = by_setting[group_key] = {"model": model["model"], "setting": entry["setting"], "runs": []}
                settings.append(group)
            group["runs"].append(model)
    seeds_planned = len(plan.seeds) if plan.seeds else 1
    for group in settings:
        runs = group.pop("runs")
        group["seeds"] = len(runs)
        group["seeds_planned"] = seeds_planned
        for name in ("validation_accuracy", "test_accuracy", "train_seconds"):
            group[name] = _spread([run.get(name) for run in runs])
    best = []
    for model in dict.fromkeys(group["model"] for group in settings):
        candidates = [group for group in settings if group["model"] == model and group["validation_accuracy"]]
        if candidates:
            chosen = max(candidates, key=lambda group: group["validation_accuracy"]["mean"])
            best.append({"model": model, "setting": chosen["setting"], "seeds": chosen["seeds"],
                         "validation_accuracy": chosen["validation_accuracy"]["mean"],
                         "test_accuracy": (chosen["test_accuracy"] or {}).get("mean")})
    counts = {state: sum(entry["status"] == state for entry in configurations)
              for state in ("ok", "kept", "failed", "not run")}
    return {
        "status": status, "complete": status == "complete", "notebook": plan.notebook.name,
        "started_at": started_at, "finished_at": datetime.datetime.now().isoformat(timespec="seconds"),
        "where": where, "grid": plan.grid, "seeds": plan.seeds, "fixed": params.as_json(plan.fixed),
        "versions": artifacts.library_versions(), "counts": counts,
        "configurations": configurations, "settings": settings, "best": best,
    }


def _figure(value: float | None, digits: int = 4) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _with_range(spread: Mapping[str, Any] | None, digits: int = 4) -> str:
    if not spread:
        return ""
    if spread["min"] == spread["max"]:
        return _figure(spread["mean"], digits)
    return f"{_figure(spread['mean'], digits)} ({_figure(spread['min'], digits)}–{_figure(spread['max'], digits)})"


def settings_table(summary: Mapping[str, Any]) -> str:
    """Each setting's mean and range (lowest–highest) over its seeds, as a Markdown table."""
    names = list(summary["grid"])
    header = ["model", *names, "seeds", "validation accuracy", "test accuracy", "time in fit (s)"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for group in summary["settings"]:
        seeds = f"{group['seeds']}" if group["seeds"] == group["seeds_planned"] else \
            f"{group['seeds']} of {group['seeds_planned']}"
        cells = [group["model"], *(str(group["setting"].get(name, "")) for name in names), seeds,
                 _with_range(group["validation_accuracy"]), _with_range(group["test_accuracy"]),
                 _with_range(group["train_seconds"], 1)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_summary(folder: pathlib.Path, summary: Mapping[str, Any]) -> None:
    """Writes ``summary.json`` and ``summary.md`` (each atomically)."""
    artifacts.write_json_atomic(folder / "summary.json", summary)
    counts = summary["counts"]
    finished = counts["ok"] + counts["kept"]
    lines = [
        f"# Sweep of {summary['notebook']}, {summary['started_at']}", "",
        f"Status: **{summary['status']}**{'' if summary['complete'] else ' (incomplete)'}. "
        f"{finished} of {len(summary['configurations'])} configurations finished"
        + (f" ({counts['kept']} kept from an earlier run)" if counts["kept"] else "")
        + (f", {counts['failed']} failed" if counts["failed"] else "") + f". Ran on {summary['where']}.", "",
        "Each setting's mean over its seeds, with the lowest and highest in brackets:", "",
        settings_table(summary) if summary["settings"] else "(no configuration has finished yet)", "",
    ]
    for best in summary["best"]:
        shown = ", ".join(f"{name}={value}" for name, value in best["setting"].items()) or "the only setting"
        lines.append(f"Chosen on validation accuracy for `{best['model']}`: **{shown}** (mean validation accuracy "
                     f"{best['validation_accuracy']:.4f} over {_seeds(best['seeds'])}; its mean test accuracy is "
                     f"{_figure(best['test_accuracy'])}).")
    if summary["settings"] and not summary["best"]:
        lines.append("No setting is chosen: the notebook saves no validation accuracy to choose by.")
    failed = [entry for entry in summary["configurations"] if entry["status"] == "failed"]
    if failed:
        lines += ["", "Failed:", ""]
        lines += [f"- `{entry['label']}`: {entry['error']}" + (f" (see {entry['notebook']})" if entry["notebook"] else "")
                  for entry in failed]
    plot = summary.get("plot")
    if plot:
        lines += ["", f"![{plot['alt_text']}]({PLOT_FILE})"]
    fixed = "\n".join(f"- `{name}` = `{value!r}`" for name, value in summary["fixed"].items())
    versions = ", ".join(f"{name} {version}" for name, version in summary["versions"].items())
    lines += ["", f"Fixed parameters:\n\n{fixed}" if fixed else "No fixed parameters.", "", f"Versions: {versions}.", ""]
    artifacts.write_bytes_atomic(folder / "summary.md", "\n".join(lines).encode("utf-8"))


def _write_plot(folder: pathlib.Path, summary: Mapping[str, Any]) -> dict[str, str] | None:
    """Draws accuracy against each swept parameter into ``accuracy.png``; returns its alt text."""
    if not any(setting.get("validation_accuracy") for setting in summary["settings"]):
        return None
    from helpers import plots  # noqa: PLC0415 - matplotlib, only once the sweep has results.

    figure = plots.sweep_results(summary["settings"], list(summary["grid"]),
                                 title=f"Validation accuracy of {summary['notebook']} across the sweep")
    artifacts.write_bytes_atomic(folder / PLOT_FILE, figure.png())
    return {"file": PLOT_FILE, "alt_text": figure.alt_text}


# --- Running --------------------------------------------------------------------------------------

def _describe(configuration: Configuration) -> str:
    shown = {**configuration.setting, **({"seed": configuration.seed} if configuration.seed is not None else {})}
    return ", ".join(f"{name}={value}" for name, value in shown.items())


def run_serially(
    plan: Plan,
    folder: pathlib.Path,
    resume: bool = True,
    stop_at_first_failure: bool = False,
    other_files_allowed: bool = True,
) -> tuple[int, dict[str, Any]]:
    """Runs the configurations one after another in this process, each in a kernel of its own.

    This is how notebook 12 runs its grid: the same plan, runs, records and summary as the Dask
    sweep, without a cluster. A line per configuration says which one starts.

    Returns:
        The exit status and the summary.

    Raises:
        KeyboardInterrupt: Ctrl-C, or the notebook's interrupt, once the summary says ``interrupted``.
    """
    folder = check_output_folder(folder, plan, other_files_allowed=other_files_allowed)
    with output_lock(folder):
        sweep = _Sweep(plan, folder, "this process, one configuration at a time", resume=resume)
        status = EXIT_OK
        total = len(plan.configurations)
        for position, configuration in enumerate(plan.configurations, start=1):
            if configuration.label in sweep.records:
                print(f"[{position}/{total}] {_describe(configuration)}: finished before, kept", flush=True)
                continue
            print(f"[{position}/{total}] {_describe(configuration)}", flush=True)
            result = run_configuration(sweep.task(configuration))
            if result["status"] == "interrupted":  # Ctrl-C (a notebook's interrupt button): stop, keep the rest.
                sweep.write("interrupted", plot=True)
                raise KeyboardInterrupt
            record = sweep.record(configuration, result)
            sweep.write("running")
            if record["status"] != "ok":
                status = EXIT_FAILED
                if stop_at_first_failure:
                    break
        summary = sweep.write("complete" if status == EXIT_OK else "failed", plot=True)
    return status, summary


def default_workers() -> int:
    """Local workers for a sweep: one per core, fewer where memory would not hold that many runs."""
    import psutil  # noqa: PLC0415
    from dask.system import CPU_COUNT  # noqa: PLC0415

    return max(1, min(CPU_COUNT, int(psutil.virtual_memory().total // RUN_MEMORY_BYTES)))


def _slots_by_host(client: Any) -> dict[str, int]:
    """How many runs each host of the cluster holds at once (the task slots of its workers)."""
    from distributed.comm import get_address_host  # noqa: PLC0415

    slots: dict[str, int] = {}
    for address, worker in client.scheduler_info(n_workers=-1)["workers"].items():
        host = get_address_host(address)
        slots[host] = slots.get(host, 0) + int(worker.get("nthreads") or 1)
    return slots


def _failure(error: BaseException) -> str:
    """One line for a task that raised instead of returning its run."""
    from distributed.scheduler import KilledWorker  # noqa: PLC0415

    if isinstance(error, KilledWorker):
        return ("every worker that ran it died while running it (Dask's distributed.scheduler.allowed-failures); "
                "it may need more memory than a worker has")
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else ''}"


def _running(client: Any, keys: set[str]) -> int:
    """How many of the sweep's tasks run now: those a worker holds, up to its threads (it queues the rest)."""
    try:
        threads, processing = client.nthreads(), client.processing()
    except Exception:  # noqa: BLE001 - a scheduler that went away: the futures say so next.
        return 0
    return sum(min(sum(key in keys for key in tasks), threads.get(worker, 1)) for worker, tasks in processing.items())


def _seeds(count: int) -> str:
    return f"{count} seed" + ("" if count == 1 else "s")


def _result_of(future: Any) -> dict[str, Any]:
    """A finished task's run, or a failed run that says why the task gave none."""
    if future.status == "finished":
        result = future.result()
        if result.get("status") == "interrupted":  # Ctrl-C in the worker's own terminal.
            return {**result, "status": "failed", "error": "interrupted on its worker (Ctrl-C there)"}
        return result
    if future.status == "cancelled":  # The scheduler lost it (a cluster that restarted, or closed).
        return {"status": "failed", "error": "the Dask cluster cancelled it; run the same command again to run it"}
    try:
        error = future.exception()
    except Exception as problem:  # noqa: BLE001 - a scheduler gone while asking.
        error = problem
    return {"status": "failed", "error": _failure(error) if error is not None else f"its task ended {future.status}"}


def run_on_dask(
    plan: Plan,
    folder: pathlib.Path,
    client: Any,
    where: str,
    progress: Callable[[str], None] | None = print,
    resume: bool = True,
) -> tuple[int, dict[str, Any]]:
    """Runs the configurations on a Dask cluster and writes each result as it arrives.

    Args:
        plan: The sweep's plan.
        folder: The checked output folder.
        client: A ``distributed.Client``.
        where: Where it runs, in words, for the summary.
        progress: Called with a progress line whenever the counts change; ``None`` for silence.
        resume: Keep the configurations that an earlier run of this sweep finished.

    Returns:
        The exit status and the summary. Ctrl-C cancels what is still running and returns
        ``EXIT_INTERRUPTED`` with what finished kept.
    """
    from distributed import wait  # noqa: PLC0415

    with output_lock(folder):
        sweep = _Sweep(plan, folder, where, resume=resume)
        kept = len(sweep.records)
        if kept and progress:
            progress(f"Kept {kept} configuration(s) that an earlier run of this sweep finished.")
        slots = _slots_by_host(client)
        futures = {}
        for configuration in sweep.to_run:
            future = client.submit(run_configuration, sweep.task(configuration, slots), pure=False,
                                   retries=TASK_RETRIES, key=f"sweep-{configuration.label}-{uuid.uuid4().hex[:12]}")
            futures[future] = configuration
        keys = {future.key for future in futures}
        pending = set(futures)
        shown = None
        status = EXIT_OK
        sweep.write("running")
        try:
            while True:
                running = _running(client, keys) if pending else 0
                failed = sum(record["status"] == "failed" for record in sweep.records.values())
                finished = len(sweep.records)
                line = (f"{finished}/{len(plan.configurations)} finished"
                        + (f" ({failed} failed)" if failed else "") + f", {running} running, "
                        f"{len(pending) - running} waiting")
                if progress and line != shown:
                    progress(line)
                    shown = line
                if not pending:
                    break
                try:
                    wait(list(pending), timeout=PROGRESS_SECONDS, return_when="FIRST_COMPLETED")
                except KeyboardInterrupt:
                    raise
                except Exception:  # noqa: BLE001 - a timeout, or a future the cluster cancelled.
                    pass
                # A "lost" task (its worker died after it finished) is run again by Dask: it stays.
                done = [future for future in pending if future.status in ("finished", "error", "cancelled")]
                for future in done:
                    configuration = futures[future]
                    result = _result_of(future)
                    record = sweep.record(configuration, result)
                    pending.discard(future)
                    if record["status"] == "failed":
                        status = EXIT_FAILED
                        if progress:
                            progress(f"{configuration.label} failed: {record['error']}"
                                     + (f" (see {paths.display_path(folder / record['notebook'])})"
                                        if record["notebook"] else ""))
                    sweep.write("running")
        except KeyboardInterrupt:
            status = EXIT_INTERRUPTED
        # A second Ctrl-C (or the terminal's repeat) must not cut the records short.
        with _interrupts_held():
            if status == EXIT_INTERRUPTED:
                for future in list(pending):  # What finished before Ctrl-C is kept, not thrown away.
                    if future.status == "finished":
                        with contextlib.suppress(Exception):
                            sweep.record(futures[future], future.result(timeout=PROGRESS_SECONDS))
                            pending.discard(future)
                with contextlib.suppress(Exception):
                    client.cancel(list(pending))
            final = {EXIT_OK: "complete", EXIT_FAILED: "failed", EXIT_INTERRUPTED: "interrupted"}[status]
            summary = sweep.write(final, plot=True)
    return status, summary


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ignores Ctrl-C and SIGTERM while the sweep writes its last records (main thread only)."""
    import threading  # noqa: PLC0415

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    numbers = [signal.SIGINT, signal.SIGTERM]
    previous = {number: signal.signal(number, signal.SIG_IGN) for number in numbers}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextlib.contextmanager
def dask_client(scheduler: str | None, workers: int | None) -> Iterator[tuple[Any, str]]:
    """A Dask client: of the cluster at ``scheduler``, else of a new ``LocalCluster`` of ``workers``.

    Yields:
        The client and where it runs, in words.

    Raises:
        UsageError: No scheduler answers at the address.
    """
    from distributed import Client, LocalCluster  # noqa: PLC0415

    # Dask's own log lines (a worker that left, a slow event loop) would interleave with the progress
    # line; what matters of them reaches the summary as a configuration's status.
    logging.getLogger("distributed").setLevel(logging.ERROR)
    if scheduler:
        try:
            client = Client(scheduler, timeout=f"{CONNECT_SECONDS}s")
        except (OSError, TimeoutError, ValueError) as error:
            raise UsageError(f"--scheduler {scheduler}: no Dask scheduler answered there within {CONNECT_SECONDS} s "
                             f"({series._shortened(str(error).splitlines()[0] if str(error) else type(error).__name__)}); "
                             "start one with `dask scheduler` and give the address it prints.") from error
        with client:
            count = len(client.scheduler_info(n_workers=-1)["workers"])
            yield client, f"the Dask cluster at {scheduler} ({count} worker(s) at the start)"
        return
    count = workers or default_workers()
    with _workers_ignoring_ctrl_c():
        cluster = LocalCluster(n_workers=count, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
    with cluster, Client(cluster) as client:
        yield client, f"a Dask LocalCluster of this machine with {count} worker(s)"


@contextlib.contextmanager
def _workers_ignoring_ctrl_c() -> Iterator[None]:
    """Starts processes that ignore Ctrl-C: the command stops its local workers itself.

    A terminal sends Ctrl-C to every process of the command, the local workers included, and each
    would print its own traceback as it died. A process started while SIGINT is ignored inherits
    that (Python keeps an inherited SIG_IGN), so only the command hears it and closes the cluster.
    On Windows, and outside the main thread, nothing changes.
    """
    import threading  # noqa: PLC0415

    if sys.platform == "win32" or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``python -m helpers.sweep``."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.sweep",
        description="Run a notebook for every combination of parameter values (and seeds), on the cores of this "
                    "machine or on a Dask cluster, and summarise the runs.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join([
            "examples:",
            "  python -m helpers.sweep 06 -p hidden_units 16,64,256 -p epochs 1,3 --seeds 0,1,2 --output sweeps/hidden",
            "  python -m helpers.sweep 06 -p hidden_units 16,64 --output sweeps/small --scheduler tcp://10.0.0.5:8786",
            "",
            "values are separated by commas and parse as in papermill (None, True, False, numbers, else text).",
            "parameters are checked before anything runs; a bad one ends the command with exit status 2.",
            "the same command with the same --output keeps the configurations that finished and runs the rest.",
            "exit status: 0 every configuration ran, 1 one failed, 2 bad arguments, 130 interrupted (Ctrl-C).",
        ]),
    )
    parser.add_argument("notebook", metavar="NOTEBOOK",
                        help="a course notebook's number or name (06, 06_hidden_layer_model), or a .ipynb path")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "V1,V2,..."),
                        help="a parameter and the values to try; one value fixes it for every run")
    parser.add_argument("--seeds", metavar="0,1,2", help="run every setting with each of these seeds")
    parser.add_argument("--output", metavar="DIR", required=True,
                        help="where the executed notebooks, their metrics and the summary go")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="an existing Dask scheduler, such as tcp://10.0.0.5:8786 (default: this machine)")
    where.add_argument("--workers", type=int, metavar="N",
                       help="local workers (default: one per core, fewer if memory is short)")
    parser.add_argument("--no-progress", action="store_true", help="no progress lines, only the summary")
    return parser


def _plan_from_arguments(arguments: argparse.Namespace) -> Plan:
    notebook = resolve_notebook(arguments.notebook)
    grid: dict[str, list[Any]] = {}
    for name, text in arguments.parameter:
        if name in grid:
            raise UsageError(f"-p {name} is given twice; list all its values once, as in -p {name} 16,64.")
        grid[name] = parse_values(name, text)
    seeds = parse_seeds(arguments.seeds) if arguments.seeds is not None else None
    if arguments.workers is not None and arguments.workers < 1:
        raise UsageError(f"--workers {arguments.workers}: give 1 or more.")
    fixed = {name: values[0] for name, values in grid.items() if len(values) == 1}
    swept = {name: values for name, values in grid.items() if len(values) > 1}
    return make_plan(notebook, swept, seeds, fixed)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit status."""
    arguments = build_parser().parse_args(argv)
    try:
        plan = _plan_from_arguments(arguments)
        folder = check_output_folder(arguments.output, plan)
    except UsageError as error:
        print(f"python -m helpers.sweep: {error}", file=sys.stderr)
        return EXIT_USAGE
    progress = None if arguments.no_progress else (lambda line: print(line, flush=True))
    previous = {number: signal.signal(number, series._handle_interrupt) for number in (signal.SIGTERM, signal.SIGINT)}
    ran: tuple[int, dict[str, Any]] | None = None
    try:
        with dask_client(arguments.scheduler, arguments.workers) as (client, where):
            print(f"Sweeping {plan.notebook.name}: {len(plan.configurations)} configuration(s) on {where}; "
                  f"outputs go to {paths.display_path(folder)}", flush=True)
            ran = run_on_dask(plan, folder, client, where, progress=progress)
    except UsageError as error:
        print(f"python -m helpers.sweep: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:  # Ctrl-C while the cluster started or closed: what finished is on disk.
        if ran is None:
            print(f"\ninterrupted: what finished is in {paths.display_path(folder)}", file=sys.stderr)
            return EXIT_INTERRUPTED
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    status, summary = ran
    print()
    print(settings_table(summary) if summary["settings"] else "No configuration finished.")
    for best in summary["best"]:
        shown = ", ".join(f"{name}={value}" for name, value in best["setting"].items()) or "the only setting"
        print(f"Chosen on validation accuracy for {best['model']}: {shown} "
              f"({best['validation_accuracy']:.4f} over {_seeds(best['seeds'])})")
    print(f"\n{summary['status']}: summary in {paths.display_path(folder / 'summary.md')} and summary.json")
    return status


if __name__ == "__main__":
    sys.exit(main())

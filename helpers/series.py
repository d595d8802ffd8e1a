"""Runs the whole course, headless: ``python -m helpers.series``.

Executes the numbered notebooks in order through papermill, each in a fresh kernel, passes every
parameter to the notebooks that declare it, and writes the executed notebooks, ``summary.json`` and
``summary.md`` into one output folder. Parameters are checked against the rules of
:mod:`helpers.params` before any kernel starts. A failing notebook stops the run; an interrupted
run (Ctrl-C or SIGTERM) stops too. Either way, what finished is kept and the summary says the run
is incomplete.

Exit status: 0 when every notebook ran, 1 when one failed, 2 for bad arguments (nothing written),
130 when interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime
import functools
import logging
import os
import pathlib
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from typing import Any

from helpers import artifacts, catalogue, params, paths

#: Exit statuses.
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

#: Seconds one cell may run before the run is stopped as hung.
CELL_TIMEOUT_SECONDS = 1800


class UsageError(Exception):
    """A bad argument or parameter: reported on one line, exit status 2, nothing written."""


@dataclasses.dataclass
class NotebookRun:
    """What happened to one notebook of the series."""

    name: str
    status: str = "not run"  # "ok", "failed", "interrupted" or "not run"
    seconds: float | None = None
    output: str | None = None
    models: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    error: str | None = None


def discover_notebooks(directory: pathlib.Path = paths.NOTEBOOKS_DIR) -> list[pathlib.Path]:
    """The course's notebooks in a folder, in order (:func:`helpers.catalogue.course_notebooks`):
    a JupyterLab ``-Copy1`` duplicate or another extra notebook is not one of them."""
    return catalogue.course_notebooks(directory)


def declared_parameters(notebook: pathlib.Path) -> dict[str, dict[str, Any]]:
    """The parameters a notebook declares, with papermill's default, type and help for each."""
    import papermill  # noqa: PLC0415 - papermill and nbformat take a second to import.

    return dict(papermill.inspect_notebook(str(notebook)))


def parse_value(text: str) -> Any:
    """Parses a ``-p`` value as papermill does: None, True, False, int, float, else the string."""
    special = {"None": None, "True": True, "False": False}
    if text in special:
        return special[text]
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text


def select_notebooks(notebooks: Sequence[pathlib.Path], only: str | None) -> list[pathlib.Path]:
    """Keeps the notebooks whose number (``03``) or name is listed in ``only`` (comma-separated)."""
    if not only:
        return list(notebooks)
    wanted = [item.strip() for item in only.split(",") if item.strip()]
    if not wanted:
        raise UsageError(f"--only {only!r} names no notebook; give numbers or names such as 05,06.")
    chosen = []
    for item in wanted:
        matches = [nb for nb in notebooks if item in (nb.stem, nb.stem[:2], nb.name)]
        if not matches:
            numbers = ", ".join(nb.stem[:2] for nb in notebooks)
            raise UsageError(f"--only: no notebook {item!r}; the notebooks are numbered {numbers}.")
        chosen.extend(match for match in matches if match not in chosen)
    return sorted(chosen)


def read_parameters_file(path: str) -> dict[str, Any]:
    """Reads a YAML mapping of parameter names to values."""
    import yaml  # noqa: PLC0415

    try:
        content = yaml.load(pathlib.Path(path).read_text(encoding="utf-8"), Loader=_no_aliases_loader())  # noqa: S506 - a safe loader
    except OSError as error:
        raise UsageError(f"-f {path}: cannot read it ({error.strerror}).") from error
    except UnicodeDecodeError as error:
        raise UsageError(f"-f {path}: not UTF-8 text (byte {error.start}); save it as UTF-8.") from error
    except yaml.YAMLError as error:
        raise UsageError(f"-f {path}: not valid YAML ({_shortened(str(error).splitlines()[0])}).") from error
    if content is None:
        return {}
    if not isinstance(content, dict) or not all(isinstance(key, str) for key in content):
        raise UsageError(f"-f {path}: expected a mapping of parameter names to values.")
    return content


def _no_aliases_loader() -> type:
    import yaml  # noqa: PLC0415

    class NoAliasLoader(yaml.SafeLoader):
        """YAML's safe loader without anchors and aliases (``&a``, ``*a``).

        A parameters file needs neither, and nested aliases can make a file of a few hundred bytes
        expand to gigabytes ("billion laughs").
        """

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.composer.ComposerError(
                    None, None, f"aliases such as *{event.anchor} are not allowed in a parameters file",
                    event.start_mark)
            return super().compose_node(parent, index)

    return NoAliasLoader


def _shortened(text: str, limit: int = 120) -> str:
    """Cuts an echoed value to a readable length."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


def check_parameters(
    values: Mapping[str, Any], declared: Mapping[pathlib.Path, Mapping[str, Any]]
) -> dict[str, Any]:
    """Checks names against what the selected notebooks declare, and values against the rules.

    Returns:
        The checked values, paths made absolute (relative ones are taken from the current folder).

    Raises:
        UsageError: A name no selected notebook declares, or a value its rule does not allow.
    """
    known = sorted({name for names in declared.values() for name in names})
    checked = {}
    for name, value in values.items():
        if name not in known:
            raise UsageError(f"unknown parameter {name!r}; the selected notebooks take: {', '.join(known)}.")
        try:
            checked[name] = params.check(name, value)
        except ValueError as error:
            raise UsageError(_shortened(str(error), 300)) from error
    return checked


def new_output_folder(requested: str | None) -> pathlib.Path:
    """The folder to write into: ``requested`` (new or empty), or a new ``runs/<timestamp>/``."""
    if requested is not None:
        folder = pathlib.Path(requested).expanduser().resolve()
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise UsageError(f"--output {requested}: it exists and is not an empty folder; name a new one.")
        reason = paths.folder_write_problem(folder)
        if reason:
            raise UsageError(f"--output {requested}: no file can be written there ({reason}); name a writable folder.")
        return folder
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = paths.DEFAULT_RUNS_DIR / stamp
    suffix = 1
    while folder.exists():
        suffix += 1
        folder = paths.DEFAULT_RUNS_DIR / f"{stamp}-{suffix}"
    return folder


def _metrics_files(folder: pathlib.Path) -> dict[pathlib.Path, int]:
    return {path: path.stat().st_mtime_ns for path in folder.glob("*_metrics.json")} if folder.is_dir() else {}


def _new_models(folder: pathlib.Path, before: Mapping[pathlib.Path, int]) -> list[dict[str, Any]]:
    models = []
    for path, stamp in sorted(_metrics_files(folder).items()):
        if before.get(path) == stamp:
            continue
        name = path.name.removesuffix("_metrics.json")
        record = artifacts.load_metrics(name, folder)
        models.append({
            "model": record.get("model", name),
            "test_accuracy": record.get("test_accuracy"),
            "validation_accuracy": record.get("validation_accuracy"),
            "train_seconds": record.get("train_seconds"),
            "metrics_file": str(path),
        })
    return models


def _handle_interrupt(signum: int, frame: Any) -> None:
    """Ctrl-C or SIGTERM: stop the running notebook, and keep its kernel's end out of the output.

    Stopping shuts the kernel down under the cell that was running, so nbclient logs "Kernel died
    while waiting for execute reply" and asyncio later logs that cell's task, DeadKernelError and
    its traceback. Neither says more than the summary ("interrupted"), so both loggers are quieted
    before the interruption is raised.
    """
    for name in ("papermill", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    raise KeyboardInterrupt


def execute_notebook(
    notebook: pathlib.Path,
    executed: pathlib.Path,
    parameters: Mapping[str, Any],
    cwd: pathlib.Path,
    run: NotebookRun | None = None,
    artifacts_dir: pathlib.Path | None = None,
    progress_bar: bool = True,
    environment: Mapping[str, str] | None = None,
) -> NotebookRun:
    """Executes one notebook with papermill in a fresh kernel and records what happened.

    Never raises for a failing notebook: the returned record says ``failed`` with the cell and the
    error. An interruption (Ctrl-C, or SIGTERM while the series runner is in charge) is recorded as
    ``interrupted``.

    Args:
        notebook: The notebook to run.
        executed: Where the executed copy goes.
        parameters: Values for its parameters cell (paths may be ``pathlib.Path``).
        cwd: The kernel's working folder.
        run: The record to fill in; a new one if ``None``.
        artifacts_dir: Where the notebook writes metrics; the models it saved are read from there.
        progress_bar: Show papermill's cell-by-cell progress bar.
        environment: Variables to set in the kernel's environment, over this process's own (the
            sweep limits each run's TensorFlow threads this way).

    Returns:
        The record: status, seconds, executed copy, the models it saved, and the error if any.
    """
    import papermill  # noqa: PLC0415

    run = run if run is not None else NotebookRun(notebook.stem)
    before = _metrics_files(artifacts_dir) if artifacts_dir else {}
    started = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(notebook), str(executed), parameters=params.as_json(parameters), cwd=str(cwd),
            kernel_name="python3", progress_bar=progress_bar, execution_timeout=CELL_TIMEOUT_SECONDS,
            # The kernel's own log would go to the runner's terminal. ipykernel 7 warns on every
            # start that its local TCP sockets are unencrypted (inside a notebook, as notebook 12
            # runs others, that would land in the cell as stderr), and when a run is interrupted
            # the kernel's ZMQ streams log tracebacks (through tornado's logger, which the kernel's
            # log level does not reach) as its sockets close under it. None of it is something a
            # user can act on: a cell's errors reach the runner through papermill, and a kernel
            # that dies is reported as such. So the kernel's stderr goes nowhere.
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            kernel_manager_class=_quiet_kernel_manager(tuple(sorted((environment or {}).items()))),
        )
    except KeyboardInterrupt:
        run.status = "interrupted"
    except papermill.PapermillExecutionError as error:
        run.status = "failed"
        run.error = f"cell {error.exec_count} (cell index {error.cell_index}) raised {error.ename}: {error.evalue}"
    except Exception as error:  # A dead or hung kernel, a missing kernel, a write error.
        lines = str(error).strip().splitlines()
        run.status = "failed"
        run.error = f"{type(error).__name__}: {lines[0] if lines else ''}"
    else:
        run.status = "ok"
    run.seconds = round(time.perf_counter() - started, 1)
    run.output = str(executed) if executed.exists() else None
    try:
        run.models = _new_models(artifacts_dir, before) if artifacts_dir else []
    except artifacts.ArtifactError as error:  # The notebook ran but left unreadable metrics.
        run.status, run.error = "failed", str(error)
    return run


@functools.cache
def _quiet_kernel_manager(environment: tuple[tuple[str, str], ...] = ()) -> type:
    """An nbclient kernel manager whose kernels' stderr is discarded (``subprocess.DEVNULL``; see execute_notebook).

    Args:
        environment: ``(name, value)`` pairs set in each kernel's environment over this process's.
    """
    from jupyter_client.manager import AsyncKernelManager  # noqa: PLC0415

    class QuietKernelManager(AsyncKernelManager):
        async def start_kernel(self, **arguments: Any) -> None:
            arguments.setdefault("stderr", subprocess.DEVNULL)
            if environment:
                arguments["env"] = {**os.environ, **(arguments.get("env") or {}), **dict(environment)}
            await super().start_kernel(**arguments)

    return QuietKernelManager


def run_series(
    notebooks: Sequence[pathlib.Path],
    parameters: Mapping[str, Any],
    output: pathlib.Path,
    declared: Mapping[pathlib.Path, Mapping[str, Any]],
    progress: bool = True,
) -> tuple[int, dict[str, Any]]:
    """Executes the notebooks in order and writes the summary; returns (exit status, summary).

    ``progress=False`` turns papermill's redrawn progress bar off even on a terminal.
    """
    output.mkdir(parents=True, exist_ok=True)
    parameters = dict(parameters)
    parameters.setdefault("artifacts_dir", output / "artifacts")
    runs = [NotebookRun(notebook.stem) for notebook in notebooks]
    summary = {
        "status": "running",
        "complete": False,
        "started_at": datetime.datetime.now().isoformat(timespec="seconds"),
        "output_dir": str(output),
        "parameters": params.as_json(parameters),
        "versions": artifacts.library_versions(),
        "notebooks": runs,
    }
    status = EXIT_OK
    write_summary(output, summary)  # Rewritten after every notebook: a killed run still says what finished.
    for position, (notebook, run) in enumerate(zip(notebooks, runs), start=1):
        passed = {key: value for key, value in parameters.items() if key in declared[notebook]}
        shown = ", ".join(f"{key}={value!r}" for key, value in params.as_json(passed).items()
                          if key != "artifacts_dir")
        print(f"[{position}/{len(notebooks)}] {notebook.stem}" + (f" ({shown})" if shown else ""), flush=True)
        # papermill's progress bar redraws one line with carriage returns: right on a terminal,
        # clutter in a log file or a CI job's output, and noise in a screen reader or on a braille
        # display, so it is shown only on a terminal, and never with --no-progress.
        execute_notebook(notebook, output / notebook.name, passed, cwd=output, run=run,
                         artifacts_dir=artifacts.artifacts_directory(parameters["artifacts_dir"]),
                         progress_bar=progress and sys.stderr.isatty())
        write_summary(output, summary)
        if run.status == "failed":
            status = EXIT_FAILED
            print(f"\n{notebook.stem} failed: {run.error}", file=sys.stderr)
            if run.output:
                print(f"The executed copy shows where: {run.output}", file=sys.stderr)
        elif run.status == "interrupted":
            status = EXIT_INTERRUPTED
        if status != EXIT_OK:
            break
    summary["status"] = {EXIT_OK: "complete", EXIT_FAILED: "failed", EXIT_INTERRUPTED: "interrupted"}[status]
    summary["complete"] = status == EXIT_OK
    summary["finished_at"] = datetime.datetime.now().isoformat(timespec="seconds")
    write_summary(output, summary)
    return status, summary


def _as_plain(summary: Mapping[str, Any]) -> dict[str, Any]:
    plain = dict(summary)
    plain["notebooks"] = [dataclasses.asdict(run) for run in summary["notebooks"]]
    return plain


def summary_table(summary: Mapping[str, Any], markdown: bool = False) -> str:
    """The run as a table: each notebook's status and time, and each model's accuracy and training time."""
    header = ["notebook", "status", "run time (s)", "model", "test accuracy", "training (s)"]
    rows = []
    for run in summary["notebooks"]:
        models = run.models or [{}]
        for index, model in enumerate(models):
            accuracy = model.get("test_accuracy")
            training = model.get("train_seconds")
            rows.append([
                run.name if index == 0 else "",
                run.status if index == 0 else "",
                f"{run.seconds:.1f}" if index == 0 and run.seconds is not None else "",
                model.get("model", ""),
                f"{accuracy:.4f}" if isinstance(accuracy, (int, float)) else "",
                f"{training:.1f}" if isinstance(training, (int, float)) else "",
            ])
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(str(row[column])) for row in [header, *rows]) for column in range(len(header))]
    return "\n".join("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip()
                     for row in [header, *rows])


def write_summary(output: pathlib.Path, summary: Mapping[str, Any]) -> None:
    """Writes ``summary.json`` and ``summary.md`` (atomically) into the output folder."""
    plain = _as_plain(summary)
    artifacts.write_json_atomic(output / "summary.json", plain)
    parameters = "\n".join(f"- `{name}` = `{value!r}`" for name, value in plain["parameters"].items())
    versions = ", ".join(f"{name} {version}" for name, version in plain["versions"].items())
    text = (
        f"# MNIST course run, {plain['started_at']}\n\n"
        f"Status: **{plain['status']}**{'' if plain['complete'] else ' (incomplete)'}.\n\n"
        f"{summary_table(summary, markdown=True)}\n\n"
        f"Parameters:\n\n{parameters}\n\nVersions: {versions}.\n"
    )
    temporary = output / ".summary.md.tmp"
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(output / "summary.md")


def _help_epilog(notebooks: Sequence[pathlib.Path], declared: Mapping[pathlib.Path, Mapping[str, Any]]) -> str:
    lines = ["notebooks, in order:"] + [f"  {notebook.stem}" for notebook in notebooks]
    lines += ["", "parameters (read from the notebooks' own parameters cells):"]
    # Notebooks may differ in a parameter's default (epochs is 2 in 03, 5 in 05) and in its wording:
    # each default is listed with its notebooks, and the wording most notebooks share is shown.
    defaults: dict[str, dict[str, list[str]]] = {}
    helps: dict[str, list[str]] = {}
    for notebook in notebooks:
        for name, detail in declared[notebook].items():
            defaults.setdefault(name, {}).setdefault(str(detail["default"]), []).append(notebook.stem[:2])
            helps.setdefault(name, []).append(detail["help"])
    for name, by_default in defaults.items():
        if len(by_default) == 1:
            (default, numbers), = by_default.items()
            lines.append(f"  {name} (default {default}; notebooks {', '.join(numbers)})")
        else:
            each = "; ".join(f"{default} in {', '.join(numbers)}" for default, numbers in by_default.items())
            lines.append(f"  {name} (default {each})")
        lines.append(f"      {max(helps[name], key=helps[name].count)}")
    lines += [
        "",
        "parameters are checked before any kernel starts: an unknown name, a wrong type or a value",
        "out of range ends the run at once with exit status 2 and nothing written.",
        "artifacts_dir defaults to OUTPUT/artifacts, so a run never touches the repository's models.",
        "a failing notebook stops the run (exit 1); Ctrl-C or SIGTERM stops it too (exit 130). Either",
        "way the finished notebooks stay, and summary.json says the run is incomplete.",
        "",
        "examples:",
        "  python -m helpers.series",
        "  python -m helpers.series -p epochs 1 --only 04,05",
        "  python -m helpers.series -f params.yaml --output runs/wide",
    ]
    return "\n".join(lines)


def build_parser(epilog: str = "") -> argparse.ArgumentParser:
    """The command line of ``python -m helpers.series``."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.series",
        description="Run the numbered MNIST notebooks in order with papermill, and summarise them.",
        epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="a parameter for every notebook that declares it (values parse as in papermill)")
    parser.add_argument("-f", "--parameters-file", metavar="PARAMS.yaml",
                        help="a YAML mapping of parameters; -p values override it")
    parser.add_argument("--output", metavar="DIR",
                        help="where the executed notebooks and summaries go (default: a new runs/<timestamp>/)")
    parser.add_argument("--only", metavar="04,05", help="run only these notebooks, by number or name")
    parser.add_argument("--notebooks", metavar="DIR", default=str(paths.NOTEBOOKS_DIR),
                        help="the folder of numbered notebooks (default: the course's notebooks/)")
    parser.add_argument("--no-progress", action="store_true",
                        help="no redrawn progress bar, only a line per notebook (for screen readers, braille "
                             "displays and logs; without a terminal there is none anyway)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    wants_help = any(argument in ("-h", "--help") for argument in argv)
    arguments = build_parser().parse_known_args(argv)[0] if not wants_help else None
    folder = pathlib.Path(arguments.notebooks if arguments else paths.NOTEBOOKS_DIR)
    try:
        notebooks = discover_notebooks(folder)
        if not notebooks:
            raise UsageError(f"--notebooks {folder}: none of the course's notebooks (such as 01_loading_data.ipynb) "
                             "is there.")
        for stray in catalogue.strays(folder):
            print(f"Leaving out {stray.name}: it is not one of the course's notebooks (a copy, or one of your own).")
        declared = {notebook: declared_parameters(notebook) for notebook in notebooks}
        arguments = build_parser(_help_epilog(notebooks, declared)).parse_args(argv)
        selected = select_notebooks(notebooks, arguments.only)
        values = read_parameters_file(arguments.parameters_file) if arguments.parameters_file else {}
        values.update({name: parse_value(value) for name, value in arguments.parameter})
        checked = check_parameters(values, {notebook: declared[notebook] for notebook in selected})
        output = new_output_folder(arguments.output)
    except UsageError as error:
        print(f"python -m helpers.series: {error}", file=sys.stderr)
        return EXIT_USAGE
    with contextlib.ExitStack() as held:
        if "artifacts_dir" in checked:  # Else each run writes into a folder of its own, DIR/artifacts.
            try:
                held.enter_context(artifacts.folder_lock(checked["artifacts_dir"]))
            except artifacts.ArtifactError as error:
                print(f"python -m helpers.series: {error}", file=sys.stderr)
                return EXIT_USAGE
        print(f"Running {len(selected)} notebook(s); outputs go to {paths.display_path(output)}", flush=True)
        previous = {number: signal.signal(number, _handle_interrupt) for number in (signal.SIGTERM, signal.SIGINT)}
        try:
            status, summary = run_series(selected, checked, output, declared, progress=not arguments.no_progress)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
    print()
    print(summary_table(summary))
    print(f"\n{summary['status']}: summary in {paths.display_path(output / 'summary.json')} and summary.md")
    return status


if __name__ == "__main__":
    sys.exit(main())

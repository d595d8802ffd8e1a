"""Hyperparameter studies: one notebook run through papermill for every point of a grid.

Notebook 12 uses this to rerun notebook 06 over hidden-layer sizes and epoch counts. It is the
sweep of ``python -m helpers.sweep`` (:mod:`helpers.sweep`: the same checks, runs, records and
summary), run one point after another in the notebook's own process: each point runs in its own
fresh kernel, in a folder of its own, and becomes one row of the result. A point that a run of the
same grid finished before (same notebook, helpers, libraries and parameters) is kept, not rerun.
"""

from __future__ import annotations

import pathlib
from collections.abc import Mapping, Sequence
from typing import Any

from helpers import sweep


class ExperimentError(RuntimeError):
    """A run of the grid failed; the message names the point, the cell and the error."""


def run_grid(
    notebook: str | pathlib.Path,
    grid: Mapping[str, Sequence[Any]],
    fixed: Mapping[str, Any],
    output_dir: str | pathlib.Path,
    metrics_name: str,
) -> list[dict[str, Any]]:
    """Runs a notebook once for every combination of the grid's values.

    Args:
        notebook: A notebook path, or the stem of a course notebook such as ``"06_hidden_layer_model"``.
        grid: Parameter name to the values to try, e.g. ``{"hidden_units": [16, 64], "epochs": [1, 3]}``.
        fixed: Parameters that stay the same in every run (each run saves into a folder of its own,
            so ``artifacts_dir`` cannot be one of them).
        output_dir: Where the sweep's records go: ``runs/<point>.ipynb`` (the executed notebook),
            ``runs/<point>.json`` (its metrics), ``summary.md``, ``summary.json`` and ``accuracy.png``.
        metrics_name: The model name whose metrics to collect, e.g. ``"hidden_layer"``.

    Returns:
        One dict per run, in grid order: the grid values, ``validation_accuracy`` (``None`` when
        the notebook trains without a validation set), ``test_accuracy``, ``train_seconds``,
        ``run_seconds`` (the whole notebook) and ``notebook`` (the executed copy).

    Raises:
        ValueError: An empty grid, a notebook that does not exist, or a parameter it does not take.
        ExperimentError: A run failed or saved no metrics for ``metrics_name``.
    """
    path = pathlib.Path(notebook)
    try:
        path = sweep.resolve_notebook(str(notebook))
        if not grid or any(len(values) == 0 for values in grid.values()):
            raise sweep.UsageError(f"the grid needs at least one value per parameter, got {dict(grid)!r}.")
        plan = sweep.make_plan(path, {name: list(values) for name, values in grid.items()}, fixed=fixed)
        folder = sweep.check_output_folder(output_dir, plan, other_files_allowed=True)
    except sweep.UsageError as error:
        raise ValueError(f"{path.name}: {error}") from None
    _, summary = sweep.run_serially(plan, folder, resume=True, stop_at_first_failure=True)
    rows = []
    for entry in summary["configurations"]:
        point = entry["setting"]
        if entry["status"] not in ("ok", "kept"):
            if entry["status"] == "not run":
                continue
            shown = f" See {folder / entry['notebook']}." if entry["notebook"] else ""
            raise ExperimentError(f"The run with {point} failed: {entry['error']}.{shown}")
        saved = [model for model in entry["models"] if model["model"] == metrics_name]
        if not saved:
            raise ExperimentError(f"The run with {point} saved no metrics for {metrics_name!r} "
                                  f"(it saved {[model['model'] for model in entry['models']] or 'none'}).")
        rows.append({**point, "validation_accuracy": saved[0].get("validation_accuracy"),
                     "test_accuracy": saved[0]["test_accuracy"], "train_seconds": saved[0]["train_seconds"],
                     "run_seconds": entry["seconds"], "notebook": str(folder / entry["notebook"])})
    return rows


def format_rows(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str], show_test: bool = True
) -> str:
    """A plain-text table of grid results with the given parameter columns first.

    Args:
        rows: The rows that :func:`run_grid` returns.
        columns: The parameter columns to show first.
        show_test: Whether to show the test accuracy. A study that chooses its setting on the
            validation accuracy leaves it out, so that the test set judges only the final choice.

    Returns:
        The table, one line per run.
    """
    header = [*columns, "val. accuracy", *(["test accuracy"] if show_test else []), "fit (s)", "run (s)"]
    lines = ["  ".join(f"{name:>13}" for name in header)]
    for row in rows:
        cells = [f"{row[name]:>13}" for name in columns]
        validation = row.get("validation_accuracy")
        cells.append(f"{validation:>13.4f}" if validation is not None else f"{'-':>13}")
        if show_test:
            cells.append(f"{row['test_accuracy']:>13.4f}")
        cells += [f"{row['train_seconds']:>13.1f}", f"{row['run_seconds']:>13.1f}"]
        lines.append("  ".join(cells))
    return "\n".join(lines)


def best_by_validation(rows: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The run with the highest validation accuracy; ties go to the earlier run (the cheaper grid point).

    Raises:
        ValueError: No rows, or a row without a validation accuracy.
    """
    if not rows:
        raise ValueError("best_by_validation expects at least one run.")
    missing = [row for row in rows if row.get("validation_accuracy") is None]
    if missing:
        raise ValueError(
            f"{len(missing)} run(s) have no validation accuracy: the notebook must train with a "
            "validation set (validation_split) to choose between settings this way."
        )
    return max(rows, key=lambda row: row["validation_accuracy"])

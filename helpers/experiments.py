"""Hyperparameter studies: one notebook run through papermill for every point of a grid.

Notebook 12 uses this to rerun notebook 06 over hidden-layer sizes and epoch counts. Each point
runs in its own fresh kernel through the series runner's :func:`helpers.series.execute_notebook`,
writes its model and metrics into a folder of its own, and becomes one row of the result.
"""

from __future__ import annotations

import itertools
import pathlib
from collections.abc import Mapping, Sequence
from typing import Any

from helpers import paths, series


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
        fixed: Parameters that stay the same in every run (``artifacts_dir`` is set per run).
        output_dir: Where the executed notebooks and each run's artifacts go.
        metrics_name: The model name whose metrics to collect, e.g. ``"hidden_layer"``.

    Returns:
        One dict per run, in grid order: the grid values, ``validation_accuracy`` (``None`` when
        the notebook trains without a validation set), ``test_accuracy``, ``train_seconds``,
        ``run_seconds`` (the whole notebook) and ``notebook`` (the executed copy).

    Raises:
        ValueError: An empty grid, or a notebook that does not exist.
        ExperimentError: A run failed or saved no metrics for ``metrics_name``.
    """
    path = pathlib.Path(notebook)
    if path.suffix != ".ipynb":
        path = paths.NOTEBOOKS_DIR / f"{notebook}.ipynb"
    if not path.is_file():
        raise ValueError(f"No notebook at {path}.")
    if not grid or any(len(values) == 0 for values in grid.values()):
        raise ValueError(f"The grid needs at least one value per parameter, got {dict(grid)!r}.")
    output_dir = pathlib.Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    names = list(grid)
    points = list(itertools.product(*(grid[name] for name in names)))
    rows = []
    for position, values in enumerate(points, start=1):
        point = dict(zip(names, values))
        label = "_".join(f"{name}-{value}" for name, value in point.items())
        artifacts_dir = output_dir / label
        print(f"[{position}/{len(points)}] {', '.join(f'{n}={v}' for n, v in point.items())}", flush=True)
        run = series.execute_notebook(
            path, output_dir / f"{label}.ipynb", {**fixed, **point, "artifacts_dir": artifacts_dir},
            cwd=output_dir, artifacts_dir=artifacts_dir, progress_bar=False,
        )
        if run.status != "ok":
            raise ExperimentError(f"The run with {point} {run.status}: {run.error}. See {run.output}.")
        saved = [model for model in run.models if model["model"] == metrics_name]
        if not saved:
            raise ExperimentError(f"The run with {point} saved no metrics for {metrics_name!r} in {artifacts_dir}.")
        rows.append({**point, "validation_accuracy": saved[0].get("validation_accuracy"),
                     "test_accuracy": saved[0]["test_accuracy"],
                     "train_seconds": saved[0]["train_seconds"], "run_seconds": run.seconds,
                     "notebook": run.output})
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

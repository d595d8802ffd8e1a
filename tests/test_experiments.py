"""helpers.experiments: a grid of papermill runs, each in its own kernel and folder."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from helpers import experiments, paths


def test_a_one_point_grid_runs_notebook_04_and_collects_its_metrics(tmp_path):
    rows = experiments.run_grid("04_hidden_layer_model", {"hidden_units": [8], "epochs": [1]},
                                {"seed": 0}, tmp_path, metrics_name="hidden_layer")
    assert len(rows) == 1
    row = rows[0]
    assert row["hidden_units"] == 8 and row["epochs"] == 1
    assert 0.8 < row["test_accuracy"] < 0.97
    assert 0 < row["train_seconds"] < row["run_seconds"]
    saved = json.loads((tmp_path / "hidden_units-8_epochs-1" / "hidden_layer_metrics.json").read_text())
    assert saved["test_accuracy"] == row["test_accuracy"]
    assert saved["parameters"]["hidden_units"] == 8
    table = experiments.format_rows(rows, ["hidden_units", "epochs"])
    assert f"{row['test_accuracy']:.4f}" in table.splitlines()[1]


def test_a_failing_run_stops_the_grid_with_the_point_and_the_error(tmp_path):
    broken = tmp_path / "01_broken.ipynb"
    shutil.copy(paths.NOTEBOOKS_DIR / "01_loading_data.ipynb", broken)
    notebook = nbformat.read(broken, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("raise ValueError('no chalk left')"))
    nbformat.write(notebook, broken)
    with pytest.raises(experiments.ExperimentError, match=r"The run with \{'data_path': None\} failed: .*ValueError: no chalk left"):
        experiments.run_grid(broken, {"data_path": [None]}, {}, tmp_path / "out", metrics_name="x")


def test_a_run_without_the_expected_metrics_is_an_error(tmp_path):
    with pytest.raises(experiments.ExperimentError, match="saved no metrics for 'hidden_layer'"):
        experiments.run_grid("01_loading_data", {"data_path": [None]}, {}, tmp_path, metrics_name="hidden_layer")


@pytest.mark.parametrize(
    ("notebook", "grid", "message"),
    [
        ("04_hidden_layer_model", {}, "at least one value per parameter"),
        ("04_hidden_layer_model", {"epochs": []}, "at least one value per parameter"),
        ("99_nothing", {"epochs": [1]}, "No notebook at"),
    ],
)
def test_bad_grids_are_refused_before_anything_runs(tmp_path, notebook, grid, message):
    with pytest.raises(ValueError, match=message):
        experiments.run_grid(notebook, grid, {}, tmp_path / "out", metrics_name="hidden_layer")
    assert not (tmp_path / "out").exists()

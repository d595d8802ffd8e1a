"""helpers.experiments: a grid of papermill runs, each in its own kernel and folder."""

from __future__ import annotations

import json
import shutil

import nbformat
import probe_notebook
import pytest

from helpers import experiments, paths


def test_a_grid_collects_each_points_metrics_in_order_and_a_rerun_keeps_them(tmp_path):
    # The probe notebook of test_sweep saves metrics computed from its parameters in a second;
    # notebook 12's own run under nbval trains notebook 06 through the same function.
    probe = probe_notebook.write(tmp_path)
    output = tmp_path / "study"
    rows = experiments.run_grid(probe, {"hidden_units": [8, 2], "pause": [0.0]}, {"seed": 1}, output,
                                metrics_name="probe")
    assert [(row["hidden_units"], row["pause"]) for row in rows] == [(8, 0.0), (2, 0.0)]
    assert [row["validation_accuracy"] for row in rows] == [pytest.approx(0.581), pytest.approx(0.521)]
    assert all(row["train_seconds"] == 0.0 and row["run_seconds"] > 0 for row in rows)
    record = json.loads((output / "runs" / "hidden_units-8_pause-0.0.json").read_text())
    assert record["models"][0]["test_accuracy"] == rows[0]["test_accuracy"]
    assert record["parameters"] == {"seed": 1, "hidden_units": 8, "pause": 0.0}
    assert rows[0]["notebook"] == str(output.resolve() / "runs" / "hidden_units-8_pause-0.0.ipynb")
    assert experiments.best_by_validation(rows)["hidden_units"] == 8
    table = experiments.format_rows(rows, ["hidden_units", "pause"])
    assert f"{rows[0]['test_accuracy']:.4f}" in table.splitlines()[1]
    # The same grid again keeps the finished runs instead of running them again.
    stamp = (output / "runs" / "hidden_units-8_pause-0.0.ipynb").stat().st_mtime_ns
    again = experiments.run_grid(probe, {"hidden_units": [8, 2], "pause": [0.0]}, {"seed": 1}, output,
                                 metrics_name="probe")
    assert again == rows
    assert (output / "runs" / "hidden_units-8_pause-0.0.ipynb").stat().st_mtime_ns == stamp


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
        ("06_hidden_layer_model", {}, "at least one value per parameter"),
        ("06_hidden_layer_model", {"epochs": []}, "at least one value per parameter"),
        ("99_nothing", {"epochs": [1]}, "no notebook at"),
        ("06_hidden_layer_model", {"hidden_unit": [8]}, "unknown parameter 'hidden_unit'"),
        ("06_hidden_layer_model", {"hidden_units": [0]}, "hidden_units"),
    ],
)
def test_bad_grids_are_refused_before_anything_runs(tmp_path, notebook, grid, message):
    with pytest.raises(ValueError, match=message):
        experiments.run_grid(notebook, grid, {}, tmp_path / "out", metrics_name="hidden_layer")
    assert not (tmp_path / "out").exists()


_ROWS = [
    {"hidden_units": 16, "epochs": 1, "validation_accuracy": 0.91, "test_accuracy": 0.905,
     "train_seconds": 1.04, "run_seconds": 9.96},
    {"hidden_units": 64, "epochs": 3, "validation_accuracy": 0.9712, "test_accuracy": 0.96854,
     "train_seconds": 12.34, "run_seconds": 20.0},
    {"hidden_units": 256, "epochs": 1, "validation_accuracy": 0.95, "test_accuracy": 0.94,
     "train_seconds": 3.0, "run_seconds": 11.0},
]


def test_best_by_validation_picks_the_row_with_the_highest_validation_accuracy():
    assert experiments.best_by_validation(_ROWS) is _ROWS[1]
    assert experiments.best_by_validation(_ROWS[::2]) is _ROWS[2]


def test_best_by_validation_gives_a_tie_to_the_earlier_run():
    first, second = dict(_ROWS[0], validation_accuracy=0.97), dict(_ROWS[2], validation_accuracy=0.97)
    assert experiments.best_by_validation([first, second]) is first
    assert experiments.best_by_validation([second, first]) is second


def test_best_by_validation_ignores_the_test_accuracy():
    rows = [dict(_ROWS[0], validation_accuracy=0.95, test_accuracy=0.99),
            dict(_ROWS[1], validation_accuracy=0.96, test_accuracy=0.90)]
    assert experiments.best_by_validation(rows) is rows[1]


def test_best_by_validation_refuses_no_runs():
    with pytest.raises(ValueError, match="best_by_validation expects at least one run"):
        experiments.best_by_validation([])


def test_best_by_validation_refuses_runs_without_a_validation_accuracy():
    without = {key: value for key, value in _ROWS[0].items() if key != "validation_accuracy"}
    rows = [without, _ROWS[1], dict(_ROWS[2], validation_accuracy=None)]
    with pytest.raises(ValueError, match=r"^2 run\(s\) have no validation accuracy: the notebook must "
                                         r"train with a validation set \(validation_split\)"):
        experiments.best_by_validation(rows)


def test_format_rows_puts_the_parameter_columns_first_then_the_results():
    table = experiments.format_rows(_ROWS[:2], ["hidden_units", "epochs"])
    assert table.splitlines() == [
        " hidden_units         epochs  val. accuracy  test accuracy        fit (s)        run (s)",
        "           16              1         0.9100         0.9050            1.0           10.0",
        "           64              3         0.9712         0.9685           12.3           20.0",
    ]


def test_format_rows_can_hide_the_test_accuracy_and_marks_a_missing_validation_accuracy():
    rows = [dict(_ROWS[0], validation_accuracy=None)]
    table = experiments.format_rows(rows, ["epochs"], show_test=False)
    assert table.splitlines() == [
        "       epochs  val. accuracy        fit (s)        run (s)",
        "            1              -            1.0           10.0",
    ]
    assert "0.9050" not in table and "test" not in table

"""The notebooks run alone through papermill, from another folder, and their models really learn.

Most tests read the session's quick run of every notebook; the few that need other parameters run
one notebook with papermill, on at most one epoch.
"""

from __future__ import annotations

import json
import re

import nbformat
import numpy as np
import papermill
import pytest
from notebook_tools import all_output_text, notebook_path, run_notebook

from helpers import data, params, series

NOTEBOOKS = [path.stem for path in series.discover_notebooks()]


def _printed_accuracy(text: str) -> float:
    """The accuracy a notebook prints on a line of its own: "test accuracy 0.9741"."""
    return float(re.search(r"^test accuracy (\d\.\d+)$", text, re.MULTILINE)[1])


def _metrics(artifacts_dir, kind: str) -> dict:
    files = [path for path in artifacts_dir.glob("*.json") if kind in path.name]
    assert len(files) == 1, f"expected one metrics file with {kind!r} in its name, got {files}"
    return json.loads(files[0].read_text())


# The tests below read the session's quick run (conftest.py: every notebook, one epoch on
# 20,000 images, in its own folder) instead of training 05 and 06 again: nbval already runs each
# notebook once at its defaults, and its sanitizer (tests/nbval_sanitize.cfg) holds 05 and 06 to
# their stored test accuracy to two decimals (0.92 and 0.97).


@pytest.mark.parametrize(("kind", "floor"), [("single", 0.85), ("hidden", 0.9)])
def test_the_saved_metrics_record_the_run_that_made_them(quick_run, kind, floor):
    artifacts_dir = quick_run[1] / "artifacts"
    metrics = _metrics(artifacts_dir, kind)
    assert metrics["test_accuracy"] >= floor
    assert 0 < metrics["train_seconds"] < 600
    assert metrics["parameters"]["epochs"] == 1 and metrics["parameters"]["seed"] == 0
    assert metrics["parameters"]["artifacts_dir"] == str(artifacts_dir)
    assert metrics["parameters"]["data_path"] == str(quick_run[1].parent / "mnist_subset.npz")
    assert set(metrics["versions"]) >= {"tensorflow", "keras", "numpy", "python"}
    assert len(metrics["history"]["loss"]) == 1


def test_notebook_07_uses_the_model_that_05_saved(quick_run):
    artifacts_dir = quick_run[1] / "artifacts"
    text = all_output_text(nbformat.read(quick_run[1] / "07_confusion_matrix.ipynb", as_version=4))
    assert "Using the model that notebook 06 (06_hidden_layer_model.ipynb) saved (test accuracy 0.9" in text
    assert "images counted: 10000" in text
    assert _printed_accuracy(text) == pytest.approx(_metrics(artifacts_dir, "hidden")["test_accuracy"], abs=1e-4)


def test_notebook_07_alone_trains_the_model_itself_and_says_why(mnist_subset, tmp_path):
    executed = run_notebook("07_confusion_matrix", tmp_path, cwd=tmp_path,
                            artifacts_dir=str(tmp_path / "empty"), epochs=1, data_path=str(mnist_subset))
    text = all_output_text(executed)
    assert ("The model of notebook 06 (06_hidden_layer_model.ipynb) cannot be used: "
            "No metrics for model 'hidden_layer'") in text
    assert "Training the same model here instead (1 epoch)." in text
    assert _printed_accuracy(text) > 0.9


def test_notebook_07_refuses_a_model_trained_with_other_parameters(quick_run, tmp_path):
    # Run from an unrelated folder: the notebook finds its data and helpers without the course's cwd.
    executed = run_notebook("07_confusion_matrix", tmp_path, cwd=tmp_path / "somewhere" / "else",
                            artifacts_dir=str(quick_run[1] / "artifacts"), epochs=1, hidden_units=20,
                            data_path=str(quick_run[1].parent / "mnist_subset.npz"))
    text = all_output_text(executed)
    assert "is stale: it was trained with hidden_units=100, but hidden_units=20 is asked for" in text
    assert "Training the same model here instead (1 epoch)." in text


@pytest.mark.parametrize(
    ("name", "parameters", "message"),
    [
        ("05_single_layer_model", {"epochs": 0}, "epochs must be a whole number from 1 to 1000, got 0."),
        ("03_how_a_network_learns", {"learning_rate": 5.0}, "learning_rate must be a number from 1e-06 to 1, got 5.0"),
        ("06_hidden_layer_model", {"hidden_units": -5}, "hidden_units must be a whole number from 1 to 100000, got -5."),
        ("01_loading_data", {"data_path": "missing.npz"}, "data_path must be a path to an existing file or None"),
    ],
)
def test_a_bad_parameter_fails_in_the_validation_cell_and_names_it(tmp_path, name, parameters, message):
    with pytest.raises(papermill.PapermillExecutionError) as caught:
        run_notebook(name, tmp_path, cwd=tmp_path, **parameters)
    assert caught.value.ename == "ValueError"
    assert message in caught.value.evalue
    assert "params.validate" in caught.value.source


def test_another_mnist_layout_dataset_runs_through(tmp_path):
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    # A different dataset in the same layout: a subset, with the images mirrored left to right.
    subset = tmp_path / "mirrored_digits.npz"
    np.savez_compressed(subset, x_train=x_train[:6000, :, ::-1], y_train=y_train[:6000],
                        x_test=x_test[:1000, :, ::-1], y_test=y_test[:1000])
    executed = run_notebook("01_loading_data", tmp_path, cwd=tmp_path, data_path=str(subset))
    assert "x_train  shape (6000, 28, 28)" in all_output_text(executed)
    run_notebook("06_hidden_layer_model", tmp_path, cwd=tmp_path, data_path=str(subset),
                 artifacts_dir=str(tmp_path / "artifacts"), epochs=2)
    metrics = _metrics(tmp_path / "artifacts", "hidden")
    assert metrics["parameters"]["data_path"] == str(subset)
    assert 0.8 < metrics["test_accuracy"] < 1.0


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_notebook_declares_its_parameters_with_known_rules_and_comments(name):
    declared = papermill.inspect_notebook(notebook_path(name))
    assert declared, f"{name} has no parameters cell"
    for parameter, details in declared.items():
        assert parameter in params.RULES, f"{name}: {parameter} has no rule in helpers.params"
        assert details["help"], f"{name}: {parameter} has no comment saying what it means"
        assert details["inferred_type_name"] not in ("None", None), (
            f"{name}: {parameter} has no type annotation, so papermill --help-notebook says 'Unknown type'")


def test_the_course_has_its_fifteen_notebooks_with_the_originals_steps_in_order():
    assert NOTEBOOKS == ["00_the_original_script", "01_loading_data", "02_preprocessing", "03_how_a_network_learns",
                         "04_training_in_batches", "05_single_layer_model", "06_hidden_layer_model",
                         "07_confusion_matrix", "08_softmax_vs_sigmoid", "09_convolutional_network",
                         "10_what_makes_the_cnn_good", "11_data_augmentation", "12_experiments",
                         "13_draw_your_own_digit", "14_use_your_model"]


def test_notebook_00_runs_the_original_script_and_both_models_learn(quick_run):
    text = all_output_text(nbformat.read(quick_run[1] / "00_the_original_script.ipynb", as_version=4))
    first = float(re.search(r"first model: test accuracy (\S+),", text)[1])
    second = float(re.search(r"second model: test accuracy (\S+),", text)[1])
    assert first > 0.85 and second > first  # Five epochs on 20,000 images; the hidden layer does better.
    assert "(60000, 784) (10000, 784)" not in text  # The quick run's subset has 20,000 training images.
    assert "(20000, 784) (10000, 784)" in text


def test_notebook_03_takes_one_step_by_hand(quick_run):
    text = all_output_text(nbformat.read(quick_run[1] / "03_how_a_network_learns.ipynb", as_version=4))
    assert "loss on the first image: 2.3026" in text  # -log(1/10): every digit starts at 0.1.
    assert "True True" in text  # The tape's gradient equals (p - one-hot) times the pixels.


def test_notebook_04_trains_in_batches_and_shows_what_scaling_changes(quick_run):
    text = all_output_text(nbformat.read(quick_run[1] / "04_training_in_batches.ipynb", as_version=4))
    assert _printed_accuracy(text) > 0.88  # One epoch on 20,000 images.
    scaled, raw = map(float, re.search(r"test accuracy: scaled pixels (\S+), raw pixels (\S+)", text).groups())
    assert raw < scaled - 0.01
    by_hand, keras_accuracy = map(float, re.search(r"by hand (\S+), Keras (\S+)", text).groups())
    assert abs(by_hand - keras_accuracy) < 0.02


def test_the_capstone_reads_a_photo_given_as_image_path(tmp_path, quick_run, monkeypatch):
    from PIL import Image

    from helpers import handwriting

    (_, _), (x_test, y_test) = data.load_mnist()
    monkeypatch.setenv("HOME", str(tmp_path))  # the kernel inherits it, so "~" is tmp_path there too
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    photo = tmp_path / "digit.png"  # A 2 drawn large and low on the left, saved as an RGB photo.
    Image.fromarray(handwriting.sample_drawing(x_test[1], scale=5.0, top=130, left=5)).convert("RGB").save(photo)
    executed = run_notebook("13_draw_your_own_digit", tmp_path, cwd=tmp_path, image_path="~/digit.png",
                            artifacts_dir=str(quick_run[1] / "artifacts"))
    text = all_output_text(executed)
    assert f"image_path = {str(photo)!r}" in text or str(photo) in text
    assert "(280, 280, 3) uint8 · your picture" in text and "true digit of the test image" not in text
    assert "Using the model that notebook 06" in text and "Using the model that notebook 09" in text


def test_the_capstone_says_what_is_wrong_with_a_file_that_is_not_an_image(tmp_path):
    notes = tmp_path / "notes.png"
    notes.write_text("not an image")
    with pytest.raises(papermill.PapermillExecutionError) as caught:
        run_notebook("13_draw_your_own_digit", tmp_path, cwd=tmp_path, image_path=str(notes),
                     artifacts_dir=str(tmp_path / "empty"))  # It stops before any model is loaded.
    assert caught.value.ename == "ValueError"
    assert "is not a PNG or JPEG image that can be read" in caught.value.evalue


def test_the_capstone_refuses_a_picture_without_a_digit_in_its_settings_cell(tmp_path):
    # A 1 x 1 picture used to fail after the models had loaded or trained (275 s with none saved).
    from PIL import Image

    tiny = tmp_path / "tiny.png"
    Image.new("L", (1, 1), 255).save(tiny)
    with pytest.raises(papermill.PapermillExecutionError) as caught:
        run_notebook("13_draw_your_own_digit", tmp_path, cwd=tmp_path, image_path=str(tiny),
                     artifacts_dir=str(tmp_path / "empty"))
    assert caught.value.ename == "ValueError"
    assert caught.value.evalue.startswith(f"image_path {str(tiny)!r}: ") and "at least 8 x 8" in caught.value.evalue
    assert "params.validate" in caught.value.source  # the settings cell, before any model


_RECORD_GROUPS = """
import pytest, sys

class Groups:
    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items):
        marks = [item.get_closest_marker("xdist_group") for item in items]
        print("GROUPS", sorted({mark.args[0] if mark else "none" for mark in marks}))

sys.exit(pytest.main(["--collect-only", "-q", "-p", "no:xdist", "-o", "addopts=--nbval",
                      "notebooks/09_convolutional_network.ipynb", "notebooks/11_data_augmentation.ipynb"],
                     plugins=[Groups()]))
"""


def test_a_notebook_named_alone_keeps_its_cells_in_its_lane(tmp_path):
    # CI's 3.13 step names only notebooks; when the lanes lived in tests/conftest.py, that run had no
    # groups, and pytest-xdist sent the cells of one notebook to two kernels (84 NameErrors).
    from conftest import run_python

    result = run_python(_RECORD_GROUPS, cwd=notebook_path(NOTEBOOKS[0]).parent.parent, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "GROUPS ['notebooks-06-07-09-14']" in result.stdout, result.stdout

"""helpers.artifacts: saving is atomic, loading is safe and says when a model is stale or missing."""

from __future__ import annotations

import json
import os
import stat
import subprocess

import numpy as np
import pytest

from helpers import artifacts, models, params


@pytest.fixture(scope="module")
def small_model():
    model = models.compile_like_original(models.build_hidden_layer_model(8))
    model.fit(np.random.default_rng(0).random((64, 784), dtype=np.float32), np.arange(64) % 10,
              epochs=1, verbose=0)
    return model


def test_save_then_load_gives_the_same_model_and_metrics(tmp_path, small_model):
    model_file, metrics_file = artifacts.save_model(
        small_model, "hidden_layer", {"test_accuracy": 0.5, "parameters": {"hidden_units": 8}},
        directory=tmp_path)
    assert model_file.name == "hidden_layer_model.keras"
    assert metrics_file.name == "hidden_layer_metrics.json"
    assert sorted(path.name for path in tmp_path.iterdir()) == [metrics_file.name, model_file.name]
    record = json.loads(metrics_file.read_text())
    assert record["test_accuracy"] == 0.5
    assert set(record["versions"]) == {"python", "tensorflow", "keras", "numpy"}
    loaded, loaded_record = artifacts.load_model("hidden_layer", tmp_path, {"hidden_units": 8})
    assert loaded_record == record
    sample = np.random.default_rng(1).random((5, 784), dtype=np.float32)
    np.testing.assert_allclose(loaded.predict(sample, verbose=0), small_model.predict(sample, verbose=0))


def test_missing_artifacts_say_so(tmp_path):
    with pytest.raises(artifacts.ArtifactError, match="No metrics for model 'hidden_layer' .* not been saved there yet"):
        artifacts.load_model("hidden_layer", tmp_path)


def test_a_model_file_missing_beside_its_metrics_is_reported(tmp_path, small_model):
    model_file, _ = artifacts.save_model(small_model, "m", {}, directory=tmp_path)
    model_file.unlink()
    with pytest.raises(artifacts.ArtifactError, match="is missing although its metrics exist. Run notebook 04"):
        artifacts.load_model("m", tmp_path, made_by="notebook 04")


def test_a_model_that_does_not_match_its_metrics_is_stale(tmp_path, small_model):
    model_file, _ = artifacts.save_model(small_model, "m", {}, directory=tmp_path)
    model_file.write_bytes(model_file.read_bytes() + b"\0")
    with pytest.raises(artifacts.ArtifactError, match="is stale: it is not the model its metrics describe"):
        artifacts.load_model("m", tmp_path)


def test_other_parameters_make_it_stale(tmp_path, small_model):
    artifacts.save_model(small_model, "m", {"parameters": {"hidden_units": 8}}, directory=tmp_path)
    with pytest.raises(artifacts.ArtifactError, match=r"trained with hidden_units=8, but hidden_units=100 is asked for"):
        artifacts.load_model("m", tmp_path, {"hidden_units": 100})


def test_another_keras_version_makes_it_stale(tmp_path, small_model):
    _, metrics_file = artifacts.save_model(small_model, "m", {}, directory=tmp_path)
    record = json.loads(metrics_file.read_text())
    record["versions"]["keras"] = "2.0.0"
    metrics_file.write_text(json.dumps(record))
    with pytest.raises(artifacts.ArtifactError, match="saved with Keras 2.0.0"):
        artifacts.load_model("m", tmp_path)


def test_unreadable_metrics_are_reported(tmp_path):
    (tmp_path / "m_metrics.json").write_text("{not json")
    with pytest.raises(artifacts.ArtifactError, match="is not readable JSON"):
        artifacts.load_metrics("m", tmp_path)


def test_safe_mode_refuses_a_model_that_carries_code(tmp_path):
    import keras

    model = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Lambda(lambda values: values * 2)])
    artifacts.save_model(model, "lambda", {}, directory=tmp_path)
    with pytest.raises(artifacts.ArtifactError, match="Keras could not load .*lambda_model.keras"):
        artifacts.load_model("lambda", tmp_path)


def test_an_interrupted_save_leaves_the_previous_files_whole(tmp_path, small_model, monkeypatch):
    model_file, metrics_file = artifacts.save_model(small_model, "m", {"run": 1}, directory=tmp_path)
    before = (model_file.read_bytes(), metrics_file.read_bytes())

    def interrupted_save(path, *args, **kwargs):
        with open(path, "wb") as handle:
            handle.write(b"half a model")
        raise KeyboardInterrupt

    monkeypatch.setattr(type(small_model), "save", lambda self, path, *a, **k: interrupted_save(path))
    with pytest.raises(KeyboardInterrupt):
        artifacts.save_model(small_model, "m", {"run": 2}, directory=tmp_path)
    assert (model_file.read_bytes(), metrics_file.read_bytes()) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["m_metrics.json", "m_model.keras"]


def test_write_json_atomic_leaves_no_temporary_file_on_failure(tmp_path):
    target = tmp_path / "out.json"
    target.write_text('{"old": true}\n')
    with pytest.raises(TypeError):
        artifacts.write_json_atomic(target, {("tuple", "key"): 1})  # JSON keys must be strings.
    assert target.read_text() == '{"old": true}\n'
    assert [path.name for path in tmp_path.iterdir()] == ["out.json"]


def test_artifacts_directory_defaults_to_the_repository():
    from helpers import paths

    assert artifacts.artifacts_directory(None) == paths.REPOSITORY_ROOT / "artifacts"
    assert artifacts.metrics_path(None, "single_layer").name == "single_layer_metrics.json"


@pytest.fixture(scope="module")
def trained_run():
    """A single-layer model trained one epoch on 200 random images, 10% held out, and its History."""
    import keras

    model = models.compile_like_original(
        keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, activation="sigmoid")]))
    generator = np.random.default_rng(2)
    history = model.fit(generator.random((200, 784), dtype=np.float32), np.arange(200) % 10,
                        epochs=1, batch_size=32, validation_split=0.1, verbose=0)
    return model, history


def _settings(directory, **overrides):
    values = {"seed": 3, "epochs": 1, "batch_size": 32, "data_path": None, "artifacts_dir": directory}
    return params.validate(**{**values, **overrides})


def test_save_run_saves_the_model_and_the_metrics_of_the_run(tmp_path, capsys, trained_run):
    model, history = trained_run
    artifacts.save_run(model, "single_layer", _settings(tmp_path), history, test_loss=np.float32(1.5),
                       test_accuracy=np.float64(0.25), train_seconds=1.23456, notebook="04", shifts=[0, 2])
    model_file = tmp_path.resolve() / "single_layer_model.keras"
    metrics_file = tmp_path.resolve() / "single_layer_metrics.json"
    assert capsys.readouterr().out == f"saved {model_file} and {metrics_file}\n"
    record = json.loads(metrics_file.read_text())
    assert set(record) == {"model", "test_accuracy", "test_loss", "train_seconds", "parameter_count",
                           "history", "parameters", "validation_accuracy", "notebook", "shifts",
                           "model_file", "model_sha256", "saved_at", "versions"}
    assert record["model"] == "single_layer" and record["model_file"] == model_file.name
    assert record["test_accuracy"] == 0.25 and record["test_loss"] == 1.5
    assert record["train_seconds"] == 1.23  # Rounded to hundredths.
    assert record["parameter_count"] == 784 * 10 + 10
    assert record["validation_accuracy"] == history.history["val_accuracy"][-1]
    assert set(record["history"]) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert record["history"]["loss"] == pytest.approx(history.history["loss"]) and len(record["history"]["loss"]) == 1
    assert record["parameters"] == {"seed": 3, "epochs": 1, "batch_size": 32, "data_path": None,
                                    "artifacts_dir": str(tmp_path.resolve())}
    assert record["notebook"] == "04" and record["shifts"] == [0, 2]
    loaded, _ = artifacts.load_model("single_layer", tmp_path, {"seed": 3, "batch_size": 32})
    np.testing.assert_array_equal(loaded.get_weights()[0], model.get_weights()[0])


def test_save_run_without_a_validation_set_records_no_validation_accuracy(tmp_path, capsys, small_model):
    history = {"loss": [0.9, np.float32(0.7)], "accuracy": [0.6, 0.8]}
    artifacts.save_run(small_model, "hidden_layer", _settings(tmp_path, hidden_units=8), history,
                       test_loss=0.7, test_accuracy=0.8, train_seconds=2)
    record = artifacts.load_metrics("hidden_layer", tmp_path)
    assert "validation_accuracy" not in record
    assert record["history"] == {"loss": [0.9, pytest.approx(0.7)], "accuracy": [0.6, 0.8]}
    assert record["parameter_count"] == (784 * 8 + 8) + (8 * 10 + 10)
    assert record["train_seconds"] == 2.0 and record["parameters"]["hidden_units"] == 8
    assert capsys.readouterr().out.startswith("saved ")


def test_save_run_prints_paths_inside_the_repository_relative_to_it(tmp_path, capsys, monkeypatch, small_model):
    from helpers import paths

    monkeypatch.setattr(paths, "REPOSITORY_ROOT", tmp_path.resolve())
    artifacts.save_run(small_model, "m", _settings(tmp_path / "artifacts"), {"loss": [1.0]},
                       test_loss=1.0, test_accuracy=0.5, train_seconds=1.0)
    assert capsys.readouterr().out == "saved artifacts/m_model.keras and artifacts/m_metrics.json\n"


def test_comparison_table_compares_saved_runs_and_says_which_notebook_makes_a_missing_one(
        tmp_path, capsys, trained_run, small_model):
    model, history = trained_run
    artifacts.save_run(model, "single_layer", _settings(tmp_path), history, test_loss=0.3,
                       test_accuracy=0.9213, train_seconds=3.21)
    artifacts.save_run(small_model, "hidden_layer", _settings(tmp_path, hidden_units=8), {"loss": [0.2]},
                       test_loss=0.2, test_accuracy=0.96714, train_seconds=12.46)
    capsys.readouterr()
    table = artifacts.comparison_table(["single_layer", "hidden_layer", "cnn", "mystery"], tmp_path)
    assert table.splitlines() == [
        "model          parameters  test accuracy  training (s)",
        "single_layer        7,850         0.9213           3.2",
        "hidden_layer        6,370         0.9671          12.5",
        "cnn            not saved in this artifacts folder yet: run notebook 08 (08_convolutional_network.ipynb)",
        "mystery        not saved in this artifacts folder yet: run its notebook",
    ]


def test_comparison_table_marks_figures_a_metrics_file_lacks(tmp_path):
    artifacts.write_json_atomic(artifacts.metrics_path(tmp_path, "old"), {"test_accuracy": 0.9})
    (_, row) = artifacts.comparison_table(["old"], tmp_path).splitlines()
    assert row == "old" + " " * 21 + "?" + " " * 9 + "0.9000" + " " * 11 + "nan"


def test_comparison_table_of_an_empty_folder_names_the_notebooks_to_run(tmp_path):
    rows = artifacts.comparison_table(["single_layer", "hidden_layer"], tmp_path).splitlines()[1:]
    assert rows == [
        "single_layer   not saved in this artifacts folder yet: run notebook 04 (04_single_layer_model.ipynb)",
        "hidden_layer   not saved in this artifacts folder yet: run notebook 05 (05_hidden_layer_model.ipynb)",
    ]


def test_comparison_table_says_when_a_metrics_file_cannot_be_read(tmp_path):
    artifacts.metrics_path(tmp_path, "cnn").write_text("[1, 2]", encoding="utf-8")
    rows = artifacts.comparison_table(["cnn"], tmp_path).splitlines()[1:]
    assert len(rows) == 1
    assert rows[0].startswith("cnn            cannot be read: ")
    assert rows[0].endswith("should hold a JSON object, found list.")


def test_saved_files_follow_the_umask_like_any_other_file(tmp_path, small_model):
    previous = os.umask(0o022)
    try:
        model_file, metrics_file = artifacts.save_model(small_model, "hidden_layer", {"test_accuracy": 0.5}, tmp_path)
        summary = artifacts.write_json_atomic(tmp_path / "summary.json", {"status": "complete"})
        os.umask(0o027)
        shared = artifacts.write_json_atomic(tmp_path / "group.json", {})
    finally:
        os.umask(previous)
    for path in (model_file, metrics_file, summary):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path.name
    assert stat.S_IMODE(shared.stat().st_mode) == 0o640


def test_a_save_clears_temporary_files_left_by_a_killed_save_but_not_live_ones(tmp_path, small_model):
    gone = subprocess.Popen(["true"])  # noqa: S603, S607 - a process that has ended
    gone.wait()
    stale = tmp_path / f".hidden_layer.pid{gone.pid}.abcd1234.keras"
    live = tmp_path / f".cnn.pid{os.getpid()}.efgh5678.keras"
    stale.write_bytes(b"half a model")
    live.write_bytes(b"being written")
    artifacts.save_model(small_model, "hidden_layer", {"test_accuracy": 0.5}, tmp_path)
    assert not stale.exists()
    assert live.exists()

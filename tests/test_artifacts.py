"""helpers.artifacts: saving is atomic, loading is safe and says when a model is stale or missing."""

from __future__ import annotations

import json

import numpy as np
import pytest

from helpers import artifacts, models


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

"""helpers.models: the original's two models, kept identical to the cells of notebooks 03 and 04."""

from __future__ import annotations

import contextlib
import io

import keras
import pytest
from notebook_tools import tagged_source

from helpers import models


def _without_names(config):
    """A model config with layer names removed: they only count how many layers a session built."""
    if isinstance(config, dict):
        return {key: _without_names(value) for key, value in config.items() if key != "name"}
    if isinstance(config, list):
        return [_without_names(value) for value in config]
    return config


def _run_cells(notebook: str, model_name: str, **namespace):
    namespace["keras"] = keras
    with contextlib.redirect_stdout(io.StringIO()):  # model.summary() prints a table.
        exec(tagged_source(notebook, "model-build"), namespace)
        exec(tagged_source(notebook, "model-compile"), namespace)
    return namespace[model_name]


@pytest.mark.parametrize(
    ("notebook", "model_name", "namespace", "build"),
    [
        ("03_single_layer_model", "single_model", {}, models.build_single_layer_model),
        ("04_hidden_layer_model", "hidden_model", {"hidden_units": 100}, lambda: models.build_hidden_layer_model(100)),
        ("04_hidden_layer_model", "hidden_model", {"hidden_units": 37}, lambda: models.build_hidden_layer_model(37)),
    ],
)
def test_the_notebook_cells_build_and_compile_exactly_what_the_helpers_do(notebook, model_name, namespace, build):
    from_notebook = _run_cells(notebook, model_name, **namespace)
    from_helpers = models.compile_like_original(build())
    assert from_notebook.name == from_helpers.name
    assert _without_names(from_notebook.get_config()) == _without_names(from_helpers.get_config())
    assert _without_names(from_notebook.get_compile_config()) == _without_names(from_helpers.get_compile_config())


def test_the_models_are_the_originals():
    single = models.build_single_layer_model()
    hidden = models.build_hidden_layer_model()
    assert single.count_params() == 7_850
    assert hidden.count_params() == 79_510
    assert [layer.activation.__name__ for layer in hidden.layers] == ["relu", "sigmoid"]
    assert single.layers[0].activation.__name__ == "sigmoid"
    assert hidden.output_shape == (None, 10)


def test_compile_like_original_uses_adam_and_sparse_cross_entropy():
    compiled = models.compile_like_original(models.build_single_layer_model(), steps_per_execution=1)
    config = compiled.get_compile_config()
    assert config["optimizer"]["class_name"] == "Adam"
    assert config["optimizer"]["config"]["learning_rate"] == pytest.approx(0.001)
    assert config["loss"] == "sparse_categorical_crossentropy"
    assert config["metrics"] == ["accuracy"]
    assert config["steps_per_execution"] == 1


@pytest.mark.parametrize("units", [0, -5, 2.5, True])
def test_bad_hidden_units_are_refused(units):
    with pytest.raises(ValueError, match=f"hidden_units must be a whole number of at least 1, got {units!r}"):
        models.build_hidden_layer_model(units)

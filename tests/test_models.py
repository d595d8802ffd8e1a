"""helpers.models: the course's models, kept identical to the cells of notebooks 05, 06, 09 and 11."""

from __future__ import annotations

import contextlib
import io
import math

import keras
import numpy as np
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


def _run_cells(notebook: str, model_name: str, *tags: str, **namespace):
    namespace.update(keras=keras, math=math)
    with contextlib.redirect_stdout(io.StringIO()):  # model.summary() prints a table.
        for tag in tags or ("model-build", "model-compile"):
            exec(tagged_source(notebook, tag), namespace)
    return namespace[model_name]


@pytest.mark.parametrize(
    ("notebook", "model_name", "namespace", "build"),
    [
        ("05_single_layer_model", "single_model", {}, models.build_single_layer_model),
        ("06_hidden_layer_model", "hidden_model", {"hidden_units": 100}, lambda: models.build_hidden_layer_model(100)),
        ("06_hidden_layer_model", "hidden_model", {"hidden_units": 37}, lambda: models.build_hidden_layer_model(37)),
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


def test_notebook_09_builds_and_compiles_what_helpers_models_does():
    from_notebook = _run_cells("09_convolutional_network", "cnn", batch_size=128, epochs=5, learning_rate=0.004,
                               x_train_images=np.zeros((60000, 1)))
    from_helpers = models.compile_cnn(models.build_cnn(), 0.004, total_steps=5 * 469)
    assert from_notebook.name == from_helpers.name == "cnn"
    assert _without_names(from_notebook.get_config()) == _without_names(from_helpers.get_config())
    assert _without_names(from_notebook.get_compile_config()) == _without_names(from_helpers.get_compile_config())
    assert from_helpers.count_params() == 37_378


def test_the_cnn_pools_before_it_normalises_so_those_layers_handle_a_quarter_of_the_values():
    rows = models.layer_costs(models.build_cnn())
    assert [row["layer"] for row in rows[:4]] == ["Conv2D", "MaxPooling2D", "BatchNormalization", "ReLU"]
    assert [row["shape"] for row in rows[:4]] == [(24, 24, 24)] + [(12, 12, 24)] * 3
    assert rows[0]["values"] == 4 * rows[2]["values"] == 13_824
    assert rows[0]["multiplications"] == 24 * 24 * 24 * 5 * 5 * 1
    assert rows[4]["multiplications"] == 8 * 8 * 48 * 5 * 5 * 24
    assert rows[-1] == {"layer": "Dense", "shape": (10,), "values": 10, "multiplications": 768 * 10}
    assert sum(row["multiplications"] for row in rows) == 2_196_480


def test_the_reference_network_is_the_keras_examples():
    reference = models.build_reference_cnn()
    assert reference.count_params() == 34_826
    assert sum(row["multiplications"] for row in models.layer_costs(reference)) == 2_440_960


def test_the_cost_table_lists_every_layer_and_the_totals():
    table = models.cost_table(models.build_cnn()).splitlines()
    assert len(table) == 1 + 11 + 1
    assert table[1].split() == ["Conv2D", "24", "x", "24", "x", "24", "13,824", "345,600"]
    assert table[-1].split() == ["total", "31,114", "2,196,480"]


def test_layer_costs_refuses_what_is_not_a_built_model():
    with pytest.raises(ValueError, match="model must be a built Keras model such as models.build_cnn"):
        models.layer_costs("cnn")


def test_notebook_11_augments_as_helpers_models_does():
    from_notebook = _run_cells("11_data_augmentation", "augmentation", "augmentation-build")
    from_helpers = models.build_augmentation()
    assert _without_names(from_notebook.get_config()) == _without_names(from_helpers.get_config())


def test_augmentation_changes_images_only_in_training():
    images = np.random.default_rng(0).random((4, 28, 28, 1)).astype("float32")
    augmentation = models.build_augmentation(seed=3)
    np.testing.assert_array_equal(augmentation(images, training=False).numpy(), images)
    assert not np.allclose(augmentation(images, training=True).numpy(), images)


def test_the_cnn_outputs_probabilities():
    model = models.build_cnn()
    scores = model(np.random.default_rng(0).random((3, 28, 28, 1)).astype("float32"), training=False).numpy()
    assert scores.shape == (3, 10)
    np.testing.assert_allclose(scores.sum(axis=1), 1.0, rtol=1e-5)

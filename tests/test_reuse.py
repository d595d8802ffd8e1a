"""helpers.reuse: a saved model is used when it matches the settings, else the same model is trained."""

from __future__ import annotations

import json

import numpy as np
import pytest

from helpers import artifacts, data, models, params, preprocessing, reuse, runtime

HIDDEN_LAYER_NOTEBOOK = "notebook 06 (06_hidden_layer_model.ipynb)"


@pytest.fixture(scope="module")
def mnist_subset():
    """The first 300 training images of MNIST, uint8, and their labels."""
    (x_train, y_train), _ = data.load_mnist()
    return x_train[:300], y_train[:300]


@pytest.fixture(scope="module")
def flat_subset(mnist_subset):
    images, labels = mnist_subset
    return preprocessing.preprocess(images), labels


@pytest.fixture(scope="module")
def saved_hidden_model(flat_subset):
    """A hidden-layer model of 8 units trained one epoch on the subset, as notebook 06 would save it."""
    runtime.set_seed(0)
    model = models.compile_like_original(models.build_hidden_layer_model(8))
    history = model.fit(*flat_subset, epochs=1, batch_size=32, validation_split=models.VALIDATION_SPLIT, verbose=0)
    return model, history


def _settings(directory, **overrides):
    values = {"seed": 0, "epochs": 1, "batch_size": 32, "hidden_units": 8, "data_path": None,
              "artifacts_dir": directory}
    return params.validate(**{**values, **overrides})


def _save(settings, saved_hidden_model, capsys) -> None:
    model, history = saved_hidden_model
    artifacts.save_run(model, "hidden_layer", settings, history, test_loss=0.5, test_accuracy=0.87654,
                       train_seconds=1.0)
    capsys.readouterr()  # Leave out save_run's own line.


def test_without_a_saved_model_it_says_why_and_trains_the_same_model_repeatably(tmp_path, capsys, flat_subset):
    settings = _settings(tmp_path)
    model = reuse.hidden_layer_model(settings, *flat_subset)
    missing = settings["artifacts_dir"] / "hidden_layer_metrics.json"
    assert capsys.readouterr().out == (
        f"The model of {HIDDEN_LAYER_NOTEBOOK} cannot be used: No metrics for model 'hidden_layer' at "
        f"{missing}: it has not been saved there yet.\n"
        "Training the same model here instead (1 epoch).\n"
    )
    assert model.name == "hidden_layer"
    assert model.layers[0].get_weights()[0].shape == (784, 8)
    assert int(model.optimizer.iterations) == 9  # 270 images after the 10% split, 32 a batch, 1 epoch.
    assert model.predict(flat_subset[0][:4], verbose=0).shape == (4, 10)
    assert list(tmp_path.iterdir()) == []  # It trains; saving is notebook 06's job.
    again = reuse.hidden_layer_model(settings, *flat_subset)
    np.testing.assert_array_equal(again.layers[0].get_weights()[0], model.layers[0].get_weights()[0])


def test_a_model_saved_with_the_same_settings_is_used(tmp_path, capsys, flat_subset, saved_hidden_model):
    settings = _settings(tmp_path)
    _save(settings, saved_hidden_model, capsys)
    model = reuse.hidden_layer_model(settings, *flat_subset)
    assert capsys.readouterr().out == f"Using the model that {HIDDEN_LAYER_NOTEBOOK} saved (test accuracy 0.8765).\n"
    saved = saved_hidden_model[0]
    assert model is not saved
    for loaded_weights, saved_weights in zip(model.get_weights(), saved.get_weights(), strict=True):
        np.testing.assert_array_equal(loaded_weights, saved_weights)
    assert int(model.optimizer.iterations) == int(saved.optimizer.iterations) == 9  # Not trained again.


@pytest.mark.parametrize(("changed", "value", "saved_value"), [("seed", 1, 0), ("hidden_units", 16, 8)])
def test_a_model_saved_with_other_settings_is_refused_and_trained_again(
        tmp_path, capsys, flat_subset, saved_hidden_model, changed, value, saved_value):
    _save(_settings(tmp_path), saved_hidden_model, capsys)
    metrics_before = artifacts.metrics_path(tmp_path, "hidden_layer").read_bytes()
    settings = _settings(tmp_path, **{changed: value})
    model = reuse.hidden_layer_model(settings, *flat_subset)
    stale = settings["artifacts_dir"] / "hidden_layer_model.keras"
    assert capsys.readouterr().out == (
        f"The model of {HIDDEN_LAYER_NOTEBOOK} cannot be used: {stale} is stale: it was trained with "
        f"{changed}={saved_value}, but {changed}={value} is asked for. Run {HIDDEN_LAYER_NOTEBOOK} to "
        "save it again.\n"
        "Training the same model here instead (1 epoch).\n"
    )
    kernel = model.layers[0].get_weights()[0]
    assert kernel.shape == (784, settings["hidden_units"])
    assert not np.array_equal(kernel, saved_hidden_model[0].layers[0].get_weights()[0])
    assert int(model.optimizer.iterations) == 9
    assert artifacts.metrics_path(tmp_path, "hidden_layer").read_bytes() == metrics_before  # Left as it was.


def test_cnn_model_without_a_saved_network_trains_notebook_09s(tmp_path, capsys, mnist_subset):
    images, labels = mnist_subset
    images = preprocessing.scale_pixels(images[:200])[..., np.newaxis]
    settings = params.validate(seed=0, epochs=1, batch_size=50, learning_rate=0.002, data_path=None,
                               artifacts_dir=tmp_path)
    model = reuse.cnn_model(settings, images, labels[:200])
    missing = settings["artifacts_dir"] / "cnn_metrics.json"
    assert capsys.readouterr().out == (
        "The model of notebook 09 (09_convolutional_network.ipynb) cannot be used: No metrics for model "
        f"'cnn' at {missing}: it has not been saved there yet.\n"
        "Training the same model here instead (1 epoch).\n"
    )
    assert model.name == "cnn" and model.input_shape == (None, 28, 28, 1)
    assert int(model.optimizer.iterations) == 4  # 200 images, 50 a batch, no validation split.
    # The cosine schedule spans exactly the 4 steps of the training, so the rate has fallen to 0.
    assert float(model.optimizer.learning_rate) == pytest.approx(0.0, abs=1e-9)
    assert model.predict(images[:3], verbose=0).sum(axis=1) == pytest.approx([1.0] * 3, abs=1e-5)


def test_a_model_whose_metrics_were_edited_to_claim_other_settings_is_refused(tmp_path, capsys, flat_subset,
                                                                             saved_hidden_model):
    _save(_settings(tmp_path), saved_hidden_model, capsys)  # 8 hidden units.
    metrics_file = artifacts.metrics_path(tmp_path, "hidden_layer")
    record = json.loads(metrics_file.read_text())
    record["parameters"]["hidden_units"] = 16  # A hand edit: the model itself still has 8.
    metrics_file.write_text(json.dumps(record))
    model = reuse.hidden_layer_model(_settings(tmp_path, hidden_units=16), *flat_subset)
    out = capsys.readouterr().out
    assert "hidden_layer_model.keras does not match its metrics: it has the layers Dense(8), Dense(10) and " \
           "6,370 parameters, but the parameters asked for give Dense(16), Dense(10) and 12,730." in out
    assert "Training the same model here instead (1 epoch)." in out
    assert model.layers[0].units == 16


def test_checking_a_saved_models_layout_draws_no_more_random_numbers_than_loading_it(tmp_path, capsys, flat_subset,
                                                                       saved_hidden_model):
    import random

    _save(_settings(tmp_path), saved_hidden_model, capsys)
    random.seed(7)
    artifacts.load_model("hidden_layer", tmp_path)  # Loading itself draws layer seeds, as it always did.
    expected = random.random()
    random.seed(7)
    reuse.hidden_layer_model(_settings(tmp_path), *flat_subset)
    assert random.random() == expected  # Building the model to compare with draws nothing more.


@pytest.mark.slow
def test_course_model_takes_whatever_its_notebook_saved(quick_run, capsys):
    from helpers import data, preprocessing

    (x_train, y_train), _ = data.load_mnist()
    settings = {"artifacts_dir": str(quick_run[1] / "artifacts"), "data_path": None}
    model = reuse.course_model("hidden_layer", settings, preprocessing.preprocess(x_train[:10]), y_train[:10])
    assert model.count_params() == 79_510
    assert "Using the model that notebook 06 (06_hidden_layer_model.ipynb) saved (1 epoch, test accuracy 0.9" in capsys.readouterr().out
    with pytest.raises(ValueError, match="knows 'hidden_layer' and 'cnn', not 'single_layer'"):
        reuse.course_model("single_layer", settings, x_train, y_train)

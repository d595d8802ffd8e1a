"""Reusing a model that an earlier notebook saved, or training the same model again.

Notebook 07 studies the mistakes of notebook 06's hidden-layer model, and notebook 11 compares
against notebook 09's convolutional network. Each loads the saved model when it exists, matches its
metrics and was trained with the same parameters (see :func:`helpers.artifacts.load_model`);
otherwise it says why and trains the same model, the same way, itself. Either way one line of the
notebook gets the model, and that line prints which of the two happened.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from helpers import artifacts, models, params, runtime

#: The parameters that decide what notebook 06's and notebook 09's models learn.
HIDDEN_LAYER_PARAMETERS = ("seed", "epochs", "batch_size", "hidden_units", "data_path")
CNN_PARAMETERS = ("seed", "epochs", "batch_size", "learning_rate", "data_path")


def hidden_layer_model(settings: Mapping[str, Any], x_train: np.ndarray, y_train: np.ndarray) -> Any:
    """Notebook 06's model: loaded from its artifacts, or trained here the way notebook 06 trains it.

    Args:
        settings: The notebook's checked parameters, with at least ``seed``, ``epochs``,
            ``batch_size``, ``hidden_units``, ``data_path`` and ``artifacts_dir``.
        x_train: The flattened, scaled training images.
        y_train: Their labels.

    Returns:
        The trained, compiled model.
    """

    def build() -> Any:
        return models.build_hidden_layer_model(settings["hidden_units"])

    def train() -> Any:
        model = models.compile_like_original(build())
        model.fit(x_train, y_train, epochs=settings["epochs"], batch_size=settings["batch_size"],
                  validation_split=models.VALIDATION_SPLIT, verbose=0)
        return model

    return _load_or_train("hidden_layer", settings, HIDDEN_LAYER_PARAMETERS, build, train)


def cnn_model(settings: Mapping[str, Any], x_train: np.ndarray, y_train: np.ndarray) -> Any:
    """Notebook 09's network: loaded from its artifacts, or trained here the way notebook 09 trains it.

    Args:
        settings: The notebook's checked parameters, with at least ``seed``, ``epochs``,
            ``batch_size``, ``learning_rate``, ``data_path`` and ``artifacts_dir``.
        x_train: The scaled training images of shape (count, 28, 28, 1).
        y_train: Their labels.

    Returns:
        The trained, compiled network.
    """

    def train() -> Any:
        total_steps = settings["epochs"] * math.ceil(len(x_train) / settings["batch_size"])
        model = models.compile_cnn(models.build_cnn(), settings["learning_rate"], total_steps)
        model.fit(x_train, y_train, epochs=settings["epochs"], batch_size=settings["batch_size"], verbose=0)
        return model

    return _load_or_train("cnn", settings, CNN_PARAMETERS, models.build_cnn, train)


def course_model(name: str, settings: Mapping[str, Any], x_train: np.ndarray, y_train: np.ndarray) -> Any:
    """A model of the course for reading new digits: the one its notebook saved, whatever its settings.

    Unlike :func:`hidden_layer_model` and :func:`cnn_model`, which must reproduce an earlier
    notebook's run, a reader only needs a trained model of the right layout: any saved by notebook
    06 (``"hidden_layer"``) or 09 (``"cnn"``) will do. If none is there, the model is trained here
    with that notebook's default parameters, read from its parameters cell, and the notebook says so.

    Args:
        name: ``"hidden_layer"`` or ``"cnn"``.
        settings: The calling notebook's checked parameters, with ``data_path`` and ``artifacts_dir``.
        x_train: The training images as the model takes them (flat for the hidden layer, 28 x 28 x 1
            for the CNN), used only if it must be trained.
        y_train: Their labels.

    Returns:
        The trained model.

    Raises:
        ValueError: ``name`` is not one of the two.
    """
    builders = {"hidden_layer": (lambda: models.build_hidden_layer_model(), hidden_layer_model),
                "cnn": (models.build_cnn, cnn_model)}
    if name not in builders:
        raise ValueError(f"course_model knows 'hidden_layer' and 'cnn', not {name!r}.")
    build, train_the_notebooks_way = builders[name]
    try:
        model, record = artifacts.load_model(name, settings.get("artifacts_dir"), {}, made_by=artifacts.MADE_BY[name],
                                             expected_model=_built_aside(build))
    except artifacts.ArtifactError:
        from helpers import paths, series  # noqa: PLC0415 - only needed when there is no saved model.

        notebook = paths.NOTEBOOKS_DIR / artifacts.MADE_BY[name].split("(")[1].rstrip(")")
        defaults = {key: series.parse_value(detail["default"]) for key, detail in series.declared_parameters(notebook).items()}
        defaults.update(data_path=settings.get("data_path"), artifacts_dir=settings.get("artifacts_dir"))
        return train_the_notebooks_way(defaults, x_train, y_train)
    epochs = record.get("parameters", {}).get("epochs")
    print(f"Using the model that {artifacts.MADE_BY[name]} saved ({epochs} epoch{'' if epochs == 1 else 's'}, "
          f"test accuracy {record['test_accuracy']:.4f}).")
    return model


def _load_or_train(
    name: str, settings: Mapping[str, Any], parameter_names: tuple[str, ...], build: Callable[[], Any],
    train: Callable[[], Any],
) -> Any:
    made_by = artifacts.MADE_BY[name]
    expected = {key: value for key, value in params.as_json(settings).items() if key in parameter_names}
    try:
        model, record = artifacts.load_model(name, settings.get("artifacts_dir"), expected, made_by=made_by,
                                             expected_model=_built_aside(build))
    except artifacts.ArtifactError as reason:
        print(f"The model of {made_by} cannot be used: {reason}")
        epochs = settings["epochs"]
        print(f"Training the same model here instead ({epochs} epoch{'' if epochs == 1 else 's'}).")
        runtime.set_seed(settings["seed"])
        return train()
    print(f"Using the model that {made_by} saved (test accuracy {record['test_accuracy']:.4f}).")
    return model


def _built_aside(build: Callable[[], Any]) -> Any:
    """The model ``build`` makes, to compare a saved model's layout with, leaving Python's random as it was.

    Building a model draws seeds from Python's random; its state is put back, so that what the
    notebook does next is the same as if nothing had been built.
    """
    state = random.getstate()
    model = build()
    random.setstate(state)
    return model

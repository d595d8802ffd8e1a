"""Every figure of the course, plotting code too long to inline into a notebook.

Each function builds a new ``matplotlib.figure.Figure`` (not through ``pyplot``, so no global state
and no figure is shown twice), returns it, and writes it to a file only when ``save_path`` is given.
In a notebook, leave the returned figure as the cell's last expression to show it.
"""

from __future__ import annotations

import pathlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

_DIGITS = list(range(10))


def sample_grid(
    images: np.ndarray,
    labels: Sequence[int],
    rows: int = 3,
    columns: int = 8,
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """Shows the first ``rows * columns`` images with their labels.

    Args:
        images: An array of shape (count, 28, 28) or (count, 784).
        labels: One label per image.
        rows: Rows of the grid.
        columns: Columns of the grid.
        save_path: If given, the figure is also written there (PNG, SVG or PDF by suffix).

    Returns:
        The figure.
    """
    images = _as_square_images(images)
    _check_positive(rows=rows, columns=columns)
    count = min(rows * columns, len(images))
    figure = Figure(figsize=(columns * 1.1, rows * 1.25), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False)
    for index, axis in enumerate(axes.flat):
        axis.set_axis_off()
        if index < count:
            axis.imshow(images[index], cmap="gray_r")
            axis.set_title(f"label {int(labels[index])}", fontsize=9)
    return _finish(figure, save_path)


def label_distribution(
    train_labels: np.ndarray,
    test_labels: np.ndarray | None = None,
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """Bar chart of how many images each digit has, as a share of its split.

    Args:
        train_labels: The training labels.
        test_labels: The test labels, drawn beside them if given.
        save_path: If given, the figure is also written there.

    Returns:
        The figure.
    """
    figure = Figure(figsize=(8, 3.5), layout="constrained")
    axis = figure.subplots()
    splits = [("train", train_labels)] + ([("test", test_labels)] if test_labels is not None else [])
    width = 0.8 / len(splits)
    for offset, (name, labels) in enumerate(splits):
        counts = np.bincount(np.asarray(labels, dtype=np.int64), minlength=10)
        positions = np.arange(10) + (offset - (len(splits) - 1) / 2) * width
        axis.bar(positions, counts / counts.sum() * 100, width=width, label=f"{name} ({len(labels):,})")
    axis.set_xticks(_DIGITS)
    axis.set_xlabel("digit")
    axis.set_ylabel("share of images (%)")
    axis.axhline(10, color="gray", linewidth=0.8, linestyle="--")
    axis.legend()
    return _finish(figure, save_path)


def image_and_vector(
    image: np.ndarray, label: int, save_path: str | pathlib.Path | None = None
) -> Figure:
    """One digit as raw pixels, as scaled pixels, and as the 784-value row a Dense layer sees.

    Args:
        image: One uint8 image of shape (28, 28).
        label: Its label, for the title.
        save_path: If given, the figure is also written there.

    Returns:
        The figure.
    """
    image = np.asarray(image)
    if image.shape != (28, 28):
        raise ValueError(f"image_and_vector expects one 28 x 28 image, got shape {image.shape}.")
    scaled = image.astype(np.float32) / 255.0
    figure = Figure(figsize=(10, 4), layout="constrained")
    grid = figure.add_gridspec(2, 2, height_ratios=[4, 1])
    raw_axis = figure.add_subplot(grid[0, 0])
    shown = raw_axis.imshow(image, cmap="gray_r")
    figure.colorbar(shown, ax=raw_axis)
    raw_axis.set_title(f"a {label} as loaded: uint8, 0 to 255")
    scaled_axis = figure.add_subplot(grid[0, 1])
    shown = scaled_axis.imshow(scaled, cmap="gray_r", vmin=0, vmax=1)
    figure.colorbar(shown, ax=scaled_axis)
    scaled_axis.set_title("divided by 255: float32, 0 to 1")
    row_axis = figure.add_subplot(grid[1, :])
    row_axis.imshow(scaled.reshape(1, -1), cmap="gray_r", aspect="auto", vmin=0, vmax=1)
    row_axis.set_yticks([])
    row_axis.set_xlabel("flattened: 784 values, row after row of the image")
    return _finish(figure, save_path)


def training_curves(
    history: Any, save_path: str | pathlib.Path | None = None
) -> Figure:
    """Loss and accuracy per epoch, for training and (if present) validation data.

    Args:
        history: The ``History`` that ``model.fit`` returns, or its ``.history`` dict.
        save_path: If given, the figure is also written there.

    Returns:
        The figure.

    Raises:
        ValueError: The history has no ``loss`` values.
    """
    values: Mapping[str, Sequence[float]] = getattr(history, "history", history)
    if not isinstance(values, Mapping) or not values.get("loss"):
        raise ValueError("training_curves expects a Keras History (or its dict) with 'loss' values.")
    epochs = np.arange(1, len(values["loss"]) + 1)
    figure = Figure(figsize=(10, 3.5), layout="constrained")
    axes = figure.subplots(1, 2)
    for axis, metric in zip(axes, ("loss", "accuracy")):
        for prefix, style in (("", "o-"), ("val_", "s--")):
            if values.get(prefix + metric):
                name = "validation" if prefix else "training"
                axis.plot(epochs, values[prefix + metric], style, label=name)
        axis.set_xlabel("epoch")
        axis.set_ylabel(metric)
        axis.set_xticks(epochs)
        axis.legend()
    return _finish(figure, save_path)


def confusion_heatmap(
    confusion: np.ndarray,
    normalize: bool = False,
    title: str | None = None,
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """The confusion matrix as a seaborn heatmap, true digits in rows.

    Args:
        confusion: A square matrix of counts, as ``evaluation.confusion_matrix`` returns it.
        normalize: Show each row as percentages of that digit's images instead of counts.
        title: The title; a default says which of the two it shows.
        save_path: If given, the figure is also written there.

    Returns:
        The figure.
    """
    import seaborn  # noqa: PLC0415 - imported when a heatmap is drawn, not on import.

    confusion = np.asarray(confusion)
    if confusion.ndim != 2 or confusion.shape[0] != confusion.shape[1]:
        raise ValueError(f"Expected a square confusion matrix, got shape {confusion.shape}.")
    if normalize:
        totals = confusion.sum(axis=1, keepdims=True)
        shown = np.divide(confusion * 100.0, totals, out=np.zeros(confusion.shape), where=totals > 0)
        options = {"fmt": ".1f", "vmin": 0, "vmax": 100, "cbar_kws": {"label": "% of the row"}}
        default_title = "Confusion matrix, % of each true digit"
    else:
        shown = confusion
        options = {"fmt": "d", "cbar_kws": {"label": "images"}}
        default_title = "Confusion matrix, counts"
    figure = Figure(figsize=(8, 6.5), layout="constrained")
    axis = figure.subplots()
    seaborn.heatmap(shown, annot=True, cmap="Blues", square=True, ax=axis, **options)
    axis.set_xlabel("predicted digit")
    axis.set_ylabel("true digit")
    axis.set_title(title or default_title)
    return _finish(figure, save_path)


def misclassified_gallery(
    images: np.ndarray,
    true_labels: np.ndarray,
    predicted: np.ndarray,
    limit: int = 24,
    columns: int = 8,
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """The first ``limit`` images the model got wrong, titled with their true and predicted labels.

    Args:
        images: Images of shape (count, 28, 28) or (count, 784).
        true_labels: Their labels.
        predicted: The model's labels for them.
        limit: How many mistakes to show, at most.
        columns: Images per row.
        save_path: If given, the figure is also written there.

    Returns:
        The figure; its title says how many mistakes there are in all.
    """
    images = _as_square_images(images)
    true_labels = np.asarray(true_labels)
    predicted = np.asarray(predicted)
    if not len(images) == len(true_labels) == len(predicted):
        raise ValueError(
            f"Expected as many labels as images, got {len(images)} images, {len(true_labels)} "
            f"true labels and {len(predicted)} predicted labels."
        )
    _check_positive(limit=limit, columns=columns)
    wrong = np.flatnonzero(true_labels != predicted)
    shown = wrong[:limit]
    rows = max(1, int(np.ceil(len(shown) / columns)))
    figure = Figure(figsize=(columns * 1.1, rows * 1.35 + 0.4), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False)
    for axis in axes.flat:
        axis.set_axis_off()
    for axis, index in zip(axes.flat, shown):
        axis.imshow(images[index], cmap="gray_r")
        axis.set_title(f"true {true_labels[index]}\npred {predicted[index]}", fontsize=8,
                       color="firebrick")
    figure.suptitle(f"{len(shown)} of the {len(wrong)} misclassified images")
    return _finish(figure, save_path)


def weight_templates(
    kernel: np.ndarray, save_path: str | pathlib.Path | None = None
) -> Figure:
    """The ten columns of a single Dense layer's kernel, each drawn as a 28 x 28 image.

    Red pixels raise the score of that digit when they are inked, blue pixels lower it. One colour
    scale, symmetric around zero, serves all ten, so they can be compared.

    Args:
        kernel: The weights of shape (784, 10), from ``layer.get_weights()[0]``.
        save_path: If given, the figure is also written there.

    Returns:
        The figure.
    """
    kernel = np.asarray(kernel)
    if kernel.shape != (784, 10):
        raise ValueError(f"weight_templates expects a kernel of shape (784, 10), got {kernel.shape}.")
    limit = float(np.abs(kernel).max()) or 1.0
    figure = Figure(figsize=(12, 2.8), layout="constrained")
    axes = figure.subplots(1, 10)
    for digit, axis in enumerate(axes):
        shown = axis.imshow(kernel[:, digit].reshape(28, 28), cmap="RdBu_r", vmin=-limit, vmax=limit)
        axis.set_title(f"digit {digit}")
        axis.set_axis_off()
    figure.colorbar(shown, ax=list(axes), shrink=0.8, label="weight")
    return _finish(figure, save_path)


def reliability_diagram(
    results: Mapping[str, Mapping[str, Any]], save_path: str | pathlib.Path | None = None
) -> Figure:
    """Accuracy against confidence per bin, one line per model, beside the diagonal of perfect trust.

    Args:
        results: Model name to the dict that ``evaluation.calibration`` returns.
        save_path: If given, the figure is also written there.

    Returns:
        The figure: the reliability curves, and below them how many predictions fall in each bin.
    """
    if not results:
        raise ValueError("reliability_diagram expects at least one model's calibration results.")
    figure = Figure(figsize=(6.5, 6), layout="constrained")
    curve_axis, count_axis = figure.subplots(2, 1, sharex=True, height_ratios=[3, 1])
    curve_axis.plot([0, 1], [0, 1], color="gray", linestyle="--", label="perfectly calibrated")
    for offset, (name, result) in enumerate(results.items()):
        bins = len(result["count"])
        centres = (np.arange(bins) + 0.5) / bins
        filled = np.asarray(result["count"]) > 0
        curve_axis.plot(np.asarray(result["confidence"])[filled], np.asarray(result["accuracy"])[filled],
                        "o-", label=f"{name} (ECE {result['ece']:.3f})")
        width = 0.8 / bins / len(results)
        count_axis.bar(centres + (offset - (len(results) - 1) / 2) * width, result["count"], width=width, label=name)
    curve_axis.set_ylabel("accuracy in the bin")
    curve_axis.set_xlim(0, 1)
    curve_axis.set_ylim(0, 1.02)
    curve_axis.legend(loc="upper left")
    count_axis.set_yscale("log")
    count_axis.set_xlabel("confidence of the prediction")
    count_axis.set_ylabel("predictions")
    return _finish(figure, save_path)


def grid_results(
    rows: Sequence[Mapping[str, Any]],
    setting: str,
    group: str,
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """Test accuracy and training time against one setting, one line per value of another.

    Args:
        rows: One dict per run, with ``setting``, ``group``, ``test_accuracy`` and ``train_seconds``.
        setting: The key for the x axis, e.g. ``"hidden_units"``.
        group: The key whose values get a line each, e.g. ``"epochs"``.
        save_path: If given, the figure is also written there.

    Returns:
        The figure.
    """
    if not rows:
        raise ValueError("grid_results expects at least one run.")
    figure = Figure(figsize=(10, 3.8), layout="constrained")
    accuracy_axis, time_axis = figure.subplots(1, 2)
    for value in sorted({row[group] for row in rows}):
        chosen = sorted((row for row in rows if row[group] == value), key=lambda row: row[setting])
        xs = [row[setting] for row in chosen]
        accuracy_axis.plot(xs, [row["test_accuracy"] * 100 for row in chosen], "o-", label=f"{group} = {value}")
        time_axis.plot(xs, [row["train_seconds"] for row in chosen], "o-", label=f"{group} = {value}")
    for axis, label in ((accuracy_axis, "test accuracy (%)"), (time_axis, "time in fit (s)")):
        axis.set_xscale("log", base=2)
        axis.set_xlabel(setting)
        axis.set_ylabel(label)
        axis.legend()
    return _finish(figure, save_path)


def _as_square_images(images: np.ndarray) -> np.ndarray:
    images = np.asarray(images)
    if images.ndim == 2 and images.shape[1] == 784:
        return images.reshape(-1, 28, 28)
    if images.ndim == 3 and images.shape[1:] == (28, 28):
        return images
    raise ValueError(f"Expected images of shape (count, 28, 28) or (count, 784), got {images.shape}.")


def _check_positive(**values: int) -> None:
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}.")


def _finish(figure: Figure, save_path: str | pathlib.Path | None) -> Figure:
    if save_path is not None:
        save_path = pathlib.Path(save_path)
        save_path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(save_path, dpi=100)
    return figure

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
    title: str = "Images with their labels",
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """Shows the first ``rows * columns`` images with their labels.

    Args:
        images: An array of shape (count, 28, 28) or (count, 784).
        labels: One label per image.
        rows: Rows of the grid.
        columns: Columns of the grid.
        title: The figure's title.
        save_path: If given, the figure is also written there (PNG, SVG or PDF by suffix).

    Returns:
        The figure.
    """
    images = _as_square_images(images)
    _check_positive(rows=rows, columns=columns)
    count = min(rows * columns, len(images))
    figure = Figure(figsize=(columns * 1.1, rows * 1.25 + 0.35), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False)
    for index, axis in enumerate(axes.flat):
        axis.set_axis_off()
        if index < count:
            axis.imshow(images[index], cmap="gray_r")
            axis.set_title(f"label {int(labels[index])}", fontsize=9)
    figure.suptitle(title)
    return _finish(figure, save_path)


def label_distribution(
    train_labels: np.ndarray,
    test_labels: np.ndarray | None = None,
    title: str = "Share of each digit in its split",
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """Bar chart of how many images each digit has, as a share of its split.

    Args:
        train_labels: The training labels.
        test_labels: The test labels, drawn beside them if given.
        title: The figure's title.
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
    axis.set_title(title)
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
    figure.suptitle("One digit as loaded, as scaled, and as the row a Dense layer reads")
    return _finish(figure, save_path)


def training_curves(
    history: Any,
    title: str = "Loss and accuracy per epoch",
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """Loss and accuracy per epoch, for training and (if present) validation data.

    Args:
        history: The ``History`` that ``model.fit`` returns, or its ``.history`` dict.
        title: The figure's title.
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
    figure.suptitle(title)
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
    images, true_labels, predicted = _images_with_labels(images, true_labels, predicted)
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
    kernel: np.ndarray,
    title: str = "Each output neuron's 784 weights, drawn as a 28 x 28 image",
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """The ten columns of a single Dense layer's kernel, each drawn as a 28 x 28 image.

    Red pixels raise the score of that digit when they are inked, blue pixels lower it. One colour
    scale, symmetric around zero, serves all ten, so they can be compared.

    Args:
        kernel: The weights of shape (784, 10), from ``layer.get_weights()[0]``.
        title: The figure's title.
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
    figure.suptitle(title)
    return _finish(figure, save_path)


def reliability_diagram(
    results: Mapping[str, Mapping[str, Any]],
    title: str = "Reliability diagram: accuracy against confidence",
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """Accuracy against confidence per bin, one line per model, beside the diagonal of perfect trust.

    Args:
        results: Model name to the dict that ``evaluation.calibration`` returns.
        title: The figure's title.
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
    curve_axis.set_title(title)
    return _finish(figure, save_path)


def grid_results(
    rows: Sequence[Mapping[str, Any]],
    setting: str,
    group: str,
    title: str = "Accuracy and training time across the grid",
    accuracy_key: str = "test_accuracy",
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """An accuracy and the training time against one setting, one line per value of another.

    Args:
        rows: One dict per run, with ``setting``, ``group``, ``accuracy_key`` and ``train_seconds``.
        setting: The key for the x axis, e.g. ``"hidden_units"``.
        group: The key whose values get a line each, e.g. ``"epochs"``.
        title: The figure's title.
        accuracy_key: Which accuracy to plot, e.g. ``"validation_accuracy"``.
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
        accuracy_axis.plot(xs, [row[accuracy_key] * 100 for row in chosen], "o-", label=f"{group} = {value}")
        time_axis.plot(xs, [row["train_seconds"] for row in chosen], "o-", label=f"{group} = {value}")
    accuracy_label = accuracy_key.replace("_", " ") + " (%)"
    for axis, label in ((accuracy_axis, accuracy_label), (time_axis, "time in fit (s)")):
        axis.set_xscale("log", base=2)
        axis.set_xlabel(setting)
        axis.set_ylabel(label)
        axis.legend()
    figure.suptitle(title)
    return _finish(figure, save_path)


def confused_pairs(
    images: np.ndarray,
    true_labels: np.ndarray,
    predicted: np.ndarray,
    pairs: Sequence[tuple[int, int, int]],
    per_pair: int = 6,
    title: str = "The most confused pairs, as images",
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """A row of example images for each (true, predicted) pair, as ``most_confused_pairs`` lists them.

    Args:
        images: Images of shape (count, 28, 28) or (count, 784).
        true_labels: Their labels.
        predicted: The model's labels for them.
        pairs: ``(true_digit, predicted_digit, count)`` tuples, one row each.
        per_pair: Images per row, at most.
        title: The figure's title.
        save_path: If given, the figure is also written there.

    Returns:
        The figure; each row is labelled with its pair and how many images it holds in all.

    Raises:
        ValueError: Lengths that differ, no pairs, or a bad ``per_pair``.
    """
    images, true_labels, predicted = _images_with_labels(images, true_labels, predicted)
    if len(pairs) == 0:
        raise ValueError("confused_pairs expects at least one (true, predicted, count) pair.")
    _check_positive(per_pair=per_pair)
    figure = Figure(figsize=(per_pair * 1.1 + 1.2, len(pairs) * 1.2 + 0.4), layout="constrained")
    axes = figure.subplots(len(pairs), per_pair, squeeze=False)
    for row, (true_digit, predicted_digit, _) in zip(axes, pairs):
        chosen = np.flatnonzero((true_labels == true_digit) & (predicted == predicted_digit))
        for axis in row:
            axis.set_xticks([])
            axis.set_yticks([])
            for spine in axis.spines.values():
                spine.set_visible(False)
        for axis, index in zip(row, chosen[:per_pair]):
            axis.imshow(images[index], cmap="gray_r")
        row[0].set_ylabel(f"{true_digit} as {predicted_digit}\n({len(chosen)} in all)", fontsize=9)
    figure.suptitle(title)
    return _finish(figure, save_path)


def convolution_filters(
    kernel: np.ndarray,
    title: str = "The filters of the first convolution",
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """Each filter of a first convolution layer as a small image, on one symmetric colour scale.

    Args:
        kernel: The layer's kernel of shape (height, width, 1, filters), from ``get_weights()[0]``.
        title: The figure's title.
        save_path: If given, the figure is also written there.

    Returns:
        The figure: red weights respond to ink, blue ones to blank paper.

    Raises:
        ValueError: The kernel is not of shape (height, width, 1, filters).
    """
    kernel = np.asarray(kernel)
    if kernel.ndim != 4 or kernel.shape[2] != 1 or kernel.shape[3] == 0:
        raise ValueError(
            f"convolution_filters expects a first-layer kernel of shape (height, width, 1, filters), "
            f"got {kernel.shape}."
        )
    filters = kernel.shape[3]
    columns = min(filters, 8)
    rows = int(np.ceil(filters / columns))
    limit = float(np.abs(kernel).max()) or 1.0
    figure = Figure(figsize=(columns * 1.0 + 1.0, rows * 1.0 + 0.5), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False)
    for index, axis in enumerate(axes.flat):
        axis.set_axis_off()
        if index < filters:
            shown = axis.imshow(kernel[:, :, 0, index], cmap="RdBu_r", vmin=-limit, vmax=limit)
    figure.colorbar(shown, ax=list(axes.flat), shrink=0.8, label="weight")
    figure.suptitle(title)
    return _finish(figure, save_path)


def feature_maps(
    image: np.ndarray,
    maps: np.ndarray,
    title: str,
    limit: int = 16,
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """An input image beside the first ``limit`` feature maps a layer computes from it.

    Args:
        image: The input, of shape (28, 28) or (28, 28, 1).
        maps: One layer's output for that image, of shape (height, width, channels).
        title: The figure's title, e.g. which layer the maps come from.
        limit: How many maps to show, at most.
        save_path: If given, the figure is also written there.

    Returns:
        The figure: bright where a filter found its pattern.

    Raises:
        ValueError: ``maps`` is not three-dimensional, or a bad ``limit``.
    """
    maps = np.asarray(maps)
    image = np.asarray(image).squeeze()
    if maps.ndim != 3:
        raise ValueError(f"feature_maps expects maps of shape (height, width, channels), got {maps.shape}.")
    _check_positive(limit=limit)
    shown_count = min(limit, maps.shape[2])
    columns = min(shown_count + 1, 9)
    rows = int(np.ceil((shown_count + 1) / columns))
    figure = Figure(figsize=(columns * 1.1, rows * 1.25 + 0.4), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False)
    for axis in axes.flat:
        axis.set_axis_off()
    axes.flat[0].imshow(image, cmap="gray_r")
    axes.flat[0].set_title("input", fontsize=9)
    for channel, axis in zip(range(shown_count), list(axes.flat)[1:]):
        axis.imshow(maps[:, :, channel], cmap="magma")
        axis.set_title(f"map {channel}", fontsize=9)
    figure.suptitle(title)
    return _finish(figure, save_path)


def accuracy_curves(
    values: Sequence[float],
    curves: Mapping[str, Sequence[float]],
    xlabel: str,
    title: str,
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """Accuracy against one varying quantity (a shift, an angle), one line per model.

    Args:
        values: The x values, e.g. shifts in pixels.
        curves: Model name to its accuracies (0 to 1), one per x value.
        xlabel: What the x values are, with their unit.
        title: The figure's title.
        save_path: If given, the figure is also written there.

    Returns:
        The figure, with accuracies in percent.

    Raises:
        ValueError: No curves, or a curve whose length differs from ``values``.
    """
    if not curves:
        raise ValueError("accuracy_curves expects at least one curve.")
    for name, accuracies in curves.items():
        if len(accuracies) != len(values):
            raise ValueError(f"The curve {name!r} has {len(accuracies)} values for {len(values)} x values.")
    figure = Figure(figsize=(6.5, 3.8), layout="constrained")
    axis = figure.subplots()
    for name, accuracies in curves.items():
        axis.plot(values, np.asarray(accuracies) * 100, "o-", label=name)
    axis.set_xlabel(xlabel)
    axis.set_ylabel("accuracy (%)")
    axis.set_ylim(0, 100)
    axis.grid(alpha=0.3)
    axis.legend()
    axis.set_title(title)
    return _finish(figure, save_path)


def score_bars(
    image: np.ndarray,
    scores: Mapping[str, np.ndarray],
    title: str,
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """One image beside the ten scores that each of several models gives it, side by side.

    Args:
        image: The image, of shape (28, 28) or (784,).
        scores: Model name to its ten scores for the image, each from 0 to 1.
        title: The figure's title.
        save_path: If given, the figure is also written there.

    Returns:
        The figure; each panel's title gives the sum of its ten scores.

    Raises:
        ValueError: No models, or scores that are not ten values from 0 to 1.
    """
    if not scores:
        raise ValueError("score_bars expects the scores of at least one model.")
    image = np.asarray(image).reshape(28, 28)
    figure = Figure(figsize=(2.6 + 3.4 * len(scores), 3.0), layout="constrained")
    axes = figure.subplots(1, len(scores) + 1)
    axes[0].imshow(image, cmap="gray_r")
    axes[0].set_axis_off()
    for axis, (name, values) in zip(axes[1:], scores.items()):
        values = np.asarray(values, dtype=np.float64).reshape(-1)
        if values.shape != (10,) or not np.all((values >= 0) & (values <= 1)):
            raise ValueError(f"The scores of {name!r} must be ten values from 0 to 1, got {values!r}.")
        axis.bar(_DIGITS, values, color="steelblue")
        axis.set_xticks(_DIGITS)
        axis.set_ylim(0, 1.05)
        axis.set_xlabel("digit")
        axis.set_title(f"{name}: sum {values.sum():.2f}")
    figure.suptitle(title)
    return _finish(figure, save_path)


def _images_with_labels(
    images: np.ndarray, true_labels: np.ndarray, predicted: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The images as (count, 28, 28) and both label arrays, checked to be of the same length."""
    images = _as_square_images(images)
    true_labels = np.asarray(true_labels)
    predicted = np.asarray(predicted)
    if not len(images) == len(true_labels) == len(predicted):
        raise ValueError(
            f"Expected as many labels as images, got {len(images)} images, {len(true_labels)} "
            f"true labels and {len(predicted)} predicted labels."
        )
    return images, true_labels, predicted


def _as_square_images(images: np.ndarray) -> np.ndarray:
    images = np.asarray(images)
    if images.ndim == 2 and images.shape[1] == 784:
        return images.reshape(-1, 28, 28)
    if images.ndim == 3 and images.shape[1:] == (28, 28):
        return images
    if images.ndim == 4 and images.shape[1:] == (28, 28, 1):
        return images[..., 0]
    raise ValueError(
        f"Expected images of shape (count, 28, 28), (count, 28, 28, 1) or (count, 784), got {images.shape}."
    )


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


def probability_bars(
    images: np.ndarray,
    scores: np.ndarray,
    true_labels: Sequence[int],
    title: str,
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """Each image above a bar chart of the model's ten scores for it.

    The predicted digit (the highest score) has a blue bar; when it is not the true digit, the
    true digit's bar is orange, so a mistake and how close it was show at a glance. The scores need
    not sum to 1 (sigmoid outputs are allowed), but each must lie in [0, 1].

    Args:
        images: From 1 to 12 images, of shape (count, 28, 28) or (count, 784).
        scores: The scores, of shape (count, 10), each from 0 to 1.
        true_labels: One label from 0 to 9 per image.
        title: The figure's title.
        save_path: If given, the figure is also written there.

    Returns:
        The figure: one column per image, the image on top titled "true T · predicted P" and its
        scores below.

    Raises:
        ValueError: There are fewer than 1 or more than 12 images, the scores or labels do not
            match the images, a score lies outside [0, 1], or a label outside 0-9.
    """
    images = _as_square_images(images)
    count = len(images)
    if not 1 <= count <= 12:
        raise ValueError(f"probability_bars shows 1 to 12 images, got {count}.")
    scores = np.asarray(scores, dtype=np.float64)
    if scores.shape != (count, 10):
        raise ValueError(
            f"probability_bars expects scores of shape ({count}, 10), one row per image, "
            f"got {scores.shape}."
        )
    if not np.all((scores >= 0) & (scores <= 1)):
        numbers = scores[~np.isnan(scores)]
        found = [f"values from {numbers.min():.3g} to {numbers.max():.3g}"] if numbers.size else []
        found += ["NaN"] if np.isnan(scores).any() else []
        raise ValueError(
            "probability_bars expects scores from 0 to 1 (probabilities or sigmoid outputs), got "
            f"{' and '.join(found)}."
        )
    true_labels = np.asarray(true_labels).reshape(-1)
    if true_labels.shape != (count,) or not np.all(np.isin(true_labels, _DIGITS)):
        raise ValueError(
            f"probability_bars expects {count} true labels from 0 to 9, got {true_labels.tolist()}."
        )
    from matplotlib.patches import Patch  # noqa: PLC0415 - only the legend needs it.

    figure = Figure(figsize=(max(2.1 * count, 4.5), 4.6), layout="constrained")
    axes = figure.subplots(2, count, squeeze=False)
    for column in range(count):
        true_digit, predicted = int(true_labels[column]), int(np.argmax(scores[column]))
        image_axis, bar_axis = axes[0, column], axes[1, column]
        image_axis.imshow(images[column], cmap="gray_r")
        image_axis.set_title(f"true {true_digit} · predicted {predicted}", fontsize=9)
        image_axis.set_axis_off()
        # Grey bars, the true digit's orange, then the predicted digit's blue (over the orange
        # when the prediction is right).
        colours = ["lightgray"] * 10
        colours[true_digit] = "tab:orange"
        colours[predicted] = "tab:blue"
        bar_axis.bar(_DIGITS, scores[column], color=colours)
        bar_axis.set_xticks(_DIGITS)
        bar_axis.set_ylim(0, 1)
        bar_axis.set_xlabel("digit")
        if column == 0:
            bar_axis.set_ylabel("output, 0 to 1")
    handles = [Patch(color="tab:blue", label="predicted digit"),
               Patch(color="tab:orange", label="true digit, when not predicted")]
    figure.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False)
    figure.suptitle(title)
    return _finish(figure, save_path)


def loss_curves(
    curves: Mapping[str, Sequence[float]],
    title: str,
    xlabel: str = "step",
    log_scale: bool = False,
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """One line per named loss curve, on one axis, so that runs can be compared.

    Args:
        curves: A name for the legend to the loss values, the first drawn at x = 1 (the first
            step or epoch).
        title: The axis title.
        xlabel: What one value on the x axis is, e.g. ``"step"`` or ``"epoch"``.
        log_scale: Draw the loss on a logarithmic axis, for curves of very different sizes.
        save_path: If given, the figure is also written there.

    Returns:
        The figure.

    Raises:
        ValueError: There are no curves, a curve is empty, or ``log_scale`` is asked for and a
            value is not above zero.
    """
    if not curves:
        raise ValueError("loss_curves expects at least one named curve.")
    figure = Figure(figsize=(8, 3.8), layout="constrained")
    axis = figure.subplots()
    for name, values in curves.items():
        values = np.asarray(values, dtype=np.float64).reshape(-1)
        if values.size == 0:
            raise ValueError(f"loss_curves: the curve {name!r} has no values.")
        if log_scale and not np.all(values > 0):
            raise ValueError(
                f"A logarithmic axis needs losses above zero, but the curve {name!r} has the value "
                f"{float(values[~(values > 0)][0])!r}; pass log_scale=False."
            )
        axis.plot(np.arange(1, values.size + 1), values, linewidth=0.8, label=name)
    if log_scale:
        axis.set_yscale("log")
    axis.set_xlabel(xlabel)
    axis.set_ylabel("loss (log scale)" if log_scale else "loss")
    axis.set_title(title)
    axis.legend()
    return _finish(figure, save_path)


def weight_snapshots(
    snapshots: Mapping[str, np.ndarray],
    title: str,
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """A single Dense layer's ten weight images at several moments of training, one row each.

    Each column of a (784, 10) kernel is drawn as a 28 x 28 image: red pixels raise that digit's
    score when inked, blue ones lower it. Each row has its own colour scale, symmetric around zero
    and shown in its colour bar, because the weights grow as training goes on.

    Args:
        snapshots: A row label (e.g. ``"after 10 steps"``) to a kernel of shape (784, 10).
        title: The figure's title.
        save_path: If given, the figure is also written there.

    Returns:
        The figure: one row per snapshot, in the order given, one column per digit.

    Raises:
        ValueError: There are no snapshots, or a kernel is not of shape (784, 10).
    """
    if not snapshots:
        raise ValueError("weight_snapshots expects at least one snapshot.")
    kernels = {}
    for label, kernel in snapshots.items():
        kernel = np.asarray(kernel)
        if kernel.shape != (784, 10):
            raise ValueError(
                f"weight_snapshots expects kernels of shape (784, 10); {label!r} has shape "
                f"{kernel.shape}."
            )
        kernels[label] = kernel
    figure = Figure(figsize=(12, 1.35 * len(kernels) + 0.7), layout="constrained")
    axes = figure.subplots(len(kernels), 10, squeeze=False)
    for row, (label, kernel) in enumerate(kernels.items()):
        limit = float(np.abs(kernel).max()) or 1.0
        for digit, axis in enumerate(axes[row]):
            shown = axis.imshow(kernel[:, digit].reshape(28, 28), cmap="RdBu_r", vmin=-limit, vmax=limit)
            axis.set_xticks([])
            axis.set_yticks([])
            if row == 0:
                axis.set_title(f"digit {digit}", fontsize=9)
        axes[row, 0].set_ylabel(label, fontsize=9)
        figure.colorbar(shown, ax=list(axes[row]), shrink=0.9, aspect=8, pad=0.01)
    figure.suptitle(title)
    return _finish(figure, save_path)


def image_row(
    images: Mapping[str, np.ndarray],
    title: str,
    marks: Mapping[str, Sequence[float]] | None = None,
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """Images of any sizes side by side, each with its own title and a pixel grid's axes.

    Args:
        images: Panel title to a 2-D image. A uint8 image is shown as stored (0 black, 255 white);
            a float image from 0 to 1 as ink (0 white, 1 black), like the digits elsewhere.
        title: The figure's title.
        marks: Panel title to a (row, column) to mark with a red cross, such as a centre of mass.
        save_path: If given, the figure is also written there.

    Returns:
        The figure.

    Raises:
        ValueError: No images, or an image that is not 2-D.
    """
    if not images:
        raise ValueError("image_row expects at least one image.")
    marks = marks or {}
    figure = Figure(figsize=(2.9 * len(images), 3.2), layout="constrained")
    axes = np.atleast_1d(figure.subplots(1, len(images)))
    for axis, (name, image) in zip(axes, images.items()):
        image = np.asarray(image)
        if image.ndim != 2:
            raise ValueError(f"image_row expects 2-D images; {name!r} has shape {image.shape}.")
        if image.dtype == np.uint8:
            axis.imshow(image, cmap="gray", vmin=0, vmax=255)
        else:
            axis.imshow(image, cmap="gray_r", vmin=0, vmax=1)
        if name in marks:
            axis.plot(marks[name][1], marks[name][0], "r+", markersize=14, markeredgewidth=2)
        axis.set_title(f"{name}\n{image.shape[0]} x {image.shape[1]}", fontsize=10)
        axis.tick_params(labelsize=7)
    figure.suptitle(title)
    return _finish(figure, save_path)

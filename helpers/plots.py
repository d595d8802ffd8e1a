"""Every figure of the course, plotting code too long to inline into a notebook.

Each function builds a new :class:`helpers.figures.Figure` (a ``matplotlib.figure.Figure``, made
without ``pyplot``, so no global state and no figure is shown twice), returns it, and writes it to a
file only when ``save_path`` is given. In a notebook, leave the returned figure as the cell's last
expression to show it: it shows as an image with alt text, and the numbers it draws in a table
beneath (see :mod:`helpers.figures`). Every figure follows that module's style: at most 900 pixels
wide, text of 10 points or more, colours of 3:1 contrast or more, and never colour alone.
"""

from __future__ import annotations

import pathlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from helpers import figures
from helpers.figures import Figure

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
    figure = Figure(figsize=(min(columns * 1.1, 9.0), rows * 1.3 + 0.4), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False)
    for index, axis in enumerate(axes.flat):
        axis.set_axis_off()
        if index < count:
            axis.imshow(images[index], cmap="gray_r")
            axis.set_title(f"label {int(labels[index])}", fontsize=10)
    figure.suptitle(title)
    shown = " ".join(str(int(label)) for label in labels[:count])
    figure.describe(f"{title}: {count} handwritten digits in {rows} rows of {columns}, dark ink on white, "
                    f"each titled with its label. The labels, row by row: {shown}.")
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
    columns: list[tuple[str, np.ndarray]] = []
    for offset, (name, labels) in enumerate(splits):
        counts = np.bincount(np.asarray(labels, dtype=np.int64), minlength=10)
        positions = np.arange(10) + (offset - (len(splits) - 1) / 2) * width
        shares = counts / counts.sum() * 100
        axis.bar(positions, shares, width=width, label=f"{name} ({len(labels):,})",
                 color=figures.SERIES_COLOURS[offset], hatch=figures.HATCHES[offset], edgecolor="white")
        columns.append((name, shares))
    axis.set_xticks(_DIGITS)
    axis.set_xlabel("digit")
    axis.set_ylabel("share of images (%)")
    axis.axhline(10, color="gray", linewidth=1.5, linestyle="--", label="10%")
    axis.legend()
    axis.set_title(title)
    names = _listing(name for name, _ in columns)
    figure.describe(f"{title}: a bar chart of the share of each digit, 0 to 9, in the {names} "
                    "images, with a dashed line at 10%.",
                    ("The shares in the figure (%)", ["digit", *(f"{name} (%)" for name, _ in columns)],
                     [[digit, *(round(float(shares[digit]), 2) for _, shares in columns)] for digit in _DIGITS]))
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
    figure = Figure(figsize=(9, 4.2), layout="constrained")
    grid = figure.add_gridspec(2, 2, height_ratios=[4, 1])
    raw_axis = figure.add_subplot(grid[0, 0])
    shown = raw_axis.imshow(image, cmap="gray_r")
    figure.colorbar(shown, ax=raw_axis, label="pixel value")
    raw_axis.set_title(f"a {label} as loaded: uint8, 0 to 255")
    scaled_axis = figure.add_subplot(grid[0, 1])
    shown = scaled_axis.imshow(scaled, cmap="gray_r", vmin=0, vmax=1)
    figure.colorbar(shown, ax=scaled_axis, label="pixel value")
    scaled_axis.set_title("divided by 255: float32, 0 to 1")
    row_axis = figure.add_subplot(grid[1, :])
    row_axis.imshow(scaled.reshape(1, -1), cmap="gray_r", aspect="auto", vmin=0, vmax=1)
    row_axis.set_yticks([])
    row_axis.set_xlabel("flattened: 784 values, row after row of the image")
    for axis in (raw_axis, scaled_axis):
        axis.set_xlabel("column")
        axis.set_ylabel("row")
    figure.suptitle("One digit as loaded, as scaled, and as the row a Dense layer reads")
    figure.describe(f"The same handwritten {label} drawn twice, dark ink on white: first with its pixel "
                    "values from 0 to 255, then divided by 255, from 0 to 1; the two pictures look the same "
                    "and only their colour bars differ. Below, the 784 values of the scaled picture in "
                    "one long strip, row after row, where the strokes become short dark dashes.")
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
    figure = Figure(figsize=(9, 3.6), layout="constrained")
    axes = figure.subplots(1, 2)
    shown = []
    for axis, metric in zip(axes, ("loss", "accuracy")):
        for index, prefix in enumerate(("", "val_")):
            if values.get(prefix + metric):
                name = "validation" if prefix else "training"
                axis.plot(epochs, values[prefix + metric], label=name, linewidth=2, **figures.series_style(index))
                shown.append((f"{name} {metric}", values[prefix + metric]))
        axis.set_xlabel("epoch")
        axis.set_ylabel(metric)
        axis.set_xticks(epochs)
        axis.legend()
    figure.suptitle(title)
    lines = "training (circles, solid line) and validation (squares, dashed line)" if values.get("val_loss") \
        else "training (circles, solid line)"
    figure.describe(f"{title}: two line charts over {len(epochs)} epochs, loss on the left and accuracy on the "
                    f"right, each for {lines}.",
                    ("The values in the figure, per epoch", ["epoch", *(name for name, _ in shown)],
                     [[int(epoch), *(float(series[index]) for _, series in shown)]
                      for index, epoch in enumerate(epochs)]))
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
    what = "the percentage of each true digit's images" if normalize else "the number of test images"
    figure.describe(f"{title or default_title}: a 10 by 10 grid, true digit in rows and predicted digit in "
                    f"columns; each square holds {what} with that pair, written in it, and is darker the "
                    "larger it is. Right answers lie on the diagonal from top left to bottom right.",
                    confusion_table(shown))
    return _finish(figure, save_path)


def confusion_table(confusion: Any) -> tuple[str, list[str], list[list[Any]]]:
    """A confusion matrix (counts or percentages) as the numbers of a figure, true digit in rows.

    Args:
        confusion: A square matrix, a NumPy array or a tensor such as ``tf.math.confusion_matrix``'s.

    Returns:
        ``(caption, columns, rows)``, for :meth:`helpers.figures.Figure.describe` or
        :func:`helpers.figures.show_current`.
    """
    matrix = np.asarray(confusion)
    whole = np.issubdtype(matrix.dtype, np.integer)
    return ("The matrix in the figure, true digit in rows",
            ["true digit", *(f"read as {column}" for column in range(matrix.shape[1]))],
            [[row, *(int(value) if whole else round(float(value), 1) for value in matrix[row])]
             for row in range(matrix.shape[0])])


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
    figure = Figure(figsize=(min(columns * 1.1, 9.0), rows * 1.5 + 0.45), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False)
    for axis in axes.flat:
        axis.set_axis_off()
    for axis, index in zip(axes.flat, shown):
        axis.imshow(images[index], cmap="gray_r")
        axis.set_title(f"true {true_labels[index]}\nread {predicted[index]}", fontsize=10)
    figure.suptitle(f"{len(shown)} of the {len(wrong)} misclassified images")
    figure.describe(f"A gallery of up to {limit} images that the model reads wrong, in rows of {columns}, each "
                    "titled with its true digit and the model's answer.",
                    (f"The {len(shown)} images in the figure, of {len(wrong)} wrong in all",
                     ["image", "true digit", "read as"],
                     [[position + 1, int(true_labels[index]), int(predicted[index])]
                      for position, index in enumerate(shown)]))
    return _finish(figure, save_path)


def weight_templates(
    kernel: np.ndarray,
    title: str = "Each output neuron's 784 weights, drawn as a 28 x 28 image",
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """The ten columns of a single Dense layer's kernel, each drawn as a 28 x 28 image.

    Light (yellow) pixels raise the score of that digit when they are inked, dark (blue) pixels
    lower it, and mid grey ones do little: the colour map's lightness rises with the weight, so the
    sign shows in greyscale too. One colour scale, symmetric around zero, serves all ten, so they
    can be compared.

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
    figure = Figure(figsize=(9, 4.4), layout="constrained")
    axes = figure.subplots(2, 5)
    for digit, axis in enumerate(axes.flat):
        shown = axis.imshow(kernel[:, digit].reshape(28, 28), cmap=figures.SIGNED_CMAP, vmin=-limit, vmax=limit)
        axis.set_title(f"digit {digit}")
        axis.set_axis_off()
    figure.colorbar(shown, ax=list(axes.flat), shrink=0.8, label="weight (light raises the score)")
    figure.suptitle(title)
    figure.describe(f"{title}: ten 28 by 28 pictures, one per digit 0 to 9 in two rows of five, of one "
                    "neuron's weights each. Light pixels raise that digit's score when inked, dark pixels "
                    "lower it, and mid grey ones do little.",
                    ("Each picture's weights", ["digit", "lowest weight", "highest weight", "mean weight"],
                     [[digit, float(kernel[:, digit].min()), float(kernel[:, digit].max()),
                       float(kernel[:, digit].mean())] for digit in _DIGITS]))
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
    curve_axis.plot([0, 1], [0, 1], color="gray", linestyle=(0, (2, 2)), marker="", linewidth=1.5,
                    label="perfectly calibrated")
    table = []
    for offset, (name, result) in enumerate(results.items()):
        bins = len(result["count"])
        centres = (np.arange(bins) + 0.5) / bins
        filled = np.asarray(result["count"]) > 0
        curve_axis.plot(np.asarray(result["confidence"])[filled], np.asarray(result["accuracy"])[filled],
                        label=f"{name} (ECE {result['ece']:.3f})", linewidth=2, **figures.series_style(offset))
        width = 0.8 / bins / len(results)
        count_axis.bar(centres + (offset - (len(results) - 1) / 2) * width, result["count"], width=width, label=name,
                       color=figures.SERIES_COLOURS[offset], hatch=figures.HATCHES[offset], edgecolor="white")
        for index in np.flatnonzero(filled):
            table.append([name, f"{index / bins:.1f} to {(index + 1) / bins:.1f}", int(result["count"][index]),
                          float(result["confidence"][index]), float(result["accuracy"][index])])
    curve_axis.set_ylabel("accuracy in the bin")
    curve_axis.set_xlim(0, 1)
    curve_axis.set_ylim(0, 1.02)
    curve_axis.legend(loc="upper left")
    count_axis.set_yscale("log")
    count_axis.set_xlabel("confidence of the prediction")
    count_axis.set_ylabel("predictions")
    curve_axis.set_title(title)
    names = ", ".join(results)
    figure.describe(f"{title}: for {names}, the accuracy of the predictions in each band of confidence, "
                    "drawn against that confidence beside a dashed diagonal where the two are equal; below, "
                    "bars of how many predictions fall in each band, on a logarithmic scale.",
                    ("The bands in the figure", ["model", "confidence", "predictions", "mean confidence", "accuracy"],
                     table))
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
    figure = Figure(figsize=(9, 3.9), layout="constrained")
    accuracy_axis, time_axis = figure.subplots(1, 2)
    groups = sorted({row[group] for row in rows})
    for index, value in enumerate(groups):
        chosen = sorted((row for row in rows if row[group] == value), key=lambda row: row[setting])
        xs = [row[setting] for row in chosen]
        style = figures.series_style(index)
        accuracy_axis.plot(xs, [row[accuracy_key] * 100 for row in chosen], label=f"{group} = {value}",
                           linewidth=2, **style)
        time_axis.plot(xs, [row["train_seconds"] for row in chosen], label=f"{group} = {value}",
                       linewidth=2, **style)
    accuracy_label = accuracy_key.replace("_", " ") + " (%)"
    for axis, label in ((accuracy_axis, accuracy_label), (time_axis, "time in fit (s)")):
        axis.set_xscale("log", base=2)
        axis.set_xlabel(setting)
        axis.set_ylabel(label)
        axis.legend()
    figure.suptitle(title)
    styles = ", ".join(f"{group} = {value} ({figures.series_words(index)})"
                       for index, value in enumerate(groups))
    ordered = sorted(rows, key=lambda row: (row[group], row[setting]))
    figure.describe(f"{title}: two line charts against {setting} (on a doubling scale), "
                    f"{accuracy_label} on the left and training time on the right, one line for each of "
                    f"{styles}.",
                    ("The runs in the figure", [group, setting, accuracy_label, "time in fit (s)"],
                     [[row[group], row[setting], round(float(row[accuracy_key]) * 100, 2),
                       round(float(row["train_seconds"]), 1)] for row in ordered]))
    return _finish(figure, save_path)


def sweep_results(
    settings: Sequence[Mapping[str, Any]],
    swept: Sequence[str],
    title: str = "Validation accuracy against each swept parameter",
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """A sweep's validation accuracy against each swept parameter: one panel per parameter.

    In each panel the parameter's values are spaced evenly in the sweep's order, and every
    combination of the other parameters (and every model, when the notebook saves several) is one
    line through its settings' means over seeds; the bars span the lowest to the highest seed.

    Args:
        settings: The ``settings`` of :func:`helpers.sweep.summarise`: ``model``, ``setting`` and
            ``validation_accuracy`` (``mean``, ``min``, ``max``; ``None`` without a validation set).
        swept: The swept parameters, in the sweep's order; none draws one panel of the settings.
        title: The figure's title.
        save_path: If given, the figure is also written there.

    Returns:
        The figure.

    Raises:
        ValueError: No setting with a validation accuracy.
    """
    rows = [row for row in settings if row.get("validation_accuracy")]
    if not rows:
        raise ValueError("sweep_results expects at least one setting with a validation accuracy.")
    models = list(dict.fromkeys(row["model"] for row in rows))
    panels = list(swept) or [None]
    figure = Figure(figsize=(min(4.5 * len(panels), 9.0), 3.9), layout="constrained")
    axes = figure.subplots(1, len(panels), squeeze=False)[0]
    for axis, name in zip(axes, panels):
        values = list(dict.fromkeys(_hashable(row["setting"].get(name)) for row in rows)) if name else ["all"]
        lines: dict[str, list[Mapping[str, Any]]] = {}
        for row in rows:
            others = {other: value for other, value in row["setting"].items() if other != name}
            parts = ([row["model"]] if len(models) > 1 else []) + [f"{other} = {value}" for other, value in others.items()]
            lines.setdefault(", ".join(parts) or "every run", []).append(row)
        for index, (line, members) in enumerate(lines.items()):
            members = sorted(members, key=lambda row: values.index(_hashable(row["setting"].get(name))) if name else 0)
            xs = [values.index(_hashable(row["setting"].get(name))) if name else 0 for row in members]
            means = [row["validation_accuracy"]["mean"] * 100 for row in members]
            low = [mean - row["validation_accuracy"]["min"] * 100 for mean, row in zip(means, members)]
            high = [row["validation_accuracy"]["max"] * 100 - mean for mean, row in zip(means, members)]
            style = figures.series_style(index) if index < 8 else {"color": "0.4", "linestyle": "-"}
            axis.errorbar(xs, means, yerr=[low, high], capsize=3, linewidth=2, label=line if index < 8 else None,
                          **style)
        axis.set_xticks(range(len(values)), [str(value) for value in values])
        axis.set_xlabel(name or "setting")
        axis.set_ylabel("validation accuracy (%)")
        if len(lines) > 1 or lines.keys() != {"every run"}:
            axis.legend()
    figure.suptitle(title)
    panel_words = ", ".join(str(name) for name in panels if name) or "the one setting"
    figure.describe(
        f"{title}: {len(panels)} line chart(s), one for each of {panel_words}, with that parameter's values "
        "along the bottom in the sweep's order and validation accuracy (%) up the side; each line is one "
        "combination of the other parameters, at its mean over seeds, with bars from the lowest to the highest seed.",
        ("The settings in the figure", ["model", *[str(name) for name in swept], "seeds", "mean (%)", "lowest (%)",
                                        "highest (%)"],
         [[row["model"], *[row["setting"].get(name) for name in swept], row.get("seeds"),
           round(row["validation_accuracy"]["mean"] * 100, 2), round(row["validation_accuracy"]["min"] * 100, 2),
           round(row["validation_accuracy"]["max"] * 100, 2)] for row in rows]))
    return _finish(figure, save_path)


def _hashable(value: Any) -> Any:
    """A value as a dict key and tick label: lists become tuples (a parameter may be a list)."""
    return tuple(value) if isinstance(value, list) else value


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
    figure = Figure(figsize=(min(per_pair * 1.1 + 1.6, 9.0), len(pairs) * 1.25 + 0.45), layout="constrained")
    axes = figure.subplots(len(pairs), per_pair, squeeze=False)
    table = []
    for row, (true_digit, predicted_digit, _) in zip(axes, pairs):
        chosen = np.flatnonzero((true_labels == true_digit) & (predicted == predicted_digit))
        for axis in row:
            axis.set_xticks([])
            axis.set_yticks([])
            for spine in axis.spines.values():
                spine.set_visible(False)
        for axis, index in zip(row, chosen[:per_pair]):
            axis.imshow(images[index], cmap="gray_r")
        row[0].set_ylabel(f"{true_digit} as {predicted_digit}\n({len(chosen)} in all)", fontsize=10)
        table.append([int(true_digit), int(predicted_digit), len(chosen), min(len(chosen), per_pair)])
    figure.suptitle(title)
    figure.describe(f"{title}: {len(pairs)} rows of handwritten digits, dark ink on white; each row holds up "
                    f"to {per_pair} test images of one true digit that the model read as another, labelled "
                    "on the left with the pair and how many such images there are.",
                    ("The rows of the figure", ["true digit", "read as", "images in all", "shown"], table))
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
        The figure: light (yellow) weights respond to ink, dark (blue) ones to blank paper.

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
    figure = Figure(figsize=(columns * 0.9 + 1.5, rows * 0.95 + 0.6), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False)
    for index, axis in enumerate(axes.flat):
        axis.set_axis_off()
        if index < filters:
            shown = axis.imshow(kernel[:, :, 0, index], cmap=figures.SIGNED_CMAP, vmin=-limit, vmax=limit)
    figure.colorbar(shown, ax=list(axes.flat), shrink=0.8, label="weight")
    figure.suptitle(title)
    height, width = kernel.shape[:2]
    figure.describe(f"{title}: {filters} small pictures of {height} by {width} weights, in rows of {columns}; "
                    "light squares are weights that respond to ink, dark ones to blank paper.",
                    ("Each filter's weights, row by row", ["filter", *(f"row {row + 1}" for row in range(height))],
                     [[index, *(" ".join(f"{value:+.2f}" for value in kernel[row, :, 0, index])
                                for row in range(height))] for index in range(filters)]))
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
    figure = Figure(figsize=(columns * 1.0, rows * 1.25 + 0.45), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False)
    for axis in axes.flat:
        axis.set_axis_off()
    axes.flat[0].imshow(image, cmap="gray_r")
    axes.flat[0].set_title("input", fontsize=10)
    for channel, axis in zip(range(shown_count), list(axes.flat)[1:]):
        axis.imshow(maps[:, :, channel], cmap=figures.SIGNED_CMAP)
        axis.set_title(f"map {channel}", fontsize=10)
    figure.suptitle(title)
    figure.describe(f"{title}: the input digit, then {shown_count} feature maps of {maps.shape[0]} by "
                    f"{maps.shape[1]} values computed from it, each on its own scale, light where the "
                    "value is high and dark where it is low.",
                    ("Each map's values", ["map", "lowest", "highest", "mean"],
                     [[channel, float(maps[:, :, channel].min()), float(maps[:, :, channel].max()),
                       float(maps[:, :, channel].mean())] for channel in range(shown_count)]))
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
    figure = Figure(figsize=(6.5, 3.9), layout="constrained")
    axis = figure.subplots()
    for index, (name, accuracies) in enumerate(curves.items()):
        axis.plot(values, np.asarray(accuracies) * 100, label=name, linewidth=2, **figures.series_style(index))
    axis.set_xlabel(xlabel)
    axis.set_ylabel("accuracy (%)")
    axis.set_ylim(0, 100)
    axis.grid(alpha=0.3)
    axis.legend()
    axis.set_title(title)
    lines = ", ".join(f"{name} ({figures.series_words(index)})" for index, name in enumerate(curves))
    figure.describe(f"{title}: a line chart of test accuracy in percent against {xlabel}, one line for each of "
                    f"{lines}.",
                    ("The accuracies in the figure (%)", [xlabel, *curves],
                     [[value, *(round(float(accuracies[index]) * 100, 2) for accuracies in curves.values())]
                      for index, value in enumerate(values)]))
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
    figure = Figure(figsize=(2.4 + 3.2 * len(scores), 3.1), layout="constrained")
    axes = figure.subplots(1, len(scores) + 1)
    axes[0].imshow(image, cmap="gray_r")
    axes[0].set_axis_off()
    table = []
    for axis, (name, values) in zip(axes[1:], scores.items()):
        values = np.asarray(values, dtype=np.float64).reshape(-1)
        if values.shape != (10,) or not np.all((values >= 0) & (values <= 1)):
            raise ValueError(f"The scores of {name!r} must be ten values from 0 to 1, got {values!r}.")
        axis.bar(_DIGITS, values, color="steelblue")
        axis.set_xticks(_DIGITS)
        axis.set_ylim(0, 1.05)
        axis.set_xlabel("digit")
        axis.set_ylabel("score")
        axis.set_title(f"{name}: sum {values.sum():.2f}")
        table.append([name, int(np.argmax(values)), *(round(float(value), 3) for value in values)])
    figure.suptitle(title)
    names = _listing(scores)
    figure.describe(f"{title}: the digit as the models see it, 28 by 28 pixels, beside a bar chart of the ten "
                    f"scores, for the digits 0 to 9, that each of {names} gives it.",
                    ("The scores in the figure", ["model", "highest", *(f"score of {digit}" for digit in _DIGITS)],
                     table))
    figure.numbers_open = True
    return _finish(figure, save_path)


def _listing(names: Any) -> str:
    """Names as a sentence lists them: "a", "a and b", "a, b and c"."""
    names = [str(name) for name in names]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


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

    The predicted digit (the highest score) has a solid blue bar; when it is not the true digit, the
    true digit's bar is vermillion with diagonal hatching, so a mistake and how close it was show at a
    glance, in greyscale too. The other bars are grey and dotted. Six or more images are drawn in rows of up to four. The scores need
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

    per_row = count if count <= 4 else min(4, int(np.ceil(count / 2)))
    rows = int(np.ceil(count / per_row))
    figure = Figure(figsize=(max(2.25 * per_row, 4.5), 4.1 * rows + 0.6), layout="constrained")
    axes = figure.subplots(2 * rows, per_row, squeeze=False)
    for axis in axes.flat:
        axis.set_axis_off()
    table = []
    for column in range(count):
        true_digit, predicted = int(true_labels[column]), int(np.argmax(scores[column]))
        row, place = divmod(column, per_row)
        image_axis, bar_axis = axes[2 * row, place], axes[2 * row + 1, place]
        image_axis.imshow(images[column], cmap="gray_r")
        image_axis.set_title(f"true {true_digit}\nread {predicted}", fontsize=10)
        bar_axis.set_axis_on()
        # Grey bars, the true digit's hatched vermillion, then the predicted digit's solid blue (over
        # the vermillion when the prediction is right).
        colours, hatches = [figures.NEUTRAL] * 10, [".."] * 10
        colours[true_digit], hatches[true_digit] = figures.VERMILLION, "//"
        colours[predicted], hatches[predicted] = figures.BLUE, ""
        bar_axis.bar(_DIGITS, scores[column], color=colours, hatch=hatches, edgecolor="white")
        bar_axis.set_xticks(_DIGITS[::3])
        bar_axis.set_ylim(0, 1)
        bar_axis.set_xlabel("digit")
        bar_axis.set_ylabel("output, 0 to 1")
        order = np.argsort(scores[column])[::-1]
        table.append([column + 1, true_digit, predicted, round(float(scores[column, predicted]), 3),
                      int(order[1]), round(float(scores[column, order[1]]), 3)])
    handles = [Patch(facecolor=figures.BLUE, label="predicted digit"),
               Patch(facecolor=figures.VERMILLION, hatch="//", edgecolor="white", label="true digit, when not predicted")]
    figure.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False)
    figure.suptitle(title)
    figure.describe(f"{title}: {count} test digits, each above a bar chart of the model's ten outputs for the "
                    "digits 0 to 9; the predicted digit's bar is solid blue and, on a mistake, the true "
                    "digit's bar is hatched.",
                    ("The outputs in the figure", ["image", "true digit", "read as", "its output",
                                                   "runner-up", "runner-up's output"], table))
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
    series: list[tuple[str, np.ndarray]] = []
    for name, values in curves.items():
        values = np.asarray(values, dtype=np.float64).reshape(-1)
        if values.size == 0:
            raise ValueError(f"loss_curves: the curve {name!r} has no values.")
        if log_scale and not np.all(values > 0):
            raise ValueError(
                f"A logarithmic axis needs losses above zero, but the curve {name!r} has the value "
                f"{float(values[~(values > 0)][0])!r}; pass log_scale=False."
            )
        index = len(series)
        axis.plot(np.arange(1, values.size + 1), values, label=name, linewidth=1.5,
                  markevery=max(1, values.size // 12), **figures.series_style(index))
        series.append((name, values))
    if log_scale:
        axis.set_yscale("log")
    axis.set_xlabel(xlabel)
    axis.set_ylabel("loss (log scale)" if log_scale else "loss")
    axis.set_title(title)
    axis.legend()
    longest = max(values.size for _, values in series)
    shown = sorted({1, longest, *range(0, longest + 1, max(1, longest // 10))} - {0})
    lines = ", ".join(f"{name} ({figures.series_words(index)})" for index, (name, _) in enumerate(series))
    figure.describe(f"{title}: a line chart of the loss against the {xlabel}, "
                    f"{'on a logarithmic scale, ' if log_scale else ''}one line for each of {lines}.",
                    (f"The losses in the figure, at {len(shown)} of the {longest} {xlabel}s",
                     [xlabel, *(name for name, _ in series)],
                     [[at, *(float(values[at - 1]) if at <= values.size else "" for _, values in series)]
                      for at in shown]))
    return _finish(figure, save_path)


def weight_snapshots(
    snapshots: Mapping[str, np.ndarray],
    title: str,
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """A single Dense layer's ten weight images at several moments of training, one row each.

    Each column of a (784, 10) kernel is drawn as a 28 x 28 image: light (yellow) pixels raise that
    digit's score when inked, dark (blue) ones lower it, in greyscale too. Each row has its own colour scale, symmetric around zero
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
    figure = Figure(figsize=(9, 1.05 * len(kernels) + 0.9), layout="constrained")
    axes = figure.subplots(len(kernels), 10, squeeze=False)
    table = []
    for row, (label, kernel) in enumerate(kernels.items()):
        limit = float(np.abs(kernel).max()) or 1.0
        for digit, axis in enumerate(axes[row]):
            shown = axis.imshow(kernel[:, digit].reshape(28, 28), cmap=figures.SIGNED_CMAP, vmin=-limit, vmax=limit)
            axis.set_xticks([])
            axis.set_yticks([])
            if row == 0:
                axis.set_title(f"digit {digit}", fontsize=10)
        axes[row, 0].set_ylabel(label, fontsize=10)
        colour_bar = figure.colorbar(shown, ax=list(axes[row]), shrink=0.9, aspect=8, pad=0.01)
        colour_bar.ax.tick_params(labelsize=10)
        colour_bar.set_label("weight", fontsize=10)
        table.append([label, float(kernel.min()), float(kernel.max())])
    figure.suptitle(title)
    figure.describe(f"{title}: {len(kernels)} rows of ten 28 by 28 pictures, one per digit 0 to 9, of the ten neurons' weights, {', '.join(kernels)}. Light pixels "
                    "raise that digit's score when inked, dark pixels lower it; each row has its own scale.",
                    ("Each row's weights", ["when", "lowest weight", "highest weight"], table))
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
        marks: Panel title to a (row, column) to mark with a cross, such as a centre of mass.
        save_path: If given, the figure is also written there.

    Returns:
        The figure.

    Raises:
        ValueError: No images, or an image that is not 2-D.
    """
    if not images:
        raise ValueError("image_row expects at least one image.")
    marks = marks or {}
    figure = Figure(figsize=(min(2.9 * len(images), 9.0), 3.4), layout="constrained")
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
            axis.plot(marks[name][1], marks[name][0], marker="+", color=figures.VERMILLION, linestyle="none",
                      markersize=16, markeredgewidth=3)
        axis.set_title(f"{name}\n{image.shape[0]} x {image.shape[1]}", fontsize=10)
        axis.tick_params(labelsize=10)
        axis.locator_params(nbins=3)
        axis.set_xlabel("column")
        axis.set_ylabel("row")
    figure.suptitle(title)
    marked = [name for name in images if name in marks]
    figure.describe(f"{title}: {len(images)} pictures side by side, {', '.join(images)}, each titled with its "
                    "size in pixels" + (f"; a cross marks a point in {', '.join(marked)}." if marked else "."),
                    ("The marks in the figure", ["picture", "row", "column"],
                     [[name, round(float(marks[name][0]), 1), round(float(marks[name][1]), 1)] for name in marked])
                    if marked else None)
    return _finish(figure, save_path)


def quantization_steps(
    weights: np.ndarray,
    integers: np.ndarray,
    scale: float,
    title: str,
    steps_shown: int = 4,
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """One neuron's weights as trained and as stored in 8 bits: the rounding, then both as pictures.

    The left panel zooms into the weights near zero: each dot is one weight, placed at its trained
    value (across) and at the value the int8 file gives back, integer x scale (up). The dots lie on
    flat steps one ``scale`` apart, close to the dashed line on which nothing would change. The two
    pictures on the right draw all 784 weights as 28 x 28 images, as trained and as stored, on one
    colour scale.

    Args:
        weights: The neuron's 784 float weights, as trained.
        integers: The same weights as the whole numbers from -127 to 127 that the file stores.
        scale: The neuron's scale: integer x scale is the stored weight.
        title: The figure's title.
        steps_shown: How many steps either side of zero the left panel shows.
        save_path: If given, the figure is also written there.

    Returns:
        The figure.

    Raises:
        ValueError: The arrays are not 784 values each, or the scale is not a positive number.
    """
    weights = np.asarray(weights, dtype=np.float64).reshape(-1)
    integers = np.asarray(integers).reshape(-1)
    if weights.shape != (784,) or integers.shape != (784,):
        raise ValueError(f"quantization_steps expects 784 weights and 784 integers, got {weights.shape} and "
                         f"{integers.shape}.")
    _check_positive(steps_shown=steps_shown)
    if not np.isfinite(scale) or scale <= 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}.")
    stored = integers.astype(np.float64) * scale
    window = (steps_shown + 0.5) * scale
    near = np.abs(weights) <= window
    figure = Figure(figsize=(9, 3.4), layout="constrained")
    steps, trained, kept = figure.subplots(1, 3, width_ratios=(1.3, 1, 1))
    steps.plot([-window, window], [-window, window], color=figures.BLACK, linestyle="--", linewidth=figures.MIN_LINE_WIDTH,
               label="nothing changed")
    steps.plot(weights[near], stored[near], color=figures.BLUE, marker="o", linestyle="none", markersize=4,
               label="each weight, stored")
    for level in range(-steps_shown, steps_shown + 1):
        steps.axhline(level * scale, color=figures.NEUTRAL, linewidth=0.8, zorder=0)
    steps.set_xlim(-window, window)
    steps.set_ylim(-window, window)
    steps.set_xlabel("weight as trained")
    steps.set_ylabel("weight as stored")
    steps.set_title(f"The {int(near.sum())} weights near zero", fontsize=10)
    steps.legend(loc="upper left", fontsize=10)
    steps.ticklabel_format(axis="both", style="sci", scilimits=(-2, 2))
    limit = float(np.abs(weights).max()) or 1.0
    for axis, values, name in ((trained, weights, "as trained (float32)"), (kept, stored, "as stored (int8 x scale)")):
        shown = axis.imshow(values.reshape(28, 28), cmap=figures.SIGNED_CMAP, vmin=-limit, vmax=limit)
        axis.set_title(name, fontsize=10)
        axis.set_axis_off()
    figure.colorbar(shown, ax=[trained, kept], shrink=0.8, label="weight")
    figure.suptitle(title)
    difference = np.abs(weights - stored)
    sample = np.flatnonzero(near)[:12]
    figure.describe(
        f"{title}. Left: the {int(near.sum())} weights between {-window:.2g} and {window:.2g}, each a dot at its "
        f"trained value across and its stored value up; the dots lie on flat steps {scale:.3g} apart, beside a "
        "dashed diagonal where a weight would keep its value. Right: all 784 weights drawn as two 28 by 28 "
        f"pictures, as trained and as stored, which look the same: the largest difference is {difference.max():.3g}.",
        ("Some of the weights in the figure", ["pixel", "as trained", "integer stored", "integer x scale", "difference"],
         [[int(pixel), float(weights[pixel]), int(integers[pixel]), float(stored[pixel]),
           float(weights[pixel] - stored[pixel])] for pixel in sample]))
    return _finish(figure, save_path)

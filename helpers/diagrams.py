"""Pictures of the course's ideas, drawn by its own code: the network, the training loop, a slope,
activations, a boundary, a convolution, pooling.

Where :mod:`helpers.plots` draws what a notebook measured, this module draws what a notebook
explains, before or beside the code that does it. Each picture that shows a computation is drawn
from a small pure function that is here too and can be tested and run on its own: the path of
gradient descent (:func:`descent_path`), two features of a digit and a line fitted to them
(:func:`two_features`, :func:`fit_line`), a convolution (:func:`convolve`) and max pooling
(:func:`max_pool`). All of it is NumPy and matplotlib; nothing here imports TensorFlow.

Like :mod:`helpers.plots`, each figure function builds a new ``matplotlib.figure.Figure`` (not
through ``pyplot``), returns it, and writes it to a file only when ``save_path`` is given. Every
figure is at most 9 inches wide (900 pixels at 100 dpi), writes all its text at 10 points or more,
uses the Okabe-Ito colours, which colour-blind readers can tell apart, and never lets colour alone
carry a meaning: markers, line styles, hatching and words carry it too.
"""

from __future__ import annotations

import math
import numbers
import pathlib
from collections.abc import Callable, Sequence

import numpy as np
from matplotlib import patches, ticker

from helpers import figures, plots
from helpers.exercises import core as exercise_core
from helpers.figures import SIGNED_CMAP, Figure

#: The Okabe-Ito colours, by name, in the order the figures use them (the first four as in
#: helpers.figures; orange, reddish purple and sky blue only here).
BLUE, VERMILLION, GREEN, BLACK = figures.BLUE, figures.VERMILLION, figures.GREEN, figures.BLACK
ORANGE = "#E69F00"
PURPLE = "#CC79A7"
SKY = "#56B4E9"
#: Every colour that draws a line or a marker edge has 3:1 contrast or more against white; orange
#: and sky blue (about 2.3:1) only fill shapes that have a black edge.
PALETTE = (BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY, BLACK)

#: Markers and hatches that go with PALETTE, so that no series is told apart by colour alone.
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
HATCHES = ("//", "..", "xx", "\\\\", "oo", "++", "--")

#: The widest figure this module draws, in inches (900 pixels at 100 dpi).
MAX_WIDTH_INCHES = figures.OUTPUT_WIDTH_PIXELS / figures.DPI

#: The smallest text size this module writes, in points.
MIN_FONT_SIZE = figures.MIN_FONT_SIZE

#: The rows and columns of the central square that :func:`two_features` measures: 10 to 17 of 28.
CENTRE = slice(10, 18)

#: A pixel counts as inked in :func:`two_features` from this value of 255 on.
INK_THRESHOLD = 128

_MINUS = "\u2212"
_VERTICAL_DOTS = "\u22ee"


# --- The network ------------------------------------------------------------------------------------

def network(
    layer_sizes: Sequence[int],
    layer_names: Sequence[str] | None = None,
    shown: int = 5,
    title: str = "A fully-connected network: every input feeds every neuron",
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """Draws a fully-connected (Dense) network as columns of circles joined by lines.

    Each column is a layer: the inputs first, then each hidden layer, then the outputs. Each line
    is one weight. A layer of more than ``shown`` units draws ``shown`` of them, a vertical ⋮ for
    the rest, and writes its true size under it ("784 pixels", "100 neurons", "10 scores"). The
    first and the last layer's units are numbered from 0, as Python and Keras number them (for ten
    outputs, the digit each one scores). A note under the drawing counts the weights and biases.

    Args:
        layer_sizes: Units per layer, inputs first, e.g. ``[784, 10]`` or ``[784, 100, 10]``: two to
            five layers of at least one unit each.
        layer_names: A heading per column; by default "input layer", "hidden layer" (numbered when
            there are several) and "output layer".
        shown: How many units a column draws at most, from 3 to 10.
        title: The figure's title.
        save_path: If given, the figure is also written there.

    Returns:
        The figure, one axis without ticks.

    Raises:
        ValueError: Fewer than two or more than five layers, a size that is not a whole number of
            at least 1, as many names as layers missing, or ``shown`` outside 3 to 10.
    """
    sizes = _layer_sizes(layer_sizes)
    names = _layer_names(layer_names, len(sizes))
    if isinstance(shown, bool) or not isinstance(shown, numbers.Integral) or not 3 <= shown <= 10:
        raise ValueError(f"shown must be a whole number from 3 to 10, got {shown!r}.")
    spacing = 2.4
    slots = min(max(sizes), shown + 1) if max(sizes) > shown else max(sizes)
    figure = Figure(figsize=(min(2.4 + 2.1 * len(sizes), MAX_WIDTH_INCHES), 5.6), layout="constrained")
    axis = figure.subplots()
    axis.set_axis_off()
    columns = [_unit_positions(size, shown, slots) for size in sizes]
    # The weights first, so that the circles are drawn over their ends.
    for layer in range(len(sizes) - 1):
        for _, start in columns[layer][0]:
            for _, end in columns[layer + 1][0]:
                axis.plot([layer * spacing, (layer + 1) * spacing], [start, end], color="0.55",
                          linewidth=0.8, zorder=1)
    first_start, first_end = columns[0][0][0][1], columns[1][0][0][1]
    axis.plot([0, spacing], [first_start, first_end], color=BLACK, linewidth=2.5, zorder=2)
    axis.annotate(
        "a weight: one number\nthe network learns", xy=(spacing * 0.5, (first_start + first_end) / 2),
        xytext=(spacing * 0.5, slots + 0.2), ha="center", va="bottom", fontsize=11,
        arrowprops={"arrowstyle": "-|>", "color": BLACK, "linewidth": 1.2},
    )
    for layer, (size, (units, dots)) in enumerate(zip(sizes, columns)):
        x = layer * spacing
        styles = _layer_style(layer, len(sizes))
        axis.scatter([x] * len(units), [y for _, y in units], s=520, marker=styles["marker"],
                     facecolor=styles["face"], edgecolor=styles["edge"], linewidth=2, zorder=3)
        if dots is not None:
            axis.text(x, dots, _VERTICAL_DOTS, ha="center", va="center", fontsize=20, zorder=3)
        if layer == 0 or layer == len(sizes) - 1:
            side = -1 if layer == 0 else 1
            for index, y in units:
                axis.text(x + side * 0.32, y, str(index), ha="right" if side < 0 else "left",
                          va="center", fontsize=10)
        axis.text(x, slots - 0.1, names[layer], ha="center", va="bottom", fontsize=12, weight="bold")
        axis.text(x, -0.9, f"{size:,} {styles['unit']}", ha="center", va="top", fontsize=12)
    weights = sum(before * after for before, after in zip(sizes, sizes[1:]))
    biases = sum(sizes[1:])
    products = " + ".join(f"{before:,} × {after:,}" for before, after in zip(sizes, sizes[1:]))
    axis.text(
        (len(sizes) - 1) * spacing / 2, -1.9,
        "Each neuron multiplies its inputs by its weights, adds them up, and adds a number of its\n"
        f"own, its bias. To learn: {products} = {weights:,} weights and {biases:,} biases, "
        f"{weights + biases:,} numbers.",
        ha="center", va="top", fontsize=10,
    )
    axis.set_xlim(-1.1, (len(sizes) - 1) * spacing + 1.1)
    axis.set_ylim(-3.2, slots + 1.6)
    figure.suptitle(title, fontsize=13)
    layers = ", then ".join(f"{names[layer]} of {size:,} {_layer_style(layer, len(sizes))['unit']}"
                            for layer, size in enumerate(sizes))
    figure.describe(f"{title}: a drawing of a network as columns of circles, left to right: {layers}. "
                    "Lines join every circle of a column to every circle of the next; each line is one "
                    f"weight. In all, {weights:,} weights and {biases:,} biases, {weights + biases:,} numbers "
                    "to learn.")
    return plots._finish(figure, save_path)


def _layer_sizes(layer_sizes: Sequence[int]) -> list[int]:
    if isinstance(layer_sizes, (str, bytes)) or not isinstance(layer_sizes, Sequence):
        raise ValueError(f"layer_sizes must be a list of whole numbers, e.g. [784, 10], got {layer_sizes!r}.")
    sizes = list(layer_sizes)
    if not 2 <= len(sizes) <= 5:
        raise ValueError(
            f"layer_sizes needs two to five layers (the inputs and the outputs at least), got {len(sizes)}: "
            f"{sizes!r}."
        )
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 1:
            raise ValueError(f"Every layer size must be a whole number of at least 1, got {sizes!r}.")
    return [int(size) for size in sizes]


def _layer_names(layer_names: Sequence[str] | None, count: int) -> list[str]:
    if layer_names is None:
        hidden = count - 2
        middle = ["hidden layer"] if hidden == 1 else [f"hidden layer {n}" for n in range(1, hidden + 1)]
        return ["input layer", *middle, "output layer"]
    names = list(layer_names)
    if len(names) != count:
        raise ValueError(f"layer_names needs one name per layer, {count}, got {len(names)}: {names!r}.")
    return [str(name) for name in names]


def _unit_positions(size: int, shown: int, slots: int) -> tuple[list[tuple[int, float]], float | None]:
    """The (index, height) of each drawn unit of a layer, and the height of its ⋮ (or None)."""
    if size <= shown:
        offset = (slots - size) / 2
        return [(index, slots - 1 - offset - index) for index in range(size)], None
    offset = (slots - (shown + 1)) / 2
    heights = [slots - 1 - offset - slot for slot in range(shown + 1)]
    units = [(index, heights[index]) for index in range(shown - 1)] + [(size - 1, heights[-1])]
    return units, heights[shown - 1]


def _layer_style(layer: int, count: int) -> dict[str, str]:
    if layer == 0:
        return {"marker": "s", "face": "white", "edge": BLACK, "unit": "pixels"}
    if layer == count - 1:
        return {"marker": "o", "face": "#F3C7A6", "edge": VERMILLION, "unit": "scores"}
    return {"marker": "o", "face": "#B3D4EA", "edge": BLUE, "unit": "neurons"}


# --- The training loop -------------------------------------------------------------------------------

def training_loop(
    title: str = "The training loop: four steps, repeated",
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """Draws the training loop as a cycle of four boxes joined by arrows.

    predict (scores) → loss (how wrong) → gradient (which way) → step (weight − learning rate ×
    gradient) → back to predict, with "repeat for every batch, every epoch" in the middle and the
    start (the first weights) leading in. Each box says in words what it is and is numbered, so
    the boxes are told apart without their colours.

    Args:
        title: The figure's title.
        save_path: If given, the figure is also written there.

    Returns:
        The figure, one axis without ticks.
    """
    figure = Figure(figsize=(8.5, 6.0), layout="constrained")
    axis = figure.subplots()
    axis.set_axis_off()
    axis.set_xlim(-4.6, 4.6)
    axis.set_ylim(-3.3, 3.3)
    axis.set_aspect("equal")
    width, height = 3.3, 1.3
    boxes = [
        ((0.0, 2.1), "1. predict", "the model's scores\nfor a batch of images", BLUE),
        ((2.55, 0.0), "2. loss", "how wrong\nthe scores are", VERMILLION),
        ((0.0, -2.1), "3. gradient", "which way to move each\nweight to lower the loss", GREEN),
        ((-2.55, 0.0), "4. step", f"weight {_MINUS} learning rate\n× gradient", PURPLE),
    ]
    for (x, y), heading, words, colour in boxes:
        axis.add_patch(patches.FancyBboxPatch(
            (x - width / 2, y - height / 2), width, height, boxstyle="round,pad=0.05,rounding_size=0.25",
            facecolor=colour + "33", edgecolor=colour, linewidth=2.5,
        ))
        axis.text(x, y + 0.28, heading, ha="center", va="center", fontsize=13, weight="bold")
        axis.text(x, y - 0.22, words, ha="center", va="center", fontsize=11)
    # Clockwise arrows from one box's edge to the next box's edge.
    ends = [
        ((width / 2 + 0.05, 2.1), (2.55, height / 2 + 0.1)),
        ((2.55, -height / 2 - 0.1), (width / 2 + 0.05, -2.1)),
        ((-width / 2 - 0.05, -2.1), (-2.55, -height / 2 - 0.1)),
        ((-2.55, height / 2 + 0.1), (-width / 2 - 0.05, 2.1)),
    ]
    for start, end in ends:
        axis.annotate("", xy=end, xytext=start, arrowprops={
            "arrowstyle": "-|>,head_length=0.6,head_width=0.35", "color": BLACK, "linewidth": 2,
            "connectionstyle": "arc3,rad=-0.3", "shrinkA": 0, "shrinkB": 0,
        })
    axis.text(0, 0, "repeat for every batch,\nevery epoch", ha="center", va="center", fontsize=13,
              style="italic")
    axis.annotate("start: the first\nweights (random\nor zero)", xy=(-width / 2 - 0.05, 2.35),
                  xytext=(-4.5, 2.9), ha="left", va="top", fontsize=10,
                  arrowprops={"arrowstyle": "-|>", "color": BLACK, "linewidth": 1.2, "linestyle": "--"})
    figure.suptitle(title, fontsize=13)
    steps = "; ".join(f"{heading}: {' '.join(words.split())}" for _, heading, words, _ in boxes)
    figure.describe(f"{title}: four numbered boxes in a circle, joined by arrows that go round clockwise: "
                    f"{steps}. In the middle: repeat for every batch, every epoch. The loop starts from the "
                    "first weights, random or zero.")
    return plots._finish(figure, save_path)


# --- A slope and the steps of gradient descent ---------------------------------------------------------

def descent_path(
    gradient: Callable[[float], float], start: float, learning_rate: float, steps: int
) -> np.ndarray:
    """The positions of plain gradient descent on one weight.

    Starting at ``start``, each step moves the weight against its gradient:
    ``weight = weight - learning_rate * gradient(weight)``.

    Args:
        gradient: The loss's slope at a weight, e.g. ``lambda weight: 2 * (weight - 1)`` for the loss
            ``(weight - 1) ** 2``.
        start: The first weight.
        learning_rate: How far each step goes, as a multiple of the gradient; above zero.
        steps: How many steps to take; zero or more.

    Returns:
        ``steps + 1`` weights as floats: the start, then the weight after each step.

    Raises:
        ValueError: The learning rate is not a number above zero, ``steps`` is not a whole number of
            zero or more, ``start`` is not a finite number, or ``gradient`` is not callable.
    """
    if not callable(gradient):
        raise ValueError(f"gradient must be a function of the weight, got {gradient!r}.")
    learning_rate = _positive_number("learning_rate", learning_rate)
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 0:
        raise ValueError(f"steps must be a whole number of zero or more, got {steps!r}.")
    if isinstance(start, bool) or not isinstance(start, numbers.Real) or not math.isfinite(start):
        raise ValueError(f"start must be a finite number, got {start!r}.")
    weights = [float(start)]
    for _ in range(int(steps)):
        weight = weights[-1]
        weights.append(weight - learning_rate * float(gradient(weight)))
    return np.asarray(weights, dtype=np.float64)


def slope_and_steps(
    learning_rates: Sequence[float] = (0.05, 0.3, 1.05),
    start: float = 3.0,
    steps: int = 8,
    names: Sequence[str] | None = None,
    title: str = "Gradient descent on one weight: the slope, and three learning rates",
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """The slope of a loss at one weight, then the steps of gradient descent at each learning rate.

    The loss is the parabola ``L(w) = (w - 1) ** 2``: lowest, 0, at ``w = 1``, with the slope
    (gradient) ``2 * (w - 1)``. The first panel draws it with its tangent at ``w = start`` and
    writes the slope ("slope 4.0 at w = 3"). Each further panel draws the ``steps`` steps of
    :func:`descent_path` from ``start`` at one learning rate, as markers joined by arrows on the
    curve, and writes where the weight ends. Every panel shows the same stretch of the curve, so
    that the panels compare; a path that leaves it is cut off, and its panel says where it went.

    On this parabola each step multiplies the distance to 1 by ``1 - 2 * learning_rate``: 0.05
    crawls (0.9 of the distance stays after each step), 0.3 gets there in a few steps (0.4 stays),
    and 1.05 overshoots further each time (1.1, with the sign flipped).

    Args:
        learning_rates: One to five learning rates above zero, a panel each.
        start: The first weight.
        steps: Steps per learning rate, from 1 to 50.
        names: A name per learning rate for its panel's title. By default each is named from what
            it did: "too large" if the weight ends no closer to 1 than it started, "too small" if it
            still has more than a tenth of the way to go without having overshot, "a bit large" if
            it has that far to go after overshooting, and "about right" otherwise.
        title: The figure's title.
        save_path: If given, the figure is also written there.

    Returns:
        The figure: one axis for the slope, then one per learning rate.

    Raises:
        ValueError: No learning rates or more than five, one that is not above zero, a ``names``
            of another length, ``steps`` outside 1 to 50, or a ``start`` that is not finite.
    """
    rates = list(learning_rates) if isinstance(learning_rates, Sequence) else [learning_rates]
    if not 1 <= len(rates) <= 5:
        raise ValueError(f"slope_and_steps draws one to five learning rates, got {len(rates)}: {rates!r}.")
    rates = [_positive_number("learning_rate", rate) for rate in rates]
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or not 1 <= steps <= 50:
        raise ValueError(f"steps must be a whole number from 1 to 50, got {steps!r}.")
    paths = [descent_path(_parabola_slope, start, rate, steps) for rate in rates]
    if names is None:
        names = [_judge_path(path) for path in paths]
    names = [str(name) for name in names]
    if len(names) != len(rates):
        raise ValueError(f"names needs one name per learning rate, {len(rates)}, got {len(names)}: {names!r}.")

    panels = 1 + len(rates)
    columns = 2 if panels in (2, 4) else 3
    rows = math.ceil(panels / columns)
    figure = Figure(figsize=(MAX_WIDTH_INCHES if columns == 3 else 8.0, 3.5 * rows + 0.5),
                    layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False).flat
    half_width = max(2.2 * abs(start - 1.0), 1.5)
    low, high = 1.0 - half_width, 1.0 + half_width
    curve = np.linspace(low, high, 301)

    slope_axis = axes[0]
    slope = _parabola_slope(start)
    slope_axis.plot(curve, _parabola(curve), color=BLUE, linewidth=2, label="loss")
    tangent = np.linspace(start - 1.2, start + 1.2, 3)
    slope_axis.plot(tangent, _parabola(start) + slope * (tangent - start), color=VERMILLION,
                    linestyle="--", linewidth=2.2, label="slope (tangent)")
    slope_axis.plot([start], [_parabola(start)], marker="o", markersize=9, color=VERMILLION,
                    linestyle="none")
    slope_axis.plot([1.0], [0.0], marker="*", markersize=14, color=GREEN, linestyle="none")
    slope_axis.annotate(
        f"slope {slope:.1f}\nat w = {start:g}", xy=(start, _parabola(start)),
        xytext=(0.97, 0.06), textcoords="axes fraction", ha="right", va="bottom", fontsize=11,
        arrowprops={"arrowstyle": "-|>", "color": BLACK},
    )
    slope_axis.annotate("lowest loss,\nat w = 1", xy=(1.0, 0.0), xytext=(1.0, half_width ** 2 * 0.3),
                        ha="center", va="bottom", fontsize=10,
                        arrowprops={"arrowstyle": "-|>", "color": BLACK})
    slope_axis.set_title("1. the slope says which way is uphill", fontsize=11)
    slope_axis.legend(loc="upper center", fontsize=10)

    for number, (axis, rate, name, path) in enumerate(zip(axes[1:], rates, names, paths), start=2):
        axis.plot(curve, _parabola(curve), color="0.55", linewidth=1.5)
        style = number - 2
        axis.plot(path, _parabola(path), color=PALETTE[style], marker=MARKERS[style], markersize=7,
                  linewidth=0.8, linestyle=":")
        for before, after in zip(path, path[1:]):
            if low <= before <= high and low <= after <= high:
                axis.annotate("", xy=(after, _parabola(after)), xytext=(before, _parabola(before)),
                              arrowprops={"arrowstyle": "-|>", "color": PALETTE[style], "linewidth": 1.3,
                                          "shrinkA": 3, "shrinkB": 3})
        end = path[-1]
        where = f"after {steps} steps:\nw = {end:.2f}, loss {_parabola(end):.2f}"
        if not low <= end <= high:
            where += ",\noff the chart and growing"
        axis.text(0.5, 0.97, where, transform=axis.transAxes, ha="center", va="top", fontsize=10)
        axis.set_title(f"{number}. {name}: learning rate {rate:g}", fontsize=11)

    for axis in axes[:panels]:
        axis.set_xlim(low, high)
        axis.set_ylim(-0.05 * half_width ** 2, 1.15 * half_width ** 2)
        axis.set_xlabel("weight w")
        axis.set_ylabel(f"loss (w {_MINUS} 1)²")
    for axis in axes[panels:]:
        figure.delaxes(axis)
    figure.suptitle(title, fontsize=13)
    ends = "; ".join(f"learning rate {rate:g}, {name}: the weight ends at {path[-1]:.2f}"
                     for rate, name, path in zip(rates, names, paths))
    figure.describe(f"{title}: {panels} charts of the loss (w {_MINUS} 1)² against one weight w, a U-shaped "
                    f"curve lowest at w = 1. The first draws its slope at w = {start:g}, {slope:.1f}, as a "
                    f"dashed tangent. Each of the others draws {steps} steps of gradient descent from w = "
                    f"{start:g} as markers joined by arrows: {ends}.",
                    ("The weight after each step", ["step", *(f"learning rate {rate:g}" for rate in rates)],
                     [[step, *(round(float(path[step]), 3) for path in paths)] for step in range(steps + 1)]))
    return plots._finish(figure, save_path)


def _parabola(weight):
    return (weight - 1.0) ** 2


def _parabola_slope(weight: float) -> float:
    return 2.0 * (weight - 1.0)


def _judge_path(path: np.ndarray) -> str:
    """Names what a path did on the parabola with its lowest point at 1."""
    distances = path - 1.0
    if abs(distances[0]) == 0 or abs(distances[-1]) >= abs(distances[0]):
        return "too large"
    overshot = bool(np.any(np.sign(distances[1:]) == -np.sign(distances[0])))
    if abs(distances[-1]) > 0.1 * abs(distances[0]):
        return "a bit large" if overshot else "too small"
    return "about right"


# --- Activations ---------------------------------------------------------------------------------------

def activations(
    scores: Sequence[float] = (2.0, 1.0, 0.1, -1.0),
    kinds: Sequence[str] = ("sigmoid", "relu", "softmax"),
    title: str = "Three activations, and what they make of the same scores",
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """The sigmoid and ReLU curves with the given scores marked on them, and the scores' softmax.

    The sigmoid, ``1 / (1 + e^-score)``, squeezes each score into (0, 1) on its own. ReLU,
    ``max(0, score)``, keeps positive scores and turns negative ones into 0. Softmax turns all the
    scores together into probabilities that sum to 1 (the bars, each labelled with its value to two
    decimals). Each score has its own colour, marker and hatch in all three panels.

    Args:
        scores: One to seven finite scores (logits). The curves run from -6 to 6, or further to
            take in every score.
        kinds: Which panels to draw, in this order: any of "sigmoid", "relu" and "softmax" (so a
            notebook can show only what it has taught).
        title: The figure's title.
        save_path: If given, the figure is also written there.

    Returns:
        The figure: one axis per kind, in the order sigmoid, ReLU, softmax.

    Raises:
        ValueError: No scores, more than seven, or one that is not a finite number; no kinds, or
            one that is not "sigmoid", "relu" or "softmax".
    """
    known = ("sigmoid", "relu", "softmax")
    if isinstance(kinds, str) or not kinds or any(kind not in known for kind in kinds):
        raise ValueError(f"kinds must name one or more of {known}, got {kinds!r}.")
    chosen = [kind for kind in known if kind in kinds]
    values = np.asarray(scores, dtype=np.float64).reshape(-1) if _is_numeric(scores) else None
    if values is None or not 1 <= values.size <= len(PALETTE) or not np.all(np.isfinite(values)):
        raise ValueError(
            f"activations expects one to {len(PALETTE)} finite scores, e.g. (2.0, 1.0, 0.1), got {scores!r}."
        )
    probabilities = exercise_core.softmax(values[np.newaxis, :])[0]
    low, high = min(-6.0, values.min() - 1.0), max(6.0, values.max() + 1.0)
    curve = np.linspace(low, high, 401)
    figure = Figure(figsize=(min(MAX_WIDTH_INCHES, 3.4 * len(chosen) + 0.6), 4.2), layout="constrained")
    axes = dict(zip(chosen, np.atleast_1d(figure.subplots(1, len(chosen)))))
    curves = [(axes[kind], function, name, formula) for kind, function, name, formula in (
        ("sigmoid", _sigmoid, "sigmoid", "squeezes each score\ninto 0 to 1"),
        ("relu", _relu, "ReLU", "keeps positive scores,\nnegative ones become 0"),
    ) if kind in axes]
    for axis, function, name, formula in curves:
        axis.plot(curve, function(curve), color="0.3", linewidth=2)
        for index, value in enumerate(values):
            axis.plot([value], [function(value)], marker=MARKERS[index], markersize=10,
                      color=PALETTE[index], markeredgecolor=BLACK, linestyle="none",
                      label=f"score {format_number(value)}")
        axis.set_title(f"{name}: {formula}", fontsize=11)
        axis.set_xlabel("score")
        axis.set_ylabel(f"{name}(score)")
        axis.axhline(0, color="0.55", linewidth=0.8)
        axis.axvline(0, color="0.55", linewidth=0.8)
    legend_axis = curves[0][0] if curves else None
    softmax_axis = axes.get("softmax")
    if softmax_axis is None:
        figure.legend(*legend_axis.get_legend_handles_labels(), loc="outside lower center",
                      ncols=min(values.size, 4), fontsize=10, frameon=False)
        figure.suptitle(title, fontsize=13)
        return plots._finish(_describe_activations(figure, title, chosen, values, probabilities), save_path)
    positions = np.arange(values.size)
    bars = softmax_axis.bar(positions, probabilities, color=[PALETTE[i] for i in positions],
                            edgecolor=BLACK, hatch=[HATCHES[i] for i in positions])
    for bar, probability in zip(bars, probabilities):
        softmax_axis.text(bar.get_x() + bar.get_width() / 2, bar.get_height() + 0.02,
                          f"{probability:.2f}", ha="center", va="bottom", fontsize=10)
    softmax_axis.text(0.97, 0.97, f"together they\nsum to {format_number(probabilities.sum())}",
                      transform=softmax_axis.transAxes, ha="right", va="top", fontsize=10)
    softmax_axis.set_xticks(positions, [format_number(value) for value in values])
    softmax_axis.set_ylim(0, 1.12)
    softmax_axis.set_title("softmax: all the scores\ninto probabilities", fontsize=11)
    softmax_axis.set_xlabel("score")
    softmax_axis.set_ylabel("probability")
    if legend_axis is not None:
        figure.legend(*legend_axis.get_legend_handles_labels(), loc="outside lower center",
                      ncols=min(values.size, 4), fontsize=10, frameon=False)
    figure.suptitle(title, fontsize=13)
    return plots._finish(_describe_activations(figure, title, chosen, values, probabilities), save_path)


def _describe_activations(figure: Figure, title: str, chosen: list[str], values: np.ndarray,
                          probabilities: np.ndarray) -> Figure:
    """Sets the alt text and the numbers of :func:`activations`' figure."""
    panels = {"sigmoid": "the S-shaped sigmoid curve", "relu": "the ReLU curve, flat at 0 and then rising",
              "softmax": "softmax's probabilities as bars"}
    columns, rows = ["score"], [[format_number(value)] for value in values]
    for kind, function in (("sigmoid", _sigmoid), ("relu", _relu)):
        if kind in chosen:
            columns.append(f"{kind}(score)")
            for row, value in zip(rows, values):
                row.append(round(float(function(value)), 3))
    if "softmax" in chosen:
        columns.append("softmax probability")
        for row, probability in zip(rows, probabilities):
            row.append(round(float(probability), 3))
    shown = ", ".join(format_number(value) for value in values)
    return figure.describe(f"{title}: {', '.join(panels[kind] for kind in chosen)}, with the scores {shown} "
                           "marked, each with its own marker.", ("The values in the figure", columns, rows))


def _sigmoid(values):
    """The sigmoid in a form that never overflows: 1 / (1 + e^-x) = (1 + tanh(x / 2)) / 2."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(values, dtype=np.float64)))


def _relu(values):
    return np.maximum(0.0, np.asarray(values, dtype=np.float64))


# --- A decision boundary -------------------------------------------------------------------------------

def two_features(images: np.ndarray) -> np.ndarray:
    """Two numbers per digit image that a beginner can read off it, and that tell 0s from 1s.

    - **centre ink**: the share of the image's ink that lies in its central 8 x 8 square (rows and
      columns 10 to 17 of 28). A 0 is a ring around an empty middle, so little of its ink is there
      (about 0.1); a 1 is a stroke through the middle, even when it slants (about 0.4).
    - **inked pixels**: the share of the 784 pixels that are inked, at least 128 of 255. A 0 is a
      long stroke (about 0.18 of the pixels); a 1 a short one (about 0.08).

    Together they put about 99% of MNIST's 0s and 1s on the right side of a straight line. A blank
    image has 0 for both.

    Args:
        images: Images of shape (count, 28, 28), (count, 28, 28, 1) or (count, 784), as loaded
            (0 to 255) or scaled (0 to 1: then ink counts from 0.5).

    Returns:
        An array of shape (count, 2): centre ink, then inked pixels, each from 0 to 1.

    Raises:
        ValueError: The images are not of one of those shapes, or have negative pixels.
    """
    images = plots._as_square_images(images).astype(np.float64)
    if images.size and images.min() < 0:
        raise ValueError(f"two_features expects pixels of 0 or more, got a minimum of {images.min():g}.")
    scale = 255.0 if images.size and images.max() > 1.0 else 1.0
    ink = images / scale
    total = ink.sum(axis=(1, 2))
    centre = np.divide(ink[:, CENTRE, CENTRE].sum(axis=(1, 2)), total, out=np.zeros_like(total),
                       where=total > 0)
    inked = (ink >= INK_THRESHOLD / 255.0).mean(axis=(1, 2))
    return np.stack([centre, inked], axis=1)


def fit_line(
    features: np.ndarray, binary_labels: np.ndarray, steps: int = 500, learning_rate: float = 1.0
) -> tuple[np.ndarray, float]:
    """Logistic regression by plain gradient descent: the line that best splits two classes.

    The model says class 1 where ``features @ weights + bias > 0`` and class 0 elsewhere; the line
    ``features @ weights + bias = 0`` is its decision boundary. It starts from zero weights and
    takes ``steps`` full-batch steps on the mean cross-entropy, so the result is the same on every
    run. To let one learning rate suit features of any scale, it works on the features minus their
    mean, divided by their standard deviation, and returns weights and bias for the features as
    given.

    Args:
        features: An array of shape (count, feature count), e.g. from :func:`two_features`.
        binary_labels: One label per row, 0 or 1 (``True`` or ``False``), both present.
        steps: Gradient-descent steps, at least 1.
        learning_rate: Step size, above zero.

    Returns:
        ``(weights, bias)``: one weight per feature as a float array, and the bias as a float.

    Raises:
        ValueError: Features that are not a finite 2-D array, labels of another length, labels
            other than 0 and 1 or of one class only, or a bad ``steps`` or ``learning_rate``.
    """
    features = np.asarray(features, dtype=np.float64)
    if features.ndim != 2 or features.shape[0] == 0 or not np.all(np.isfinite(features)):
        raise ValueError(
            f"fit_line expects finite features of shape (count, feature count), got shape {features.shape}."
        )
    labels = _binary_labels(binary_labels, len(features))
    plots._check_positive(steps=steps)
    learning_rate = _positive_number("learning_rate", learning_rate)
    mean = features.mean(axis=0)
    spread = features.std(axis=0)
    spread[spread == 0] = 1.0
    standard = (features - mean) / spread
    weights = np.zeros(features.shape[1])
    bias = 0.0
    for _ in range(steps):
        errors = _sigmoid(standard @ weights + bias) - labels
        weights -= learning_rate * (standard.T @ errors) / len(labels)
        bias -= learning_rate * float(errors.mean())
    original_weights = weights / spread
    return original_weights, float(bias - original_weights @ mean)


def decision_boundary(
    features: np.ndarray,
    labels: np.ndarray,
    weights: np.ndarray,
    bias: float,
    class_names: tuple[str, str],
    axis_names: tuple[str, str],
    title: str = "A straight line splits the two classes",
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """Two classes of points and the straight line a model draws between them.

    Each point is drawn with its class's marker and colour (class 0: blue circles, class 1:
    vermillion triangles). The line is ``weights[0] * x + weights[1] * y + bias = 0``; the side
    the model gives to each class is shaded lightly with its own hatching and named in the legend.

    Args:
        features: An array of shape (count, 2): x, then y, per point.
        labels: One label per point, 0 or 1.
        weights: Two weights, not both 0, e.g. from :func:`fit_line`.
        bias: The bias.
        class_names: What labels 0 and 1 stand for, e.g. ``("a 0", "a 1")``.
        axis_names: What the two features are, for the x and the y axis.
        title: The figure's title.
        save_path: If given, the figure is also written there.

    Returns:
        The figure, one axis.

    Raises:
        ValueError: Features not of shape (count, 2), labels of another length or other than 0 and
            1, weights not two finite numbers or both 0, or names that are not two strings each.
    """
    features = np.asarray(features, dtype=np.float64)
    if features.ndim != 2 or features.shape[1] != 2 or len(features) == 0 or not np.all(np.isfinite(features)):
        raise ValueError(
            f"decision_boundary expects finite features of shape (count, 2), got shape {features.shape}."
        )
    labels = _binary_labels(labels, len(features), both_needed=False)
    weights = np.asarray(weights, dtype=np.float64).reshape(-1)
    if weights.shape != (2,) or not np.all(np.isfinite(weights)) or not np.any(weights):
        raise ValueError(f"decision_boundary expects two finite weights, not both 0, got {weights.tolist()!r}.")
    if isinstance(bias, bool) or not isinstance(bias, numbers.Real) or not math.isfinite(bias):
        raise ValueError(f"bias must be a finite number, got {bias!r}.")
    for name, pair in (("class_names", class_names), ("axis_names", axis_names)):
        if isinstance(pair, str) or len(pair) != 2 or not all(isinstance(item, str) for item in pair):
            raise ValueError(f"{name} must be two strings, e.g. ('a 0', 'a 1'), got {pair!r}.")

    low, high = features.min(axis=0), features.max(axis=0)
    margin = np.maximum((high - low) * 0.08, 0.05)
    low, high = low - margin, high + margin
    grid_x, grid_y = np.meshgrid(np.linspace(low[0], high[0], 200), np.linspace(low[1], high[1], 200))
    side = grid_x * weights[0] + grid_y * weights[1] + bias
    figure = Figure(figsize=(7.5, 6.2), layout="constrained")
    axis = figure.subplots()
    region_handles = []
    outer = float(np.abs(side).max()) + 1.0
    for label, (lower, upper) in enumerate(((-outer, 0.0), (0.0, outer))):
        shade = PALETTE[label]
        if np.any((side > lower) & (side <= upper)):
            axis.contourf(grid_x, grid_y, side, levels=[lower, upper], colors=[shade], alpha=0.12)
            axis.contourf(grid_x, grid_y, side, levels=[lower, upper], colors="none", hatches=[HATCHES[label * 3]])
        region_handles.append(patches.Patch(facecolor=shade + "1F", edgecolor="0.4", hatch=HATCHES[label * 3],
                                            label=f"the side the model calls {class_names[label]}"))
    point_handles = []
    for label in (0, 1):
        chosen = labels == label
        point_handles.append(axis.scatter(
            features[chosen, 0], features[chosen, 1], marker=MARKERS[label * 2], s=36,
            color=PALETTE[label], edgecolor=BLACK, linewidth=0.5, alpha=0.85,
            label=f"{class_names[label]} ({int(chosen.sum())} points)",
        ))
    axis.contour(grid_x, grid_y, side, levels=[0.0], colors=BLACK, linewidths=2.5)
    (line_handle,) = axis.plot([], [], color=BLACK, linewidth=2.5, label="the line: weights · x + bias = 0")
    axis.set_xlim(low[0], high[0])
    axis.set_ylim(low[1], high[1])
    axis.set_xlabel(axis_names[0])
    axis.set_ylabel(axis_names[1])
    correct = float(np.mean((features @ weights + bias > 0) == (labels == 1)))
    axis.set_title(f"{title}\n{correct:.0%} of the points lie on their class's side", fontsize=12)
    figure.legend(handles=[*point_handles, line_handle, *region_handles], loc="outside lower center",
                  ncols=2, fontsize=10, frameon=False)
    counts = [int((labels == label).sum()) for label in (0, 1)]
    figure.describe(f"{title}: a scatter chart of {counts[0]} {class_names[0]} (circles) and {counts[1]} "
                    f"{class_names[1]} (triangles), {axis_names[0]} across and {axis_names[1]} up, cut in two by "
                    f"a straight black line; the two sides are hatched differently. {correct:.0%} of the points "
                    "lie on their class's side.")
    return plots._finish(figure, save_path)


def _binary_labels(labels: np.ndarray, count: int, both_needed: bool = True) -> np.ndarray:
    values = np.asarray(labels).reshape(-1)
    if values.shape != (count,):
        raise ValueError(f"Expected one label per point, {count}, got {values.size}.")
    if not np.all(np.isin(values, (0, 1))):
        raise ValueError(f"Expected labels of 0 and 1 only, got {sorted(set(values.tolist()))[:10]!r}.")
    if both_needed and len(np.unique(values)) < 2:
        raise ValueError(f"Expected labels of both classes, 0 and 1, got only {int(values[0])}.")
    return values.astype(np.float64)


# --- A convolution -------------------------------------------------------------------------------------

def convolve(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """A "valid" convolution of one image with one kernel, as a Keras ``Conv2D`` layer computes it.

    The kernel slides over every position where it fits inside the image (no padding); at each it
    multiplies the pixels under it by its numbers and adds the products up. Like Keras (and unlike
    the convolution of mathematics) it does not flip the kernel: this is a cross-correlation.

    Args:
        image: A 2-D array of height H and width W.
        kernel: A 2-D array of height h <= H and width w <= W.

    Returns:
        The feature map, a float array of shape (H - h + 1, W - w + 1).

    Raises:
        ValueError: The image or the kernel is not a 2-D array of numbers, or the kernel does not
            fit inside the image.
    """
    image, kernel = _image_and_kernel(image, kernel)
    height, width = kernel.shape
    rows, columns = image.shape[0] - height + 1, image.shape[1] - width + 1
    feature_map = np.zeros((rows, columns))
    # One shifted copy of the image per kernel number: h * w array operations instead of a loop over
    # every output position.
    for offset_row in range(height):
        for offset_column in range(width):
            feature_map += kernel[offset_row, offset_column] * image[
                offset_row:offset_row + rows, offset_column:offset_column + columns]
    return feature_map


def convolution_step(
    image: np.ndarray,
    kernel: np.ndarray,
    row: int,
    column: int,
    title: str = "One step of a convolution: multiply, add up, write down",
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """One step of a convolution, and where its result lands in the feature map.

    Five panels: (1) the image with the kernel's window outlined, its top-left pixel at ``row``,
    ``column``; (2) the pixel values under the window; (3) the kernel's numbers; (4) their products,
    pixel by pixel, and "sum = X"; (5) the whole feature map (:func:`convolve`) with position
    ``row``, ``column`` outlined and labelled X. Numbers are written with up to two decimals. A
    map with negative values uses :data:`helpers.figures.SIGNED_CMAP` centred on 0 (dark below,
    light above); one of values of 0 and more uses "gray_r" for an image and "cividis" for a
    feature map; each has a colour bar.

    Args:
        image: A 2-D image, e.g. a 28 x 28 digit (0 to 255, or scaled to 0 to 1), at most 64 x 64.
        kernel: A square kernel of 1 x 1 to 5 x 5 that fits inside the image.
        row: The window's top row, which is also the output's row: 0 to H - k.
        column: The window's left column, which is also the output's column: 0 to W - k.
        title: The figure's title.
        save_path: If given, the figure is also written there.

    Returns:
        The figure: the five panels in that order, then the two colour bars (image, feature map).

    Raises:
        ValueError: The kernel is not square, larger than 5 x 5 or larger than the image, the image
            is larger than 64 x 64, or ``row`` or ``column`` is not a whole number where the window
            fits.
    """
    image, kernel = _image_and_kernel(image, kernel)
    if kernel.shape[0] != kernel.shape[1] or kernel.shape[0] > 5:
        raise ValueError(f"convolution_step draws square kernels of 1 x 1 to 5 x 5, got {_shape(kernel)}.")
    if max(image.shape) > 64:
        raise ValueError(f"convolution_step draws images of at most 64 x 64, got {_shape(image)}.")
    size = kernel.shape[0]
    feature_map = convolve(image, kernel)
    for name, value, limit in (("row", row, feature_map.shape[0]), ("column", column, feature_map.shape[1])):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 0 <= value < limit:
            raise ValueError(
                f"{name} must be a whole number from 0 to {limit - 1}, where a {size} x {size} window "
                f"fits inside the {_shape(image)} image, got {value!r}."
            )
    window = image[row:row + size, column:column + size]
    products = window * kernel
    total = float(products.sum())

    figure = Figure(figsize=(MAX_WIDTH_INCHES, 7.4), layout="constrained")
    # Two subfigures, so that the colour bars of the top row do not narrow the grids below.
    top, bottom = figure.subfigures(2, 1, height_ratios=[1.3, 1])
    image_axis = top.add_subplot(1, 2, 1)
    # The grids below have gaps between them for the signs "×" and "=".
    grids = bottom.add_gridspec(1, 5, width_ratios=[1, 0.22, 1, 0.22, 1])
    window_axis, kernel_axis, products_axis = (bottom.add_subplot(grids[0, index]) for index in (0, 2, 4))
    for position, sign in ((1.11 / 3.44, "×"), (2.33 / 3.44, "=")):
        bottom.text(position, 0.5, sign, ha="center", va="center", fontsize=24)
    map_axis = top.add_subplot(1, 2, 2)

    shown, label = _show_map(image_axis, image, is_image=True)
    top.colorbar(shown, ax=image_axis, shrink=0.85, label=label)
    image_axis.add_patch(patches.Rectangle((column - 0.5, row - 0.5), size, size, fill=False,
                                           edgecolor=VERMILLION, linewidth=2.5))
    image_axis.set_title(f"1. the image, {_shape(image)}, with the\n{size} x {size} window at row {row}, "
                         f"column {column}", fontsize=11)

    _number_grid(window_axis, window, "2. the pixels in the window")
    _number_grid(kernel_axis, kernel, "3. the filter's weights")
    _number_grid(products_axis, products, "4. each pixel × its weight")
    products_axis.set_xlabel(f"sum = {format_number(total)}", fontsize=13, weight="bold")

    shown, label = _show_map(map_axis, feature_map, is_image=False)
    top.colorbar(shown, ax=map_axis, shrink=0.85, label=label)
    map_axis.add_patch(patches.Rectangle((column - 0.5, row - 0.5), 1, 1, fill=False,
                                         edgecolor=VERMILLION, linewidth=2.5))
    rows, columns = feature_map.shape
    map_axis.annotate(
        format_number(total), xy=(column, row),
        xytext=(column + (-0.25 if column > columns / 2 else 0.25) * columns,
                row + (-0.25 if row > rows / 2 else 0.25) * rows),
        ha="center", va="center", fontsize=12, weight="bold",
        bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": VERMILLION},
        arrowprops={"arrowstyle": "-|>", "color": VERMILLION, "linewidth": 1.5},
    )
    map_axis.set_title(f"5. the feature map, {_shape(feature_map)}: the sum\nis written at row {row}, "
                       f"column {column}", fontsize=11)
    figure.suptitle(title, fontsize=13)
    figure.describe(f"{title}: above, the {_shape(image)} image with a {size} x {size} window outlined at row "
                    f"{row}, column {column}, and the {_shape(feature_map)} feature map with the same position "
                    "outlined. Below, three grids of numbers: the pixels in the window, times the filter's "
                    f"weights, equals their products, which add up to {format_number(total)}.",
                    ("The grids in the figure, row by row", ["row", "pixels", "weights", "products"],
                     [[index, " ".join(format_number(value) for value in window[index]),
                       " ".join(format_number(value) for value in kernel[index]),
                       " ".join(format_number(value) for value in products[index])] for index in range(size)]))
    return plots._finish(figure, save_path)


def format_number(value: float) -> str:
    """A number as the diagrams write it: up to two decimals, no trailing zeros, a true minus sign.

    Args:
        value: The number.

    Returns:
        For example ``"12"``, ``"0.25"``, ``"−1.5"`` (with U+2212, the minus sign).
    """
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace("-", _MINUS)


def _image_and_kernel(image: np.ndarray, kernel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    arrays = []
    for name, array in (("image", image), ("kernel", kernel)):
        if not _is_numeric(array):
            raise ValueError(f"The {name} must be a 2-D array of numbers, got {type(array).__name__}.")
        array = np.asarray(array, dtype=np.float64)
        if array.ndim != 2 or 0 in array.shape:
            raise ValueError(f"The {name} must be a 2-D array of numbers, got shape {array.shape}.")
        if not np.all(np.isfinite(array)):
            raise ValueError(f"The {name} must hold finite numbers; it holds NaN or infinity.")
        arrays.append(array)
    image, kernel = arrays
    if kernel.shape[0] > image.shape[0] or kernel.shape[1] > image.shape[1]:
        raise ValueError(
            f"The kernel ({_shape(kernel)}) must fit inside the image ({_shape(image)}): it is larger."
        )
    return image, kernel


def _show_map(axis, values: np.ndarray, is_image: bool):
    """Shows an image or a feature map with colours whose meaning survives printing in grey.

    A map with negative values gets the course's signed colour map, whose lightness rises from the
    most negative value to the most positive, so that the sign survives greyscale (a diverging map
    such as PuOr is dark at both ends)."""
    if values.min() < 0:
        limit = float(np.abs(values).max()) or 1.0
        shown = axis.imshow(values, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
        label = "value (dark below 0, light above)"
    elif is_image:
        shown = axis.imshow(values, cmap="gray_r", vmin=0, vmax=255 if values.max() > 1 else 1)
        label = "pixel value (ink is dark)"
    else:
        shown = axis.imshow(values, cmap="cividis")
        label = "value (dark low, light high)"
    axis.set_xlabel("column")
    axis.set_ylabel("row")
    axis.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))
    axis.yaxis.set_major_locator(ticker.MaxNLocator(integer=True))
    return shown, label


def _number_grid(axis, values: np.ndarray, title: str, bold: np.ndarray | None = None,
                 faded: np.ndarray | None = None) -> None:
    """Writes a small array's numbers in a grid of cells, on an axis without ticks."""
    rows, columns = values.shape
    # Long numbers in a grid of more than 3 columns get the smallest size, to stay inside their cells.
    size = MIN_FONT_SIZE if columns > 3 and max(len(format_number(value)) for value in values.flat) > 3 else 11
    axis.set_xlim(-0.5, columns - 0.5)
    axis.set_ylim(rows - 0.5, -0.5)
    axis.set_aspect("equal")
    axis.set_xticks([])
    axis.set_yticks([])
    for line in range(rows + 1):
        axis.axhline(line - 0.5, color="0.5", linewidth=1)
    for line in range(columns + 1):
        axis.axvline(line - 0.5, color="0.5", linewidth=1)
    for (row, column), value in np.ndenumerate(values):
        is_bold = bold is not None and bool(bold[row, column])
        is_faded = faded is not None and bool(faded[row, column])
        if is_faded:
            axis.add_patch(patches.Rectangle((column - 0.5, row - 0.5), 1, 1, facecolor="0.94",
                                             edgecolor="0.8", hatch="//", linewidth=0))
        axis.text(column, row, format_number(value), ha="center", va="center",
                  fontsize=size + 1 if is_bold else size, weight="bold" if is_bold else "normal",
                  color="0.3" if is_faded else BLACK)
    axis.set_title(title, fontsize=11)


def _shape(array: np.ndarray) -> str:
    return " x ".join(str(length) for length in array.shape)


# --- Max pooling ---------------------------------------------------------------------------------------

def max_pool(values: np.ndarray, size: int = 2) -> np.ndarray:
    """Max pooling as Keras's ``MaxPooling2D(size)`` does it: the largest value of each block.

    The array is cut into ``size`` x ``size`` blocks, left to right and top to bottom, and each
    block is replaced by its largest value. Rows and columns that do not fill a whole block at the
    bottom or the right are dropped, as Keras's default ``padding="valid"`` drops them: a 5 x 5
    array pooled by 2 gives 2 x 2.

    Args:
        values: A 2-D array of numbers, at least ``size`` in each direction.
        size: The side of a block, a whole number of at least 1.

    Returns:
        An array of shape (rows // size, columns // size), of the same type as ``values``.

    Raises:
        ValueError: ``values`` is not a 2-D array of numbers, ``size`` not a whole number of at least
            1, or the array smaller than one block.
    """
    plots._check_positive(size=size)
    if not _is_numeric(values) or np.asarray(values).ndim != 2:
        raise ValueError(f"max_pool expects a 2-D array of numbers, got {np.shape(values)}.")
    values = np.asarray(values)
    rows, columns = values.shape[0] // size, values.shape[1] // size
    if rows == 0 or columns == 0:
        raise ValueError(
            f"max_pool needs at least one whole {size} x {size} block, but the array is {_shape(values)}."
        )
    blocks = values[:rows * size, :columns * size].reshape(rows, size, columns, size)
    return blocks.max(axis=(1, 3))


def max_pooling(
    values: np.ndarray,
    size: int = 2,
    title: str | None = None,
    save_path: str | pathlib.Path | None = None,
) -> Figure:
    """A small grid of numbers, its blocks outlined and their largest values circled, and the result.

    The left panel writes every number of ``values``, outlines each ``size`` x ``size`` block with a
    thick line, and circles the largest number of each block and writes it in bold (the first, if
    it occurs twice). Rows and columns that do not fill a block are greyed and hatched, because
    :func:`max_pool` drops them. The right panel writes the pooled grid.

    Args:
        values: A 2-D array of at most 10 x 10 numbers, e.g. a 4 x 4 array of whole numbers.
        size: The side of a block.
        title: The figure's title; by default it says the block size and the two shapes.
        save_path: If given, the figure is also written there.

    Returns:
        The figure: two axes, the grid and the pooled grid.

    Raises:
        ValueError: As :func:`max_pool`, or a grid larger than 10 x 10.
    """
    pooled = max_pool(values, size)
    values = np.asarray(values)
    if max(values.shape) > 10:
        raise ValueError(f"max_pooling draws grids of at most 10 x 10 numbers, got {_shape(values)}.")
    rows, columns = pooled.shape
    is_max = np.zeros(values.shape, dtype=bool)
    for block_row in range(rows):
        for block_column in range(columns):
            block = values[block_row * size:(block_row + 1) * size, block_column * size:(block_column + 1) * size]
            offset_row, offset_column = np.unravel_index(np.argmax(block), block.shape)
            is_max[block_row * size + offset_row, block_column * size + offset_column] = True
    dropped = np.ones(values.shape, dtype=bool)
    dropped[:rows * size, :columns * size] = False

    cell = min(0.75, 5.0 / max(values.shape))
    width = min(cell * (values.shape[1] + pooled.shape[1]) + 2.6, MAX_WIDTH_INCHES)
    figure = Figure(figsize=(width, cell * values.shape[0] + 1.6), layout="constrained")
    grid_axis, pooled_axis = figure.subplots(
        1, 2, width_ratios=[values.shape[1], max(pooled.shape[1], values.shape[1] * 0.45)])
    _number_grid(grid_axis, values, f"the values, in {size} x {size} blocks", bold=is_max, faded=dropped)
    for block_row in range(rows):
        for block_column in range(columns):
            grid_axis.add_patch(patches.Rectangle(
                (block_column * size - 0.5, block_row * size - 0.5), size, size, fill=False,
                edgecolor=BLUE, linewidth=3))
    for row, column in zip(*np.nonzero(is_max)):
        grid_axis.add_patch(patches.Circle((column, row), 0.4, fill=False, edgecolor=VERMILLION,
                                           linewidth=2))
    if dropped.any():
        grid_axis.set_xlabel("hatched: not a whole block, dropped", fontsize=10)
    grid_axis.set_title(f"the values, in {size} x {size} blocks;\nthe largest of each circled",
                        fontsize=11)
    _number_grid(pooled_axis, pooled, "after max pooling:\nthe largest of each block",
                 bold=np.ones(pooled.shape, dtype=bool))
    figure.suptitle(title or f"Max pooling, {size} x {size}: {_shape(values)} becomes {_shape(pooled)}",
                    fontsize=13)
    figure.describe(f"{title or 'Max pooling'}: on the left a {_shape(values)} grid of numbers cut into {size} x "
                    f"{size} blocks, the largest number of each block circled; on the right the {_shape(pooled)} "
                    "grid of those largest numbers.",
                    ("The grids in the figure, row by row", ["row", "values", "after pooling"],
                     [[index, " ".join(format_number(value) for value in values[index]),
                       " ".join(format_number(value) for value in pooled[index // size])
                       if index // size < pooled.shape[0] else "(dropped)"] for index in range(values.shape[0])]))
    return plots._finish(figure, save_path)


# --- Checks shared by the functions above --------------------------------------------------------------

def _positive_number(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a number above zero, got {value!r}.")
    return float(value)


def _is_numeric(values) -> bool:
    try:
        array = np.asarray(values)
    except (TypeError, ValueError):
        return False
    return array.dtype.kind in "biuf" and array.dtype != bool

"""Every figure of the course, audited: alt text, text size as shown, labels, contrast, never colour alone.

Each public figure function of helpers.plots and helpers.diagrams is drawn here with the kind of data
the notebooks give it, at the sizes they use (and at the extremes its arguments allow), and
tests/figure_audit.py lists what breaks the rules of helpers.figures. A new figure function that
is not drawn here fails test_every_figure_function_is_audited.
"""

from __future__ import annotations

import inspect
import re

import numpy as np
import pytest

import figure_audit
from helpers import diagrams, figures, plots

GENERATOR = np.random.default_rng(0)
IMAGES = GENERATOR.integers(0, 256, (40, 28, 28)).astype(np.uint8)
LABELS = np.arange(40) % 10
PREDICTED = np.where(np.arange(40) % 4 == 0, (LABELS + 1) % 10, LABELS)
SCORES = GENERATOR.dirichlet(np.ones(10), 12)
HISTORY = {"loss": [0.5, 0.3, 0.2, 0.15, 0.1], "accuracy": [0.85, 0.9, 0.93, 0.95, 0.96],
           "val_loss": [0.35, 0.25, 0.22, 0.21, 0.22], "val_accuracy": [0.9, 0.92, 0.93, 0.94, 0.94]}
CALIBRATION = {"count": [0, 0, 3, 5, 9, 14, 30, 60, 150, 4000], "confidence": np.linspace(0.05, 0.95, 10),
               "accuracy": np.linspace(0.1, 0.99, 10), "ece": 0.012}
GRID = [{"hidden_units": units, "epochs": epochs, "validation_accuracy": 0.9 + units / 10000, "test_accuracy": 0.9,
         "train_seconds": units / 10 * epochs} for units in (32, 100, 256) for epochs in (3, 5)]
KERNEL = GENERATOR.normal(size=(784, 10))
SWEEP = [{"model": "hidden_layer", "setting": {"hidden_units": units, "epochs": epochs}, "seeds": 3,
          "validation_accuracy": {"mean": 0.9 + units / 10000 + epochs / 100, "sd": 0.002,
                                  "min": 0.897 + units / 10000 + epochs / 100, "max": 0.904 + units / 10000 + epochs / 100}}
         for units in (16, 64, 256) for epochs in (1, 3)]


def _digit_with_a_stroke() -> np.ndarray:
    image = np.zeros((28, 28), dtype=np.uint8)
    image[6:22, 12:16] = 255
    return image


FIGURES = {
    "sample_grid": lambda: plots.sample_grid(IMAGES, LABELS, rows=3, columns=8),
    "sample_grid_wide": lambda: plots.sample_grid(IMAGES, LABELS, rows=2, columns=12),
    "label_distribution": lambda: plots.label_distribution(LABELS, LABELS[:20]),
    "image_and_vector": lambda: plots.image_and_vector(IMAGES[0], 5),
    "training_curves": lambda: plots.training_curves(HISTORY),
    "training_curves_without_validation": lambda: plots.training_curves({"loss": [1, 0.5], "accuracy": [0.5, 0.8]}),
    "confusion_heatmap": lambda: plots.confusion_heatmap(GENERATOR.integers(0, 1000, (10, 10))),
    "confusion_heatmap_normalized": lambda: plots.confusion_heatmap(GENERATOR.integers(0, 1000, (10, 10)),
                                                                     normalize=True),
    "misclassified_gallery": lambda: plots.misclassified_gallery(IMAGES, LABELS, PREDICTED, limit=10),
    "weight_templates": lambda: plots.weight_templates(KERNEL),
    "reliability_diagram": lambda: plots.reliability_diagram({"softmax": CALIBRATION, "sigmoid": CALIBRATION,
                                                              "third": CALIBRATION}),
    "grid_results": lambda: plots.grid_results(GRID, "hidden_units", "epochs", accuracy_key="validation_accuracy"),
    "sweep_results": lambda: plots.sweep_results(SWEEP, ["hidden_units", "epochs"]),
    "sweep_results_many_lines": lambda: plots.sweep_results(
        [{**row, "setting": {"hidden_units": row["setting"]["hidden_units"], "epochs": epochs}}
         for row in SWEEP for epochs in range(10)], ["hidden_units", "epochs"]),
    "confused_pairs": lambda: plots.confused_pairs(IMAGES, LABELS, PREDICTED, [(0, 1, 1), (4, 5, 1), (8, 9, 1)]),
    "convolution_filters": lambda: plots.convolution_filters(GENERATOR.normal(size=(3, 3, 1, 32))),
    "feature_maps": lambda: plots.feature_maps(IMAGES[0], GENERATOR.normal(size=(26, 26, 32)), title="Maps"),
    "accuracy_curves": lambda: plots.accuracy_curves([0, 1, 2, 3], {"plain": [0.99, 0.95, 0.8, 0.5],
                                                                   "augmented": [0.99, 0.98, 0.97, 0.9]},
                                                     xlabel="shift (pixels)", title="Accuracy against shift"),
    "score_bars": lambda: plots.score_bars(IMAGES[0], {"CNN": SCORES[0], "hidden layer": SCORES[1]}, title="t"),
    "probability_bars": lambda: plots.probability_bars(IMAGES[:6], SCORES[:6], LABELS[:6], title="Six digits"),
    "probability_bars_twelve": lambda: plots.probability_bars(IMAGES[:12], SCORES, LABELS[:12], title="Twelve"),
    "probability_bars_one": lambda: plots.probability_bars(IMAGES[:1], SCORES[:1], LABELS[:1], title="One"),
    "loss_curves": lambda: plots.loss_curves({"scaled": np.linspace(2.3, 0.3, 300), "raw": np.linspace(9, 2, 300),
                                              "third": np.linspace(3, 1, 200)}, title="Loss per step", log_scale=True),
    "weight_snapshots": lambda: plots.weight_snapshots({"after 1 step": KERNEL, "after 10 steps": KERNEL,
                                                        "after 300 steps": KERNEL}, title="Weights"),
    "image_row": lambda: plots.image_row({"drawn": IMAGES[0], "cropped": IMAGES[1][:20, :14],
                                          "fitted": IMAGES[2] / 255, "centred": IMAGES[3] / 255},
                                         title="Four steps", marks={"centred": (14.0, 13.5)}),
    "network": lambda: diagrams.network([784, 10]),
    "network_hidden": lambda: diagrams.network([784, 100, 10]),
    "training_loop": lambda: diagrams.training_loop(),
    "slope_and_steps": lambda: diagrams.slope_and_steps(),
    "activations": lambda: diagrams.activations(),
    "activations_sigmoid": lambda: diagrams.activations(kinds=("sigmoid",)),
    "decision_boundary": lambda: diagrams.decision_boundary(
        GENERATOR.normal(size=(60, 2)), np.arange(60) % 2, weights=np.array([1.0, 1.0]), bias=0.0,
        class_names=("a 0", "a 1"), axis_names=("ink in the centre", "ink in the top half")),
    "convolution_step": lambda: diagrams.convolution_step(_digit_with_a_stroke() / 255,
                                                          np.array([[-1, 0, 1]] * 3, dtype=float), 10, 10),
    "max_pooling": lambda: diagrams.max_pooling(np.arange(16).reshape(4, 4) % 7),
    "max_pooling_remainder": lambda: diagrams.max_pooling(np.arange(25).reshape(5, 5)),
    "quantization_steps": lambda: plots.quantization_steps(
        KERNEL[:, 0] / 40, np.round(KERNEL[:, 0] / 40 / (np.abs(KERNEL[:, 0]).max() / 40 / 127)),
        np.abs(KERNEL[:, 0]).max() / 40 / 127, title="One neuron's weights, trained and stored"),
}


def _figure_functions() -> set[str]:
    return {f"{module.__name__.rsplit('.', 1)[1]}.{name}" for module in (plots, diagrams)
            for name, function in inspect.getmembers(module, inspect.isfunction)
            if not name.startswith("_") and function.__module__ == module.__name__
            and "Figure" in str(inspect.signature(function).return_annotation)}


def test_every_figure_function_is_audited():
    audited = set()
    for build in FIGURES.values():
        audited |= {f"{module}.{name}" for module, name in
                    re.findall(r"(plots|diagrams)\.(\w+)\(", inspect.getsource(build))}
    assert _figure_functions() - audited == set()


@pytest.mark.parametrize("name", FIGURES)
def test_every_figure_keeps_the_rules_and_shows_as_an_image_with_alt_text_never_a_bare_png(name):
    figure = FIGURES[name]()
    assert isinstance(figure, figures.Figure)
    assert figure_audit.problems(figure) == []
    bundle = figure.mimebundle(png=b"drawn above")  # The audit drew it; a real PNG is tested below.
    assert set(bundle) == {"text/html", "text/plain"}
    alt = re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="([^"]+)"', bundle["text/html"])
    assert alt and len(alt.group(1).split()) >= 8
    assert bundle["text/plain"].startswith("[Figure: ")
    width = int(re.search(r'width="(\d+)"', bundle["text/html"]).group(1))
    assert width <= figures.OUTPUT_WIDTH_PIXELS


def test_the_audit_finds_what_breaks_the_rules():
    """The audit itself: a figure with every fault is caught on each."""
    figure = figures.Figure(figsize=(12, 3))
    axis = figure.subplots()
    axis.plot([0, 1], [0, 1], color="tab:orange", label="first", linewidth=0.8)
    axis.plot([0, 1], [1, 0], color="tab:blue", label="second")
    axis.bar([0, 1], [1, 2], color=["lightgray", "tab:blue"])
    axis.set_title("small", fontsize=9)
    shown = axis.imshow(np.zeros((2, 2)))
    figure.colorbar(shown, ax=axis)
    found = " | ".join(figure_audit.problems(figure))
    for fault in ("no alt text", "'small' is", "has numbers but no label", "line 'first'", "0.8 pt wide",
                  "'first' and 'second' differ only in colour", "contrast 1.50", "share a hatch",
                  "colour bar has no label"):
        assert fault in found


def test_alt_text_must_say_something_and_numbers_must_fit_their_columns():
    figure = figures.Figure()
    with pytest.raises(ValueError, match="empty"):
        figure.describe("   ")
    with pytest.raises(ValueError, match="needs 2 cells"):
        figure.describe("A chart.", ("numbers", ["a", "b"], [[1, 2, 3]]))


def test_numbers_are_tabulated_in_html_and_in_text():
    figure = figures.Figure(figsize=(2, 2)).describe("A chart of two points.",
                                                      ("The points", ["x", "y"], [[1, 0.123456], [2, 2500.0]]))
    bundle = figure.mimebundle()
    assert '<details class="figure-numbers"><summary>The points</summary>' in bundle["text/html"]
    assert "<td>0.1235</td>" in bundle["text/html"] and "<td>2,500</td>" in bundle["text/html"]
    assert bundle["text/plain"].splitlines()[1:] == ["The points:", "x       y", "1  0.1235", "2   2,500"]
    assert 'alt="A chart of two points."' in bundle["text/html"]


def test_the_image_is_the_figure_as_a_png_of_its_size_in_pixels():
    import base64
    import struct

    figure = plots.training_curves(HISTORY)
    html = figure.mimebundle()["text/html"]
    png = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", html).group(1))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (900, 360)
    assert 'width="900" height="360"' in html


def test_alt_text_is_escaped_in_html():
    bundle = figures.Figure(figsize=(2, 2)).describe('A "quoted" <b>tag</b> & more.').mimebundle()
    assert 'alt="A &quot;quoted&quot; &lt;b&gt;tag&lt;/b&gt; &amp; more."' in bundle["text/html"]


def test_contrast_ratio_matches_wcag():
    assert figures.contrast_ratio("black", "white") == pytest.approx(21.0)
    assert figures.contrast_ratio("white", "white") == pytest.approx(1.0)
    assert figures.contrast_ratio("#767676", "white") == pytest.approx(4.54, abs=0.01)


def test_the_signed_colour_map_gets_lighter_from_negative_to_positive():
    """Its sign survives greyscale: lightness rises steadily from the lowest to the highest weight."""
    from matplotlib import colormaps

    colours = colormaps[figures.SIGNED_CMAP](np.linspace(0, 1, 50))[:, :3]
    lightness = colours @ np.array([0.2126, 0.7152, 0.0722])
    assert np.all(np.diff(lightness) > 0)


def test_series_colours_reach_3_to_1_and_each_series_looks_different():
    for colour in figures.SERIES_COLOURS:
        assert figures.contrast_ratio(colour, "white") >= figures.MIN_CONTRAST
    looks = [(style["marker"], str(style["linestyle"])) for style in map(figures.series_style, range(5))]
    assert len(set(looks)) == 5

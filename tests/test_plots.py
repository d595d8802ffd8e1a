"""helpers.plots: each figure has the panels it promises and writes a file only when asked."""

from __future__ import annotations

import re

import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import figures, plots

GENERATOR = np.random.default_rng(0)
IMAGES = GENERATOR.integers(0, 256, (30, 28, 28), dtype=np.uint8)
LABELS = np.arange(30) % 10


def _image_axes(figure: Figure) -> list:
    return [axis for axis in figure.axes if axis.images]


def test_sample_grid_shows_rows_times_columns_images_with_their_labels():
    figure = plots.sample_grid(IMAGES, LABELS, rows=2, columns=5)
    assert isinstance(figure, Figure)
    shown = _image_axes(figure)
    assert len(shown) == 10
    assert [axis.get_title() for axis in shown[:3]] == ["label 0", "label 1", "label 2"]


def test_sample_grid_takes_flat_images_too():
    figure = plots.sample_grid(IMAGES.reshape(30, 784), LABELS, rows=1, columns=3)
    assert _image_axes(figure)[0].images[0].get_array().shape == (28, 28)


def test_label_distribution_has_a_bar_per_digit_and_split():
    figure = plots.label_distribution(LABELS, LABELS[:10])
    axis = figure.axes[0]
    assert len(axis.patches) == 20
    assert sum(patch.get_height() for patch in axis.patches[:10]) == pytest.approx(100)


def test_image_and_vector_shows_the_three_views():
    figure = plots.image_and_vector(IMAGES[0], 5)
    assert len(_image_axes(figure)) == 3
    assert _image_axes(figure)[2].images[0].get_array().shape == (1, 784)


def test_training_curves_plot_each_epoch():
    history = {"loss": [0.5, 0.3, 0.2], "accuracy": [0.8, 0.9, 0.95], "val_loss": [0.4, 0.3, 0.3],
               "val_accuracy": [0.85, 0.9, 0.91]}
    figure = plots.training_curves(history)
    loss_axis, accuracy_axis = figure.axes
    assert [line.get_label() for line in loss_axis.lines] == ["training", "validation"]
    assert accuracy_axis.lines[0].get_ydata().tolist() == [0.8, 0.9, 0.95]


def test_training_curves_refuse_an_empty_history():
    with pytest.raises(ValueError, match="expects a Keras History"):
        plots.training_curves({})


@pytest.mark.parametrize(("normalize", "first_annotation"), [(False, "8"), (True, "80.0")])
def test_confusion_heatmap_annotates_counts_or_row_percentages(normalize, first_annotation):
    matrix = np.array([[8, 2], [1, 9]])
    figure = plots.confusion_heatmap(matrix, normalize=normalize)
    axis = figure.axes[0]
    assert axis.texts[0].get_text() == first_annotation
    assert axis.get_xlabel() == "predicted digit" and axis.get_ylabel() == "true digit"


def test_misclassified_gallery_shows_only_mistakes():
    predicted = LABELS.copy()
    predicted[[3, 7, 11]] = 0
    figure = plots.misclassified_gallery(IMAGES, LABELS, predicted, limit=2)
    titles = [axis.get_title() for axis in _image_axes(figure)]
    assert titles == ["true 3\nread 0", "true 7\nread 0"]
    assert figure.get_suptitle() == "2 of the 3 misclassified images"


def test_weight_templates_draws_ten_28_by_28_images():
    figure = plots.weight_templates(GENERATOR.normal(size=(784, 10)))
    shown = _image_axes(figure)
    assert len(shown) == 10 and shown[9].get_title() == "digit 9"
    assert shown[0].images[0].get_array().shape == (28, 28)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: plots.sample_grid(np.zeros((3, 10, 10)), [0, 1, 2]), r"got \(3, 10, 10\)"),
        (lambda: plots.sample_grid(IMAGES, LABELS, rows=0), "rows must be a whole number of at least 1"),
        (lambda: plots.weight_templates(np.zeros((784, 3))), r"shape \(784, 10\), got \(784, 3\)"),
        (lambda: plots.misclassified_gallery(IMAGES, LABELS, LABELS[:5]), "as many labels as images"),
        (lambda: plots.confusion_heatmap(np.zeros((2, 3))), "square confusion matrix"),
        (lambda: plots.image_and_vector(IMAGES[:2], 1), "one 28 x 28 image"),
    ],
)
def test_bad_input_is_refused_clearly(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_a_file_is_written_only_when_asked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    plots.sample_grid(IMAGES, LABELS)
    assert list(tmp_path.iterdir()) == []
    target = tmp_path / "figures" / "grid.png"
    plots.sample_grid(IMAGES, LABELS, save_path=target)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_reliability_diagram_draws_a_curve_per_model_with_its_error():
    result = {"confidence": np.array([np.nan, 0.55, 0.95]), "accuracy": np.array([np.nan, 0.5, 0.9]),
              "count": np.array([0, 10, 90]), "ece": 0.05}
    figure = plots.reliability_diagram({"softmax": result, "sigmoid": result})
    curve_axis, count_axis = figure.axes
    labels = [line.get_label() for line in curve_axis.lines]
    assert labels == ["perfectly calibrated", "softmax (ECE 0.050)", "sigmoid (ECE 0.050)"]
    assert curve_axis.lines[1].get_xdata().tolist() == [0.55, 0.95]  # Empty bins are left out.
    assert len(count_axis.patches) == 6


def test_grid_results_draws_a_line_per_group_sorted_by_setting():
    rows = [{"hidden_units": 64, "epochs": 1, "test_accuracy": 0.95, "train_seconds": 2.0},
            {"hidden_units": 16, "epochs": 1, "test_accuracy": 0.92, "train_seconds": 1.0},
            {"hidden_units": 16, "epochs": 3, "test_accuracy": 0.93, "train_seconds": 3.0}]
    figure = plots.grid_results(rows, setting="hidden_units", group="epochs")
    accuracy_axis, time_axis = figure.axes
    assert [line.get_label() for line in accuracy_axis.lines] == ["epochs = 1", "epochs = 3"]
    assert accuracy_axis.lines[0].get_xdata().tolist() == [16, 64]
    assert accuracy_axis.lines[0].get_ydata().tolist() == pytest.approx([92.0, 95.0])
    assert time_axis.lines[1].get_ydata().tolist() == [3.0]


@pytest.mark.parametrize("call", [lambda: plots.reliability_diagram({}),
                                  lambda: plots.grid_results([], "hidden_units", "epochs")])
def test_empty_results_are_refused(call):
    with pytest.raises(ValueError, match="at least one"):
        call()


def _scores(count: int) -> np.ndarray:
    """Scores in [0, 1] whose highest entry is digit (2 * row) % 10; rows need not sum to 1."""
    scores = np.full((count, 10), 0.05)
    scores[np.arange(count), (2 * np.arange(count)) % 10] = 0.9
    return scores


def test_probability_bars_draws_each_image_over_bars_of_its_scores():
    scores = _scores(3)
    figure = plots.probability_bars(IMAGES[:3], scores, [0, 5, 4], title="Before and after")
    shown = _image_axes(figure)
    assert len(shown) == 3
    assert [axis.get_title() for axis in shown] == ["true 0\nread 0", "true 5\nread 2", "true 4\nread 4"]
    assert figure.get_suptitle() == "Before and after"
    bar_axes = [axis for axis in figure.axes if axis.patches]
    assert len(bar_axes) == 3
    for bar_axis, row in zip(bar_axes, scores):
        assert [patch.get_height() for patch in bar_axis.patches] == pytest.approx(row.tolist())
        assert bar_axis.get_ylim() == (0, 1)


def test_probability_bars_colours_the_prediction_and_a_missed_true_digit():
    figure = plots.probability_bars(IMAGES[:2].reshape(2, 784), _scores(2), [0, 5], title="t")
    right, wrong = [axis.patches for axis in figure.axes if axis.patches]
    blue, vermillion, grey = (_rgba(name) for name in (figures.BLUE, figures.VERMILLION, figures.NEUTRAL))
    assert right[0].get_facecolor() == blue and right[1].get_facecolor() == grey
    assert wrong[2].get_facecolor() == blue and wrong[5].get_facecolor() == vermillion
    # Not by colour alone: the true digit's bar is hatched, the others dotted, the prediction solid.
    assert [str(wrong[index].get_hatch() or "") for index in (2, 5, 0)] == ["", "//", ".."]


def _rgba(name: str) -> tuple:
    """A matplotlib colour name as the (red, green, blue, alpha) tuple that patches report."""
    from matplotlib.colors import to_rgba  # noqa: PLC0415 - only these tests need it.

    return to_rgba(name)


def test_probability_bars_accepts_sigmoid_scores_that_do_not_sum_to_one():
    scores = np.full((1, 10), 0.8)
    scores[0, 7] = 0.95
    figure = plots.probability_bars(IMAGES[:1], scores, [7], title="sigmoid")
    assert _image_axes(figure)[0].get_title() == "true 7\nread 7"


@pytest.mark.parametrize(
    ("images", "scores", "labels", "message"),
    [
        (IMAGES[:0], np.zeros((0, 10)), [], "shows 1 to 12 images, got 0"),
        (IMAGES[:13], _scores(13), LABELS[:13], "shows 1 to 12 images, got 13"),
        (IMAGES[:2], _scores(3), [0, 1], r"scores of shape \(2, 10\), one row per image, got \(3, 10\)"),
        (IMAGES[:1], np.full((1, 10), 1.5), [0], "scores from 0 to 1 .* got values from 1.5 to 1.5"),
        (IMAGES[:1], np.full((1, 10), np.nan), [0], r"expects scores from 0 to 1 .* got NaN\."),
        (IMAGES[:1], np.array([[np.nan] + [0.5] * 9]), [0], "got values from 0.5 to 0.5 and NaN"),
        (IMAGES[:2], _scores(2), [0, 10], r"2 true labels from 0 to 9, got \[0, 10\]"),
        (np.zeros((2, 10, 10)), _scores(2), [0, 1], r"got \(2, 10, 10\)"),
    ],
)
def test_probability_bars_refuses_bad_input_clearly(images, scores, labels, message):
    with pytest.raises(ValueError, match=message):
        plots.probability_bars(images, scores, labels, title="t")


def test_loss_curves_draw_one_named_line_per_curve_from_step_one():
    curves = {"scaled": [2.3, 0.9, 0.5], "unscaled": [30.0, 900.0]}
    figure = plots.loss_curves(curves, title="Scaling", log_scale=True)
    (axis,) = figure.axes
    assert [line.get_label() for line in axis.lines] == ["scaled", "unscaled"]
    assert axis.lines[0].get_xdata().tolist() == [1, 2, 3]
    assert axis.lines[1].get_ydata().tolist() == [30.0, 900.0]
    assert axis.get_title() == "Scaling" and axis.get_yscale() == "log"
    assert axis.get_xlabel() == "step" and axis.get_legend() is not None


def test_loss_curves_are_linear_unless_asked_and_take_another_x_label():
    figure = plots.loss_curves({"training": [0.5, 0.3]}, title="t", xlabel="epoch")
    assert figure.axes[0].get_yscale() == "linear" and figure.axes[0].get_xlabel() == "epoch"


@pytest.mark.parametrize(
    ("curves", "log_scale", "message"),
    [
        ({}, False, "at least one named curve"),
        ({"empty": []}, False, "'empty' has no values"),
        ({"run": [1.0, 0.0]}, True, "needs losses above zero, but the curve 'run' has the value 0.0"),
    ],
)
def test_loss_curves_refuse_bad_input_clearly(curves, log_scale, message):
    with pytest.raises(ValueError, match=message):
        plots.loss_curves(curves, title="t", log_scale=log_scale)


def test_weight_snapshots_draw_a_row_of_ten_digits_per_snapshot_each_on_its_own_scale():
    kernels = {"after 0 steps": np.zeros((784, 10)), "after 10 steps": GENERATOR.normal(size=(784, 10)),
               "at the end": 3 * GENERATOR.normal(size=(784, 10))}
    figure = plots.weight_snapshots(kernels, title="Weights as they form")
    shown = _image_axes(figure)
    assert len(shown) == 30
    assert figure.get_suptitle() == "Weights as they form"
    assert [shown[row * 10].get_ylabel() for row in range(3)] == list(kernels)
    assert [axis.get_title() for axis in shown[:10]] == [f"digit {digit}" for digit in range(10)]
    image = shown[13].images[0]
    assert np.array_equal(image.get_array(), kernels["after 10 steps"][:, 3].reshape(28, 28))
    for row, kernel in enumerate(kernels.values()):
        limit = np.abs(kernel).max() or 1.0
        assert shown[row * 10 + 9].images[0].get_clim() == pytest.approx((-limit, limit))


@pytest.mark.parametrize(
    ("snapshots", "message"),
    [
        ({}, "at least one snapshot"),
        ({"late": np.zeros((784, 3))}, r"'late' has shape \(784, 3\)"),
    ],
)
def test_weight_snapshots_refuse_bad_input_clearly(snapshots, message):
    with pytest.raises(ValueError, match=message):
        plots.weight_snapshots(snapshots, title="t")


def _mistakes() -> np.ndarray:
    """LABELS with its three 3s (indices 3, 13, 23) taken for 5 and its first 7 (index 7) for 1."""
    predicted = LABELS.copy()
    predicted[[3, 13, 23]] = 5
    predicted[7] = 1
    return predicted


def test_confused_pairs_draws_a_row_of_examples_per_pair_labelled_with_its_count():
    pairs = [(3, 5, 3), (7, 1, 1), (4, 9, 0)]
    figure = plots.confused_pairs(IMAGES, LABELS, _mistakes(), pairs, per_pair=2)
    assert len(figure.axes) == 6  # Three rows of two.
    rows = [figure.axes[0:2], figure.axes[2:4], figure.axes[4:6]]
    assert [row[0].get_ylabel() for row in rows] == ["3 as 5\n(3 in all)", "7 as 1\n(1 in all)",
                                                     "4 as 9\n(0 in all)"]
    assert [len(axis.images) for axis in figure.axes] == [1, 1, 1, 0, 0, 0]  # At most per_pair.
    assert np.array_equal(rows[0][0].images[0].get_array(), IMAGES[3])
    assert np.array_equal(rows[0][1].images[0].get_array(), IMAGES[13])
    assert np.array_equal(rows[1][0].images[0].get_array(), IMAGES[7])
    assert figure.get_suptitle() == "The most confused pairs, as images"


def test_confused_pairs_takes_flat_images_and_a_title():
    figure = plots.confused_pairs(IMAGES.reshape(30, 784), LABELS, _mistakes(), [(3, 5, 3)],
                                  title="Threes read as fives")
    assert len(figure.axes) == 6  # per_pair defaults to 6.
    assert [axis.images[0].get_array().shape for axis in _image_axes(figure)] == [(28, 28)] * 3
    assert figure.get_suptitle() == "Threes read as fives"


@pytest.mark.parametrize(
    ("images", "labels", "pairs", "per_pair", "message"),
    [
        (IMAGES, LABELS[:5], [(3, 5, 3)], 6,
         "got 30 images, 5 true labels and 30 predicted labels"),
        (IMAGES, LABELS, [], 6, r"confused_pairs expects at least one \(true, predicted, count\) pair"),
        (IMAGES, LABELS, [(3, 5, 3)], 0, "per_pair must be a whole number of at least 1, got 0"),
        (np.zeros((30, 10, 10)), LABELS, [(3, 5, 3)], 6, r"got \(30, 10, 10\)"),
    ],
)
def test_confused_pairs_refuse_bad_input_clearly(images, labels, pairs, per_pair, message):
    with pytest.raises(ValueError, match=message):
        plots.confused_pairs(images, labels, _mistakes(), pairs, per_pair=per_pair)


def test_convolution_filters_draws_each_filter_on_one_symmetric_scale():
    kernel = GENERATOR.normal(size=(3, 3, 1, 10))
    kernel[1, 1, 0, 4] = -5.0  # The largest weight in size sets the scale of all ten.
    figure = plots.convolution_filters(kernel)
    shown = _image_axes(figure)
    assert len(shown) == 10
    assert len(figure.axes) == 17  # Two rows of eight, and the colour bar.
    assert np.array_equal(shown[7].images[0].get_array(), kernel[:, :, 0, 7])
    assert all(axis.images[0].get_clim() == (-5.0, 5.0) for axis in shown)
    assert figure.axes[-1].get_ylabel() == "weight"
    assert figure.get_suptitle() == "The filters of the first convolution"


def test_convolution_filters_puts_a_few_filters_in_one_row_and_takes_a_title():
    figure = plots.convolution_filters(np.zeros((5, 5, 1, 3)), title="Untrained filters")
    assert len(_image_axes(figure)) == 3 and len(figure.axes) == 4
    assert _image_axes(figure)[0].images[0].get_clim() == (-1.0, 1.0)  # All zero: a scale of 1.
    assert figure.get_suptitle() == "Untrained filters"


@pytest.mark.parametrize("shape", [(3, 3, 2, 8), (3, 3, 8), (3, 3, 1, 0)])
def test_convolution_filters_refuse_a_kernel_that_is_not_a_first_layer(shape):
    expected = rf"shape \(height, width, 1, filters\), got {re.escape(str(shape))}\."
    with pytest.raises(ValueError, match=expected):
        plots.convolution_filters(np.zeros(shape))


def test_feature_maps_shows_the_input_beside_each_map():
    image = IMAGES[0].reshape(28, 28, 1)
    maps = GENERATOR.random((26, 26, 4))
    figure = plots.feature_maps(image, maps, title="First convolution")
    shown = _image_axes(figure)
    assert len(figure.axes) == 5
    assert [axis.get_title() for axis in shown] == ["input", "map 0", "map 1", "map 2", "map 3"]
    assert np.array_equal(shown[0].images[0].get_array(), IMAGES[0])  # (28, 28, 1) squeezed.
    assert np.array_equal(shown[3].images[0].get_array(), maps[:, :, 2])
    assert figure.get_suptitle() == "First convolution"


def test_feature_maps_shows_at_most_limit_maps_nine_images_a_row():
    maps = GENERATOR.random((13, 13, 20))
    figure = plots.feature_maps(IMAGES[0], maps, title="t")
    assert len(figure.axes) == 18  # The input and 16 maps fill two rows of nine.
    assert [axis.get_title() for axis in _image_axes(figure)][-1] == "map 15"
    assert len(_image_axes(figure)) == 17
    figure = plots.feature_maps(IMAGES[0], maps, title="t", limit=2)
    assert [axis.get_title() for axis in _image_axes(figure)] == ["input", "map 0", "map 1"]


@pytest.mark.parametrize(
    ("maps", "limit", "message"),
    [
        (np.zeros((26, 26)), 16, r"feature_maps expects maps of shape \(height, width, channels\), got \(26, 26\)"),
        (np.zeros((1, 26, 26, 4)), 16, r"got \(1, 26, 26, 4\)"),
        (np.zeros((26, 26, 4)), 0, "limit must be a whole number of at least 1, got 0"),
    ],
)
def test_feature_maps_refuse_bad_input_clearly(maps, limit, message):
    with pytest.raises(ValueError, match=message):
        plots.feature_maps(IMAGES[0], maps, title="t", limit=limit)


def test_accuracy_curves_draw_one_line_per_model_in_percent():
    curves = {"dense": [0.97, 0.80, 0.41], "cnn": [0.99, 0.98, 0.90]}
    figure = plots.accuracy_curves([0, 2, 4], curves, xlabel="shift (pixels)", title="Shifted digits")
    (axis,) = figure.axes
    assert [line.get_label() for line in axis.lines] == ["dense", "cnn"]
    assert axis.lines[0].get_xdata().tolist() == [0, 2, 4]
    assert axis.lines[0].get_ydata().tolist() == pytest.approx([97.0, 80.0, 41.0])
    assert axis.lines[1].get_ydata().tolist() == pytest.approx([99.0, 98.0, 90.0])
    assert axis.get_xlabel() == "shift (pixels)" and axis.get_ylabel() == "accuracy (%)"
    assert axis.get_title() == "Shifted digits" and axis.get_ylim() == (0, 100)
    assert [text.get_text() for text in axis.get_legend().get_texts()] == ["dense", "cnn"]


@pytest.mark.parametrize(
    ("curves", "message"),
    [
        ({}, "accuracy_curves expects at least one curve"),
        ({"dense": [0.9, 0.8, 0.7], "cnn": [0.9, 0.8]}, "The curve 'cnn' has 2 values for 3 x values"),
    ],
)
def test_accuracy_curves_refuse_bad_input_clearly(curves, message):
    with pytest.raises(ValueError, match=message):
        plots.accuracy_curves([0, 2, 4], curves, xlabel="shift", title="t")


def test_score_bars_draws_the_image_beside_each_models_scores():
    softmax = np.full(10, 0.02)
    softmax[3] = 0.82
    sigmoid = np.linspace(0.05, 0.5, 10)
    figure = plots.score_bars(IMAGES[0].reshape(784), {"softmax": softmax, "sigmoid": sigmoid},
                              title="Two models, one image")
    image_axis, softmax_axis, sigmoid_axis = figure.axes
    assert np.array_equal(image_axis.images[0].get_array(), IMAGES[0])
    assert [patch.get_height() for patch in softmax_axis.patches] == pytest.approx(softmax.tolist())
    assert [patch.get_height() for patch in sigmoid_axis.patches] == pytest.approx(sigmoid.tolist())
    assert softmax_axis.get_title() == "softmax: sum 1.00"
    assert sigmoid_axis.get_title() == "sigmoid: sum 2.75"
    assert softmax_axis.get_ylim() == (0, 1.05) and softmax_axis.get_xlabel() == "digit"
    assert figure.get_suptitle() == "Two models, one image"


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ({}, "score_bars expects the scores of at least one model"),
        ({"short": np.full(9, 0.1)}, "The scores of 'short' must be ten values from 0 to 1"),
        ({"ok": np.full(10, 0.1), "big": np.full(10, 1.5)}, "The scores of 'big' must be ten values from 0 to 1"),
        ({"negative": np.full(10, -0.1)}, "The scores of 'negative' must be ten values from 0 to 1"),
        ({"nan": np.full(10, np.nan)}, "The scores of 'nan' must be ten values from 0 to 1"),
    ],
)
def test_score_bars_refuse_bad_scores_clearly(scores, message):
    with pytest.raises(ValueError, match=message):
        plots.score_bars(IMAGES[0], scores, title="t")


_HISTORY = {"loss": [0.5, 0.3], "accuracy": [0.8, 0.9]}
_CALIBRATION = {"confidence": np.array([0.55, 0.95]), "accuracy": np.array([0.5, 0.9]),
                "count": np.array([10, 90]), "ece": 0.05}
_GRID_ROWS = [{"hidden_units": 16, "epochs": 1, "test_accuracy": 0.92, "validation_accuracy": 0.93,
               "train_seconds": 1.0}]


def _suptitle(figure: Figure) -> str:
    return figure.get_suptitle()


def _first_axis_title(figure: Figure) -> str:
    return figure.axes[0].get_title()


@pytest.mark.parametrize(
    ("draw", "read_title", "default"),
    [
        (lambda **title: plots.sample_grid(IMAGES, LABELS, **title), _suptitle, "Images with their labels"),
        (lambda **title: plots.label_distribution(LABELS, **title), _first_axis_title,
         "Share of each digit in its split"),
        (lambda **title: plots.training_curves(_HISTORY, **title), _suptitle, "Loss and accuracy per epoch"),
        (lambda **title: plots.weight_templates(np.zeros((784, 10)), **title), _suptitle,
         "Each output neuron's 784 weights, drawn as a 28 x 28 image"),
        (lambda **title: plots.reliability_diagram({"m": _CALIBRATION}, **title), _first_axis_title,
         "Reliability diagram: accuracy against confidence"),
        (lambda **title: plots.grid_results(_GRID_ROWS, "hidden_units", "epochs", **title), _suptitle,
         "Accuracy and training time across the grid"),
    ],
    ids=["sample_grid", "label_distribution", "training_curves", "weight_templates",
         "reliability_diagram", "grid_results"],
)
def test_titles_have_a_default_and_can_be_replaced(draw, read_title, default):
    assert read_title(draw()) == default
    assert read_title(draw(title="My own title")) == "My own title"


def test_image_and_vector_says_what_the_three_views_are():
    figure = plots.image_and_vector(IMAGES[0], 5)
    assert figure.get_suptitle() == "One digit as loaded, as scaled, and as the row a Dense layer reads"
    assert _image_axes(figure)[0].get_title() == "a 5 as loaded: uint8, 0 to 255"


def test_grid_results_plots_the_accuracy_it_is_asked_for():
    rows = [*_GRID_ROWS, {"hidden_units": 64, "epochs": 1, "test_accuracy": 0.95,
                          "validation_accuracy": 0.96, "train_seconds": 2.0}]
    accuracy_axis, _ = plots.grid_results(rows, "hidden_units", "epochs",
                                          accuracy_key="validation_accuracy").axes
    assert accuracy_axis.lines[0].get_ydata().tolist() == pytest.approx([93.0, 96.0])
    assert accuracy_axis.get_ylabel() == "validation accuracy (%)"
    accuracy_axis, _ = plots.grid_results(rows, "hidden_units", "epochs").axes
    assert accuracy_axis.lines[0].get_ydata().tolist() == pytest.approx([92.0, 95.0])
    assert accuracy_axis.get_ylabel() == "test accuracy (%)"


def test_images_with_a_channel_axis_are_drawn_like_plain_images():
    with_channel = IMAGES[:3, :, :, np.newaxis]
    figure = plots.probability_bars(with_channel, np.full((3, 10), 0.1), LABELS[:3], title="t")
    drawn = [axis.get_images()[0].get_array() for axis in figure.axes if axis.get_images()]
    assert len(drawn) == 3
    assert np.array_equal(drawn[1], IMAGES[1])


def test_confused_pairs_take_the_pairs_as_an_array_too():
    predicted = LABELS.copy()
    predicted[[4, 14]] = 9
    figure = plots.confused_pairs(IMAGES, LABELS, predicted, np.array([[4, 9, 2]]))
    assert len(_image_axes(figure)) == 2


def test_image_row_shows_images_of_any_size_with_marks():
    figure = plots.image_row({"big": np.zeros((280, 200)), "digit": np.zeros((28, 28), np.uint8)},
                             title="Steps", marks={"digit": (14, 14)})
    assert len(figure.axes) == 2
    assert figure.axes[0].get_title() == "big\n280 x 200"
    assert len(figure.axes[1].lines) == 1  # The cross.
    with pytest.raises(ValueError, match="at least one image"):
        plots.image_row({}, title="none")
    with pytest.raises(ValueError, match="2-D images; 'rgb' has shape"):
        plots.image_row({"rgb": np.zeros((4, 4, 3))}, title="colour")

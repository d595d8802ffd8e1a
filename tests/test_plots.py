"""helpers.plots: each figure has the panels it promises and writes a file only when asked."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import plots

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
    assert titles == ["true 3\npred 0", "true 7\npred 0"]
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
    assert [axis.get_title() for axis in shown] == ["true 0 · predicted 0", "true 5 · predicted 2",
                                                    "true 4 · predicted 4"]
    assert figure.get_suptitle() == "Before and after"
    bar_axes = [axis for axis in figure.axes if axis.patches]
    assert len(bar_axes) == 3
    for bar_axis, row in zip(bar_axes, scores):
        assert [patch.get_height() for patch in bar_axis.patches] == pytest.approx(row.tolist())
        assert bar_axis.get_ylim() == (0, 1)


def test_probability_bars_colours_the_prediction_and_a_missed_true_digit():
    figure = plots.probability_bars(IMAGES[:2].reshape(2, 784), _scores(2), [0, 5], title="t")
    right, wrong = [axis.patches for axis in figure.axes if axis.patches]
    blue, orange, grey = (_rgba(name) for name in ("tab:blue", "tab:orange", "lightgray"))
    assert right[0].get_facecolor() == blue and right[1].get_facecolor() == grey
    assert wrong[2].get_facecolor() == blue and wrong[5].get_facecolor() == orange


def _rgba(name: str) -> tuple:
    """A matplotlib colour name as the (red, green, blue, alpha) tuple that patches report."""
    from matplotlib.colors import to_rgba  # noqa: PLC0415 - only these tests need it.

    return to_rgba(name)


def test_probability_bars_accepts_sigmoid_scores_that_do_not_sum_to_one():
    scores = np.full((1, 10), 0.8)
    scores[0, 7] = 0.95
    figure = plots.probability_bars(IMAGES[:1], scores, [7], title="sigmoid")
    assert _image_axes(figure)[0].get_title() == "true 7 · predicted 7"


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

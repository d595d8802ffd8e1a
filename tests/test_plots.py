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

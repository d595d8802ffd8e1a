"""helpers.diagrams: the pure functions compute what the pictures say, and every picture is legible."""

from __future__ import annotations

import io
import struct

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure
from matplotlib.text import Text

from conftest import run_python
from helpers import data, diagrams, figures

GENERATOR = np.random.default_rng(0)
DIGIT = GENERATOR.integers(0, 256, (28, 28)).astype(np.uint8)
EDGE_KERNEL = np.array([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]])
POOL_VALUES = np.array([[1, 3, 2, 4], [5, 6, 1, 2], [7, 2, 9, 0], [1, 8, 3, 4]])


def _parabola_slope(weight: float) -> float:
    return 2 * (weight - 1)


def _texts(figure: Figure) -> list[str]:
    """Every piece of text the figure draws, after it has been drawn once."""
    FigureCanvasAgg(figure).draw()
    return [text.get_text() for text in figure.findobj(Text) if text.get_visible() and text.get_text()]


def _separable_points(count: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """Two clouds of points on either side of the line x + y = 1, a little apart."""
    points = GENERATOR.uniform(-2, 3, (count * 3, 2))
    margin = points.sum(axis=1) - 1
    points, margin = points[np.abs(margin) > 0.3][:count], margin[np.abs(margin) > 0.3][:count]
    return points, (margin > 0).astype(int)


def _zeros_and_ones(split: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    images, labels = data.load_mnist()[split]
    chosen = np.flatnonzero(labels <= 1)[:count]
    return images[chosen], labels[chosen]


# --- Every figure: its file -------------------------------------------------------------------------
# Width, text size, labels, contrast and colour-alone are audited for every figure, diagrams'
# included, in tests/test_figure_access.py.


def test_save_path_writes_a_png_of_at_most_900_pixels_wide(tmp_path):
    path = tmp_path / "figures" / "pooling.png"
    diagrams.max_pooling(POOL_VALUES, save_path=path)
    width, _ = struct.unpack(">II", path.read_bytes()[16:24])
    assert 0 < width <= 900


def test_importing_the_module_imports_neither_tensorflow_nor_pyplot(tmp_path):
    result = run_python(
        "import sys\n"
        "from helpers import diagrams\n"
        "print('tensorflow' in sys.modules, 'keras' in sys.modules, 'matplotlib.pyplot' in sys.modules)",
        cwd=tmp_path, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False False False"


# --- The network --------------------------------------------------------------------------------------

def test_network_writes_each_layers_true_size_and_counts_the_parameters():
    texts = _texts(diagrams.network([784, 10]))
    assert "784 pixels" in texts and "10 scores" in texts
    assert ["input layer", "output layer"] == [text for text in texts if text.endswith("layer")]
    assert any(text.startswith("a weight") for text in texts)
    note = next(text for text in texts if "bias" in text)
    assert "7,840 weights and 10 biases, 7,850 numbers" in note.replace("\n", " ")


def test_network_draws_at_most_shown_units_a_column_and_dots_for_the_rest():
    figure = diagrams.network([784, 100, 10], shown=5)
    texts = _texts(figure)
    assert "100 neurons" in texts
    assert any("79,400 weights and 110 biases, 79,510 numbers" in text.replace("\n", " ") for text in texts)
    columns = [collection for collection in figure.axes[0].collections if isinstance(collection, PathCollection)]
    assert [len(column.get_offsets()) for column in columns] == [5, 5, 5]
    assert texts.count("\u22ee") == 3
    assert "783" in texts and "9" in texts


def test_network_draws_every_unit_of_a_small_layer_without_dots():
    figure = diagrams.network([3, 2], layer_names=["in", "out"])
    texts = _texts(figure)
    columns = [collection for collection in figure.axes[0].collections if isinstance(collection, PathCollection)]
    assert [len(column.get_offsets()) for column in columns] == [3, 2]
    assert "\u22ee" not in texts
    assert "in" in texts and "out" in texts


@pytest.mark.parametrize(("arguments", "message"), [
    ({"layer_sizes": [784]}, "two to five layers"),
    ({"layer_sizes": [784, 0]}, "at least 1"),
    ({"layer_sizes": [784, 2.5]}, "whole number"),
    ({"layer_sizes": "784"}, "list of whole numbers"),
    ({"layer_sizes": [784, 10], "layer_names": ["only one"]}, "one name per layer"),
    ({"layer_sizes": [784, 10], "shown": 2}, "shown must be"),
])
def test_network_refuses_bad_arguments(arguments, message):
    with pytest.raises(ValueError, match=message):
        diagrams.network(**arguments)


# --- The training loop ----------------------------------------------------------------------------------

def test_training_loop_names_the_four_steps_in_order_and_the_repeat():
    figure = diagrams.training_loop()
    texts = _texts(figure)
    assert len(figure.axes) == 1
    headings = [text for text in texts if text[:2] in ("1.", "2.", "3.", "4.")]
    assert headings == ["1. predict", "2. loss", "3. gradient", "4. step"]
    assert any("learning rate" in text and "gradient" in text for text in texts)
    assert any(text.startswith("repeat for every batch") for text in texts)
    # One arrow from each box to the next, and one from the start.
    arrows = [text for text in figure.axes[0].texts if getattr(text, "arrow_patch", None) is not None]
    assert len(arrows) == 5


# --- Gradient descent on one weight -----------------------------------------------------------------------

def test_descent_path_starts_at_start_and_takes_each_step_against_the_gradient():
    path = diagrams.descent_path(_parabola_slope, start=3.0, learning_rate=0.25, steps=3)
    np.testing.assert_allclose(path, [3.0, 2.0, 1.5, 1.25])
    assert diagrams.descent_path(_parabola_slope, 3.0, 0.1, 0).tolist() == [3.0]


def test_descent_path_converges_for_0_3_crawls_for_0_05_and_diverges_for_1_05():
    right = diagrams.descent_path(_parabola_slope, 3.0, 0.3, 8)
    small = diagrams.descent_path(_parabola_slope, 3.0, 0.05, 8)
    large = diagrams.descent_path(_parabola_slope, 3.0, 1.05, 8)
    assert len(right) == len(small) == len(large) == 9
    assert abs(right[-1] - 1) < 0.01
    # Small steps: always closer, never past the lowest point, and still far from it.
    assert np.all(np.diff(small) < 0) and np.all(small > 1) and small[-1] - 1 > 0.4 * (3 - 1)
    # Too large: each step lands on the other side, further away.
    distances = large - 1
    assert np.all(np.sign(distances[1:]) == -np.sign(distances[:-1]))
    assert np.all(np.diff(np.abs(distances)) > 0) and abs(distances[-1]) > 4


@pytest.mark.parametrize(("arguments", "message"), [
    ({"learning_rate": 0}, "learning_rate must be a number above zero"),
    ({"learning_rate": -0.1}, "learning_rate must be a number above zero"),
    ({"learning_rate": float("nan")}, "learning_rate must be a number above zero"),
    ({"steps": -1}, "steps must be a whole number"),
    ({"steps": 2.5}, "steps must be a whole number"),
    ({"start": float("inf")}, "start must be a finite number"),
    ({"gradient": 3.0}, "gradient must be a function"),
])
def test_descent_path_refuses_bad_arguments(arguments, message):
    call = {"gradient": _parabola_slope, "start": 3.0, "learning_rate": 0.1, "steps": 5, **arguments}
    with pytest.raises(ValueError, match=message):
        diagrams.descent_path(**call)


def test_slope_and_steps_writes_the_slope_and_names_each_learning_rate_from_what_it_did():
    figure = diagrams.slope_and_steps()
    texts = _texts(figure)
    assert len(figure.axes) == 4
    assert "slope 4.0\nat w = 3" in texts
    titles = [axis.get_title() for axis in figure.axes[1:]]
    assert titles == ["2. too small: learning rate 0.05", "3. about right: learning rate 0.3",
                      "4. too large: learning rate 1.05"]
    large_path = diagrams.descent_path(_parabola_slope, 3.0, 1.05, 8)
    assert f"w = {large_path[-1]:.2f}" in figure.axes[3].texts[-1].get_text()
    # The view stays the same in every panel, however far a path goes.
    assert len({axis.get_ylim() for axis in figure.axes}) == 1


def test_slope_and_steps_says_when_a_path_leaves_the_chart_and_uses_the_given_names():
    figure = diagrams.slope_and_steps(learning_rates=(1.2,), steps=6, names=["much too large"])
    assert len(figure.axes) == 2
    assert figure.axes[1].get_title() == "2. much too large: learning rate 1.2"
    assert "off the chart" in figure.axes[1].texts[-1].get_text()


@pytest.mark.parametrize(("arguments", "message"), [
    ({"learning_rates": (0.1, 0.0)}, "learning_rate must be a number above zero"),
    ({"learning_rates": ()}, "one to five learning rates"),
    ({"learning_rates": (0.1, 0.2), "names": ["one"]}, "one name per learning rate"),
    ({"steps": 0}, "steps must be a whole number from 1 to 50"),
])
def test_slope_and_steps_refuses_bad_arguments(arguments, message):
    with pytest.raises(ValueError, match=message):
        diagrams.slope_and_steps(**arguments)


# --- Activations ---------------------------------------------------------------------------------------

def test_activations_marks_the_scores_and_draws_their_softmax_with_values():
    scores = (2.0, 1.0, 0.1, -1.0)
    figure = diagrams.activations(scores)
    texts = _texts(figure)
    sigmoid_axis, relu_axis, softmax_axis = figure.axes
    expected = np.exp(scores) / np.exp(scores).sum()
    heights = [bar.get_height() for bar in softmax_axis.patches]
    np.testing.assert_allclose(heights, expected)
    assert [f"{value:.2f}" for value in expected] == ["0.64", "0.23", "0.10", "0.03"]
    assert all(f"{value:.2f}" in texts for value in expected)
    assert any("sum to 1" in text for text in texts)
    # Each score is a point on both curves, with its own marker and its own hatch.
    marked = [line for line in sigmoid_axis.lines if line.get_label().startswith("score")]
    np.testing.assert_allclose([line.get_ydata()[0] for line in marked], 1 / (1 + np.exp(-np.array(scores))))
    relu_marked = [line for line in relu_axis.lines if line.get_label().startswith("score")]
    np.testing.assert_allclose([line.get_ydata()[0] for line in relu_marked], [2.0, 1.0, 0.1, 0.0])
    assert len({line.get_marker() for line in marked}) == 4
    assert len({bar.get_hatch() for bar in softmax_axis.patches}) == 4


def test_activations_stays_finite_for_large_scores():
    figure = diagrams.activations((1000.0, 0.0))
    heights = [bar.get_height() for bar in figure.axes[2].patches]
    np.testing.assert_allclose(heights, [1.0, 0.0], atol=1e-12)


def test_activations_draws_only_the_kinds_asked_for_in_the_course_order():
    figure = diagrams.activations((2.0, -1.0), kinds=("sigmoid",))
    assert len(figure.axes) == 1 and figure.axes[0].get_ylabel() == "sigmoid(score)"
    assert figure.get_figwidth() <= 9
    figure = diagrams.activations((2.0, -1.0), kinds=("softmax", "relu"))
    assert [axis.get_ylabel() for axis in figure.axes] == ["ReLU(score)", "probability"]
    assert any("0.95" in text for text in _texts(figure))  # softmax of (2, -1), drawn


@pytest.mark.parametrize("kinds", [(), "sigmoid", ("tanh",)])
def test_activations_refuses_unknown_kinds(kinds):
    with pytest.raises(ValueError, match="kinds must name"):
        diagrams.activations((1.0,), kinds=kinds)


@pytest.mark.parametrize("scores", [(), (1.0, float("nan")), ("a", "b"), tuple(range(8))])
def test_activations_refuses_bad_scores(scores):
    with pytest.raises(ValueError, match="finite scores"):
        diagrams.activations(scores)


# --- A decision boundary -----------------------------------------------------------------------------------

def test_two_features_measure_centre_ink_and_inked_pixels():
    stroke = np.zeros((28, 28), dtype=np.uint8)
    stroke[4:24, 13:15] = 255  # A 1: a stroke down the middle.
    ring = np.zeros((28, 28), dtype=np.uint8)
    ring[4:24, 6:22] = 255
    ring[7:21, 9:19] = 0  # A 0: a rectangle's outline, empty in the middle.
    features = diagrams.two_features(np.stack([stroke, ring, np.zeros((28, 28), dtype=np.uint8)]))
    assert features.shape == (3, 2)
    np.testing.assert_allclose(features[0], [16 / 40, 40 / 784])
    assert features[1, 0] == 0.0 and features[1, 1] == pytest.approx((20 * 16 - 14 * 10) / 784)
    np.testing.assert_array_equal(features[2], [0.0, 0.0])
    # Scaled images give the same numbers.
    np.testing.assert_allclose(diagrams.two_features(stroke.reshape(1, 784) / 255.0), features[:1])


def test_two_features_refuse_negative_pixels_and_other_shapes():
    with pytest.raises(ValueError, match="pixels of 0 or more"):
        diagrams.two_features(-np.ones((1, 28, 28)))
    with pytest.raises(ValueError, match="Expected images of shape"):
        diagrams.two_features(np.zeros((1, 20, 20)))


def test_fit_line_puts_separable_points_on_their_side_and_is_deterministic():
    points, labels = _separable_points()
    weights, bias = diagrams.fit_line(points, labels)
    assert weights.shape == (2,) and isinstance(bias, float)
    assert np.mean((points @ weights + bias > 0) == (labels == 1)) > 0.95
    again = diagrams.fit_line(points, labels)
    np.testing.assert_array_equal(again[0], weights)
    assert again[1] == bias


def test_fit_line_on_two_features_tells_mnist_zeros_from_ones():
    images, labels = _zeros_and_ones(0, 300)
    weights, bias = diagrams.fit_line(diagrams.two_features(images), labels)
    test_images, test_labels = _zeros_and_ones(1, 300)
    predicted = diagrams.two_features(test_images) @ weights + bias > 0
    assert np.mean(predicted == (test_labels == 1)) > 0.95


@pytest.mark.parametrize(("labels", "message"), [
    (np.zeros(10), "both classes"),
    (np.arange(10) % 3, "labels of 0 and 1 only"),
    (np.zeros(9), "one label per point"),
])
def test_fit_line_refuses_bad_labels(labels, message):
    with pytest.raises(ValueError, match=message):
        diagrams.fit_line(np.ones((10, 2)), labels)


def test_fit_line_refuses_a_bad_learning_rate_or_steps():
    points, labels = _separable_points(20)
    with pytest.raises(ValueError, match="learning_rate must be a number above zero"):
        diagrams.fit_line(points, labels, learning_rate=0)
    with pytest.raises(ValueError, match="steps must be a whole number"):
        diagrams.fit_line(points, labels, steps=0)


def test_decision_boundary_draws_the_line_where_weights_times_x_plus_bias_is_zero():
    points, labels = _separable_points()
    weights, bias = np.array([1.0, 1.0]), -1.0
    figure = diagrams.decision_boundary(points, labels, weights, bias, ("a 0", "a 1"),
                                        ("centre ink", "inked pixels"))
    texts = _texts(figure)
    axis, = figure.axes
    assert axis.get_xlabel() == "centre ink" and axis.get_ylabel() == "inked pixels"
    line = next(item for item in axis.collections if isinstance(item, ContourSet) and list(item.levels) == [0.0])
    vertices = np.concatenate([path.vertices for path in line.get_paths() if len(path.vertices)])
    np.testing.assert_allclose(vertices @ weights + bias, 0, atol=0.05)
    assert "the side the model calls a 0" in texts and "the side the model calls a 1" in texts
    assert any(text.startswith("a 0 (") for text in texts) and any(text.startswith("a 1 (") for text in texts)
    assert any("100% of the points lie on their class's side" in text for text in texts)
    scatters = [item for item in axis.collections if isinstance(item, PathCollection)]
    assert len(scatters) == 2
    assert scatters[0].get_paths()[0] != scatters[1].get_paths()[0]  # Different markers, not only colours.


@pytest.mark.parametrize(("arguments", "message"), [
    ({"features": np.ones((5, 3))}, r"shape \(count, 2\)"),
    ({"weights": np.zeros(2)}, "not both 0"),
    ({"weights": np.ones(3)}, "two finite weights"),
    ({"labels": np.full(5, 2)}, "labels of 0 and 1 only"),
    ({"class_names": ("only one",)}, "class_names must be two strings"),
])
def test_decision_boundary_refuses_bad_arguments(arguments, message):
    call = {"features": np.arange(10.0).reshape(5, 2), "labels": np.array([0, 0, 1, 1, 1]),
            "weights": np.ones(2), "bias": 0.0, "class_names": ("a", "b"), "axis_names": ("x", "y"),
            **arguments}
    with pytest.raises(ValueError, match=message):
        diagrams.decision_boundary(**call)


# --- A convolution ------------------------------------------------------------------------------------------

def _brute_force_convolution(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    height, width = kernel.shape
    output = np.zeros((image.shape[0] - height + 1, image.shape[1] - width + 1))
    for row in range(output.shape[0]):
        for column in range(output.shape[1]):
            total = 0.0
            for offset_row in range(height):
                for offset_column in range(width):
                    total += image[row + offset_row, column + offset_column] * kernel[offset_row, offset_column]
            output[row, column] = total
    return output


@pytest.mark.parametrize("kernel_shape", [(1, 1), (3, 3), (5, 5), (2, 3), (28, 28)])
def test_convolve_matches_a_brute_force_loop_and_sliding_windows(kernel_shape):
    image = GENERATOR.normal(size=(28, 28))
    kernel = GENERATOR.normal(size=kernel_shape)
    result = diagrams.convolve(image, kernel)
    assert result.shape == (28 - kernel_shape[0] + 1, 28 - kernel_shape[1] + 1)
    np.testing.assert_allclose(result, _brute_force_convolution(image, kernel))
    windows = np.lib.stride_tricks.sliding_window_view(image, kernel_shape)
    np.testing.assert_allclose(result, np.einsum("ijkl,kl->ij", windows, kernel))


def test_convolve_does_not_flip_the_kernel():
    image = np.arange(16.0).reshape(4, 4)
    top_left = np.array([[1.0, 0.0], [0.0, 0.0]])
    np.testing.assert_array_equal(diagrams.convolve(image, top_left), image[:3, :3])


@pytest.mark.parametrize(("image", "kernel", "message"), [
    (np.ones((2, 2)), np.ones((3, 3)), r"kernel \(3 x 3\) must fit inside the image \(2 x 2\)"),
    (np.ones(5), np.ones((3, 3)), "2-D array"),
    (np.ones((5, 5)), np.array([[np.nan]]), "finite numbers"),
    (np.array([["a"]]), np.ones((1, 1)), "2-D array of numbers"),
])
def test_convolve_refuses_a_kernel_that_does_not_fit_and_non_arrays(image, kernel, message):
    with pytest.raises(ValueError, match=message):
        diagrams.convolve(image, kernel)


def test_convolution_step_writes_the_window_the_products_and_their_sum_where_it_lands():
    row, column = 10, 12
    figure = diagrams.convolution_step(DIGIT, EDGE_KERNEL, row, column)
    texts = _texts(figure)
    assert len(figure.axes) == 7  # Five panels and two colour bars.
    image_axis, window_axis, kernel_axis, products_axis, map_axis = figure.axes[:5]
    expected = diagrams.convolve(DIGIT, EDGE_KERNEL)[row, column]
    written = diagrams.format_number(expected)
    assert products_axis.get_xlabel() == f"sum = {written}"
    assert f"sum = {written}" in texts
    assert any(text.get_text() == written for text in map_axis.texts)
    window = DIGIT[row:row + 3, column:column + 3]
    assert [text.get_text() for text in window_axis.texts] == [str(value) for value in window.flat]
    assert [text.get_text() for text in kernel_axis.texts] == [
        diagrams.format_number(value) for value in EDGE_KERNEL.flat]
    products = [float(text.get_text().replace("\u2212", "-")) for text in products_axis.texts]
    assert products == (window * EDGE_KERNEL).ravel().tolist()
    assert sum(products) == expected
    # The window is outlined at (row, column) in the image, the output cell at (row, column) in the map.
    outline = image_axis.patches[0]
    assert outline.get_xy() == (column - 0.5, row - 0.5) and outline.get_width() == 3
    assert map_axis.patches[0].get_xy() == (column - 0.5, row - 0.5)
    assert map_axis.images[0].get_array().shape == (26, 26)
    # Signed values get the signed map (dark to light, so the sign survives grey) centred on 0; the digit, grey.
    assert map_axis.images[0].get_cmap().name == figures.SIGNED_CMAP
    assert map_axis.images[0].get_clim()[0] == -map_axis.images[0].get_clim()[1]
    assert image_axis.images[0].get_cmap().name == "gray_r"
    assert all(axis.get_ylabel() for axis in figure.axes[5:])  # The colour bars say what they show.


def test_convolution_step_uses_cividis_for_a_map_of_values_of_zero_or_more():
    figure = diagrams.convolution_step(DIGIT / 255.0, np.full((5, 5), 0.04), 0, 23)
    assert figure.axes[4].images[0].get_cmap().name == "cividis"
    expected = diagrams.format_number(diagrams.convolve(DIGIT / 255.0, np.full((5, 5), 0.04))[0, 23])
    assert figure.axes[3].get_xlabel() == f"sum = {expected}"


@pytest.mark.parametrize(("kernel", "row", "column", "message"), [
    (np.ones((29, 29)), 0, 0, "must fit inside the image"),
    (np.ones((7, 7)), 0, 0, "square kernels of 1 x 1 to 5 x 5"),
    (np.ones((3, 2)), 0, 0, "square kernels"),
    (EDGE_KERNEL, 26, 0, "row must be a whole number from 0 to 25"),
    (EDGE_KERNEL, 0, -1, "column must be a whole number from 0 to 25"),
    (EDGE_KERNEL, 1.5, 0, "row must be a whole number"),
])
def test_convolution_step_refuses_bad_kernels_and_positions(kernel, row, column, message):
    with pytest.raises(ValueError, match=message):
        diagrams.convolution_step(DIGIT, kernel, row, column)


def test_format_number_writes_up_to_two_decimals_and_a_true_minus():
    assert [diagrams.format_number(value) for value in (12.0, 0.25, -1.5, -0.001, 1 / 3)] == [
        "12", "0.25", "\u22121.5", "0", "0.33"]


# --- Max pooling -------------------------------------------------------------------------------------------

def test_max_pool_keeps_the_largest_value_of_each_block():
    np.testing.assert_array_equal(diagrams.max_pool(POOL_VALUES, 2), [[6, 4], [8, 9]])
    np.testing.assert_array_equal(diagrams.max_pool(POOL_VALUES, 1), POOL_VALUES)
    np.testing.assert_array_equal(diagrams.max_pool(POOL_VALUES, 4), [[9]])
    assert diagrams.max_pool(POOL_VALUES).dtype == POOL_VALUES.dtype


def test_max_pool_drops_rows_and_columns_that_do_not_fill_a_block_like_keras():
    values = np.arange(35).reshape(5, 7)
    pooled = diagrams.max_pool(values, 2)
    assert pooled.shape == (2, 3)
    np.testing.assert_array_equal(pooled, [[8, 10, 12], [22, 24, 26]])
    assert diagrams.max_pool(values, 3).tolist() == [[16, 19]]


@pytest.mark.parametrize(("values", "size", "message"), [
    (np.ones((3, 3)), 4, r"at least one whole 4 x 4 block, but the array is 3 x 3"),
    (np.ones((4, 4)), 0, "size must be a whole number of at least 1"),
    (np.ones(4), 2, "2-D array"),
])
def test_max_pool_refuses_bad_arguments(values, size, message):
    with pytest.raises(ValueError, match=message):
        diagrams.max_pool(values, size)


def test_max_pooling_circles_the_largest_of_each_block_and_writes_the_result():
    figure = diagrams.max_pooling(POOL_VALUES)
    FigureCanvasAgg(figure).draw()
    grid_axis, pooled_axis = figure.axes
    bold = [text.get_text() for text in grid_axis.texts if text.get_fontweight() == "bold"]
    assert sorted(bold) == ["4", "6", "8", "9"]
    circles = [patch for patch in grid_axis.patches if patch.__class__.__name__ == "Circle"]
    assert sorted(circle.center for circle in circles) == [(1, 1), (1, 3), (2, 2), (3, 0)]
    assert [text.get_text() for text in pooled_axis.texts] == ["6", "4", "8", "9"]
    assert figure.texts[0].get_text() == "Max pooling, 2 x 2: 4 x 4 becomes 2 x 2"


def test_max_pooling_greys_what_it_drops_and_says_so():
    figure = diagrams.max_pooling(np.arange(25).reshape(5, 5))
    grid_axis, pooled_axis = figure.axes
    assert "dropped" in grid_axis.get_xlabel()
    assert sum(1 for patch in grid_axis.patches if patch.get_hatch() == "//") == 9
    assert [text.get_text() for text in pooled_axis.texts] == ["6", "8", "16", "18"]


def test_max_pooling_refuses_a_grid_too_large_to_read():
    with pytest.raises(ValueError, match="at most 10 x 10"):
        diagrams.max_pooling(np.ones((12, 12)))


def test_figures_render_to_png_bytes():
    buffer = io.BytesIO()
    diagrams.convolution_step(DIGIT, EDGE_KERNEL, 0, 0).savefig(buffer, format="png", dpi=100)
    assert buffer.getvalue().startswith(b"\x89PNG")

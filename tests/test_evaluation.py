"""helpers.evaluation: labels, the confusion matrix and per-class figures on known values."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import evaluation, runtime

TRUE = np.array([0, 0, 1, 1, 1, 2, 2, 2, 2, 3])
PREDICTED = np.array([0, 1, 1, 1, 2, 2, 2, 0, 1, 3])


def test_predicted_labels_takes_the_highest_score_per_row():
    scores = np.array([[0.1, 0.7, 0.2], [0.9, 0.05, 0.05], [0.2, 0.3, 0.5]])
    labels = evaluation.predicted_labels(scores)
    assert labels.tolist() == [1, 0, 2] and labels.dtype == np.int64


def test_predicted_labels_refuses_one_dimensional_scores():
    with pytest.raises(ValueError, match=r"shape \(count, classes\), got shape \(3,\)"):
        evaluation.predicted_labels(np.array([0.1, 0.2, 0.7]))


def test_accuracy():
    assert evaluation.accuracy(TRUE, PREDICTED) == pytest.approx(0.6)


def test_confusion_matrix_counts_true_rows_against_predicted_columns():
    matrix = evaluation.confusion_matrix(TRUE, PREDICTED, num_classes=4)
    assert isinstance(matrix, np.ndarray) and matrix.dtype == np.int64
    assert matrix.tolist() == [[1, 1, 0, 0], [0, 2, 1, 0], [1, 1, 2, 0], [0, 0, 0, 1]]
    assert matrix.sum() == len(TRUE)


def test_confusion_matrix_matches_a_numpy_count_on_many_labels():
    generator = np.random.default_rng(1)
    true, predicted = generator.integers(0, 10, 5000), generator.integers(0, 10, 5000)
    expected = np.zeros((10, 10), dtype=np.int64)
    np.add.at(expected, (true, predicted), 1)
    np.testing.assert_array_equal(evaluation.confusion_matrix(true, predicted), expected)


@pytest.mark.parametrize(
    ("true", "predicted", "message"),
    [
        ([0, 1], [0], r"same length, got shapes \(2,\) and \(1,\)"),
        ([], [], "at least one label"),
        ([0, 12], [0, 1], "true_labels holds labels from 0 to 12; expected 0 to 9"),
        ([0.0, 1.0], [0, 1], "true_labels must hold integer labels, got dtype float64"),
    ],
)
def test_confusion_matrix_errors(true, predicted, message):
    with pytest.raises(ValueError, match=message):
        evaluation.confusion_matrix(np.array(true), np.array(predicted))


def test_per_class_metrics():
    matrix = evaluation.confusion_matrix(TRUE, PREDICTED, num_classes=4)
    metrics = evaluation.per_class_metrics(matrix)
    np.testing.assert_allclose(metrics["precision"], [1 / 2, 2 / 4, 2 / 3, 1])
    np.testing.assert_allclose(metrics["recall"], [1 / 2, 2 / 3, 2 / 4, 1])
    np.testing.assert_allclose(metrics["f1"], [0.5, 4 / 7, 4 / 7, 1])
    assert metrics["support"].tolist() == [2, 3, 4, 1]


def test_a_class_never_predicted_has_precision_zero():
    metrics = evaluation.per_class_metrics(np.array([[3, 0], [2, 0]]))
    assert metrics["precision"].tolist() == [0.6, 0.0]
    assert metrics["recall"].tolist() == [1.0, 0.0]


def test_per_class_table_has_a_row_per_class():
    table = evaluation.format_per_class_table(evaluation.per_class_metrics(np.array([[3, 1], [0, 4]])))
    assert table.splitlines() == [
        "class  precision  recall      f1  support",
        "    0      1.000   0.750   0.857        4",
        "    1      0.800   1.000   0.889        4",
    ]


def test_most_confused_pairs_are_sorted_by_count_then_class():
    matrix = np.array([[50, 3, 0], [7, 40, 3], [0, 1, 60]])
    assert evaluation.most_confused_pairs(matrix, top=3) == [(1, 0, 7), (0, 1, 3), (1, 2, 3)]
    assert evaluation.most_confused_pairs(np.eye(3, dtype=int)) == []


@pytest.mark.parametrize("bad", [np.zeros((2, 3)), np.zeros(4)])
def test_non_square_matrices_are_refused(bad):
    with pytest.raises(ValueError, match="Expected a square confusion matrix"):
        evaluation.per_class_metrics(bad)


def test_most_confused_pairs_refuses_a_bad_top():
    with pytest.raises(ValueError, match="top must be a whole number of at least 1, got 0"):
        evaluation.most_confused_pairs(np.eye(2), top=0)


def test_calibration_of_a_perfectly_calibrated_model_is_zero():
    # Two bins: 10 predictions at 0.9 confidence, 9 right; 10 at 0.6 confidence, 6 right.
    probabilities = np.array([[0.9, 0.1]] * 10 + [[0.6, 0.4]] * 10)
    labels = np.array([0] * 9 + [1] + [0] * 6 + [1] * 4)
    result = evaluation.calibration(probabilities, labels, bins=10)
    assert result["ece"] == pytest.approx(0.0, abs=1e-12)
    assert result["count"][9] == 10 and result["count"][6] == 10 and result["count"].sum() == 20
    assert result["accuracy"][9] == pytest.approx(0.9) and result["confidence"][6] == pytest.approx(0.6)
    assert np.isnan(result["accuracy"][0])


def test_calibration_error_is_the_weighted_gap():
    # Always 0.9 confident, right half the time: the gap is 0.4 everywhere.
    probabilities = np.array([[0.9, 0.1]] * 4)
    result = evaluation.calibration(probabilities, np.array([0, 1, 0, 1]))
    assert result["ece"] == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("probabilities", "labels", "bins", "message"),
    [
        (np.array([[1.5, -0.5]]), np.array([0]), 10, "scores from 0 to 1"),
        (np.array([[0.5, 0.5]]), np.array([0, 1]), 10, "same length"),
        (np.array([[0.5, 0.5]]), np.array([0]), 0, "bins must be a whole number"),
    ],
)
def test_calibration_refuses_bad_input(probabilities, labels, bins, message):
    with pytest.raises(ValueError, match=message):
        evaluation.calibration(probabilities, labels, bins=bins)


def test_attached_logits_reads_the_logits_attached_to_an_output():
    tf = runtime.import_tensorflow()
    logits = tf.constant([[2.0, -1.0, 0.5]])
    output = tf.nn.sigmoid(logits)
    output._keras_logits = logits  # What Keras's TensorFlow backend does in its sigmoid and softmax.
    result = evaluation.attached_logits(output)
    assert isinstance(result, np.ndarray)
    np.testing.assert_allclose(result, [[2.0, -1.0, 0.5]])


def test_attached_logits_is_none_when_nothing_is_attached():
    tf = runtime.import_tensorflow()
    assert evaluation.attached_logits(tf.nn.sigmoid(tf.constant([[2.0, -1.0]]))) is None
    assert evaluation.attached_logits(np.array([[0.9, 0.1]])) is None

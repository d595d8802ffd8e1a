"""Turning model outputs into labels and the confusion matrix into per-class figures.

All functions take and return NumPy arrays, except :func:`attached_logits`, which reads a Keras
output tensor; only :func:`confusion_matrix` uses TensorFlow, because the original script builds
the matrix with ``tf.math.confusion_matrix``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers import runtime


def predicted_labels(scores: np.ndarray) -> np.ndarray:
    """Returns the class with the highest score in each row.

    Args:
        scores: Model outputs of shape (count, classes), for example from ``model.predict``.

    Returns:
        An int64 array of shape (count,).

    Raises:
        ValueError: ``scores`` is not two-dimensional with at least one class.
    """
    scores = np.asarray(scores)
    if scores.ndim != 2 or scores.shape[1] == 0:
        raise ValueError(
            f"predicted_labels expects scores of shape (count, classes), got shape {scores.shape}."
        )
    return np.argmax(scores, axis=1).astype(np.int64)


def accuracy(true_labels: np.ndarray, predicted: np.ndarray) -> float:
    """Returns the share of labels predicted right, from 0 to 1.

    Raises:
        ValueError: The two arrays differ in length or are empty.
    """
    true_labels, predicted = _checked_pair(true_labels, predicted)
    return float(np.mean(true_labels == predicted))


def confusion_matrix(
    true_labels: np.ndarray, predicted: np.ndarray, num_classes: int = 10
) -> np.ndarray:
    """Counts each (true, predicted) pair with ``tf.math.confusion_matrix``.

    Args:
        true_labels: Integer labels of shape (count,).
        predicted: Predicted labels of shape (count,).
        num_classes: The number of classes; labels run from 0 to ``num_classes - 1``.

    Returns:
        An int64 array of shape (num_classes, num_classes); row ``t``, column ``p`` counts the
        images of class ``t`` predicted as ``p``.

    Raises:
        ValueError: The arrays differ in length, are empty, or hold labels out of range.
    """
    true_labels, predicted = _checked_pair(true_labels, predicted)
    for name, labels in (("true_labels", true_labels), ("predicted", predicted)):
        if labels.min() < 0 or labels.max() >= num_classes:
            raise ValueError(
                f"{name} holds labels from {labels.min()} to {labels.max()}; expected 0 to "
                f"{num_classes - 1}."
            )
    tf = runtime.import_tensorflow()
    matrix = tf.math.confusion_matrix(true_labels, predicted, num_classes=num_classes)
    return matrix.numpy().astype(np.int64)


def per_class_metrics(confusion: np.ndarray) -> dict[str, np.ndarray]:
    """Precision, recall (each class's own accuracy) and support from a confusion matrix.

    A class that is never predicted has no precision; it is reported as 0, as scikit-learn does.

    Args:
        confusion: A square matrix with true classes in rows, as :func:`confusion_matrix` gives.

    Returns:
        ``{"precision", "recall", "f1", "support"}``, each an array with one value per class.
        ``recall[c]`` is the accuracy on the images of class ``c``.

    Raises:
        ValueError: The matrix is not square.
    """
    confusion = _checked_confusion(confusion)
    correct = np.diag(confusion).astype(np.float64)
    predicted_totals = confusion.sum(axis=0)
    true_totals = confusion.sum(axis=1)
    precision = np.divide(correct, predicted_totals, out=np.zeros_like(correct),
                          where=predicted_totals > 0)
    recall = np.divide(correct, true_totals, out=np.zeros_like(correct), where=true_totals > 0)
    both = precision + recall
    f1 = np.divide(2 * precision * recall, both, out=np.zeros_like(correct), where=both > 0)
    return {"precision": precision, "recall": recall, "f1": f1, "support": true_totals}


def format_per_class_table(metrics: dict[str, np.ndarray]) -> str:
    """Lays out :func:`per_class_metrics` as a plain-text table, one row per class."""
    lines = ["class  precision  recall      f1  support"]
    for digit, (precision, recall, f1, support) in enumerate(
        zip(metrics["precision"], metrics["recall"], metrics["f1"], metrics["support"])
    ):
        lines.append(f"{digit:>5}  {precision:>9.3f}  {recall:>6.3f}  {f1:>6.3f}  {support:>7d}")
    return "\n".join(lines)


def most_confused_pairs(confusion: np.ndarray, top: int = 5) -> list[tuple[int, int, int]]:
    """The off-diagonal cells with the most images: which digit is most often taken for which.

    Args:
        confusion: A square matrix with true classes in rows.
        top: How many pairs to return, at most.

    Returns:
        Up to ``top`` tuples ``(true_class, predicted_class, count)`` with ``count > 0``, largest
        first; ties are ordered by true class, then predicted class.

    Raises:
        ValueError: The matrix is not square, or ``top`` is not a positive whole number.
    """
    confusion = _checked_confusion(confusion)
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ValueError(f"top must be a whole number of at least 1, got {top!r}.")
    pairs = [
        (int(true_class), int(predicted_class), int(confusion[true_class, predicted_class]))
        for true_class in range(confusion.shape[0])
        for predicted_class in range(confusion.shape[1])
        if true_class != predicted_class and confusion[true_class, predicted_class] > 0
    ]
    pairs.sort(key=lambda pair: (-pair[2], pair[0], pair[1]))
    return pairs[:top]


def calibration(probabilities: np.ndarray, true_labels: np.ndarray, bins: int = 10) -> dict[str, Any]:
    """How far a model's confidence can be trusted: its reliability table and calibration error.

    The confidence of a prediction is the score of the predicted class. Predictions are grouped
    by confidence into ``bins`` equal bins from 0 to 1; a calibrated model is right 80% of the time
    on the predictions it makes with 80% confidence. The expected calibration error (ECE) is the
    gap between confidence and accuracy, averaged over the bins, weighted by their sizes.

    Args:
        probabilities: Scores of shape (count, classes); rows should sum to 1 to be probabilities.
        true_labels: Labels of shape (count,).
        bins: The number of confidence bins.

    Returns:
        ``{"confidence", "accuracy", "count"}`` (arrays, one value per bin; empty bins hold NaN and
        0) and ``"ece"`` (a float from 0 to 1).

    Raises:
        ValueError: Shapes that do not line up, scores outside [0, 1], or a bad ``bins``.
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    predicted = predicted_labels(probabilities)
    true_labels, predicted = _checked_pair(true_labels, predicted)
    if isinstance(bins, bool) or not isinstance(bins, int) or bins < 1:
        raise ValueError(f"bins must be a whole number of at least 1, got {bins!r}.")
    if probabilities.min() < 0 or probabilities.max() > 1:
        raise ValueError("calibration expects scores from 0 to 1, got values outside that range.")
    confidence = probabilities[np.arange(len(predicted)), predicted]
    correct = (predicted == true_labels).astype(np.float64)
    which = np.minimum((confidence * bins).astype(np.int64), bins - 1)
    count = np.bincount(which, minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_confidence = np.bincount(which, weights=confidence, minlength=bins) / count
        mean_accuracy = np.bincount(which, weights=correct, minlength=bins) / count
    gaps = np.abs(np.nan_to_num(mean_confidence) - np.nan_to_num(mean_accuracy))
    return {
        "confidence": mean_confidence,
        "accuracy": mean_accuracy,
        "count": count,
        "ece": float(np.sum(gaps * count) / len(predicted)),
    }


def attached_logits(output: Any) -> np.ndarray | None:
    """Returns the logits that Keras attached to a sigmoid or softmax output, or None.

    On the TensorFlow backend, Keras's ``sigmoid`` and ``softmax`` activations store the values
    they were given, the logits before the activation, on the tensor they return, under the
    private attribute ``_keras_logits``; its cross-entropy losses read them from there and compute
    softmax cross-entropy from the logits instead of the activation's outputs. This function reads
    that attribute, so that a notebook need not name a private attribute. Keras does not document
    it: another release or another backend may attach nothing, and so does anything that is not a
    Keras tensor, such as the NumPy array that ``model.predict`` returns. Then the result is None.

    Args:
        output: What a model or an activation returned when called on data, for example
            ``model(images)`` (an eager tensor, not a symbolic one).

    Returns:
        The attached logits as a NumPy array, or None when nothing is attached.
    """
    logits = getattr(output, "_keras_logits", None)
    if logits is None:
        return None
    return np.asarray(logits)


def _checked_pair(true_labels: np.ndarray, predicted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    true_labels = np.asarray(true_labels)
    predicted = np.asarray(predicted)
    if true_labels.ndim != 1 or predicted.ndim != 1 or len(true_labels) != len(predicted):
        raise ValueError(
            "Expected two one-dimensional label arrays of the same length, got shapes "
            f"{true_labels.shape} and {predicted.shape}."
        )
    if len(true_labels) == 0:
        raise ValueError("Expected at least one label, got empty arrays.")
    for name, labels in (("true_labels", true_labels), ("predicted", predicted)):
        if not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(f"{name} must hold integer labels, got dtype {labels.dtype}.")
    return true_labels.astype(np.int64), predicted.astype(np.int64)


def _checked_confusion(confusion: np.ndarray) -> np.ndarray:
    confusion = np.asarray(confusion)
    if confusion.ndim != 2 or confusion.shape[0] != confusion.shape[1] or confusion.size == 0:
        raise ValueError(f"Expected a square confusion matrix, got shape {confusion.shape}.")
    return confusion

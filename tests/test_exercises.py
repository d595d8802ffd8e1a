"""Every exercise check: the reference answer passes, typical wrong answers fail with words that help,
a placeholder is "not attempted", and a broken call raises."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from helpers import handwriting
from helpers.exercises import MODULES, core
from helpers.exercises import notebook_00 as n00
from helpers.exercises import notebook_01 as n01
from helpers.exercises import notebook_02 as n02
from helpers.exercises import notebook_03 as n03
from helpers.exercises import notebook_04 as n04
from helpers.exercises import notebook_05 as n05
from helpers.exercises import notebook_06 as n06
from helpers.exercises import notebook_07 as n07
from helpers.exercises import notebook_08 as n08
from helpers.exercises import notebook_09 as n09
from helpers.exercises import notebook_10 as n10
from helpers.exercises import notebook_11 as n11
from helpers.exercises import notebook_12 as n12
from helpers.exercises import notebook_13 as n13
from helpers.exercises import notebook_14 as n14

GENERATOR = np.random.default_rng(0)
LABELS = np.concatenate([np.repeat(np.arange(10), [60, 70, 60, 60, 60, 40, 60, 65, 60, 60])])
IMAGES = GENERATOR.integers(0, 256, (len(LABELS), 28, 28), dtype=np.uint8) * (GENERATOR.random((len(LABELS), 28, 28)) < 0.1)
IMAGES[:, :, 0] = 0  # Column 0 is blank everywhere, so the border has both kinds of pixel.


def assert_feedback(feedback: core.Feedback, status: str, *words: str) -> None:
    assert feedback.status == status, str(feedback)
    for word in words:
        assert word in feedback.message, f"{word!r} not in: {feedback.message}"


# The machinery.

def test_every_notebook_has_two_or_three_exercises_and_at_least_two_checked():
    assert list(MODULES) == [f"{number:02d}" for number in range(15)]
    for number, name in MODULES.items():
        exercises = importlib.import_module(name).EXERCISES
        assert len(exercises) in (2, 3), number
        assert sum(exercise.checked for exercise in exercises) >= 2, number
        assert [exercise.grade_id for exercise in exercises] == [f"n{number}_exercise_{k}" for k in range(1, len(exercises) + 1)]


def test_a_placeholder_answer_is_not_attempted_and_says_what_to_replace():
    feedback = n01.exercise_1.check(..., 0.1, labels=LABELS)
    assert_feedback(feedback, "not attempted", "replace the ... in rarest_digit")
    assert str(feedback).startswith("… Not attempted yet · Exercise 1 (notebook 01)")


def test_a_function_that_still_raises_not_implemented_is_not_attempted():
    def standardise(images):
        raise NotImplementedError("your code here")
    assert_feedback(n02.exercise_1.check(standardise), "not attempted", "standardise still raises NotImplementedError")


def test_a_broken_call_raises_with_what_the_check_needs():
    with pytest.raises(TypeError, match="needs the inputs labels="):
        n01.exercise_1.check(5, 0.09)
    with pytest.raises(TypeError, match="takes 2 answer"):
        n01.exercise_1.check(5, labels=LABELS)
    with pytest.raises(ValueError, match="labels must be a 1-D array"):
        n01.exercise_1.check(5, 0.09, labels=IMAGES)
    with pytest.raises(TypeError, match="question to think about"):
        n02.exercise_3.check(1)


def test_an_answer_that_breaks_the_comparison_is_wrong_not_an_exception():
    feedback = n07.exercise_1.check(object(), confusion=np.eye(3, dtype=int))
    assert_feedback(feedback, "wrong", "lopsided_pair should be 2 whole numbers")


def test_feedback_carries_its_status_and_expected_values_in_output_metadata():
    feedback = n01.exercise_1.check(5, 40 / len(LABELS), labels=LABELS)
    data, metadata = feedback._repr_mimebundle_()
    assert feedback.correct and data["text/plain"].startswith("✓ Correct")
    assert metadata[core.METADATA_KEY] == {"grade_id": "n01_exercise_1", "status": "correct",
                                           "expected": f"rarest_digit = 5, rarest_share = {40 / len(LABELS):.5f}"}


def test_hint_and_solution_come_from_the_same_object():
    assert "np.argmin" in str(n01.exercise_1.hint())
    solution = n01.exercise_1.solution()
    assert "rarest_digit = int(np.argmin(train_counts))" in str(solution)
    assert "BEGIN SOLUTION" not in str(solution) and "```python" in solution._repr_markdown_()
    assert "Model answer" in str(n02.exercise_3.solution())


def test_a_solution_missing_from_this_copy_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(core.paths, "NOTEBOOKS_DIR", tmp_path)
    assert "not in this copy of the course" in str(n01.exercise_1.solution())


def test_solution_regions_must_pair_up():
    assert core.solution_region("a\n### BEGIN SOLUTION\nb\n### END SOLUTION\n") == (1, 3)
    assert core.solution_region("no region") is None
    with pytest.raises(ValueError, match="exactly one"):
        core.solution_region("### END SOLUTION\n### BEGIN SOLUTION")


# Notebook 01.

@pytest.mark.parametrize("digit, share, status, words", [
    (5, 40 / len(LABELS), "correct", ["5 is the rarest digit"]),
    (1, 70 / len(LABELS), "wrong", ["most common digit", "np.argmin"]),
    (5, 4000 / len(LABELS), "wrong", ["a percentage"]),
    (5, 40, "wrong", ["the count itself"]),
    (5, 40 / 500, "wrong", ["len(y_train)"]),
    (12, 0.1, "wrong", ["from 0 to 9"]),
    ("5", 0.1, "wrong", ["whole number", "the text '5'"]),
])
def test_01_rarest_digit(digit, share, status, words):
    assert_feedback(n01.exercise_1.check(digit, share, labels=LABELS), status, *words)


def test_01_first_sevens():
    sevens = IMAGES[LABELS == 7][:16]
    assert_feedback(n01.exercise_2.check(sevens, images=IMAGES, labels=LABELS), "correct")
    few = IMAGES[:16][LABELS[:16] == 7]
    assert_feedback(n01.exercise_2.check(few, images=IMAGES, labels=LABELS), "wrong", "Select the sevens first")
    assert_feedback(n01.exercise_2.check(IMAGES[:16], images=IMAGES, labels=LABELS), "wrong", "y_train == 7")


def test_01_border_share():
    inked = (IMAGES > 0).any(axis=0)
    border = np.zeros((28, 28), bool)
    border[[0, -1], :] = border[:, [0, -1]] = True
    check = lambda answer: n01.exercise_3.check(answer, images=IMAGES)
    assert_feedback(check(inked[border].mean()), "correct", "of the 108 border pixels")
    twice = np.concatenate([inked[0], inked[-1], inked[:, 0], inked[:, -1]]).mean()
    assert_feedback(check(twice), "wrong", "corners are counted twice")
    assert_feedback(check((IMAGES[:, border] > 0).mean()), "wrong", "average image")
    assert_feedback(check(inked[border].mean() * 100), "wrong", "a percentage")


# Notebook 02.

@pytest.mark.parametrize("function, status, words", [
    (lambda images: (images - 0.1307) / 0.3081, "correct", ["range from -0.42 to 2.82"]),
    (lambda images: images - 0.1307 / 0.3081, "wrong", ["brackets"]),
    (lambda images: images / 0.3081 - 0.1307, "wrong", ["subtract the mean first"]),
    (lambda images: images.__isub__(0.1307).__itruediv__(0.3081), "wrong", ["changed the images it was given"]),
    (lambda images: None, "wrong", ["returned None"]),
    (lambda images: 1 / 0, "wrong", ["raised ZeroDivisionError"]),
    ("not a function", "wrong", ["should be a function"]),
])
def test_02_standardise(function, status, words):
    assert_feedback(n02.exercise_1.check(function), status, *words)


def test_02_unflattened():
    image = GENERATOR.random((28, 28))
    assert_feedback(n02.exercise_2.check(image.reshape(784).reshape(28, 28), original=image), "correct")
    assert_feedback(n02.exercise_2.check(image.reshape(784).reshape(28, 28, order="F"), original=image), "wrong", "transposed")
    assert_feedback(n02.exercise_2.check(image.reshape(784), original=image), "wrong", "still a vector")


# Notebook 03.

def good_softmax(scores):
    exponentials = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exponentials / exponentials.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("function, status, words", [
    (good_softmax, "correct", ["stays finite"]),
    (lambda scores: np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True), "wrong", ["overflows", "largest"]),
    (lambda scores: np.exp(scores) / np.exp(scores).sum(), "wrong", ["all the images at once", "keepdims=True"]),
    (lambda scores: np.exp(scores) / np.exp(scores).sum(axis=1), "wrong", ["raised ValueError"]),
])
def test_03_softmax(function, status, words):
    assert_feedback(n03.exercise_1.check(function), status, *words)


@pytest.mark.parametrize("function, status, words", [
    (lambda p, labels: -np.mean(np.log(p[np.arange(len(labels)), labels])), "correct", ["0.6192"]),
    (lambda p, labels: np.mean(np.log(p[np.arange(len(labels)), labels])), "wrong", ["minus"]),
    (lambda p, labels: -np.sum(np.log(p[np.arange(len(labels)), labels])), "wrong", ["summed"]),
    (lambda p, labels: -np.log(p[np.arange(len(labels)), labels]), "wrong", ["one loss per image"]),
    (lambda p, labels: -np.mean(np.log10(p[np.arange(len(labels)), labels])), "wrong", ["natural logarithm"]),
    (lambda p, labels: -np.mean(np.log(p[:, labels])), "wrong", ["probabilities[np.arange(len(labels)), labels]"]),
])
def test_03_cross_entropy(function, status, words):
    assert_feedback(n03.exercise_2.check(function), status, *words)


def test_04_blank_everywhere():
    flat = IMAGES.reshape(len(IMAGES), 784)
    check = lambda answer: n04.exercise_1.check(answer, images=flat)
    assert_feedback(check(np.all(flat == 0, axis=0)), "correct", "blank in every training image")
    assert_feedback(check(np.any(flat == 0, axis=0)), "wrong", "np.all")
    assert_feedback(check(np.all(flat == 0, axis=1)), "wrong", "axis=0")
    assert_feedback(check(int(np.all(flat == 0, axis=0).sum())), "wrong", "not a single number")


def test_04_total_steps():
    check = lambda answer, batch_size=100, epochs=2: n04.exercise_2.check(answer, images=IMAGES, batch_size=batch_size, epochs=epochs)
    count = len(IMAGES)
    assert_feedback(check(2 * -(-count // 100)), "correct", "steps an epoch")
    assert_feedback(check(-(-count // 100)), "wrong", "one epoch")
    assert_feedback(check(2 * count), "wrong", "counts images")
    assert_feedback(check(2 * (count // 100)), "wrong", "round up")
    with pytest.raises(ValueError, match="must be positive"):
        check(1, batch_size=0)


def test_00_digits_read_right():
    confusion = np.array([[50, 2, 0], [3, 40, 1], [0, 4, 30]])
    check = lambda answer: n00.exercise_2.check(answer, confusion=confusion)
    assert_feedback(check(120), "correct", "120 of 130")
    assert_feedback(check(130), "wrong", "every test digit")
    assert_feedback(check(10), "wrong", "off the diagonal")
    assert_feedback(check(7), "wrong", "np.trace")
    with pytest.raises(ValueError, match="square"):
        n00.exercise_2.check(1, confusion=np.ones((2, 3)))


# Notebooks 05 and 06: small Keras models.

@pytest.fixture(scope="module")
def keras_models():
    from helpers import models, runtime
    runtime.import_tensorflow()
    runtime.set_seed(0)
    single = models.build_single_layer_model()
    hidden = models.build_hidden_layer_model(16)
    images = GENERATOR.random((200, 784)).astype("float32")
    labels = np.arange(200) % 10
    return single, hidden, images, labels


@pytest.mark.slow
def test_05_parameter_count(keras_models):
    single = keras_models[0]
    assert_feedback(n05.exercise_1.check(784 * 10 + 10, model=single), "correct", "7,850")
    assert_feedback(n05.exercise_1.check(7840, model=single), "wrong", "weights only")
    assert_feedback(n05.exercise_1.check(784, model=single), "wrong", "inputs or neurons")
    with pytest.raises(ValueError, match="Keras model"):
        n05.exercise_1.check(7850, model="single_model")


@pytest.mark.slow
def test_00_first_model_numbers(keras_models):
    single = keras_models[0]
    assert_feedback(n00.exercise_1.check(7850, model=single), "correct", "7,850")
    assert_feedback(n00.exercise_1.check(7840, model=single), "wrong", "weights only")


@pytest.mark.slow
def test_05_per_digit_accuracy(keras_models):
    single, _, images, labels = keras_models
    predicted = np.argmax(single.predict(images, verbose=0), axis=1)
    per_digit = np.array([np.mean(predicted[labels == d] == d) for d in range(10)])
    precision = np.array([np.mean(labels[predicted == d] == d) if np.any(predicted == d) else np.nan for d in range(10)])
    check = lambda accuracy, hardest: n05.exercise_2.check(accuracy, hardest, model=single, images=images, labels=labels)
    assert_feedback(check(per_digit, int(np.argmin(per_digit))), "correct")
    assert_feedback(check(per_digit, int(np.argmax(per_digit))), "wrong", "reads best")
    assert_feedback(check(per_digit * 100, 0), "wrong", "percentages")
    assert_feedback(check(float(per_digit.mean()), 0), "wrong", "not a single number")
    if not np.allclose(precision, per_digit, equal_nan=True):
        assert check(np.nan_to_num(precision), 0).status == "wrong"


def test_06_parameter_count_for_400_units():
    assert_feedback(n06.exercise_1.check(784 * 400 + 400 + 400 * 10 + 10, hidden_units=400), "correct", "318,010")
    assert_feedback(n06.exercise_1.check(784 * 400 + 400 * 10, hidden_units=400), "wrong", "weights only")
    assert_feedback(n06.exercise_1.check(784 * 400 + 400, hidden_units=400), "wrong", "hidden layer only")
    with pytest.raises(ValueError, match="hidden_units"):
        n06.exercise_1.check(1, hidden_units=0)


@pytest.mark.slow
def test_06_forward_pass_by_hand(keras_models):
    _, hidden, images, _ = keras_models
    w1, b1, w2, b2 = hidden.get_weights()
    logits = np.maximum(0, images[:5] @ w1 + b1) @ w2 + b2
    check = lambda answer: n06.exercise_2.check(answer, model=hidden, images=images[:5])
    assert_feedback(check(1 / (1 + np.exp(-logits))), "correct", "same scores")
    assert_feedback(check(logits), "wrong", "before the output's sigmoid")
    assert_feedback(check(1 / (1 + np.exp(-((images[:5] @ w1 + b1) @ w2 + b2)))), "wrong", "ReLU is missing")
    assert_feedback(check(good_softmax(logits)), "wrong", "softmax")
    assert_feedback(check(np.zeros((4, 10))), "wrong", "shape (4, 10)")
    with pytest.raises(ValueError, match="two Dense layers"):
        n06.exercise_2.check(logits, model=keras_models[0], images=images[:5])


# Notebook 07.

CONFUSION = np.array([[50, 2, 1], [9, 40, 3], [0, 4, 45]])


def test_07_lopsided_pair():
    assert_feedback(n07.exercise_1.check((1, 0), confusion=CONFUSION), "correct", "9 images of a 1 were called 0")
    assert_feedback(n07.exercise_1.check(np.unravel_index(3, (3, 3)), confusion=CONFUSION), "correct")
    assert_feedback(n07.exercise_1.check((0, 1), confusion=CONFUSION), "wrong", "other way round")
    assert_feedback(n07.exercise_1.check((2, 2), confusion=CONFUSION), "wrong", "diagonal")
    with pytest.raises(ValueError, match="square"):
        n07.exercise_1.check((1, 0), confusion=CONFUSION[:2])


def test_07_least_precise():
    # Column sums 59, 46, 49: precision 0.847, 0.870, 0.918; row sums 53, 52, 49: recall 0.943, 0.769, 0.918.
    assert_feedback(n07.exercise_2.check(0, confusion=CONFUSION), "correct", "84.7%")
    assert_feedback(n07.exercise_2.check(1, confusion=CONFUSION), "wrong", "lowest recall")
    assert_feedback(n07.exercise_2.check(2, confusion=CONFUSION), "wrong", "another digit's is lower")


# Notebook 08.

class SingleLayer:
    """A stand-in with a single Dense layer's get_weights()."""

    def __init__(self):
        self.weights = [GENERATOR.normal(size=(784, 10)), GENERATOR.normal(size=10)]

    def get_weights(self):
        return self.weights


def test_08_softmax_of_the_logits():
    model, images = SingleLayer(), GENERATOR.random((100, 784)) * 0.05
    logits = images @ model.weights[0] + model.weights[1]
    sigmoid = 1 / (1 + np.exp(-logits))
    check = lambda answer: n08.exercise_1.check(answer, model=model, images=images)
    assert_feedback(check(good_softmax(logits)), "correct", "sum to 1")
    assert_feedback(check(good_softmax(sigmoid)), "wrong", "softmax applied to the sigmoid outputs")
    assert_feedback(check(sigmoid / sigmoid.sum(axis=1, keepdims=True)), "wrong", "divides the sigmoid scores")
    assert_feedback(check(logits), "wrong", "these are the logits")


def test_08_confident_predictions():
    probabilities = np.full((10, 3), 0.005)
    probabilities[np.arange(10), np.arange(10) % 3] = 0.99
    probabilities[:4] = [0.5, 0.3, 0.2]
    labels = np.arange(10) % 3
    labels[5] = 0  # One confident mistake among the 6 confident predictions.
    check = lambda share, accuracy: n08.exercise_2.check(share, accuracy, probabilities=probabilities, labels=labels)
    assert_feedback(check(0.6, 5 / 6), "correct", "60.0%")
    assert_feedback(check(6, 5 / 6), "wrong", "a count")
    assert_feedback(check(60.0, 5 / 6), "wrong", "a percentage")
    overall = np.mean(np.argmax(probabilities, axis=1) == labels)
    assert_feedback(check(0.6, overall), "wrong", "all the test images")


# Notebook 09: the course's CNN.

@pytest.mark.slow
def test_09_feature_map_shape_and_parameters():
    from helpers import models, runtime
    runtime.import_tensorflow()
    cnn = models.build_cnn()
    assert_feedback(n09.exercise_1.check((8, 8, 48), model=cnn), "correct", "12 - 5 + 1 = 8")
    assert_feedback(n09.exercise_1.check((12, 12, 48), model=cnn), "wrong", "loses 2 pixels")
    assert_feedback(n09.exercise_1.check((4, 4, 48), model=cnn), "wrong", "after the second pooling")
    assert_feedback(n09.exercise_1.check((8, 8, 24), model=cnn), "wrong", "48 filters")
    assert_feedback(n09.exercise_2.check(600, model=cnn), "correct", "600")
    assert_feedback(n09.exercise_2.check(624, model=cnn), "wrong", "use_bias=False")
    assert_feedback(n09.exercise_2.check(25, model=cnn), "wrong", "24 filters")
    with pytest.raises(ValueError, match="two Conv2D"):
        n09.exercise_1.check((8, 8, 48), model=models.build_single_layer_model())


# Notebook 11.

def test_10_first_convolution_multiplications_and_halfway_rate():
    from helpers import models, runtime
    runtime.import_tensorflow()
    import keras
    cnn = models.build_cnn()
    check = lambda answer: n10.exercise_1.check(answer, model=cnn)
    assert_feedback(check(26 * 26 * 24 * 9), "correct", "146,016", "0.42 of the 5 x 5 filters' 345,600")
    assert_feedback(check(24 * 24 * 24 * 25), "wrong", "the network's own 5 x 5 filters")
    assert_feedback(check(24 * 24 * 24 * 9), "wrong", "fits 26 x 26 positions")
    assert_feedback(check(26 * 26 * 24), "wrong", "output")
    assert_feedback(check(216), "wrong", "weights")
    assert_feedback(check(28 * 28 * 24 * 9), "wrong", "not 28 x 28")
    schedule = keras.optimizers.schedules.CosineDecay(0.004, decay_steps=2345)
    halfway = lambda answer: n10.exercise_2.check(answer, schedule=schedule, total_steps=2345)
    assert_feedback(halfway(0.002), "correct", "half the start")
    assert_feedback(halfway(0.004), "wrong", "at the start")
    assert_feedback(halfway(0), "wrong", "where it ends")
    assert_feedback(halfway(0.001), "wrong", "not it")
    with pytest.raises(ValueError, match="at least 2"):
        n10.exercise_2.check(0.002, schedule=schedule, total_steps=1)


def test_11_moved_right():
    image = IMAGES[0]
    check = lambda answer: n11.exercise_1.check(answer, image=image)
    assert_feedback(check(np.roll(image, 3, axis=1)), "correct")
    assert_feedback(check(np.roll(image, 3, axis=0)), "wrong", "moved down")
    assert_feedback(check(np.roll(image, -3, axis=1)), "wrong", "moved left")
    assert_feedback(check(np.roll(image, 3)), "wrong", "axis=1")


def test_11_first_shift_below_90():
    shifts, accuracies = [0, 1, 2, 3, 4], [0.99, 0.98, 0.93, 0.85, 0.6]
    check = lambda answer, values=accuracies: n11.exercise_2.check(answer, shifts=shifts, accuracies=values)
    assert_feedback(check(3), "correct", "moved 3 pixels right")
    assert_feedback(check(2), "wrong", "still at least 90%")
    assert_feedback(n11.exercise_2.check(1, shifts=[2, 4, 6], accuracies=[0.95, 0.8, 0.5]), "wrong", "position in the list")
    assert_feedback(check(None, [0.99] * 5), "correct", "None is right")
    assert_feedback(check(3, [0.99] * 5), "wrong", "never falls below 90%")


# Notebook 12.

ROWS = [
    {"hidden_units": 16, "epochs": 1, "validation_accuracy": 0.93, "test_accuracy": 0.92, "train_seconds": 2.0, "run_seconds": 10.0},
    {"hidden_units": 64, "epochs": 3, "validation_accuracy": 0.97, "test_accuracy": 0.95, "train_seconds": 4.0, "run_seconds": 12.0},
    {"hidden_units": 256, "epochs": 1, "validation_accuracy": 0.96, "test_accuracy": 0.96, "train_seconds": 3.0, "run_seconds": 11.0},
]


def test_12_choice_on_validation():
    assert_feedback(n12.exercise_1.check(64, 3, rows=ROWS), "correct", "highest validation accuracy")
    assert_feedback(n12.exercise_1.check(256, 1, rows=ROWS), "wrong", "best test accuracy")
    assert_feedback(n12.exercise_1.check(16, 1, rows=ROWS), "wrong", "is not the setting")
    with pytest.raises(ValueError, match="run_grid"):
        n12.exercise_1.check(64, 3, rows=[{"hidden_units": 64}])


def test_12_time_ratio():
    assert_feedback(n12.exercise_2.check(2.0, rows=ROWS), "correct", "2.0 times")
    assert_feedback(n12.exercise_2.check(1.2, rows=ROWS), "wrong", "run_seconds")
    assert_feedback(n12.exercise_2.check(0.5, rows=ROWS), "wrong", "upside down")


# Notebook 13.

def test_13_centre_of_mass():
    digit = np.zeros((28, 28))
    digit[10:14, 5:7] = 1.0
    digit[12, 20] = 4.0  # One heavy pixel pulls the centre towards it.
    def good(image):
        rows, columns = np.indices(image.shape)
        ink = image.astype(float)
        return (rows * ink).sum() / ink.sum(), (columns * ink).sum() / ink.sum()
    assert_feedback(n13.exercise_1.check(good, digit=digit), "correct", "within a pixel")
    assert_feedback(n13.exercise_1.check(lambda image: good(image)[::-1], digit=digit), "wrong", "swapped")
    unweighted = lambda image: tuple(np.mean(np.nonzero(image), axis=1))
    assert_feedback(n13.exercise_1.check(unweighted, digit=digit), "wrong", "Weight each pixel by its ink")
    with pytest.raises(ValueError, match="some ink"):
        n13.exercise_1.check(good, digit=np.zeros((28, 28)))


def test_13_recentred():
    digit = np.zeros((28, 28))
    digit[2:6, 20:23] = 200
    row, column = handwriting.centre_of_mass(digit)
    shift = (round(14 - row), round(14 - column))
    check = lambda answer: n13.exercise_2.check(answer, digit=digit)
    assert_feedback(check(np.roll(digit, shift, axis=(0, 1))), "correct", "rows down", "columns left")
    assert_feedback(check(np.roll(digit, (-shift[0], -shift[1]), axis=(0, 1))), "wrong", "the wrong way")
    assert_feedback(check(np.roll(digit, shift[::-1], axis=(0, 1))), "wrong", "swapped")
    assert_feedback(check(digit), "wrong", "not naive moved")


# Notebook 14.

WEIGHTS = np.random.default_rng(1).normal(0, 0.05, 784).astype(np.float32)
WEIGHTS[3] = -0.2  # The largest size is a negative weight, so "largest weight" and "largest size" differ.


def test_14_quantize():
    def good(weights):
        scale = np.abs(weights).max() / 127
        return np.round(weights / scale), scale

    def with_divisor(divisor):
        return lambda weights: (np.round(weights / (np.abs(weights).max() / divisor)), np.abs(weights).max() / divisor)

    check = lambda function: n14.exercise_1.check(function, weights=WEIGHTS)
    assert_feedback(check(good), "correct", "within", "half a step")
    assert_feedback(check(lambda weights: good(weights)[0]), "wrong", "two things")
    assert_feedback(check(with_divisor(255)), "wrong", "divided by 255")
    assert_feedback(check(with_divisor(128)), "wrong", "divided by 128")
    from_largest = lambda weights: (np.round(weights / (weights.max() / 127)), weights.max() / 127)
    assert_feedback(check(from_largest), "wrong", "np.abs(weights).max()")
    truncated = lambda weights: ((weights / good(weights)[1]).astype(np.int8), good(weights)[1])
    assert_feedback(check(truncated), "wrong", "cut towards zero")
    assert_feedback(check(lambda weights: (good(weights)[0][::-1], good(weights)[1])), "wrong", "are not round")
    assert_feedback(check(...), "not attempted")
    with pytest.raises(ValueError, match="one neuron's weights"):
        n14.exercise_1.check(good, weights=np.zeros(784))


def test_14_int8_bytes():
    kernel = np.zeros((784, 100), dtype=np.float32)
    check = lambda answer: n14.exercise_2.check(answer, kernel=kernel)
    assert_feedback(check(78_800), "correct", "78,800 bytes", "313,600")
    assert_feedback(check(78_400), "wrong", "each neuron also keeps its scale")
    assert_feedback(check(313_600), "wrong", "float32 size")
    assert_feedback(check(78_400 + 4 * 784), "wrong", "one scale per neuron")
    assert_feedback(check(78_400 + 8 * 100), "wrong", "4 bytes each, not 8")
    assert_feedback(check(12), "wrong", "is not it")
    assert_feedback(check("78800"), "wrong", "whole number")
    with pytest.raises(ValueError, match="weight matrix"):
        n14.exercise_2.check(1, kernel=np.zeros(5))


# Issue 21, part 5: answers rounded to the precision asked for, dicts, and functions that never return.

def test_a_share_rounded_to_three_decimals_is_right_and_one_rounded_further_is_not():
    images = np.zeros((20, 28, 28), dtype=np.uint8)
    border = np.zeros((28, 28), dtype=bool)
    border[[0, 27], :] = border[:, [0, 27]] = True
    inked = np.zeros((28, 28), dtype=bool)
    inked[0, :19] = True  # 19 of the 108 border pixels: a share of 0.17593
    images[0][inked] = 200
    true_share = inked[border].mean()
    assert_feedback(n01.exercise_3.check(round(true_share, 3), images=images), "correct")
    assert_feedback(n01.exercise_3.check(round(true_share, 2), images=images), "wrong")


def test_a_dict_of_ten_values_gets_a_message_about_dicts():
    assert core.dict_advice({digit: 0.9 for digit in range(10)}, "answer").startswith(
        "answer is a dict with the keys 0 to 9; the check wants the values alone, in that order")
    with pytest.raises(core.Wrong, match="per_digit_accuracy is a dict with the keys 0 to 9"):
        core.as_array({digit: 0.9 for digit in range(10)}, "per_digit_accuracy", (10,))
    with pytest.raises(core.Wrong, match="answer is a dict; the check wants a list"):
        core.as_array({"a": 1}, "answer")


def test_05_per_digit_accuracy_given_as_a_dict(keras_models):
    model, _, images, labels = keras_models
    as_dict = {digit: 0.9 for digit in range(10)}
    assert_feedback(n05.exercise_2.check(as_dict, 3, model=model, images=images, labels=labels), "wrong",
                    "is a dict with the keys 0 to 9")


def test_a_function_that_never_returns_is_stopped_with_a_message(monkeypatch):
    import sys
    import time

    monkeypatch.setattr(core, "TIME_LIMIT_SECONDS", 0.5)

    def never_returns(weights):
        while True:
            try:
                time.sleep(0.01)
            except Exception:  # a learner's catch-all does not swallow the stop
                pass

    started = time.monotonic()
    feedback = n14.exercise_1.check(never_returns, weights=WEIGHTS)
    assert time.monotonic() - started < 5
    assert_feedback(feedback, "wrong", "quantize did not return within 0.5 seconds, so the check stopped it")
    assert sys.gettrace() is None  # the tracer is gone again
    assert_feedback(n14.exercise_1.check(lambda weights: (np.round(weights / (np.abs(weights).max() / 127)),
                                                          np.abs(weights).max() / 127), weights=WEIGHTS), "correct")

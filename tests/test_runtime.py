"""helpers.runtime: a silent TensorFlow import, and seeding that makes training repeatable."""

from __future__ import annotations

import logging
import time

import numpy as np
import pytest
from conftest import run_python

from helpers import data, evaluation, models, preprocessing, runtime


def test_tensorflow_imports_without_writing_to_stderr(tmp_path):
    result = run_python(
        "from helpers import runtime\n"
        "tf = runtime.import_tensorflow()\n"
        "import keras\n"
        "print(tf.__name__, float(tf.reduce_sum(tf.ones(3))))\n",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "tensorflow 3.0"
    assert result.stderr == ""


def test_stderr_works_again_after_the_import(tmp_path):
    result = run_python(
        "import os\n"
        "from helpers import runtime\n"
        "runtime.import_tensorflow()\n"
        "os.write(2, b'still here')\n",
        cwd=tmp_path,
    )
    assert result.stderr == "still here"


def test_a_failed_import_reports_what_happened(tmp_path):
    (tmp_path / "tensorflow.py").write_text("import sys\nsys.stderr.write('broken build\\n')\nraise RuntimeError('boom')\n")
    result = run_python(
        "from helpers import runtime\n"
        "try:\n"
        "    runtime.import_tensorflow()\n"
        "except ImportError as error:\n"
        "    print(error)\n",
        cwd=tmp_path, PYTHONPATH=str(tmp_path),
    )
    assert "TensorFlow could not be imported (boom)" in result.stdout
    assert "broken build" in result.stdout


@pytest.mark.parametrize("seed", [-1, 2**32, 1.5, "0", True])
def test_set_seed_refuses_bad_seeds(seed):
    with pytest.raises(ValueError, match=f"seed must be a whole number from 0 to 4294967295, got {seed!r}"):
        runtime.set_seed(seed)


def _train_and_score(seed: int) -> tuple[float, np.ndarray]:
    import keras

    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    keras.backend.clear_session()
    runtime.set_seed(seed)
    model = models.compile_like_original(models.build_hidden_layer_model(32))
    model.fit(preprocessing.preprocess(x_train[:4000]), y_train[:4000], epochs=1, batch_size=32, verbose=0)
    predicted = evaluation.predicted_labels(model.predict(preprocessing.preprocess(x_test[:2000]), verbose=0))
    return evaluation.accuracy(y_test[:2000], predicted), model.layers[0].get_weights()[0]


def test_the_same_seed_gives_the_same_accuracy_twice():
    first_accuracy, first_weights = _train_and_score(7)
    second_accuracy, second_weights = _train_and_score(7)
    assert first_accuracy == second_accuracy
    np.testing.assert_array_equal(first_weights, second_weights)
    assert first_accuracy > 0.7  # It learned: 125 steps on 4,000 images, far above chance (0.1).
    other_accuracy, other_weights = _train_and_score(8)
    assert not np.array_equal(first_weights, other_weights)


def test_stopwatch_has_no_time_until_the_block_ends_then_at_least_the_time_slept():
    with runtime.Stopwatch() as clock:
        assert clock.seconds is None
        time.sleep(0.05)
    assert isinstance(clock.seconds, float)
    assert 0.05 <= clock.seconds < 5


def test_stopwatch_measures_a_block_that_raises_and_lets_the_error_through():
    clock = runtime.Stopwatch()
    with pytest.raises(KeyError, match="missing"), clock:
        time.sleep(0.02)
        raise KeyError("missing")
    assert clock.seconds >= 0.02


def test_a_stopwatch_used_again_measures_only_its_last_block():
    clock = runtime.Stopwatch()
    with clock:
        time.sleep(0.1)
    with clock:
        pass
    assert 0 < clock.seconds < 0.1


def test_tensorflows_retracing_advice_is_dropped_and_other_warnings_still_show():
    logger = runtime.import_tensorflow().get_logger()
    seen: list[str] = []
    handler = logging.Handler(level=logging.WARNING)
    handler.emit = lambda record: seen.append(record.getMessage())
    logger.addHandler(handler)
    try:
        logger.warning("5 out of the last 7 calls to <function f at 0x7f00> triggered tf.function "
                       "retracing. Tracing is expensive.")
        logger.warning("A real warning that a learner should read.")
    finally:
        logger.removeHandler(handler)
    assert seen == ["A real warning that a learner should read."]


def test_describe_device_says_the_cpu_trains_when_tensorflow_sees_no_gpu(monkeypatch):
    tf = runtime.import_tensorflow()
    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind=None: [])
    assert runtime.describe_device() == "Training runs on the CPU (TensorFlow finds no GPU it can use on this machine)."


def test_a_visible_gpu_is_named_and_set_seed_makes_its_runs_repeat(monkeypatch):
    tf = runtime.import_tensorflow()
    gpu = tf.config.PhysicalDevice(name="/physical_device:GPU:0", device_type="GPU")
    switched_on = []
    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind=None: [gpu, gpu] if kind == "GPU" else [])
    monkeypatch.setattr(tf.config.experimental, "get_device_details", lambda device: {"device_name": "NVIDIA H200"})
    monkeypatch.setattr(tf.config.experimental, "enable_op_determinism", lambda: switched_on.append(True))
    monkeypatch.setattr(runtime, "_determinism_on", False)
    assert "deterministic operations off" in runtime.describe_device()
    runtime.set_seed(3)
    assert switched_on == [True]
    assert runtime.describe_device() == (
        "Training runs on the GPU NVIDIA H200, and 1 more GPU(s) that Keras leaves unused, with deterministic "
        "operations on, so the same seed gives the same model.")


def test_set_seed_leaves_determinism_alone_on_a_cpu(monkeypatch):
    tf = runtime.import_tensorflow()
    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind=None: [])
    monkeypatch.setattr(tf.config.experimental, "enable_op_determinism",
                        lambda: pytest.fail("op determinism switched on without a GPU"))
    runtime.set_seed(3)

"""helpers.export and helpers.predict: exports that other programs read, and a command that reads digits."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from helpers import artifacts, data, export, handwriting, models, predict, preprocessing, runtime


@pytest.fixture(scope="module")
def mnist():
    return data.load_mnist()


@pytest.fixture(scope="module")
def trained(mnist):
    """A hidden-layer model (32 units) trained for one epoch on 10,000 digits: about 0.9 test accuracy."""
    (x_train, y_train), _ = mnist
    runtime.set_seed(0)
    model = models.compile_like_original(models.build_hidden_layer_model(32))
    model.fit(preprocessing.preprocess(x_train[:10000]), y_train[:10000], epochs=1, batch_size=32, verbose=0)
    return model


@pytest.fixture(scope="module")
def exported(trained, tmp_path_factory):
    return export.export_all(trained, "hidden_layer", tmp_path_factory.mktemp("exported"))


def _test_set(mnist, count=2000):
    _, (x_test, y_test) = mnist
    return preprocessing.preprocess(x_test[:count]), y_test[:count]


def test_every_form_is_written_and_the_int8_file_is_at_most_40_percent_of_the_float_one(exported):
    assert sorted(exported) == sorted(export.FORMS)
    assert (exported["saved_model"] / "saved_model.pb").is_file()
    float_bytes, int8_bytes = (export.size_on_disk(exported[form]) for form in ("litert_float", "litert_int8"))
    assert int8_bytes <= 0.4 * float_bytes, (int8_bytes, float_bytes)
    assert not [item.name for item in exported["saved_model"].parent.iterdir() if item.name.startswith(".")]
    # Modes as a plain open() and mkdir() give them, not mkstemp's and mkdtemp's owner-only ones.
    assert {exported[form].stat().st_mode & 0o777 for form in ("litert_float", "litert_int8")} == {
        artifacts._new_file_mode()}
    assert exported["saved_model"].stat().st_mode & 0o777 == artifacts.new_folder_mode()


def test_the_exports_read_back_with_tensorflow_and_litert_alone_give_keras_labels(trained, exported, mnist):
    import tensorflow as tf

    Interpreter = pytest.importorskip("ai_edge_litert.interpreter", reason="ai-edge-litert has no build here").Interpreter  # noqa: N806

    images, labels = _test_set(mnist)
    keras_scores = trained.predict(images, verbose=0)
    keras_labels = keras_scores.argmax(axis=1)
    keras_accuracy = float(np.mean(keras_labels == labels))
    assert keras_accuracy > 0.85
    loaded = tf.saved_model.load(str(exported["saved_model"]))  # Kept: its functions need its variables.
    served = loaded.serve(images).numpy()
    assert np.array_equal(served.argmax(axis=1), keras_labels)
    accuracies = {}
    for form in ("litert_float", "litert_int8"):
        interpreter = Interpreter(model_path=str(exported[form]))
        interpreter.resize_tensor_input(interpreter.get_input_details()[0]["index"], list(images.shape))
        interpreter.allocate_tensors()
        interpreter.set_tensor(interpreter.get_input_details()[0]["index"], images)
        interpreter.invoke()
        scores = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
        accuracies[form] = float(np.mean(scores.argmax(axis=1) == labels))
        assert np.allclose(scores, export.litert_predict(export.open_litert(exported[form]), images, batch_size=300))
        if form == "litert_float":
            assert np.array_equal(scores.argmax(axis=1), keras_labels)
            assert np.allclose(scores, keras_scores, atol=1e-4)
    assert abs(accuracies["litert_float"] - keras_accuracy) <= 0.001
    assert abs(accuracies["litert_int8"] - keras_accuracy) <= 0.005


def test_only_weights_of_1024_values_or_more_are_stored_as_int8(exported):
    assert export.quantized_weights(exported["litert_float"]) == []
    shapes = [weights["shape"] for weights in export.quantized_weights(exported["litert_int8"])]
    assert shapes == [(32, 784)]  # The output layer's 32 x 10 = 320 weights stay float32.


def test_a_failed_export_keeps_the_previous_one_and_leaves_nothing_behind(trained, tmp_path):
    target = tmp_path / "model_saved_model"
    export.export_saved_model(trained, target)
    before = sorted(path.name for path in target.rglob("*"))

    class Broken:
        def export(self, path):
            pathlib.Path(path).mkdir(exist_ok=True)
            (pathlib.Path(path) / "saved_model.pb").write_bytes(b"half")
            raise RuntimeError("disk full")

    with pytest.raises(export.ExportError, match="Keras could not export the model .*disk full"):
        export.export_saved_model(Broken(), target)
    assert sorted(path.name for path in target.rglob("*")) == before
    assert [item.name for item in tmp_path.iterdir()] == ["model_saved_model"]
    with pytest.raises(export.ExportError, match="is not a SavedModel folder"):
        export.convert_to_litert(tmp_path / "nothing", tmp_path / "x.tflite")
    assert not (tmp_path / "x.tflite").exists()


def test_a_missing_or_corrupt_litert_file_is_one_line(tmp_path):
    with pytest.raises(export.ExportError, match=r"no such LiteRT file; python -m helpers\.export writes one"):
        export.open_litert(tmp_path / "missing.tflite")
    corrupt = tmp_path / "corrupt.tflite"
    corrupt.write_bytes(b"not a model" * 10)
    with pytest.raises(export.ExportError, match="is not a LiteRT model that can be run") as caught:
        export.open_litert(corrupt)
    assert "Traceback" not in str(caught.value)


def test_the_interpreter_is_ai_edge_litert_where_it_is_installed():
    pytest.importorskip("ai_edge_litert", reason="ai-edge-litert has no build for this machine")
    assert export.interpreter_class().__module__.startswith("ai_edge_litert")
    assert export.describe_interpreter().startswith("LiteRT files run with ai_edge_litert's Interpreter")


# ---------------------------------------------------------------------------------------------
# python -m helpers.predict


def _photos(mnist, folder):
    """Test digits 0 to 4 as a learner's files: sizes from 60 to 900 pixels, dark on light and light on dark."""
    _, (x_test, y_test) = mnist
    files = {}
    styles = [("png", 280, 4.0, False), ("jpg", 900, 20.0, False), ("png", 60, 1.5, True), ("jpg", 400, 8.0, True),
              ("png", 140, 3.0, False)]
    for index, (kind, side, scale, light_on_dark) in enumerate(styles):
        drawing = handwriting.sample_drawing(x_test[index], side=side, scale=scale, top=side // 20, left=side // 20)
        if light_on_dark:
            drawing = 255 - drawing
        path = folder / f"digit_{index}.{kind}"
        Image.fromarray(drawing).convert("RGB").save(path)
        files[path] = int(y_test[index])
    return files


def _run_predict(*arguments, cwd):
    return subprocess.run([sys.executable, "-m", "helpers.predict", *map(str, arguments)], capture_output=True,
                          text=True, cwd=cwd, timeout=120, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})


def test_the_command_reads_each_photo_as_the_keras_model_does_and_says_what_is_wrong_with_the_rest(
        trained, exported, mnist, tmp_path):
    photos = _photos(mnist, tmp_path)
    expected = {path.name: int(np.argmax(trained.predict(
        preprocessing.preprocess(handwriting.to_mnist(np.asarray(Image.open(path)))[np.newaxis]), verbose=0)))
        for path in photos}
    assert sum(expected[path.name] == label for path, label in photos.items()) >= 4  # Most are read right.
    (tmp_path / "notes.png").write_text("not an image")
    (tmp_path / "empty.jpg").write_bytes(b"")
    Image.new("L", (50, 50), 255).save(tmp_path / "blank.png")
    (tmp_path / "folder").mkdir()
    bad = ["notes.png", "empty.jpg", "blank.png", "folder", "missing.png"]
    names = [path.name for path in photos]
    result = _run_predict(*names[:2], *bad, *names[2:], "--model", exported["litert_float"], cwd=tmp_path)
    assert result.returncode == 2
    read = dict(line.split(": ", 1) for line in result.stdout.splitlines())
    assert {name: int(text.split()[0]) for name, text in read.items()} == expected
    assert all("this model's scores are not probabilities" in text for text in read.values())  # Sigmoid outputs.
    errors = result.stderr.splitlines()
    assert len(errors) == len(bad) and "Traceback" not in result.stderr
    for name, line in zip(bad, errors, strict=True):
        assert line.startswith(f"python -m helpers.predict: {name}: ")
    assert "not a PNG or JPEG image" in errors[0] and "is empty (0 bytes)" in errors[1]
    assert "no ink" in errors[2] and "is a folder" in errors[3] and "no such file" in errors[4]

    as_json = _run_predict(names[0], "notes.png", "--json", "--model", exported["litert_int8"], cwd=tmp_path)
    results = json.loads(as_json.stdout)
    assert as_json.returncode == 2 and [entry["image"] for entry in results] == [names[0], "notes.png"]
    assert results[0]["digit"] == expected[names[0]] and len(results[0]["scores"]) == 10
    assert results[0]["probability"] is None and "not a PNG or JPEG" in results[1]["error"]


def test_every_form_of_a_softmax_model_gives_the_same_digit_and_a_probability(mnist, tmp_path):
    (x_train, y_train), (x_test, _) = mnist
    runtime.set_seed(1)
    cnn = models.compile_cnn(models.build_cnn(), 0.01, 100)
    cnn.fit(preprocessing.scale_pixels(x_train[:3200])[..., np.newaxis], y_train[:3200], epochs=1, batch_size=32,
            verbose=0)
    written = export.export_all(cnn, "cnn", tmp_path / "exported")
    cnn.save(tmp_path / "cnn.keras")
    digits = np.stack([handwriting.to_mnist(handwriting.sample_drawing(x_test[index])) for index in range(8)])
    readings = [predict.Reader(path).scores(digits) for path in
                (written["litert_float"], written["saved_model"], tmp_path / "cnn.keras")]
    assert all(np.allclose(reading, readings[0], atol=1e-4) for reading in readings)
    Image.fromarray(handwriting.sample_drawing(x_test[0])).save(tmp_path / "seven.png")
    results = predict.read_digits([str(tmp_path / "seven.png")], predict.Reader(written["litert_int8"]))
    assert results[0]["probability"] == pytest.approx(results[0]["score"]) and 0 < results[0]["probability"] <= 1
    assert predict.describe(results[0]).endswith(f": {results[0]['digit']} (probability {results[0]['probability']:.3f})")


def test_the_command_reads_a_litert_file_without_importing_tensorflow(exported, tmp_path, mnist):
    _, (x_test, _) = mnist
    Image.fromarray(handwriting.sample_drawing(x_test[0])).save(tmp_path / "seven.png")
    result = _run_predict("seven.png", "--model", exported["litert_float"], cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("seven.png: ")
    # The LiteRT path imports no TensorFlow (that import alone takes seconds); benchmarks/predict.py times it.
    probe = subprocess.run([sys.executable, "-c", "import sys; from helpers import predict; "
                            f"predict.main(['{tmp_path / 'seven.png'}', '--model', '{exported['litert_float']}']); "
                            "print('tensorflow' in sys.modules)"], capture_output=True, text=True, timeout=120)
    assert probe.stdout.splitlines()[-1] == "False", probe.stderr


@pytest.mark.parametrize(("model", "message"), [
    ("missing.tflite", "no such LiteRT file"),
    ("model.txt", "is not a model this command reads"),
    ("folder", "is a folder but not a SavedModel"),
])
def test_a_model_that_cannot_be_read_is_one_line_and_exit_status_2(tmp_path, capsys, model, message):
    (tmp_path / "model.txt").write_text("x")
    (tmp_path / "folder").mkdir()
    assert predict.main(["digit.png", "--model", str(tmp_path / model)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and message in error


def test_without_an_exported_model_it_says_what_makes_one(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(artifacts, "reading_directories", lambda directory=None: [tmp_path])
    assert predict.main(["digit.png"]) == 2
    error = capsys.readouterr().err
    assert "no exported model at" in error and "run notebook 14 (notebooks/14_use_your_model.ipynb)" in error
    assert "python -m helpers.export" in error and len(error.strip().splitlines()) == 1


def test_the_export_command_says_which_notebook_saves_a_missing_model(tmp_path, capsys):
    assert export.main(["--artifacts-dir", str(tmp_path), "--model", "cnn"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("python -m helpers.export: cnn: ") and artifacts.MADE_BY["cnn"] in error
    assert not (tmp_path / "exported").exists()


def test_the_export_command_exports_a_saved_model(trained, tmp_path, capsys):
    artifacts.save_model(trained, "hidden_layer", {"test_accuracy": 0.9}, tmp_path)
    assert export.main(["--artifacts-dir", str(tmp_path), "--model", "hidden_layer"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("hidden_layer: ") and "hidden_layer_int8.tflite" in printed
    assert sorted(path.name for path in (tmp_path / "exported").iterdir()) == [
        "hidden_layer.tflite", "hidden_layer_int8.tflite", "hidden_layer_saved_model"]


def test_the_int8_weights_read_back_are_the_rounded_weights_over_their_row_scales(trained, exported):
    stored = export.int8_tensor(exported["litert_int8"], (32, 784))
    kernel = trained.layers[0].get_weights()[0].T  # One row per neuron, as LiteRT stores it.
    assert stored["integers"].dtype == np.int8 and stored["integers"].shape == (32, 784)
    np.testing.assert_allclose(stored["scales"], np.abs(kernel).max(axis=1) / 127, rtol=1e-5)
    error = np.abs(stored["integers"] * stored["scales"][:, None] - kernel)
    assert (error <= stored["scales"][:, None] / 2 * (1 + 1e-4)).all()
    with pytest.raises(export.ExportError, match="stores no int8 tensor of shape"):
        export.int8_tensor(exported["litert_int8"], (7, 7))


def test_the_comparison_has_a_row_per_form_with_keras_accuracy_and_the_int8_file_smallest(
        trained, exported, mnist):
    images, labels = _test_set(mnist, count=500)
    rows = export.compare_forms(trained, exported, images, labels, count=20)
    assert [row["form"] for row in rows] == list(export.FORM_NAMES)
    keras_accuracy = float(np.mean(np.argmax(trained.predict(images, verbose=0), axis=1) == labels))
    assert abs(rows[0]["accuracy"] - keras_accuracy) < 1e-9
    assert all(abs(row["accuracy"] - keras_accuracy) <= 0.01 for row in rows)
    sizes = {row["form"]: row["bytes"] for row in rows}
    assert min(sizes, key=sizes.get) == "litert_int8"
    assert all(row["seconds"] > 0 for row in rows)
    table = export.format_comparison(rows)
    assert len(table.splitlines()) == len(rows) + 1


def test_an_export_logs_nothing_where_the_root_logger_shows_info(trained, tmp_path, capsys):
    # A Jupyter kernel's root logger showed TensorFlow's INFO line "Assets written to: <temporary folder>"
    # twice in notebook 14, on stdout and stderr.
    import io
    import logging

    shown = io.StringIO()
    handler = logging.StreamHandler(shown)
    root = logging.getLogger()
    saved_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        export.export_saved_model(trained, tmp_path / "model_saved_model")
    finally:
        root.removeHandler(handler)
        root.setLevel(saved_level)
    captured = capsys.readouterr()
    assert "Assets written" not in shown.getvalue() + captured.out + captured.err
    assert logging.getLogger("tensorflow").level == logging.NOTSET  # put back as it was

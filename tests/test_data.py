"""helpers.data: the bundled MNIST, other npz files, every bad file, and the Keras fallback."""

from __future__ import annotations

import gzip
import json
import pathlib
import re
import shutil
import zipfile

import numpy as np
import pytest
from conftest import make_splits, run_python

from helpers import data, paths


@pytest.fixture(scope="module")
def bundled():
    return data.load_mnist()


def test_bundled_copy_matches_the_published_checksum():
    assert data.file_sha256(paths.BUNDLED_MNIST_PATH) == paths.BUNDLED_MNIST_SHA256


def test_bundled_mnist_has_the_keras_layout(bundled):
    (x_train, y_train), (x_test, y_test) = bundled
    assert (x_train.shape, y_train.shape, x_test.shape, y_test.shape) == (
        (60000, 28, 28), (60000,), (10000, 28, 28), (10000,))
    assert {array.dtype for array in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}


def test_bundled_mnist_is_the_real_mnist(bundled):
    (x_train, y_train), (_, y_test) = bundled
    assert np.bincount(y_train).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert np.bincount(y_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert y_train[:5].tolist() == [5, 0, 4, 1, 9]
    assert x_train.mean() == pytest.approx(33.318, abs=1e-3)
    assert x_train.std() == pytest.approx(78.567, abs=1e-3)


def test_loading_neither_imports_tensorflow_nor_depends_on_the_working_directory(tmp_path):
    result = run_python(
        "import sys, helpers\n"
        "from helpers import data\n"
        "(x, y), (xt, yt) = data.load_mnist()\n"
        "print(x.shape, 'tensorflow' in sys.modules, 'keras' in sys.modules)",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(60000, 28, 28) False False"


def test_a_path_loads_any_npz_of_the_same_layout(write_npz):
    path = write_npz(y_train=(np.arange(60) % 10).astype(np.int64))
    (x_train, y_train), (x_test, y_test) = data.load_mnist(path)
    expected = make_splits()
    np.testing.assert_array_equal(x_train, expected["x_train"])
    np.testing.assert_array_equal(x_test, expected["x_test"])
    assert y_train.dtype == np.uint8 and y_test.dtype == np.uint8
    np.testing.assert_array_equal(y_train, expected["y_train"])


def test_a_string_path_works_too(write_npz):
    (x_train, _), _ = data.load_mnist(str(write_npz()))
    assert x_train.shape == (60, 28, 28)


def test_a_missing_file_names_the_file(tmp_path):
    missing = tmp_path / "nowhere.npz"
    with pytest.raises(FileNotFoundError, match=r"MNIST file not found: .*nowhere\.npz"):
        data.load_mnist(missing)


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(data.DataFileError, match="is a folder"):
        data.load_mnist(tmp_path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"these are not the digits you are looking for",
         r"fake\.npz is not an \.npz archive \(it starts with the bytes b'thes', not a zip header\)\. Save "),
        (b"", r"fake\.npz is not an \.npz archive \(it starts with the bytes b'', not a zip header\)"),
        (b"PK\x03\x04broken zip", r"fake\.npz is not a readable \.npz archive"),
        (gzip.compress(b"x_train"), r"fake\.npz is gzip-compressed, not an \.npz archive: decompress it \(gunzip\)"),
    ],
    ids=["text", "empty", "truncated-zip", "gzip"],
)
def test_a_file_that_is_not_an_npz_gets_a_clear_error(tmp_path, content, message):
    path = tmp_path / "fake.npz"
    path.write_bytes(content)
    with pytest.raises(data.DataFileError, match=message) as caught:
        data.load_mnist(path)
    assert "pickle" not in str(caught.value)


def test_a_file_that_cannot_be_read_says_so_and_not_to_save_it_again(tmp_path, monkeypatch, write_npz):
    path = write_npz()
    real_open = pathlib.Path.open

    def refuse(self, *arguments, **keywords):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *arguments, **keywords)

    monkeypatch.setattr(pathlib.Path, "open", refuse)  # Root reads any file, so refusal is simulated.
    with pytest.raises(data.DataFileError, match=r"digits\.npz cannot be read \(Permission denied\)\. Check that "
                                                 r"your user may read it") as caught:
        data.load_mnist(path)
    assert "savez" not in str(caught.value)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"y_train": np.zeros(60, dtype=np.uint8)},
         "the training set has no images of the digit(s) 1, 2, 3, 4, 5, 6, 7, 8, 9"),
        ({"x_test": np.zeros((20, 28, 28), dtype=np.uint8)}, "every test image is blank"),
        ({}, "it has only 60 training images (the lessons need at least 100)"),
    ],
)
def test_data_that_cannot_teach_gets_a_warning_not_an_error(write_npz, overrides, message):
    with pytest.warns(data.DataWarning, match=re.escape(message)):
        (x_train, _), _ = data.load_mnist(write_npz(**overrides))
    assert x_train.shape == (60, 28, 28)


def test_ordinary_data_and_the_bundled_mnist_give_no_warning(write_npz, recwarn):
    arrays = {key: np.concatenate([value] * 2) for key, value in make_splits().items() if key.endswith("train")}
    data.load_mnist(write_npz(**arrays))
    data.load_mnist()
    assert not [warning for warning in recwarn if issubclass(warning.category, data.DataWarning)]


def test_a_corrupt_member_gets_a_clear_error(tmp_path, write_npz):
    path = write_npz()
    raw = bytearray(path.read_bytes())
    raw[200:260] = b"\xff" * 60  # Inside the first stored array.
    path.write_bytes(bytes(raw))
    with pytest.raises(data.DataFileError, match="not a readable .npz archive"):
        data.load_mnist(path)


def test_a_single_npy_array_is_refused(tmp_path):
    path = tmp_path / "one.npy"
    np.save(path, np.zeros((3, 28, 28), dtype=np.uint8))
    with pytest.raises(data.DataFileError, match="is a single .npy array, not an .npz archive of four"):
        data.load_mnist(path)


def test_pickled_content_is_never_loaded(tmp_path):
    path = tmp_path / "pickled.npz"
    arrays = make_splits()
    arrays["y_train"] = np.array([object()] * 60, dtype=object)
    np.savez(path, **arrays)
    with pytest.raises(data.DataFileError, match="pickled.npz is not a readable"):
        data.load_mnist(path)


def test_missing_keys_are_named(write_npz):
    path = write_npz(y_test=None)
    with pytest.raises(data.DataFileError, match=r"lacks the array\(s\) y_test"):
        data.load_mnist(path)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"x_train": np.zeros((60, 28, 28), dtype=np.float32)}, r"x_train has dtype float32; expected uint8"),
        ({"x_test": np.zeros((20, 32, 32), dtype=np.uint8)}, r"x_test has shape \(20, 32, 32\); expected \(count, 28, 28\)"),
        ({"x_train": np.zeros((60, 784), dtype=np.uint8)}, r"x_train has shape \(60, 784\)"),
        ({"y_train": np.zeros(60, dtype=np.float64)}, r"y_train has shape \(60,\) and dtype float64"),
        ({"y_test": np.zeros(19, dtype=np.uint8)}, r"x_test has 20 images but y_test has 19 labels"),
        ({"y_train": np.full(60, 10, dtype=np.uint8)}, r"y_train has labels from 10 to 10; expected digits 0 to 9"),
        ({"y_test": np.full(20, -1, dtype=np.int64)}, r"y_test has labels from -1 to -1"),
        ({"x_test": np.zeros((0, 28, 28), dtype=np.uint8), "y_test": np.zeros(0, dtype=np.uint8)}, r"x_test holds no images"),
    ],
    ids=["float-images", "wrong-size", "flat-images", "float-labels", "length-mismatch",
         "label-too-big", "negative-label", "empty"],
)
def test_wrong_layouts_name_the_file_and_the_problem(write_npz, overrides, message):
    path = write_npz(**overrides)
    with pytest.raises(data.DataFileError, match=message) as caught:
        data.load_mnist(path)
    assert str(path) in str(caught.value)


def test_a_damaged_bundled_copy_fails_its_checksum(tmp_path, monkeypatch):
    damaged = tmp_path / "mnist.npz"
    shutil.copyfile(paths.BUNDLED_MNIST_PATH, damaged)
    with open(damaged, "r+b") as handle:
        handle.seek(5_000_000)
        handle.write(b"\x00\x01\x02")
    monkeypatch.setattr(paths, "BUNDLED_MNIST_PATH", damaged)
    with pytest.raises(data.DataFileError, match=r"damaged .* its SHA-256 is [0-9a-f]{64}, expected 06af5dfe"):
        data.load_mnist()


def test_without_the_bundled_copy_and_offline_the_keras_fallback_fails_clearly(tmp_path):
    # A fresh interpreter, so that TensorFlow loads only here; KERAS_HOME is empty, so Keras has no
    # cached copy and must try the network, which this machine and CI do not have.
    code = (
        "import pathlib\n"
        "from helpers import data, paths\n"
        f"paths.BUNDLED_MNIST_PATH = pathlib.Path({str(tmp_path / 'gone' / 'mnist.npz')!r})\n"
        "try:\n"
        "    data.load_mnist()\n"
        "except FileNotFoundError as error:\n"
        "    print('ERROR:', error)\n"
    )
    result = run_python(code, cwd=tmp_path, timeout=180, KERAS_HOME=str(tmp_path / "keras-home"))
    assert result.returncode == 0, result.stderr
    message = result.stdout.split("ERROR: ", 1)[-1]
    assert "gone/mnist.npz is missing" in message
    assert "Keras could not download MNIST" in message
    assert "git checkout -- data/mnist.npz" in message
    assert "connect to the internet" in message


def test_the_fallback_error_keeps_the_download_error_as_its_cause(monkeypatch, tmp_path):
    def refuse():
        raise OSError("network unreachable")

    monkeypatch.setattr(paths, "BUNDLED_MNIST_PATH", tmp_path / "mnist.npz")
    monkeypatch.setattr(data, "_download_with_keras", refuse)
    with pytest.raises(FileNotFoundError, match="OSError: network unreachable") as caught:
        data.load_mnist()
    assert isinstance(caught.value.__cause__, OSError)


def test_the_fallback_result_is_validated_too(monkeypatch, tmp_path):
    arrays = make_splits()
    monkeypatch.setattr(paths, "BUNDLED_MNIST_PATH", tmp_path / "mnist.npz")
    monkeypatch.setattr(data, "_download_with_keras", lambda: (
        (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"][:5])))
    with pytest.raises(data.DataFileError, match="Keras downloaded: x_test has 20 images but y_test has 5"):
        data.load_mnist()

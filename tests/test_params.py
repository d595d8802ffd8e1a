"""helpers.params: every rule gives a clear ValueError naming the parameter and the value."""

from __future__ import annotations

import dataclasses
import pathlib

import pytest

from helpers import params, paths


def test_valid_values_pass_and_paths_become_absolute(tmp_path):
    data_file = tmp_path / "digits.npz"
    data_file.write_bytes(b"x")
    checked = params.validate(seed=0, epochs=5, batch_size=32, hidden_units=100,
                              data_path=str(data_file), artifacts_dir=tmp_path / "new")
    assert checked == {"seed": 0, "epochs": 5, "batch_size": 32, "hidden_units": 100,
                       "data_path": data_file.resolve(), "artifacts_dir": (tmp_path / "new").resolve()}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("epochs", 0, "epochs must be a whole number from 1 to 1000, got 0."),
        ("epochs", 2.5, "epochs must be a whole number from 1 to 1000, got 2.5 (float)."),
        ("epochs", True, "epochs must be a whole number from 1 to 1000, got True (bool)."),
        ("epochs", "5", "epochs must be a whole number from 1 to 1000, got '5' (str)."),
        ("hidden_units", -5, "hidden_units must be a whole number from 1 to 100000, got -5."),
        ("batch_size", 60001, "batch_size must be a whole number from 1 to 60000, got 60001."),
        ("seed", -1, "seed must be a whole number from 0 to 4294967295, got -1."),
        ("seed", None, "seed must be a whole number from 0 to 4294967295, got None."),
        ("data_path", 7, "data_path must be a path to an existing file or None, got 7 (int)."),
        ("data_path", "", "data_path must be a path to an existing file or None, got '' (str)."),
    ],
)
def test_bad_values_are_named_with_what_is_allowed(name, value, message):
    with pytest.raises(ValueError) as caught:
        params.validate(**{name: value})
    assert str(caught.value) == message


def test_a_missing_data_file_is_reported(tmp_path):
    with pytest.raises(ValueError, match=r"data_path must be a path to an existing file or None, got '.*nope\.npz', which does not exist"):
        params.check("data_path", str(tmp_path / "nope.npz"))


def test_a_folder_as_data_path_is_reported(tmp_path):
    with pytest.raises(ValueError, match="which is a folder"):
        params.check("data_path", tmp_path)


def test_a_file_as_artifacts_dir_is_reported(tmp_path):
    taken = tmp_path / "file"
    taken.write_text("")
    with pytest.raises(ValueError, match="artifacts_dir must be a folder path or None, .* which is a file"):
        params.check("artifacts_dir", taken)


def test_unknown_names_list_the_known_ones():
    with pytest.raises(ValueError, match=r"Unknown parameter 'epoch'\. Known parameters: seed, epochs, "):
        params.validate(epoch=5)


def test_describe_shows_defaults_and_repository_paths_the_same_on_every_machine():
    text = params.describe({"seed": 0, "data_path": None,
                            "artifacts_dir": paths.REPOSITORY_ROOT / "artifacts"})
    assert text == ("seed = 0\n"
                    "data_path = None (the bundled data/mnist.npz)\n"
                    "artifacts_dir = artifacts")
    outside = pathlib.Path("/tmp/elsewhere")
    assert params.describe({"artifacts_dir": outside}) == f"artifacts_dir = {outside.resolve()}"


def test_as_json_turns_paths_into_strings(tmp_path):
    assert params.as_json({"epochs": 5, "data_path": None, "artifacts_dir": tmp_path}) == {
        "epochs": 5, "data_path": None, "artifacts_dir": str(tmp_path)}


@pytest.mark.parametrize(("value", "expected"), [([16, 64], [16, 64]), ("16,64,256", [16, 64, 256]),
                                                 (16, [16]), ((1, 3), [1, 3])])
def test_grids_take_lists_strings_or_one_number(value, expected):
    assert params.check("hidden_units_grid", value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([], "hidden_units_grid must be a non-empty list of whole numbers from 1 to 100000, got [] (list)."),
        ("16,x", "got '16,x': each must lie from 1 to 100000."),
        ([16, 0], "got [16, 0]: each must lie from 1 to 100000."),
        ([True], "got [True]: each must lie"),
    ],
)
def test_bad_grids_are_named(value, message):
    with pytest.raises(ValueError) as caught:
        params.check("hidden_units_grid", value)
    assert message in str(caught.value)


def test_learning_rate_must_be_a_positive_number():
    assert params.check("learning_rate", 0.002) == 0.002
    assert params.check("learning_rate", 1) == 1
    with pytest.raises(ValueError, match="learning_rate must be a number from 1e-06 to 1, got 0."):
        params.check("learning_rate", 0)


def test_an_artifacts_dir_that_cannot_be_written_is_refused_before_any_training(tmp_path):
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(ValueError, match=r"artifacts_dir must be a folder path or None, got '.*a_file/models', "
                                         r"where no file can be written \(a file is in the way at .*a_file\)\."):
        params.check("artifacts_dir", str(tmp_path / "a_file" / "models"))
    with pytest.raises(ValueError, match=r"where no file can be written \("):
        params.check("artifacts_dir", "/proc/mnist-course-artifacts")


def test_a_writable_artifacts_dir_is_checked_without_leaving_anything_behind(tmp_path):
    assert params.check("artifacts_dir", str(tmp_path / "new" / "models")) == tmp_path / "new" / "models"
    assert list(tmp_path.iterdir()) == []


def test_describe_says_when_the_data_is_not_the_bundled_mnist(tmp_path):
    bundled = params.describe(params.validate(data_path=str(paths.BUNDLED_MNIST_PATH)))
    assert "Note:" not in bundled
    other = tmp_path / "fashion.npz"
    other.write_bytes(b"PK")
    text = params.describe(params.validate(data_path=str(other)))
    assert text.splitlines()[-1] == (
        "Note: this notebook's text describes MNIST. The figures and numbers below are those of "
        f"{other}, and may differ from what the text says."
    )


def test_none_as_artifacts_dir_checks_the_folder_it_stands_for(tmp_path, monkeypatch):
    # Where the shared folder cannot be written, None falls back to this user's folder; only when that
    # cannot be written either is None refused.
    (tmp_path / "read_only_share").write_text("a file where the repository's artifacts/ would go")
    rule = dataclasses.replace(params.RULES["artifacts_dir"], default_folder=tmp_path / "read_only_share" / "artifacts")
    monkeypatch.setitem(params.RULES, "artifacts_dir", rule)
    monkeypatch.setattr(paths, "user_artifacts_dir", lambda: tmp_path / "home" / "artifacts")
    assert params.check("artifacts_dir", None) is None
    (tmp_path / "home").write_text("a file where the user's folder would go")
    with pytest.raises(ValueError, match=r"artifacts_dir is None, which means .*read_only_share/artifacts, where no "
                                         r"file can be written \(a file is in the way at .*\), nor in your own "
                                         r".*home/artifacts \(a file is in the way at .*\)\. Pass a writable folder"):
        params.check("artifacts_dir", None)
    assert params.check("data_path", None) is None  # None stands for no folder there: nothing to check.

"""helpers.artifacts: saving is atomic, loading is safe and says when a model is stale or missing."""

from __future__ import annotations

import ast
import dataclasses
import json
import os
import pathlib
import stat
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from helpers import artifacts, models, params, paths
from conftest import run_python


@pytest.fixture(scope="module")
def small_model():
    model = models.compile_like_original(models.build_hidden_layer_model(8))
    model.fit(np.random.default_rng(0).random((64, 784), dtype=np.float32), np.arange(64) % 10,
              epochs=1, verbose=0)
    return model


def test_save_then_load_gives_the_same_model_and_metrics(tmp_path, small_model):
    model_file, metrics_file = artifacts.save_model(
        small_model, "hidden_layer", {"test_accuracy": 0.5, "parameters": {"hidden_units": 8}},
        directory=tmp_path)
    assert model_file.name == "hidden_layer_model.keras"
    assert metrics_file.name == "hidden_layer_metrics.json"
    # The save lock stays, empty, as filelock leaves it on Linux and macOS; nothing else is left behind.
    assert sorted(path.name for path in tmp_path.iterdir()) == [".hidden_layer.save.lock", metrics_file.name, model_file.name]
    record = json.loads(metrics_file.read_text())
    assert record["test_accuracy"] == 0.5
    assert set(record["versions"]) == {"python", "tensorflow", "keras", "numpy"}
    loaded, loaded_record = artifacts.load_model("hidden_layer", tmp_path, {"hidden_units": 8})
    assert loaded_record == record
    sample = np.random.default_rng(1).random((5, 784), dtype=np.float32)
    np.testing.assert_allclose(loaded.predict(sample, verbose=0), small_model.predict(sample, verbose=0))


def test_missing_artifacts_say_so(tmp_path):
    with pytest.raises(artifacts.ArtifactError, match="No metrics for model 'hidden_layer' .* not been saved there yet"):
        artifacts.load_model("hidden_layer", tmp_path)


def test_a_model_file_missing_beside_its_metrics_is_reported(tmp_path, small_model):
    model_file, _ = artifacts.save_model(small_model, "m", {}, directory=tmp_path)
    model_file.unlink()
    with pytest.raises(artifacts.ArtifactError, match="is missing although its metrics exist. Run notebook 05"):
        artifacts.load_model("m", tmp_path, made_by="notebook 05")


def test_a_model_that_does_not_match_its_metrics_is_stale(tmp_path, small_model):
    model_file, _ = artifacts.save_model(small_model, "m", {}, directory=tmp_path)
    model_file.write_bytes(model_file.read_bytes() + b"\0")
    with pytest.raises(artifacts.ArtifactError, match="is stale: it is not the model its metrics describe"):
        artifacts.load_model("m", tmp_path)


def test_other_parameters_make_it_stale(tmp_path, small_model):
    artifacts.save_model(small_model, "m", {"parameters": {"hidden_units": 8}}, directory=tmp_path)
    with pytest.raises(artifacts.ArtifactError, match=r"trained with hidden_units=8, but hidden_units=100 is asked for"):
        artifacts.load_model("m", tmp_path, {"hidden_units": 100})


def test_another_keras_version_makes_it_stale(tmp_path, small_model):
    _, metrics_file = artifacts.save_model(small_model, "m", {}, directory=tmp_path)
    record = json.loads(metrics_file.read_text())
    record["versions"]["keras"] = "2.0.0"
    metrics_file.write_text(json.dumps(record))
    with pytest.raises(artifacts.ArtifactError, match="saved with Keras 2.0.0"):
        artifacts.load_model("m", tmp_path)


def test_unreadable_metrics_are_reported(tmp_path):
    (tmp_path / "m_metrics.json").write_text("{not json")
    with pytest.raises(artifacts.ArtifactError, match="is not readable JSON"):
        artifacts.load_metrics("m", tmp_path)


def test_safe_mode_refuses_a_model_that_carries_code(tmp_path):
    import keras

    model = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Lambda(lambda values: values * 2)])
    artifacts.save_model(model, "lambda", {}, directory=tmp_path)
    with pytest.raises(artifacts.ArtifactError, match="Keras could not load .*lambda_model.keras"):
        artifacts.load_model("lambda", tmp_path)


def test_an_interrupted_save_leaves_the_previous_files_whole(tmp_path, small_model, monkeypatch):
    model_file, metrics_file = artifacts.save_model(small_model, "m", {"run": 1}, directory=tmp_path)
    before = (model_file.read_bytes(), metrics_file.read_bytes())

    def interrupted_save(path, *args, **kwargs):
        with open(path, "wb") as handle:
            handle.write(b"half a model")
        raise KeyboardInterrupt

    monkeypatch.setattr(type(small_model), "save", lambda self, path, *a, **k: interrupted_save(path))
    with pytest.raises(KeyboardInterrupt):
        artifacts.save_model(small_model, "m", {"run": 2}, directory=tmp_path)
    assert (model_file.read_bytes(), metrics_file.read_bytes()) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == [".m.save.lock", "m_metrics.json", "m_model.keras"]


def test_write_json_atomic_leaves_no_temporary_file_on_failure(tmp_path):
    target = tmp_path / "out.json"
    target.write_text('{"old": true}\n')
    with pytest.raises(TypeError):
        artifacts.write_json_atomic(target, {("tuple", "key"): 1})  # JSON keys must be strings.
    assert target.read_text() == '{"old": true}\n'
    assert [path.name for path in tmp_path.iterdir()] == ["out.json"]


def test_artifacts_directory_defaults_to_the_repository():
    from helpers import paths

    assert artifacts.artifacts_directory(None) == paths.REPOSITORY_ROOT / "artifacts"
    assert artifacts.metrics_path(None, "single_layer").name == "single_layer_metrics.json"


@pytest.fixture(scope="module")
def trained_run():
    """A single-layer model trained one epoch on 200 random images, 10% held out, and its History."""
    import keras

    model = models.compile_like_original(
        keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, activation="sigmoid")]))
    generator = np.random.default_rng(2)
    history = model.fit(generator.random((200, 784), dtype=np.float32), np.arange(200) % 10,
                        epochs=1, batch_size=32, validation_split=0.1, verbose=0)
    return model, history


def _settings(directory, **overrides):
    values = {"seed": 3, "epochs": 1, "batch_size": 32, "data_path": None, "artifacts_dir": directory}
    return params.validate(**{**values, **overrides})


def test_save_run_saves_the_model_and_the_metrics_of_the_run(tmp_path, capsys, trained_run):
    model, history = trained_run
    artifacts.save_run(model, "single_layer", _settings(tmp_path), history, test_loss=np.float32(1.5),
                       test_accuracy=np.float64(0.25), train_seconds=1.23456, notebook="05", shifts=[0, 2])
    model_file = tmp_path.resolve() / "single_layer_model.keras"
    metrics_file = tmp_path.resolve() / "single_layer_metrics.json"
    assert capsys.readouterr().out == f"saved {model_file} and {metrics_file}\n"
    record = json.loads(metrics_file.read_text())
    assert set(record) == {"model", "test_accuracy", "test_loss", "train_seconds", "parameter_count",
                           "history", "parameters", "validation_accuracy", "notebook", "shifts",
                           "model_file", "model_sha256", "saved_at", "versions"}
    assert record["model"] == "single_layer" and record["model_file"] == model_file.name
    assert record["test_accuracy"] == 0.25 and record["test_loss"] == 1.5
    assert record["train_seconds"] == 1.23  # Rounded to hundredths.
    assert record["parameter_count"] == 784 * 10 + 10
    assert record["validation_accuracy"] == history.history["val_accuracy"][-1]
    assert set(record["history"]) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert record["history"]["loss"] == pytest.approx(history.history["loss"]) and len(record["history"]["loss"]) == 1
    assert record["parameters"] == {"seed": 3, "epochs": 1, "batch_size": 32, "data_path": None,
                                    "artifacts_dir": str(tmp_path.resolve())}
    assert record["notebook"] == "05" and record["shifts"] == [0, 2]
    loaded, _ = artifacts.load_model("single_layer", tmp_path, {"seed": 3, "batch_size": 32})
    np.testing.assert_array_equal(loaded.get_weights()[0], model.get_weights()[0])


def test_save_run_without_a_validation_set_records_no_validation_accuracy(tmp_path, capsys, small_model):
    history = {"loss": [0.9, np.float32(0.7)], "accuracy": [0.6, 0.8]}
    artifacts.save_run(small_model, "hidden_layer", _settings(tmp_path, hidden_units=8), history,
                       test_loss=0.7, test_accuracy=0.8, train_seconds=2)
    record = artifacts.load_metrics("hidden_layer", tmp_path)
    assert "validation_accuracy" not in record
    assert record["history"] == {"loss": [0.9, pytest.approx(0.7)], "accuracy": [0.6, 0.8]}
    assert record["parameter_count"] == (784 * 8 + 8) + (8 * 10 + 10)
    assert record["train_seconds"] == 2.0 and record["parameters"]["hidden_units"] == 8
    assert capsys.readouterr().out.startswith("saved ")


def test_save_run_prints_paths_inside_the_repository_relative_to_it(tmp_path, capsys, monkeypatch, small_model):
    from helpers import paths

    monkeypatch.setattr(paths, "REPOSITORY_ROOT", tmp_path.resolve())
    artifacts.save_run(small_model, "m", _settings(tmp_path / "artifacts"), {"loss": [1.0]},
                       test_loss=1.0, test_accuracy=0.5, train_seconds=1.0)
    assert capsys.readouterr().out == "saved artifacts/m_model.keras and artifacts/m_metrics.json\n"


def test_comparison_table_compares_saved_runs_and_says_which_notebook_makes_a_missing_one(
        tmp_path, capsys, trained_run, small_model):
    model, history = trained_run
    artifacts.save_run(model, "single_layer", _settings(tmp_path), history, test_loss=0.3,
                       test_accuracy=0.9213, train_seconds=3.21)
    artifacts.save_run(small_model, "hidden_layer", _settings(tmp_path, hidden_units=8), {"loss": [0.2]},
                       test_loss=0.2, test_accuracy=0.96714, train_seconds=12.46)
    capsys.readouterr()
    table = artifacts.comparison_table(["single_layer", "hidden_layer", "cnn", "mystery"], tmp_path)
    assert table.splitlines() == [
        "model          parameters  test accuracy  training (s)",
        "single_layer        7,850         0.9213           3.2",
        "hidden_layer        6,370         0.9671          12.5",
        "cnn            not saved in this artifacts folder yet: run notebook 09 (09_convolutional_network.ipynb)",
        "mystery        not saved in this artifacts folder yet: run its notebook",
    ]


def test_comparison_table_marks_figures_a_metrics_file_lacks(tmp_path):
    artifacts.write_json_atomic(artifacts.metrics_path(tmp_path, "old"), {"test_accuracy": 0.9})
    (_, row) = artifacts.comparison_table(["old"], tmp_path).splitlines()
    assert row == "old" + " " * 21 + "?" + " " * 9 + "0.9000" + " " * 11 + "nan"


def test_comparison_table_of_an_empty_folder_names_the_notebooks_to_run(tmp_path):
    rows = artifacts.comparison_table(["single_layer", "hidden_layer"], tmp_path).splitlines()[1:]
    assert rows == [
        "single_layer   not saved in this artifacts folder yet: run notebook 05 (05_single_layer_model.ipynb)",
        "hidden_layer   not saved in this artifacts folder yet: run notebook 06 (06_hidden_layer_model.ipynb)",
    ]


def test_comparison_table_says_when_a_metrics_file_cannot_be_read(tmp_path):
    artifacts.metrics_path(tmp_path, "cnn").write_text("[1, 2]", encoding="utf-8")
    rows = artifacts.comparison_table(["cnn"], tmp_path).splitlines()[1:]
    assert len(rows) == 1
    assert rows[0].startswith("cnn            cannot be read: ")
    assert rows[0].endswith("should hold a JSON object, found list.")


@pytest.mark.skipif(sys.platform == "win32", reason="Windows keeps no group or other permission bits to check")
def test_saved_files_follow_the_umask_like_any_other_file(tmp_path, small_model):
    previous = os.umask(0o022)
    try:
        model_file, metrics_file = artifacts.save_model(small_model, "hidden_layer", {"test_accuracy": 0.5}, tmp_path)
        summary = artifacts.write_json_atomic(tmp_path / "summary.json", {"status": "complete"})
        os.umask(0o027)
        shared = artifacts.write_json_atomic(tmp_path / "group.json", {})
    finally:
        os.umask(previous)
    for path in (model_file, metrics_file, summary):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path.name
    assert stat.S_IMODE(shared.stat().st_mode) == 0o640


def test_a_save_clears_temporary_files_left_by_a_killed_save_but_not_live_ones(tmp_path, small_model):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603 - a process that has ended
    gone.wait()
    stale = tmp_path / f".hidden_layer.pid{gone.pid}.abcd1234.keras"
    live = tmp_path / f".cnn.pid{os.getpid()}.efgh5678.keras"
    stale.write_bytes(b"half a model")
    live.write_bytes(b"being written")
    artifacts.save_model(small_model, "hidden_layer", {"test_accuracy": 0.5}, tmp_path)
    assert not stale.exists()
    assert live.exists()


# Windows has no fcntl module: a helper that imports it fails to import at all. These tests run the
# helpers in a fresh interpreter where `import fcntl` raises ImportError, as it does there. (filelock
# then falls back to its own lock file, as on a Unix without flock; on Windows it uses LockFileEx.)
_WITHOUT_FCNTL = """
import sys
sys.modules["fcntl"] = None  # Now `import fcntl` raises ImportError, as on Windows.
import pathlib
from helpers import artifacts
"""


def _run_without_fcntl(code: str, folder, **keywords) -> subprocess.CompletedProcess:
    """Runs code after ``_WITHOUT_FCNTL``, with ``folder`` as ``FOLDER``, from the repository root."""
    program = _WITHOUT_FCNTL + f"FOLDER = pathlib.Path({str(folder)!r})\n" + textwrap.dedent(code)
    return run_python(program, cwd=paths.REPOSITORY_ROOT, **keywords)


def test_a_model_saves_and_loads_where_there_is_no_fcntl(tmp_path):
    result = _run_without_fcntl("""
        from helpers import models
        model = models.compile_like_original(models.build_single_layer_model())
        artifacts.save_model(model, "single_layer", {"parameters": {"seed": 1}}, FOLDER)
        loaded, record = artifacts.load_model("single_layer", FOLDER, {"seed": 1},
                                              expected_model=models.build_single_layer_model())
        print(sys.modules["fcntl"], record["model_file"], loaded.count_params())
    """, tmp_path, timeout=240)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "None single_layer_model.keras 7850"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["single_layer_metrics.json", "single_layer_model.keras"]


def _wait_for(path, process: subprocess.Popen, seconds: float = 120) -> None:
    """Waits until ``path`` exists, failing if ``process`` ends first or the time runs out."""
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"{path.name} did not appear in {seconds} s"
        time.sleep(0.05)


def test_the_folder_lock_holds_off_a_second_run_where_there_is_no_fcntl(tmp_path):
    folder, held, release = tmp_path / "artifacts", tmp_path / "held", tmp_path / "release"
    holder = subprocess.Popen(  # noqa: S603 - this environment's own Python
        [sys.executable, "-c", _WITHOUT_FCNTL + f"FOLDER = pathlib.Path({str(folder)!r})\n" + textwrap.dedent(f"""
            import time
            with artifacts.folder_lock(FOLDER):
                pathlib.Path({str(held)!r}).touch()
                deadline = time.monotonic() + 120
                while not pathlib.Path({str(release)!r}).exists() and time.monotonic() < deadline:
                    time.sleep(0.05)
            print("released")
        """)],
        cwd=paths.REPOSITORY_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    contender = """
        try:
            with artifacts.folder_lock(FOLDER, wait_seconds=0.5):
                print("taken")
        except artifacts.ArtifactError as error:
            print(error)
    """
    try:
        _wait_for(held, holder)
        refused = _run_without_fcntl(contender, folder, timeout=120)
        release.touch()
        holder_out, holder_err = holder.communicate(timeout=120)
        taken = _run_without_fcntl(contender, folder, timeout=120)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.communicate()
    assert (holder.returncode, holder_out) == (0, "released\n"), holder_err
    assert refused.returncode == 0, refused.stderr
    assert refused.stdout == (
        f"another run is using the artifacts folder {folder} (waited 0.5 s). Wait for it to finish, "
        "or give this run a folder of its own with -p artifacts_dir DIR.\n")
    assert (taken.returncode, taken.stdout) == (0, "taken\n"), taken.stderr


def test_a_save_clears_temporary_files_of_dead_processes_where_there_is_no_fcntl(tmp_path):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603 - a process that has ended
    gone.wait()
    stale = tmp_path / f".summary.json.pid{gone.pid}.abcd1234.tmp"
    live = tmp_path / f".cnn.pid{os.getpid()}.efgh5678.keras"  # This test's own process, alive.
    stale.write_text("half a file")
    live.write_bytes(b"being written")
    result = _run_without_fcntl('artifacts.write_json_atomic(FOLDER / "summary.json", {"status": "complete"})',
                                tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    assert live.exists()
    assert json.loads((tmp_path / "summary.json").read_text()) == {"status": "complete"}


#: Modules that exist only on Unix-like systems: importing one fails on Windows.
_POSIX_ONLY_MODULES = {"fcntl", "grp", "posix", "pty", "pwd", "resource", "termios", "tty"}

#: ``os`` and ``signal`` names that Windows lacks, or where it does something else: on Windows
#: ``os.kill(pid, 0)`` sends the process a Ctrl-C instead of probing it.
_POSIX_ONLY_NAMES = {
    "os": {"kill", "killpg", "fork", "setsid", "getuid", "geteuid", "getgid", "getegid", "chown", "mkfifo", "getpgid"},
    "signal": {"SIGKILL", "SIGHUP", "SIGALRM", "SIGUSR1", "SIGUSR2", "SIGCHLD", "alarm", "pause"},
}


def _posix_only_uses(source: str) -> list[str]:
    """Each POSIX-only import or ``os``/``signal`` name in the source, as ``line: what``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"{node.lineno}: import {alias.name}" for alias in node.names
                      if alias.name.split(".")[0] in _POSIX_ONLY_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            module = node.module.split(".")[0]
            if module in _POSIX_ONLY_MODULES:
                found.append(f"{node.lineno}: from {node.module} import ...")
            found += [f"{node.lineno}: from {module} import {alias.name}" for alias in node.names
                      if alias.name in _POSIX_ONLY_NAMES.get(module, ())]
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
              and node.attr in _POSIX_ONLY_NAMES.get(node.value.id, ())):
            found.append(f"{node.lineno}: {node.value.id}.{node.attr}")
    return sorted(found, key=lambda use: int(use.split(":")[0]))


def test_no_helper_uses_a_posix_only_call():
    sample = "import fcntl\nfrom os import kill\nimport os, signal\nos.kill(1, 0)\nos.killpg(1, signal.SIGKILL)\n"
    assert _posix_only_uses(sample) == [
        "1: import fcntl", "2: from os import kill", "4: os.kill", "5: os.killpg", "5: signal.SIGKILL"]
    assert _posix_only_uses("import os, signal\nos.replace('a', 'b')\nsignal.signal(signal.SIGTERM, print)\n") == []
    helpers_folder = paths.REPOSITORY_ROOT / "helpers"
    modules = [path for path in sorted(helpers_folder.rglob("*.py"))
               if "exercises" not in path.relative_to(helpers_folder).parts]
    assert len(modules) >= 10
    found = {path.relative_to(paths.REPOSITORY_ROOT).as_posix(): uses for path in modules
             if (uses := _posix_only_uses(path.read_text(encoding="utf-8")))}
    assert found == {}


# Issue 21, part 3: a model and its metrics can never be mismatched.

def _other_model_bytes(tmp_path, small_model):
    """The bytes of a second, different model file (the small model with its weights changed)."""
    import keras

    other = keras.models.clone_model(small_model)
    other.set_weights([weight + 1.0 for weight in small_model.get_weights()])
    path = tmp_path / "other" / "other.keras"
    path.parent.mkdir()
    other.save(path)
    return path.read_bytes()


def test_the_recorded_hash_is_of_the_bytes_written_not_of_what_the_path_holds_after_the_rename(
        tmp_path, small_model, monkeypatch):
    # A second writer (here simulated: one that does not take the lock) replaces the model right after
    # this save renames it. The metrics must describe this save's bytes, so the pair is refused.
    other = _other_model_bytes(tmp_path, small_model)
    folder = tmp_path / "artifacts"
    real_replace = os.replace

    def replace_then_overwritten(source, target):
        real_replace(source, target)
        if str(target).endswith("_model.keras"):
            pathlib.Path(target).write_bytes(other)

    monkeypatch.setattr(artifacts.os, "replace", replace_then_overwritten)
    artifacts.save_model(small_model, "hidden_layer", {"parameters": {}}, directory=folder)
    monkeypatch.setattr(artifacts.os, "replace", real_replace)
    with pytest.raises(artifacts.ArtifactError, match="is stale: it is not the model its metrics describe"):
        artifacts.load_model("hidden_layer", folder)


def test_the_model_loaded_is_the_bytes_that_were_checked(tmp_path, small_model, monkeypatch):
    # Another save lands between the hash check and Keras's read: the checked bytes are still loaded.
    import keras

    other = _other_model_bytes(tmp_path, small_model)
    folder = tmp_path / "artifacts"
    model_file, _ = artifacts.save_model(small_model, "hidden_layer", {"parameters": {}}, directory=folder)
    real_load = keras.models.load_model

    def load_after_a_save(path, *args, **kwargs):
        model_file.write_bytes(other)
        return real_load(path, *args, **kwargs)

    monkeypatch.setattr(keras.models, "load_model", load_after_a_save)
    loaded, _ = artifacts.load_model("hidden_layer", folder)
    for loaded_weight, saved_weight in zip(loaded.get_weights(), small_model.get_weights()):
        np.testing.assert_array_equal(loaded_weight, saved_weight)


@pytest.mark.parametrize("failing", ["model", "metrics"])
def test_a_full_disk_gives_one_line_and_keeps_the_previous_pair(tmp_path, small_model, monkeypatch, failing):
    import errno

    model_file, metrics_file = artifacts.save_model(small_model, "m", {"run": 1}, directory=tmp_path)
    before = (model_file.read_bytes(), metrics_file.read_bytes())

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    if failing == "model":
        monkeypatch.setattr(type(small_model), "save", lambda self, *args, **kwargs: disk_full())
    else:
        monkeypatch.setattr(artifacts, "_write_synced", disk_full)
    with pytest.raises(artifacts.ArtifactError) as raised:
        artifacts.save_model(small_model, "m", {"run": 2}, directory=tmp_path)
    message = str(raised.value)
    assert message.startswith("the disk is full: m's model could not be saved") and "\n" not in message
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    assert (model_file.read_bytes(), metrics_file.read_bytes()) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == [".m.save.lock", "m_metrics.json", "m_model.keras"]
    artifacts.load_model("m", tmp_path)  # the previous pair still loads


@pytest.mark.parametrize(("field", "value"), [("parameters", ["epochs", 5]), ("versions", "3.15"),
                                              ("parameters", None)])
def test_hand_edited_metrics_of_the_wrong_type_are_stale_not_a_traceback(tmp_path, small_model, field, value):
    _, metrics_file = artifacts.save_model(small_model, "m", {"parameters": {"epochs": 5}}, directory=tmp_path)
    record = json.loads(metrics_file.read_text())
    record[field] = value
    metrics_file.write_text(json.dumps(record))
    with pytest.raises(artifacts.ArtifactError, match=f"is stale: its metrics' '{field}' is not a mapping"):
        artifacts.load_model("m", tmp_path, {"epochs": 5})


# Issue 21, part 2: a classroom install that learners cannot write to.

@pytest.fixture
def read_only_share(tmp_path, small_model, monkeypatch):
    """The repository's artifacts/ as a teacher leaves it: a trained model in it, then made read-only.

    Where this test runs as root on Linux (CI), the folder is bind-mounted read-only, so that writing
    to it fails as it does in a classroom; elsewhere the check that finds it read-only is simulated.
    """
    share = tmp_path / "share" / "artifacts"
    artifacts.save_model(small_model, "hidden_layer", {"test_accuracy": 0.5}, directory=share)
    mounted = False
    if sys.platform.startswith("linux") and os.geteuid() == 0:
        mount = subprocess.run(["mount", "--bind", str(share), str(share)], capture_output=True)
        if mount.returncode == 0:
            mounted = subprocess.run(["mount", "-o", "remount,bind,ro", str(share)], capture_output=True).returncode == 0
            if not mounted:
                subprocess.run(["umount", str(share)], check=False)
    monkeypatch.setattr(paths, "DEFAULT_ARTIFACTS_DIR", share)
    rule = dataclasses.replace(params.RULES["artifacts_dir"], default_folder=share)
    monkeypatch.setitem(params.RULES, "artifacts_dir", rule)
    monkeypatch.setattr(paths, "user_artifacts_dir", lambda: tmp_path / "home" / "mnist-course" / "artifacts")
    paths.shared_artifacts_problem.cache_clear()
    if not mounted:
        monkeypatch.setattr(paths, "folder_write_problem",
                            lambda folder, real=paths.folder_write_problem: "Read-only file system"
                            if pathlib.Path(folder) == share else real(folder))
    yield share
    paths.shared_artifacts_problem.cache_clear()
    if mounted:
        subprocess.run(["umount", str(share)], check=True)


def test_a_read_only_install_reads_its_models_and_writes_to_the_users_own_folder(read_only_share, small_model,
                                                                                  tmp_path):
    home = tmp_path / "home" / "mnist-course" / "artifacts"
    assert paths.shared_artifacts_problem() == "Read-only file system"
    settings = params.validate(artifacts_dir=None)
    line = params.describe(settings)
    assert line == (f"artifacts_dir = None (artifacts/ in the repository, which cannot be written here (Read-only "
                    f"file system): models are read from it, and new ones written to {home})")
    model, record = artifacts.load_model("hidden_layer", None)  # the teacher's model, read where it is
    assert record["test_accuracy"] == 0.5
    artifacts.save_model(small_model, "hidden_layer", {"test_accuracy": 0.6}, directory=None)
    assert (home / "hidden_layer_model.keras").is_file()
    assert artifacts.load_model("hidden_layer", None)[1]["test_accuracy"] == 0.6  # the learner's own comes first
    assert artifacts.load_metrics("hidden_layer", read_only_share)["test_accuracy"] == 0.5  # the share is untouched
    from helpers import export, predict

    assert export.export_folder(None) == home / "exported"
    assert predict.default_model() == home / "exported" / "cnn.tflite"

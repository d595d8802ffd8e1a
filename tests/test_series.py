"""python -m helpers.series: a real quick run, every bad-argument path, a failure and an interruption."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time

import nbformat
import numpy as np
import pytest

from helpers import data, paths, series


def run_series(*arguments: str, cwd: pathlib.Path, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers.series", *arguments], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout, check=False)


def run_series_here(arguments: list[str], cwd: pathlib.Path, monkeypatch, capsys) -> subprocess.CompletedProcess:
    """``series.main`` called in this process from ``cwd``, as ``run_series`` would run the command.

    The argument checks happen before any kernel starts, so they need no process of their own; one
    test below still runs the real command line for a bad argument.
    """
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    try:
        code = series.main(arguments)
    except SystemExit as exit_:  # argparse's own errors
        code = exit_.code
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(["python", "-m", "helpers.series", *arguments], code, captured.out, captured.err)


def copy_notebooks(target: pathlib.Path, *names: str) -> pathlib.Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(paths.NOTEBOOKS_DIR / f"{name}.ipynb", target)
    return target


def add_cell(notebook: pathlib.Path, source: str) -> None:
    """Appends a code cell to a copy of a notebook (never to the course's own notebooks)."""
    assert paths.NOTEBOOKS_DIR not in notebook.parents
    content = nbformat.read(notebook, as_version=4)
    content.cells.append(nbformat.v4.new_code_cell(source))
    nbformat.write(content, notebook)


@pytest.fixture(scope="module")
def tiny_mnist(tmp_path_factory) -> pathlib.Path:
    """2,000 training and 500 test images of MNIST in its layout: the runs below test the runner, not
    the lessons, and run notebooks 01 and 02 on these so that none of them repeats nbval's run at the
    defaults."""
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    path = tmp_path_factory.mktemp("tiny") / "tiny_mnist.npz"
    np.savez(path, x_train=x_train[:2000], y_train=y_train[:2000], x_test=x_test[:500], y_test=y_test[:500])
    return path


def test_a_quick_run_executes_every_notebook_and_summarises_it(quick_run):
    result, output = quick_run
    assert result.returncode == 0, result.stderr
    # Nothing on stderr: no kernel log lines (such as "KeyboardInterrupt caught in kernel" at
    # shutdown), and no progress bar when stderr is not a terminal.
    assert result.stderr == "", result.stderr
    summary = json.loads((output / "summary.json").read_text())
    assert summary["status"] == "complete" and summary["complete"] is True
    assert summary["parameters"]["epochs"] == 1
    assert summary["parameters"]["artifacts_dir"] == str(output / "artifacts")
    assert set(summary["versions"]) >= {"tensorflow", "keras", "numpy", "python"}
    names = [run["name"] for run in summary["notebooks"]]
    assert names == [path.stem for path in series.discover_notebooks()]
    for run in summary["notebooks"]:
        assert run["status"] == "ok" and run["seconds"] > 0
        assert pathlib.Path(run["output"]).is_file()
    models = {model["model"]: model for run in summary["notebooks"] for model in run["models"]}
    # One epoch on 20,000 images: far above chance (0.1), below the full run's figures.
    assert models["single_layer"]["test_accuracy"] > 0.85
    assert models["hidden_layer"]["test_accuracy"] > 0.9
    assert models["cnn"]["test_accuracy"] > 0.9
    assert models["augmented_cnn"]["test_accuracy"] > 0.85
    assert all(model["train_seconds"] > 0 for model in models.values())


def test_the_student_edition_runs_through_and_every_unanswered_check_says_not_attempted(quick_run):
    _, output = quick_run
    for path in series.discover_notebooks():
        executed = nbformat.read(output / path.name, as_version=4)
        checks = [cell for cell in executed.cells
                  if cell.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_check")]
        texts = [output_["data"]["text/plain"] for cell in checks for output_ in cell.outputs]
        assert len(texts) == len(checks) >= 2, path.name
        assert all(text.startswith("… Not attempted yet") for text in texts), texts
        assert not any(output_.get("name") == "stderr" for cell in executed.cells for output_ in cell.get("outputs", []))


def test_the_executed_notebooks_got_the_parameter(quick_run):
    _, output = quick_run
    executed = nbformat.read(output / "06_hidden_layer_model.ipynb", as_version=4)
    injected = [cell for cell in executed.cells if "injected-parameters" in cell.metadata.get("tags", [])]
    assert "epochs = 1" in injected[0].source
    untouched = nbformat.read(output / "01_loading_data.ipynb", as_version=4)
    injected = [cell for cell in untouched.cells if "injected-parameters" in cell.metadata.get("tags", [])]
    assert not injected or "epochs" not in injected[0].source  # 01 does not declare epochs.


def test_the_table_and_the_markdown_summary_show_the_figures(quick_run):
    result, output = quick_run
    summary = json.loads((output / "summary.json").read_text())
    accuracy = next(model["test_accuracy"] for run in summary["notebooks"] for model in run["models"]
                    if model["model"] == "hidden_layer")
    assert f"{accuracy:.4f}" in result.stdout
    count = len(series.discover_notebooks())
    subset = str(output.parent / "mnist_subset.npz")
    assert f"[6/{count}] 05_single_layer_model (epochs=1, data_path={subset!r})" in result.stdout
    markdown = (output / "summary.md").read_text()
    assert "Status: **complete**." in markdown
    assert f"| 06_hidden_layer_model | ok |" in markdown and f"| {accuracy:.4f} |" in markdown


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["-p", "epoch", "3"], "unknown parameter 'epoch'; the selected notebooks take: "),
        (["-p", "epochs", "0"], "epochs must be a whole number from 1 to 1000, got 0."),
        (["-p", "epochs", "two"], "epochs must be a whole number from 1 to 1000, got 'two' (str)."),
        (["-p", "hidden_units", "2.5"], "hidden_units must be a whole number from 1 to 100000, got 2.5 (float)."),
        (["-p", "data_path", "no/such.npz"], "data_path must be a path to an existing file or None"),
        (["--only", "01", "-p", "epochs", "2"], "unknown parameter 'epochs'; the selected notebooks take: data_path."),
        (["--only", "42"], "--only: no notebook '42'; the notebooks are numbered 00, 01, 02"),
        (["-f", "missing.yaml"], "-f missing.yaml: cannot read it"),
        (["-f", "list.yaml"], "-f list.yaml: expected a mapping of parameter names to values."),
        (["-f", "bad.yaml"], "-f bad.yaml: not valid YAML"),
        (["-f", "wrong.yaml"], "seed must be a whole number from 0 to 4294967295, got -3."),
        (["--only", ","], "--only ',' names no notebook; give numbers or names such as 05,06."),
        (["-f", "latin1.yaml"], "-f latin1.yaml: not UTF-8 text (byte 14); save it as UTF-8."),
        (["-f", "laughs.yaml"], "-f laughs.yaml: not valid YAML (aliases such as *a are not allowed in a parameters file)."),
        (["-p", "epochs", "x" * 5000], "epochs must be a whole number from 1 to 1000, got 'xxx"),
        (["--output", "a_file/out"], "--output a_file/out: no file can be written there (a file is in the way at "),
        (["--output", "/proc/mnist-course-run"], "--output /proc/mnist-course-run: no file can be written there ("),
        (["-p", "artifacts_dir", "a_file/models"], "', where no file can be written (a file is in the way at "),
    ],
)
def test_bad_arguments_give_one_line_exit_2_and_write_nothing(tmp_path, monkeypatch, capsys, arguments, message):
    (tmp_path / "list.yaml").write_text("- epochs\n- 3\n")
    (tmp_path / "bad.yaml").write_text("epochs: [1\n")
    (tmp_path / "wrong.yaml").write_text("epochs: 2\nseed: -3\n")
    (tmp_path / "latin1.yaml").write_bytes("data_path: caf\u00e9.npz\n".encode("latin-1"))
    # "Billion laughs": nine levels of nine aliases would expand to 9**9 strings.
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for previous, name in zip("abcdefgh", "bcdefghi"):
        levels.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    (tmp_path / "laughs.yaml").write_text("\n".join(levels) + "\n")
    (tmp_path / "a_file").write_text("not a folder")
    before = sorted(tmp_path.iterdir())
    runs_before = sorted(paths.DEFAULT_RUNS_DIR.iterdir()) if paths.DEFAULT_RUNS_DIR.exists() else []
    result = run_series_here(arguments, tmp_path, monkeypatch, capsys)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert len(result.stderr) < 600  # Echoed values are cut to a readable length.
    assert "Running" not in result.stdout
    assert sorted(tmp_path.iterdir()) == before
    assert (sorted(paths.DEFAULT_RUNS_DIR.iterdir()) if paths.DEFAULT_RUNS_DIR.exists() else []) == runs_before


def test_the_command_line_itself_refuses_a_bad_argument_in_one_line(tmp_path):
    result = run_series("-p", "epochs", "0", cwd=tmp_path, timeout=120)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "python -m helpers.series: epochs must be a whole number from 1 to 1000, got 0.\n"


def test_an_existing_output_folder_is_refused(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "keep.txt").write_text("mine")
    result = run_series("--output", "taken", cwd=tmp_path, timeout=120)
    assert result.returncode == 2
    assert "--output taken: it exists and is not an empty folder; name a new one." in result.stderr
    assert [path.name for path in (tmp_path / "taken").iterdir()] == ["keep.txt"]


def test_a_yaml_file_sets_parameters_and_p_overrides_it(tmp_path, tiny_mnist):
    (tmp_path / "params.yaml").write_text("data_path: digits.npz\n")
    result = run_series("-f", "params.yaml", "--only", "01", cwd=tmp_path, timeout=120)
    assert result.returncode == 2 and "digits.npz', which does not exist" in result.stderr
    result = run_series("-f", "params.yaml", "-p", "data_path", str(tiny_mnist), "--only", "01",
                        "--output", "out", cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["parameters"] == {
        "data_path": str(tiny_mnist), "artifacts_dir": str(tmp_path / "out" / "artifacts")}


def test_a_failing_notebook_stops_the_run_and_says_where(tmp_path, tiny_mnist):
    notebooks = copy_notebooks(tmp_path / "notebooks", "01_loading_data", "02_preprocessing")
    add_cell(notebooks / "02_preprocessing.ipynb", "raise RuntimeError('the projector is on fire')")
    result = run_series("--notebooks", str(notebooks), "--output", "out", "-p", "data_path", str(tiny_mnist),
                        cwd=tmp_path, timeout=300)
    assert result.returncode == 1
    assert "02_preprocessing failed: cell" in result.stderr
    assert "raised RuntimeError: the projector is on fire" in result.stderr
    executed = tmp_path / "out" / "02_preprocessing.ipynb"
    assert f"The executed copy shows where: {executed}" in result.stderr
    assert "Traceback" not in result.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["status"] == "failed" and summary["complete"] is False
    assert [run["status"] for run in summary["notebooks"]] == ["ok", "failed"]
    assert (tmp_path / "out" / "01_loading_data.ipynb").is_file() and executed.is_file()


def test_an_interrupted_run_keeps_what_finished_and_says_it_is_incomplete(tmp_path, tiny_mnist):
    notebooks = copy_notebooks(tmp_path / "notebooks", "01_loading_data", "02_preprocessing")
    add_cell(notebooks / "02_preprocessing.ipynb", "import time\ntime.sleep(120)")
    process = subprocess.Popen(
        [sys.executable, "-m", "helpers.series", "--notebooks", str(notebooks), "--output", "out",
         "-p", "data_path", str(tiny_mnist)],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in process.stdout:
            if line.startswith("[2/2] 02_preprocessing"):
                break
        time.sleep(8)  # Into 02's cells: its kernel has started and is running.
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "ZMQError" not in stderr  # Only the summary, no kernel log.
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["status"] == "interrupted" and summary["complete"] is False
    assert [run["status"] for run in summary["notebooks"]] == ["ok", "interrupted"]
    assert (tmp_path / "out" / "01_loading_data.ipynb").is_file()
    assert "Status: **interrupted** (incomplete)." in (tmp_path / "out" / "summary.md").read_text()


def test_a_killed_run_still_leaves_a_summary_of_what_finished(tmp_path, tiny_mnist):
    notebooks = copy_notebooks(tmp_path / "notebooks", "01_loading_data", "02_preprocessing")
    add_cell(notebooks / "02_preprocessing.ipynb", "import time\ntime.sleep(120)")
    process = subprocess.Popen(
        [sys.executable, "-m", "helpers.series", "--notebooks", str(notebooks), "--output", "out",
         "-p", "data_path", str(tiny_mnist)],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        for line in process.stdout:
            if line.startswith("[2/2] 02_preprocessing"):
                break
        os.killpg(process.pid, signal.SIGKILL)  # No handler runs: the runner and its kernel die at once.
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["status"] == "running" and summary["complete"] is False
    assert [run["status"] for run in summary["notebooks"]] == ["ok", "not run"]
    assert "Status: **running** (incomplete)." in (tmp_path / "out" / "summary.md").read_text()


def test_two_runs_that_share_an_artifacts_folder_never_mix_their_models(tmp_path):
    notebooks = copy_notebooks(tmp_path / "notebooks", "05_single_layer_model")
    add_cell(notebooks / "05_single_layer_model.ipynb", "import time\ntime.sleep(6)  # holds the folder past the second run's 5 s wait, with the kernel's start")
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    subset = tmp_path / "subset.npz"
    np.savez(subset, x_train=x_train[:2000], y_train=y_train[:2000], x_test=x_test[:500], y_test=y_test[:500])
    command = [sys.executable, "-m", "helpers.series", "--notebooks", str(notebooks), "-p", "epochs", "1",
               "-p", "data_path", str(subset), "-p", "artifacts_dir", str(tmp_path / "shared")]
    first = subprocess.Popen([*command, "--output", "one"], cwd=tmp_path, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen([*command, "--output", "two"], cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    results = [process.communicate(timeout=300) + (process.returncode,) for process in (first, second)]
    assert sorted(code for _, _, code in results) == [0, 2], results
    _, refused_stderr, _ = next(result for result in results if result[2] == 2)
    assert "another run is using the artifacts folder" in refused_stderr
    assert "-p artifacts_dir DIR" in refused_stderr and "Traceback" not in refused_stderr
    finished = "one" if first.returncode == 0 else "two"
    refused = "two" if finished == "one" else "one"
    assert not (tmp_path / refused).exists()
    summary = json.loads((tmp_path / finished / "summary.json").read_text())
    saved = json.loads((tmp_path / "shared" / "single_layer_metrics.json").read_text())
    assert summary["notebooks"][0]["models"][0]["test_accuracy"] == saved["test_accuracy"]


def test_help_lists_each_parameter_with_its_meaning_from_the_notebooks(tmp_path):
    result = run_series("--help", cwd=tmp_path, timeout=120)
    assert result.returncode == 0
    assert "hidden_units (default 100; notebooks 06, 07)" in result.stdout
    assert "neurons in the hidden layer (the original uses 100)" in result.stdout
    # A parameter whose default differs between notebooks lists each default with its notebooks.
    assert "epochs (default 2 in 04; 5 in 05, 06, 07, 08, 09, 10, 11)" in result.stdout
    for notebook in series.discover_notebooks():
        assert notebook.stem in result.stdout


@pytest.mark.parametrize(("text", "value"), [("None", None), ("True", True), ("3", 3), ("0.5", 0.5), ("a.npz", "a.npz")])
def test_values_parse_as_in_papermill(text, value):
    assert series.parse_value(text) == value and type(series.parse_value(text)) is type(value)


def test_unreadable_metrics_left_by_a_notebook_are_reported_not_crashed_on(tmp_path):
    (tmp_path / "broken_metrics.json").write_text("{half")
    with pytest.raises(series.artifacts.ArtifactError, match=r"broken_metrics.json is not readable JSON"):
        series._new_models(tmp_path, before={})


@pytest.mark.parametrize("arguments, bar", [([], True), (["--no-progress"], False)])
def test_no_progress_turns_the_redrawn_bar_off_even_on_a_terminal(tmp_path, monkeypatch, capsys, arguments, bar):
    """On a terminal papermill's bar is on unless --no-progress is given (screen readers, braille)."""
    notebooks = copy_notebooks(tmp_path / "notebooks", "01_loading_data")
    shown = []

    def execute(notebook, target, passed, cwd, run, artifacts_dir, progress_bar):
        shown.append(progress_bar)
        run.status = "ok"

    monkeypatch.setattr(series, "execute_notebook", execute)
    monkeypatch.setattr(series.sys.stderr, "isatty", lambda: True, raising=False)
    result = run_series_here(["--notebooks", str(notebooks), "--output", "out", *arguments], tmp_path,
                             monkeypatch, capsys)
    assert result.returncode == 0, result.stderr
    assert shown == [bar]
    assert "[1/1] 01_loading_data" in result.stdout


def test_an_interruption_keeps_the_dying_kernels_log_out_of_the_output(capfd):
    """Stopping shuts the kernel down under its cell; nbclient and asyncio then log that (under load,
    seen in CI: "Kernel died while waiting for execute reply", then DeadKernelError's traceback).
    The runner's interrupt handler quiets both before it raises KeyboardInterrupt."""
    import logging

    loggers = [logging.getLogger(name) for name in ("papermill", "asyncio")]
    levels = [logger.level for logger in loggers]
    try:
        with pytest.raises(KeyboardInterrupt):
            series._handle_interrupt(signal.SIGTERM, None)
        logging.getLogger("papermill").error("Kernel died while waiting for execute reply.")
        logging.getLogger("asyncio").error("Task exception was never retrieved\nTraceback (most recent call last):")
        assert capfd.readouterr().err == ""
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)

"""helpers.sweep: a notebook's parameter grid on a Dask cluster, its faults, its records and summary.

Most tests sweep a probe notebook made here (it trains nothing: it waits, writes a marker with its
worker's process id, maybe fails, and saves metrics computed from its parameters), so that the
cluster's behaviour is tested in seconds; one sweeps notebook 06 itself on a small MNIST file.
"""

from __future__ import annotations

import json
import os
import pathlib
import signal
import subprocess
import sys
import time

import probe_notebook
import pytest

from helpers import paths, sweep

@pytest.fixture
def probe(tmp_path) -> pathlib.Path:
    """The probe notebook, in a folder of its own."""
    folder = tmp_path / "notebook"
    folder.mkdir()
    return probe_notebook.write(folder)


def _sweep(*arguments: str, cwd: pathlib.Path = paths.REPOSITORY_ROOT, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers.sweep", *arguments], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, check=False,
                          env={**os.environ, "PYTHONPATH": str(paths.REPOSITORY_ROOT)})


def _records(output: pathlib.Path) -> dict[str, dict]:
    return {path.stem: json.loads(path.read_text()) for path in sorted((output / "runs").glob("*.json"))}


def _markers(folder: pathlib.Path, suffix: str) -> list[str]:
    return sorted(path.name.split(".")[0] for path in folder.glob(f"*.{suffix}"))


# --- Arguments ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["-p", "hidden_unit", "1,2"], "unknown parameter 'hidden_unit'; probe.ipynb takes: artifacts_dir, die_once, fail,"),
        (["-p", "hidden_units", "1,,2"], "-p hidden_units '1,,2': an empty value"),
        (["-p", "hidden_units", "1,1"], "1 is given twice"),
        (["-p", "hidden_units", "1", "-p", "hidden_units", "2"], "-p hidden_units is given twice"),
        (["-p", "seed", "0,1"], "give them with --seeds 0,1,2, not -p seed"),
        (["-p", "artifacts_dir", "a,b"], "artifacts_dir cannot be set"),
        (["--seeds", "0,-1"], "--seeds 0,-1:"),
        ([], "nothing to sweep"),
        (["-p", "hidden_units", "1,2", "--workers", "0"], "--workers 0: give 1 or more"),
        (["-p", "pause", "0.5,5e-1"], "-p pause: 0.5 is given twice (as two spellings)"),
        (["--seeds", "0,0"], "--seeds '0,0': 0 is given twice"),
    ],
)
def test_bad_arguments_are_one_line_and_write_nothing(probe, tmp_path, capsys, arguments, message):
    output = tmp_path / "out"
    assert sweep.main([str(probe), *arguments, "--output", str(output)]) == sweep.EXIT_USAGE
    stderr = capsys.readouterr().err
    assert message in stderr
    assert len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr
    assert not output.exists()


def test_a_course_notebooks_own_rules_are_checked_before_anything_runs(tmp_path, capsys):
    assert sweep.main(["06", "-p", "hidden_units", "16,-4", "--output", str(tmp_path / "out")]) == sweep.EXIT_USAGE
    stderr = capsys.readouterr().err
    assert "hidden_units" in stderr and len(stderr.strip().splitlines()) == 1
    assert sweep.main(["99", "-p", "epochs", "1,2", "--output", str(tmp_path / "out")]) == sweep.EXIT_USAGE
    assert "no course notebook numbered 99" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_an_output_folder_of_other_files_or_another_notebook_is_refused(probe, tmp_path, capsys):
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    assert sweep.main([str(probe), "-p", "hidden_units", "1,2", "--output", str(other)]) == sweep.EXIT_USAGE
    assert "holds files that are not a sweep's" in capsys.readouterr().err
    (other / "notes.txt").unlink()
    (other / sweep.PLAN_FILE).write_text(json.dumps({"notebook": "06_hidden_layer_model.ipynb"}))
    assert sweep.main([str(probe), "-p", "hidden_units", "1,2", "--output", str(other)]) == sweep.EXIT_USAGE
    assert "holds a sweep of 06_hidden_layer_model.ipynb" in capsys.readouterr().err
    assert sorted(path.name for path in other.iterdir()) == [sweep.PLAN_FILE]


def test_a_file_that_is_not_a_notebook_is_one_line(tmp_path, capsys):
    broken = tmp_path / "broken.ipynb"
    broken.write_bytes(b"\xff\xfe not a notebook")
    assert sweep.main([str(broken), "-p", "x", "1,2", "--output", str(tmp_path / "out")]) == sweep.EXIT_USAGE
    stderr = capsys.readouterr().err
    assert "broken.ipynb cannot be read as a notebook" in stderr and len(stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_an_interrupted_run_in_a_notebook_stops_the_grid_and_keeps_what_finished(probe, tmp_path, monkeypatch):
    plan = sweep.make_plan(probe, {"hidden_units": [1, 2, 3]})
    real = sweep.run_configuration

    def interrupted_at_the_second(task):
        if task["label"] == "hidden_units-2":
            return {"label": task["label"], "key": task["key"], "status": "interrupted", "error": None}
        return real(task)

    monkeypatch.setattr(sweep, "run_configuration", interrupted_at_the_second)
    with pytest.raises(KeyboardInterrupt):
        sweep.run_serially(plan, tmp_path / "out")
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["status"] == "interrupted"
    assert summary["counts"] == {"ok": 1, "kept": 0, "failed": 0, "not run": 2}


def test_the_plan_is_every_combination_times_every_seed_in_order(probe):
    plan = sweep.make_plan(probe, {"hidden_units": [1, 2], "fail": [False, True]}, seeds=[0, 1], fixed={"pause": 0.5})
    assert [configuration.label for configuration in plan.configurations[:3]] == [
        "hidden_units-1_fail-False_seed-0", "hidden_units-1_fail-False_seed-1", "hidden_units-1_fail-True_seed-0"]
    assert len(plan.configurations) == 8
    assert plan.configurations[-1].parameters == {"pause": 0.5, "hidden_units": 2, "fail": True, "seed": 1}
    assert len({configuration.key for configuration in plan.configurations}) == 8
    # The key changes with the notebook's text, so a kept run is never one of another notebook.
    probe.write_text(probe.read_text().replace("pause = 0.0", "pause = 0.1"))
    changed = sweep.make_plan(probe, {"hidden_units": [1, 2], "fail": [False, True]}, seeds=[0, 1], fixed={"pause": 0.5})
    assert changed.configurations[0].key != plan.configurations[0].key


# --- Summaries ------------------------------------------------------------------------------------

def test_the_summary_gives_the_mean_and_range_over_seeds_and_chooses_on_validation(probe):
    plan = sweep.make_plan(probe, {"hidden_units": [1, 2, 3]}, seeds=[0, 1])
    accuracy = {("1", 0): 0.90, ("1", 1): 0.92, ("2", 0): 0.95, ("2", 1): 0.93, ("3", 0): 0.94, ("3", 1): 0.94}
    records = {}
    for configuration in plan.configurations:
        units = str(configuration.setting["hidden_units"])
        if (units, configuration.seed) == ("3", 1):
            records[configuration.label] = {"status": "failed", "error": "ValueError: x", "models": []}
            continue
        records[configuration.label] = {"status": "ok", "seconds": 3.0, "models": [
            {"model": "probe", "validation_accuracy": accuracy[(units, configuration.seed)],
             "test_accuracy": 0.5, "train_seconds": 1.0 + configuration.seed}]}
    summary = sweep.summarise(plan, records, "failed")
    by_units = {group["setting"]["hidden_units"]: group for group in summary["settings"]}
    assert by_units[1]["validation_accuracy"]["mean"] == pytest.approx(0.91)
    assert by_units[1]["validation_accuracy"]["min"] == 0.90 and by_units[1]["validation_accuracy"]["max"] == 0.92
    assert by_units[1]["train_seconds"]["sd"] == pytest.approx(0.7071, abs=1e-4)
    assert by_units[3]["seeds"] == 1 and by_units[3]["validation_accuracy"]["sd"] is None
    # 2 and 3 tie at a mean of 0.94: the earlier setting of the grid is chosen.
    assert summary["best"] == [{"model": "probe", "setting": {"hidden_units": 2}, "seeds": 2,
                                "validation_accuracy": pytest.approx(0.94), "test_accuracy": 0.5}]
    assert summary["counts"] == {"ok": 5, "kept": 0, "failed": 1, "not run": 0}
    table = sweep.settings_table(summary)
    assert "| probe | 1 | 2 | 0.9100 (0.9000–0.9200) |" in table
    assert "| probe | 3 | 1 of 2 | 0.9400 |" in table


# --- On Dask --------------------------------------------------------------------------------------

def test_a_local_cluster_reports_a_failing_configuration_runs_the_rest_and_a_rerun_keeps_them(probe, tmp_path):
    output, markers = tmp_path / "out", tmp_path / "markers"
    markers.mkdir()
    arguments = [str(probe), "-p", "hidden_units", "1,2", "-p", "fail", "False,True", "-p", "marker_dir",
                 str(markers), "--workers", "2", "--output", str(output)]
    first = _sweep(*arguments)
    assert first.returncode == sweep.EXIT_FAILED, first.stderr
    records = _records(output)
    assert len(records) == 4
    failed = sorted(label for label, record in records.items() if record["status"] == "failed")
    assert failed == ["hidden_units-1_fail-True", "hidden_units-2_fail-True"], {
        label: record["error"] for label, record in records.items()}
    for label in failed:
        assert "ValueError: the probe fails on purpose" in records[label]["error"]
        assert (output / records[label]["notebook"]).is_file()
        assert f"{label} failed: " in first.stdout
    # Each worker's TensorFlow gets its share of the cores: the cores over the two workers.
    from dask.system import CPU_COUNT

    ok = [record for record in records.values() if record["status"] == "ok"]
    assert {record["models"][0]["threads"] for record in ok} == {str(max(1, CPU_COUNT // 2))}
    assert len({record["worker"] for record in records.values()}) == 2
    assert "4/4 finished (2 failed), 0 running, 0 waiting" in first.stdout
    summary = json.loads((output / "summary.json").read_text())
    assert summary["status"] == "failed" and summary["best"][0]["setting"] == {"hidden_units": 2, "fail": False}
    assert (output / sweep.PLOT_FILE).read_bytes()[:4] == b"\x89PNG"
    assert "hidden_units-2_fail-True" in (output / "summary.md").read_text()

    started_before = len(_markers(markers, "started"))
    second = _sweep(*arguments)
    assert second.returncode == sweep.EXIT_FAILED
    assert "Kept 2 configuration(s)" in second.stdout
    assert len(_markers(markers, "started")) == started_before + 2  # Only the failed two ran again.
    assert json.loads((output / "summary.json").read_text())["counts"] == {"ok": 0, "kept": 2, "failed": 2,
                                                                           "not run": 0}


def _start(*command: str, cwd: pathlib.Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", *command], cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(paths.REPOSITORY_ROOT)},
                            start_new_session=True)


def _kill_tree(pid: int) -> None:
    import psutil

    try:
        process = psutil.Process(pid)
        for each in [*process.children(recursive=True), process]:
            each.kill()
    except psutil.NoSuchProcess:
        pass


def test_on_a_separate_scheduler_a_killed_worker_s_configurations_finish_elsewhere_once(probe, tmp_path):
    import psutil

    scheduler_file, markers, output = tmp_path / "scheduler.json", tmp_path / "markers", tmp_path / "out"
    markers.mkdir()
    processes = [_start("dask", "scheduler", "--scheduler-file", str(scheduler_file), "--host",
                        "127.0.0.1", "--port", "0", "--dashboard-address", ":0", cwd=tmp_path)]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        for _ in range(2):
            processes.append(_start("dask", "worker", address, "--nthreads", "1", "--nworkers", "1",
                                    "--no-nanny", "--no-dashboard", cwd=tmp_path))
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        sweeping = subprocess.Popen(
            [sys.executable, "-m", "helpers.sweep", str(probe), "-p", "hidden_units", "1,2,3,4", "-p", "pause", "2",
             "-p", "marker_dir", str(markers), "--scheduler", address, "--output", str(output)],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(paths.REPOSITORY_ROOT)})
        # Once a configuration has started, kill the worker that runs it, kernel and all.
        deadline = time.monotonic() + 120
        while not list(markers.glob("*.started")) and time.monotonic() < deadline:
            time.sleep(0.1)
        victim = next(markers.glob("*.started"))
        kernel_parent = int(victim.read_text())  # The kernel's parent: the worker process.
        killed_label = victim.name.split(".")[0]
        assert kernel_parent in {process.pid for process in processes[1:]}
        _kill_tree(kernel_parent)
        stdout, stderr = sweeping.communicate(timeout=180)
        assert sweeping.returncode == sweep.EXIT_OK, stdout + stderr
        records = _records(output)
        assert sorted(records) == [f"hidden_units-{units}" for units in (1, 2, 3, 4)]
        assert all(record["status"] == "ok" for record in records.values())
        # The killed worker's configuration ran again on the other, and every one finished once.
        done = _markers(markers, "done")
        assert sorted(done) == ["1-0", "2-0", "3-0", "4-0"]
        assert _markers(markers, "started").count(killed_label) == 2
        assert not psutil.pid_exists(kernel_parent) or psutil.Process(kernel_parent).status() == psutil.STATUS_ZOMBIE
    finally:
        for process in processes:
            _kill_tree(process.pid)
            process.wait(timeout=30)


def test_a_scheduler_that_does_not_answer_is_one_line(probe, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sweep, "CONNECT_SECONDS", 2)
    status = sweep.main([str(probe), "-p", "hidden_units", "1,2", "--scheduler", "tcp://127.0.0.1:9",
                         "--output", str(tmp_path / "out")])
    stderr = capsys.readouterr().err
    assert status == sweep.EXIT_USAGE
    assert "--scheduler tcp://127.0.0.1:9: no Dask scheduler answered there within 2 s" in stderr
    assert len(stderr.strip().splitlines()) == 1


def test_a_kernel_that_dies_outside_a_cells_error_is_started_again_once(probe, tmp_path):
    markers = tmp_path / "markers"
    markers.mkdir()
    plan = sweep.make_plan(probe, {"hidden_units": [1]}, fixed={"die_once": True, "marker_dir": str(markers)})
    configuration = plan.configurations[0]
    task = {"label": configuration.label, "key": configuration.key, "helpers": plan.helpers,
            "notebook_name": probe.name, "notebook_text": probe.read_text(), "parameters": configuration.parameters}
    result = sweep.run_configuration(task)
    assert (markers / "died").exists()  # The first kernel died ...
    assert result["status"] == "ok" and result["models"][0]["model"] == "probe"  # ... the second ran.


def test_a_worker_with_other_helpers_refuses_the_run_and_says_so(probe):
    plan = sweep.make_plan(probe, {"hidden_units": [1]})
    task = {"label": "x", "key": "k", "helpers": "0" * 64, "notebook_name": probe.name,
            "notebook_text": probe.read_text(), "parameters": plan.configurations[0].parameters}
    result = sweep.run_configuration(task)
    assert result["status"] == "failed" and result["notebook"] is None
    assert "helpers on" in result["error"] and "differ from the sweep command's" in result["error"]
    assert plan.helpers == sweep._helpers_digest()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a process group is POSIX; Windows sends CTRL_C_EVENT")
def test_ctrl_c_stops_the_sweep_and_keeps_what_finished(probe, tmp_path):
    output, markers = tmp_path / "out", tmp_path / "markers"
    markers.mkdir()
    sweeping = subprocess.Popen(
        [sys.executable, "-m", "helpers.sweep", str(probe), "-p", "hidden_units", "1,2,3", "-p", "pause", "2",
         "-p", "marker_dir", str(markers), "--workers", "1", "--output", str(output)],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(paths.REPOSITORY_ROOT)})
    deadline = time.monotonic() + 120
    while not list((output / "runs").glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.2)
    os.killpg(sweeping.pid, signal.SIGINT)
    stdout, stderr = sweeping.communicate(timeout=60)
    assert sweeping.returncode == sweep.EXIT_INTERRUPTED, stdout + stderr
    summary = json.loads((output / "summary.json").read_text())
    assert summary["status"] == "interrupted" and not summary["complete"]
    assert 1 <= summary["counts"]["ok"] < 3 and summary["counts"]["not run"] >= 1
    assert "Traceback" not in stderr


def test_a_sweep_of_notebook_06_trains_each_setting_and_chooses_one(mnist_subset, tmp_path):
    output = tmp_path / "hidden"
    result = _sweep("06", "-p", "hidden_units", "8,32", "-p", "epochs", "1", "-p", "data_path", str(mnist_subset),
                    "--workers", "2", "--output", str(output), "--no-progress")
    assert result.returncode == sweep.EXIT_OK, result.stdout + result.stderr
    records = _records(output)
    assert sorted(records) == ["hidden_units-32", "hidden_units-8"]
    for label, record in records.items():
        model = record["models"][0]
        assert model["model"] == "hidden_layer" and model["parameters"]["hidden_units"] == int(label.split("-")[1])
        assert model["parameters"]["epochs"] == 1 and 0.8 < model["test_accuracy"] < 0.99
    summary = json.loads((output / "summary.json").read_text())
    assert summary["complete"] and summary["fixed"] == {"epochs": 1, "data_path": str(mnist_subset)}
    best = max(records.values(), key=lambda record: record["models"][0]["validation_accuracy"])
    assert summary["best"][0]["setting"] == best["setting"]
    assert "Chosen on validation accuracy for hidden_layer: hidden_units=" in result.stdout
    assert "running" not in result.stdout  # --no-progress
    assert result.stderr == ""

"""Shared fixtures and hooks for every pytest run in the project: small MNIST-layout files made on the
fly, a subprocess runner, the quick series run, and the pytest-xdist groups that keep each notebook
lane in one worker.

It sits at the repository root, not in tests/, so that it is loaded however pytest is started:
``pytest notebooks/09_convolutional_network.ipynb`` collects nothing from tests/, and without these
groups pytest-xdist would send the cells of one notebook to different kernels.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import pytest


def make_splits(train_count: int = 60, test_count: int = 20, seed: int = 0) -> dict[str, np.ndarray]:
    """Random MNIST-layout arrays: uint8 images of 28 x 28 and labels 0-9 covering every digit."""
    generator = np.random.default_rng(seed)
    return {
        "x_train": generator.integers(0, 256, (train_count, 28, 28), dtype=np.uint8),
        "y_train": (np.arange(train_count) % 10).astype(np.uint8),
        "x_test": generator.integers(0, 256, (test_count, 28, 28), dtype=np.uint8),
        "y_test": (np.arange(test_count) % 10).astype(np.uint8),
    }


@pytest.fixture
def write_npz(tmp_path: pathlib.Path):
    """Writes an npz from a dict of arrays (defaults from make_splits, overridden by keywords)."""

    def write(name: str = "digits.npz", **overrides) -> pathlib.Path:
        arrays = make_splits()
        arrays.update(overrides)
        arrays = {key: value for key, value in arrays.items() if value is not None}
        path = tmp_path / name
        np.savez(path, **arrays)
        return path

    return write


def run_python(code: str, cwd: pathlib.Path, timeout: float = 300, **environment: str):
    """Runs code in a fresh interpreter of this environment; returns the CompletedProcess."""
    env = {**os.environ, **environment}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=timeout, check=False,
    )


#: The notebooks in two lanes that share nothing, so that pytest-xdist can run them side by side:
#: a notebook reads only what notebooks of its own lane saved (07, 13 and 14 read 06's model; 10, 11,
#: 13 and 14 read 09's), and the cells of a lane run in one worker, in order. 12's study trains 06
#: into a folder of its own, so it needs nothing from 06's run.
NOTEBOOK_LANES = {
    "notebooks-00-05-08-12": ("00", "01", "02", "03", "04", "05", "08", "12"),
    "notebooks-06-07-09-14": ("06", "07", "09", "10", "11", "13", "14"),
}

#: Runs a command with its output in files and writes its exit status to a file when it ends, so
#: that any process of the session (pytest-xdist's workers do not share a parent) can wait for it.
_RECORD_EXIT_STATUS = (
    "import os, subprocess, sys\n"
    "status = subprocess.call(sys.argv[2:])\n"
    "with open(sys.argv[1] + '.part', 'w') as file:\n"
    "    file.write(str(status))\n"
    "os.replace(sys.argv[1] + '.part', sys.argv[1])\n"
)


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def _session_folder() -> pathlib.Path:
    """The folder that every process of this test session shares (made in pytest_configure)."""
    return pathlib.Path(os.environ["MNIST_COURSE_TEST_SESSION"])


def _stop_process_tree(pid: int) -> None:
    """Stops a process and everything it started (kernels included), on every OS."""
    import psutil

    try:
        process = psutil.Process(pid)
        processes = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    for each in processes:
        try:
            each.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(processes, timeout=30)
    for each in alive:
        try:
            each.kill()
        except psutil.NoSuchProcess:
            pass


class _QuickRun:
    """The session's quick series run, started in the background as soon as collection ends.

    The quickest settings that still run every notebook through: a third of MNIST's training
    images, one epoch everywhere, and a one-point grid for notebook 12. It runs the student edition,
    which differs from the course only in its exercises, so one run checks both that every notebook
    takes other parameters and that the edition runs through. The browser tests read the models it
    saves. It takes two to three minutes, mostly starting kernels and Python code on one core, so
    it runs beside the tests that do not need it.

    One run serves the whole session: the first process to finish collecting starts it (a file
    lock decides), and any process, pytest-xdist's workers included, waits for the file in which
    it leaves its exit status.
    """

    def __init__(self, folder: pathlib.Path) -> None:
        self.folder = folder
        self.status_file = folder / "exit-status.txt"
        self.arguments = [
            sys.executable, "-m", "helpers.series", "-p", "epochs", "1", "-p", "hidden_units_grid", "16",
            "-p", "epochs_grid", "1", "-p", "data_path", str(folder / "mnist_subset.npz"),
            "--output", str(folder / "run"), "--notebooks", str(folder / "student" / "notebooks")]

    @classmethod
    def start_once(cls) -> "_QuickRun":
        """Starts the run unless another process of the session has; returns it either way."""
        from filelock import FileLock

        run = cls(_session_folder() / "quick-run")
        with FileLock(str(_session_folder() / "quick-run.lock")):
            if not (run.folder / "pid.txt").exists():
                run._start()
        return run

    def _start(self) -> None:
        from helpers import data, edition

        self.folder.mkdir()
        (x_train, y_train), (x_test, y_test) = data.load_mnist()
        np.savez_compressed(self.folder / "mnist_subset.npz", x_train=x_train[:20000], y_train=y_train[:20000],
                            x_test=x_test, y_test=y_test)
        edition.build("student", self.folder / "student")
        with (self.folder / "stdout.txt").open("w") as stdout, (self.folder / "stderr.txt").open("w") as stderr:
            process = subprocess.Popen([sys.executable, "-c", _RECORD_EXIT_STATUS, str(self.status_file), *self.arguments],
                                       cwd=self.folder, stdout=stdout, stderr=stderr, text=True,
                                       start_new_session=True)
        (self.folder / "pid.txt").write_text(str(process.pid))

    def result(self, timeout: float = 1200) -> subprocess.CompletedProcess:
        """Waits for the run; returns it as ``subprocess.run`` would have."""
        import psutil

        pid = int((self.folder / "pid.txt").read_text())
        deadline = time.monotonic() + timeout
        while not self.status_file.exists():
            if time.monotonic() > deadline:
                raise TimeoutError(f"the quick series run (process {pid}) took more than {timeout:.0f} s")
            if not psutil.pid_exists(pid) and not self.status_file.exists():
                raise RuntimeError(f"the quick series run (process {pid}) ended without an exit status")
            time.sleep(1)
        return subprocess.CompletedProcess(
            self.arguments, int(self.status_file.read_text()), (self.folder / "stdout.txt").read_text(),
            (self.folder / "stderr.txt").read_text())


def _needs_quick_run(item: pytest.Item) -> bool:
    return "quick_run" in getattr(item, "fixturenames", ())


_SESSION_FOLDER_KEY = pytest.StashKey[pathlib.Path]()


def pytest_configure(config: pytest.Config) -> None:
    """The session's shared folder, made once by the process that runs the session.

    pytest-xdist's workers inherit it through the environment; a worker does not make its own.
    """
    if not _is_worker(config):
        if getattr(config.option, "numprocesses", None):
            # Workers, their kernels and the quick run share the cores: each TensorFlow keeps to one
            # thread instead of spinning threads for every core against the others (on 2 cores the
            # suite took 10:58 instead of 12:20, and 18.8 instead of 21.5 CPU-minutes). An explicit
            # setting wins.
            os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")
            os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")
        folder = pathlib.Path(tempfile.mkdtemp(prefix="mnist-course-tests-"))
        os.environ["MNIST_COURSE_TEST_SESSION"] = str(folder)
        config.stash[_SESSION_FOLDER_KEY] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stops the quick run if it still goes (an interrupted session) and removes the shared folder."""
    folder = config.stash.get(_SESSION_FOLDER_KEY, None)
    if folder is None:
        return
    pid_file = folder / "quick-run" / "pid.txt"
    if pid_file.exists():
        _stop_process_tree(int(pid_file.read_text()))
    shutil.rmtree(folder, ignore_errors=True)



@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Orders the run and puts each item in a pytest-xdist group.

    The order: unit tests first, then the tests that read the quick run, then the notebooks.
    nbval's notebook cells keep their order (a notebook's cells run in one kernel, and 07, 10, 11
    and 13 use what 06 and 09 saved); so does every group.

    The groups (``--dist loadgroup``, set in pyproject.toml): a test module's tests run in one
    worker, since they share its module-scoped fixtures (JupyterLab, trained models), and so do the
    notebooks of a lane (``NOTEBOOK_LANES``). This hook runs before pytest-xdist's own, which reads
    the groups.
    """
    def order(item: pytest.Item) -> int:
        if item.path.suffix == ".ipynb":
            return 2
        return 1 if _needs_quick_run(item) else 0

    items.sort(key=order)
    lane_of = {number: lane for lane, numbers in NOTEBOOK_LANES.items() for number in numbers}
    for item in items:
        if item.path.suffix == ".ipynb":
            group = lane_of.get(item.path.name[:2], "notebooks-other")
        else:
            group = item.path.stem
        item.add_marker(pytest.mark.xdist_group(group))


def pytest_collection_finish(session: pytest.Session) -> None:
    if session.config.option.collectonly or not any(_needs_quick_run(item) for item in session.items):
        return
    session.config.stash[_QUICK_RUN_KEY] = _QuickRun.start_once()


_QUICK_RUN_KEY = pytest.StashKey[_QuickRun]()


@pytest.fixture(scope="session")
def mnist_subset(tmp_path_factory) -> pathlib.Path:
    """An MNIST-layout file with a third of the training images and the whole test set.

    For tests that train through a notebook and need a real model, not a good one, without
    waiting for the quick run (whose subset is the same).
    """
    from helpers import data

    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    path = tmp_path_factory.mktemp("subset") / "mnist_subset.npz"
    np.savez(path, x_train=x_train[:20000], y_train=y_train[:20000], x_test=x_test, y_test=y_test)
    return path


@pytest.fixture(scope="session")
def quick_run(request) -> tuple[subprocess.CompletedProcess, pathlib.Path]:
    """``python -m helpers.series`` run once on the student edition, with the quickest settings.

    Started in the background when collection ends (see ``_QuickRun``). Returns the
    CompletedProcess and the run's output folder.
    """
    started = request.config.stash[_QUICK_RUN_KEY]
    return started.result(), started.folder / "run"

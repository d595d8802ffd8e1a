"""The course in a real browser: JupyterLab, Run All from the menu, and drawing on the capstone's pad.

Playwright for Python drives Debian's Chromium (its own browser download cannot work offline).
Without Chromium these tests are skipped, with the package to install; CI installs it and sets
MNIST_COURSE_REQUIRE_BROWSER, which turns the skip into a failure.
"""

from __future__ import annotations

import json
import os
import pathlib
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest

from helpers import paths

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = bool(os.environ.get("MNIST_COURSE_REQUIRE_BROWSER"))
NEWS_PLUGIN = "@jupyterlab/apputils-extension:announcements"

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not REQUIRED,
    reason="Debian's chromium is not installed (apt-get install chromium); the browser tests drive it with Playwright",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def copy_with_parameters(name: str, target: pathlib.Path, **parameters: object) -> None:
    """Copies a course notebook with a cell after its parameters cell that sets ``parameters``.

    papermill injects parameters the same way, so the notebook's validation cell checks them.
    """
    notebook = nbformat.read(paths.NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    index = next(index for index, cell in enumerate(notebook.cells) if "parameters" in cell.metadata.get("tags", []))
    source = "\n".join(f"{key} = {value!r}" for key, value in parameters.items())
    notebook.cells.insert(index + 1, nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]}))
    nbformat.write(notebook, target / f"{name}.ipynb")


@pytest.fixture(scope="module")
def lab(tmp_path_factory, quick_run):
    """JupyterLab on a free localhost port with a token, serving copies of three notebooks."""
    assert CHROMIUM is not None, "MNIST_COURSE_REQUIRE_BROWSER is set, but chromium is missing: apt-get install chromium"
    root = tmp_path_factory.mktemp("lab")
    (root / "notebooks").mkdir()
    # The quick run's parameters (nbval runs every notebook at its defaults): its 20,000-image
    # subset, one epoch. 06 saves into a folder of the test's; the capstone reads the quick run's models.
    subset = str(quick_run[1].parent / "mnist_subset.npz")
    copy_with_parameters("01_loading_data", root / "notebooks", data_path=subset)
    copy_with_parameters("06_hidden_layer_model", root / "notebooks", data_path=subset, epochs=1,
                         artifacts_dir=str(root / "artifacts"))
    copy_with_parameters("13_draw_your_own_digit", root / "notebooks", data_path=subset,
                         artifacts_dir=str(quick_run[1] / "artifacts"))
    port, token = free_port(), secrets.token_hex(16)
    environment = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(root / "settings"),
                   "JUPYTERLAB_WORKSPACES_DIR": str(root / "workspaces"), "JUPYTER_RUNTIME_DIR": str(root / "runtime")}
    log = open(root / "jupyterlab.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--allow-root"],
        stdout=log, stderr=subprocess.STDOUT, env=environment,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"JupyterLab did not start: {(root / 'jupyterlab.log').read_text()[-2000:]}")
            time.sleep(0.5)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        try:
            yield {"browser": browser, "base": base, "token": token, "root": root}
        finally:
            browser.close()
            server.terminate()
            server.wait(timeout=30)
            log.close()


def run_all(lab: dict, name: str, timeout_seconds: float = 150):
    """Opens a notebook, runs every cell from the Run menu, waits for the kernel; returns the page."""
    page = lab["browser"].new_page(viewport={"width": 1500, "height": 1000})
    page.console_lines = []
    page.on("console", lambda message: page.console_lines.append(f"{message.type}: {message.text}"))
    # A workspace of its own, so that JupyterLab does not reopen the notebooks of the earlier tests.
    page.goto(f"{lab['base']}/lab/workspaces/{name.replace('_', '-')}/tree/notebooks/{name}.ipynb?token={lab['token']}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=60_000)
    # The copies hold their stored outputs; clearing them first means that every output and every
    # execution count checked below comes from this run.
    page.locator(".lm-MenuBar-itemLabel", has_text="Edit").first.click()
    page.locator(".lm-Menu-itemLabel").get_by_text("Clear Outputs of All Cells", exact=True).click()
    page.wait_for_function("document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output').length === 0",
                           timeout=10_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel").get_by_text("Run All Cells", exact=True).click()
    started = time.monotonic()
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')];
            const busy = document.querySelector('.jp-Notebook-ExecutionIndicator[data-status="busy"]');
            return prompts.length > 0 && !busy && prompts.every(p => /^\\[\\d+\\]:$/.test(p.textContent.trim()));
        }""",
        timeout=timeout_seconds * 1000, polling=500,
    )
    page.run_all_seconds = time.monotonic() - started
    return page


def assert_clean_with_figures(page, figures: int) -> None:
    errors = page.locator('[data-mime-type="application/vnd.jupyter.error"]')
    assert errors.count() == 0, errors.first.inner_text()
    stderr = page.locator('[data-mime-type="application/vnd.jupyter.stderr"]')
    assert stderr.count() == 0, stderr.first.inner_text()
    page.wait_for_function(f"document.querySelectorAll('.jp-RenderedImage img').length >= {figures}", timeout=30_000)
    sizes = page.eval_on_selector_all(".jp-RenderedImage img", "images => images.map(i => i.naturalWidth)")
    assert all(width > 100 for width in sizes), sizes  # Real PNGs, not broken images.


def test_jupyterlab_runs_without_its_news_pop_up(lab):
    page = lab["browser"].new_page()
    page.goto(f"{lab['base']}/lab?token={lab['token']}")
    config = json.loads(page.locator("#jupyter-config-data").text_content())
    assert NEWS_PLUGIN in config.get("disabledExtensions", []), (
        "the course's setup command should disable JupyterLab's news pop-up")
    page.close()


def test_the_first_notebook_runs_all_in_the_browser(lab):
    page = run_all(lab, "01_loading_data")
    assert_clean_with_figures(page, 3)
    assert "✓ Correct" in page.locator(".jp-OutputArea-output").all_inner_texts()[-1]
    page.close()


def test_the_hidden_layer_notebook_runs_all_in_the_browser(lab):
    page = run_all(lab, "06_hidden_layer_model")
    assert_clean_with_figures(page, 2)
    assert (lab["root"] / "artifacts" / "hidden_layer_metrics.json").exists()
    page.close()


def draw(page, pad, points) -> None:
    """One stroke on the pad through points given as fractions of its width and height.

    Each point is found afresh on the pad (locator.hover scrolls to it), so the stroke lands on the
    canvas even if the notebook's layout moves while figures load.
    """
    box = pad.bounding_box()
    position = lambda fraction: {"x": fraction[0] * box["width"], "y": fraction[1] * box["height"]}
    pad.hover(position=position(points[0]))
    page.mouse.down()
    for point in points[1:]:
        pad.hover(position=position(point))
    page.mouse.up()


def wait_for_answer(page, words: str) -> str:
    """Waits until the capstone's answer line contains words; returns the line."""
    answer = page.locator(".mnist-prediction")
    try:
        page.wait_for_function(f"document.querySelector('.mnist-prediction').innerText.includes({words!r})",
                               timeout=60_000)
    except Exception as error:  # Say what the page showed, not only that it timed out.
        shot = pathlib.Path(os.environ.get("TMPDIR", "/tmp")) / "capstone_failure.png"
        page.screenshot(path=str(shot))
        raise AssertionError(f"the answer line still says {answer.inner_text()!r} (screenshot: {shot}; "
                             f"browser console: {getattr(page, 'console_lines', [])[-10:]})") from error
    return answer.inner_text()


def test_the_capstone_reads_a_drawn_1_and_0(lab, tmp_path_factory):
    import math

    page = run_all(lab, "13_draw_your_own_digit")
    assert_clean_with_figures(page, 3)
    pad = page.locator("canvas.mnist-pad")
    pad.scroll_into_view_if_needed()
    draw(page, pad, [(0.5, 0.15 + 0.05 * step) for step in range(15)])  # A vertical stroke.
    assert wait_for_answer(page, "reads") == "hidden layer reads 1 · CNN reads 1"
    page.screenshot(path=str(tmp_path_factory.getbasetemp() / "capstone_1.png"))
    page.get_by_role("button", name="Clear").click()
    wait_for_answer(page, "Draw a digit")
    loop = [(0.5 + 0.22 * math.sin(2 * math.pi * step / 24), 0.5 - 0.32 * math.cos(2 * math.pi * step / 24))
            for step in range(26)]
    draw(page, pad, loop)
    assert wait_for_answer(page, "reads") == "hidden layer reads 0 · CNN reads 0"
    page.screenshot(path=str(tmp_path_factory.getbasetemp() / "capstone_0.png"))
    page.close()

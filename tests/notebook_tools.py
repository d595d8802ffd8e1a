"""Reading and running the course notebooks from tests."""

from __future__ import annotations

import json
import re
import pathlib
from typing import Any

import papermill

from helpers import paths


def notebook_path(name: str) -> pathlib.Path:
    """The path of a course notebook, e.g. ``notebook_path("05_single_layer_model")``."""
    return paths.NOTEBOOKS_DIR / f"{name}.ipynb"


def tagged_source(name: str, tag: str) -> str:
    """The source of the one cell of notebook ``name`` tagged ``tag``."""
    cells = json.loads(notebook_path(name).read_text())["cells"]
    sources = ["".join(cell["source"]) for cell in cells if tag in cell.get("metadata", {}).get("tags", [])]
    assert len(sources) == 1, f"{name} has {len(sources)} cells tagged {tag!r}, expected 1"
    return sources[0]


def run_notebook(name: str, output_dir: pathlib.Path, cwd: pathlib.Path, **parameters: Any) -> dict:
    """Executes a course notebook with papermill in a fresh kernel; returns the executed notebook."""
    output = output_dir / f"{name}.out.ipynb"
    cwd.mkdir(parents=True, exist_ok=True)
    return papermill.execute_notebook(
        notebook_path(name), output, parameters=parameters, cwd=cwd, kernel_name="python3",
        progress_bar=False, log_output=False, execution_timeout=900,
    )


def all_output_text(notebook: dict) -> str:
    """Every stream and text/plain output of an executed notebook, joined."""
    pieces = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            text = output.get("text") or output.get("data", {}).get("text/plain", "")
            pieces.append("".join(text) if isinstance(text, list) else text)
    return "\n".join(pieces)


def main_text(notebook: dict) -> str:
    """The lesson's own words: every Markdown cell before the Exercises heading, without collapsed blocks.

    ``<details>`` blocks ("for the curious") and HTML comments are left out, and so is everything
    from the ``## Exercises`` heading on, so what remains is what a learner reads as the lesson.
    """
    pieces = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        source = "".join(cell["source"])
        if re.match(r"\s*## Exercises\b", source):
            break
        source = re.sub(r"<details>.*?</details>", " ", source, flags=re.DOTALL)
        pieces.append(re.sub(r"<!--.*?-->", " ", source, flags=re.DOTALL))
    return "\n\n".join(pieces)


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of letters or digits, with inner apostrophes and hyphens."""
    return len(re.findall(r"[A-Za-z0-9]+(?:['’\-][A-Za-z0-9]+)*", re.sub(r"\([^()\s]*\.ipynb[^()\s]*\)|\(\.\./[^()\s]*\)", " ", text)))

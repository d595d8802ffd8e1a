"""``python -m helpers.edition``: the student and the teacher editions of the course.

- ``student --output DIR`` writes the numbered notebooks with every solution region replaced by a
  placeholder for the learner, the exercises' outputs cleared and the lesson's own outputs kept, so
  the notebooks can be read before they run. An unanswered exercise's check then says "not
  attempted yet", so the edition runs from top to bottom.
- ``teacher --output DIR`` writes the complete notebooks, ``ANSWER_KEY.md`` (each exercise's
  expected values, as its check found them in the stored run, its solution and its hint) and
  ``TEACHING.md``.

Both refuse a folder that is not empty, and build everything in a hidden folder beside it that is
renamed into place at the end, so a failure leaves nothing half-written.

Solution regions are marked the nbgrader way (see :mod:`helpers.exercises.core`): a code cell's
lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` are dropped, or, inside a function,
replaced by ``raise NotImplementedError``; a Markdown model answer is replaced as a whole.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import importlib
import json
import os
import pathlib
import shutil
import sys
from typing import Any, Iterator, Sequence

from helpers import paths, series
from helpers.exercises import core

EXIT_USAGE = 2

#: What a learner finds where a model answer was.
ANSWER_PLACEHOLDER = "**Your answer.** Write it here, then compare it with `exercise_{number}.solution()`."

#: Where the student edition's README comes from: this section of the course's README.
README_SECTION = "## The notebooks"


class EditionError(Exception):
    """A problem the command reports in one line (exit status 2)."""


def nbgrader_metadata(cell: dict[str, Any]) -> dict[str, Any]:
    """A cell's nbgrader metadata, or an empty dict."""
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def is_exercise_cell(cell: dict[str, Any]) -> bool:
    """Whether the cell belongs to an exercise: a solution, a model answer or a check."""
    return bool(nbgrader_metadata(cell).get("grade_id"))


def student_source(cell: dict[str, Any], placeholder_number: int) -> str:
    """The source a learner gets for a solution cell.

    Args:
        cell: A cell with nbgrader ``solution: true``.
        placeholder_number: The exercise's number, for a Markdown cell's placeholder.

    Raises:
        ValueError: A code solution cell has no solution region.
    """
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    if cell["cell_type"] == "markdown":
        return ANSWER_PLACEHOLDER.format(number=placeholder_number)
    region = core.solution_region(source)
    if region is None:
        raise ValueError(f"solution cell {nbgrader_metadata(cell).get('grade_id')!r} has no "
                         f"{core.BEGIN_SOLUTION!r} ... {core.END_SOLUTION!r} region.")
    lines = source.splitlines()
    begin, end = region
    indent = lines[begin][: len(lines[begin]) - len(lines[begin].lstrip())]
    placeholder = [f'{indent}raise NotImplementedError("your code here")'] if indent else []
    return "\n".join(lines[:begin] + placeholder + lines[end + 1:]).rstrip("\n")


def student_notebook(notebook: dict[str, Any]) -> dict[str, Any]:
    """A notebook's student version: solutions replaced, exercise outputs cleared, the rest kept."""
    student = copy.deepcopy(notebook)
    for cell in student["cells"]:
        nbgrader = nbgrader_metadata(cell)
        if not nbgrader.get("grade_id"):
            continue
        if nbgrader.get("solution"):
            number = int(nbgrader["grade_id"].rsplit("_", 1)[-1]) if nbgrader["grade_id"][-1].isdigit() else 0
            cell["source"] = student_source(cell, number)
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    student.setdefault("metadata", {})["mnist_course"] = {"edition": "student"}
    return student


def answer_key(notebooks: Sequence[pathlib.Path]) -> str:
    """The teacher's answer key in Markdown, from the notebooks' stored check results.

    Raises:
        EditionError: A check has no stored result, or its stored result is not "correct" (the
            notebook was not run top to bottom with its solutions).
    """
    lines = ["# Answer key", "",
             "Each checked exercise's expected values are those its check computed in the stored run of the",
             "notebook (default parameters; a run with other parameters or data expects other values). Then",
             "come the solution, as in the notebook, and the hint that `exercise_N.hint()` shows.", ""]
    for path in notebooks:
        content = json.loads(path.read_text(encoding="utf-8"))
        number = path.name[:2]
        module = importlib.import_module(f"helpers.exercises.notebook_{number}")
        lines += [f"## {path.stem}", ""]
        results = _stored_results(content)
        for exercise in module.EXERCISES:
            kind = "checked" if exercise.checked else "to think about"
            lines += [f"### Exercise {exercise.number} ({kind}) · `{exercise.grade_id}`", ""]
            if exercise.checked:
                result = results.get(exercise.grade_id)
                if result is None or result.get("status") != "correct":
                    found = "no stored result" if result is None else f"a stored result of {result.get('status')!r}"
                    raise EditionError(f"{path.name}: exercise {exercise.number}'s check has {found}; run the notebook "
                                       "top to bottom with its solutions first.")
                lines += [f"**Expected:** {result['expected']}", ""]
            for cell_type, text in core.solution_cells(number, exercise.grade_id, path.parent):
                lines += ([f"```python\n{text}\n```"] if cell_type == "code" else [text]) + [""]
            lines += [f"**Hint:** {exercise.hint().plain.split(': ', 1)[1]}", ""]
    return "\n".join(lines)


def _stored_results(notebook: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The stored result of each check cell, by the exercise's grade_id."""
    results = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            found = output.get("metadata", {}).get(core.METADATA_KEY)
            if found:
                results[found["grade_id"]] = found
    return results


def student_readme(readme: str) -> str:
    """The student edition's README: what it is, how to open it, and the course README's notebook list."""
    start = readme.find(README_SECTION)
    if start < 0:
        raise EditionError(f"README.md has no {README_SECTION!r} section to copy.")
    end = readme.find("\n## ", start + len(README_SECTION))
    section = readme[start:end if end >= 0 else None].rstrip()
    return "\n".join([
        "# A first neural network: the student edition", "",
        "These are the course's notebooks with the exercises left for you. Each checked exercise has a cell",
        "with `...` where your answer goes, and a cell after it that checks the answer. Until you answer, the",
        "check says \"not attempted yet\", so every notebook still runs from top to bottom.", "",
        "Open the notebooks with the course's environment, so that `import helpers` works: from this",
        "folder, run `COURSE/.venv/bin/jupyter lab notebooks/`, where COURSE is the course's folder.", "",
        section, "",
    ])


@contextlib.contextmanager
def _staging(output: pathlib.Path) -> Iterator[pathlib.Path]:
    """A hidden folder beside ``output`` that becomes ``output`` on success and vanishes on failure."""
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise EditionError(f"--output {output}: it exists and is not an empty folder; choose a new folder.")
    problem = paths.folder_write_problem(output.parent)
    if problem:
        raise EditionError(f"--output {output}: cannot write there ({problem}).")
    staging = output.parent / f".{output.name}.partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        yield staging
        if output.exists():
            output.rmdir()
        staging.rename(output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def build(edition: str, output: str | pathlib.Path, notebooks_dir: str | pathlib.Path = paths.NOTEBOOKS_DIR) -> list[pathlib.Path]:
    """Writes an edition into ``output``.

    Args:
        edition: ``"student"`` or ``"teacher"``.
        output: A folder that does not exist yet, or is empty.
        notebooks_dir: Where the course's numbered notebooks are.

    Returns:
        The files written, inside ``output``.

    Raises:
        EditionError: A bad edition, output folder or notebooks folder, or notebooks that cannot
            make an edition (for example a check with no stored result, for the teacher's key).
    """
    if edition not in ("student", "teacher"):
        raise EditionError(f"the edition must be 'student' or 'teacher', not {edition!r}.")
    output, notebooks_dir = pathlib.Path(output).absolute(), pathlib.Path(notebooks_dir)
    notebooks = series.discover_notebooks(notebooks_dir)
    if not notebooks:
        raise EditionError(f"{notebooks_dir}: no numbered notebooks (NN_name.ipynb) there.")
    written = []
    with _staging(output) as staging:
        (staging / "notebooks").mkdir()
        for path in notebooks:
            try:
                content = json.loads(path.read_text(encoding="utf-8"))
                if edition == "student":
                    content = student_notebook(content)
            except (ValueError, KeyError) as error:
                raise EditionError(f"{path.name}: {error}") from None
            (staging / "notebooks" / path.name).write_text(json.dumps(content, indent=1, ensure_ascii=False) + "\n",
                                                          encoding="utf-8")
            written.append(pathlib.Path("notebooks") / path.name)
        readme = (paths.REPOSITORY_ROOT / "README.md").read_text(encoding="utf-8")
        if edition == "student":
            (staging / "README.md").write_text(student_readme(readme), encoding="utf-8")
            written.append(pathlib.Path("README.md"))
        else:
            (staging / "ANSWER_KEY.md").write_text(answer_key(notebooks), encoding="utf-8")
            shutil.copy(paths.REPOSITORY_ROOT / "README.md", staging / "README.md")
            shutil.copy(paths.REPOSITORY_ROOT / "TEACHING.md", staging / "TEACHING.md")
            written += [pathlib.Path(name) for name in ("ANSWER_KEY.md", "README.md", "TEACHING.md")]
    return [output / name for name in written]


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.edition",
        description="Write the student edition (exercises left open) or the teacher edition (with an answer key).")
    parser.add_argument("edition", choices=["student", "teacher"], help="which edition to write")
    parser.add_argument("--output", required=True, metavar="DIR", help="a new or empty folder to write it into")
    parser.add_argument("--notebooks", metavar="DIR", default=str(paths.NOTEBOOKS_DIR),
                        help="the folder of numbered notebooks (default: the course's notebooks/)")
    arguments = parser.parse_args(argv)
    try:
        written = build(arguments.edition, arguments.output, arguments.notebooks)
    except EditionError as error:
        print(f"python -m helpers.edition: {error}", file=sys.stderr)
        return EXIT_USAGE
    notebooks = sum(1 for path in written if path.suffix == ".ipynb")
    print(f"The {arguments.edition} edition: {notebooks} notebooks and "
          f"{', '.join(path.name for path in written if path.suffix != '.ipynb')} in {paths.display_path(arguments.output)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``python -m helpers.edition``: the student and the teacher editions of the course.

- ``student --output DIR`` writes the numbered notebooks with every solution region replaced by a
  placeholder for the learner, the exercises' outputs cleared and the lesson's own outputs kept, so
  the notebooks can be read before they run. An unanswered exercise's check then says "not
  attempted yet", so the edition runs from top to bottom.
- ``teacher --output DIR`` writes the complete notebooks, ``ANSWER_KEY.md`` (each exercise's
  expected values, as its check found them in the stored run, its solution and its hint) and
  ``TEACHING.md``.
- ``colab --repository URL [--branch BRANCH] --output DIR`` writes the complete notebooks, outputs
  kept, each with a setup cell right after its title (see :mod:`helpers.colab`): in Google Colab it
  clones URL's BRANCH and installs the few packages Colab lacks; anywhere else it does nothing. For
  a GitHub URL each notebook gets an "Open in Colab" link and its links to the other notebooks open
  them in Colab too; the README lists the notebooks with their links, or says how to upload them.

All refuse a folder that is not empty, and build everything in a hidden folder beside it that is
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
import re
import shutil
import sys
from typing import Any, Iterator, Sequence

from helpers import catalogue, paths, series
from helpers.exercises import core

EXIT_USAGE = 2

#: What a learner finds where a model answer was.
ANSWER_PLACEHOLDER = "**Your answer.** Write it here, then compare it with `exercise_{number}.solution()`."

#: Where the student edition's README comes from: this section of the course's README.
README_SECTION = "## The notebooks"

#: The tag of the Colab edition's setup cell.
COLAB_SETUP_TAG = "colab-setup"

#: A GitHub repository's web address, as ``git clone`` takes it; Colab opens notebooks from these.
GITHUB_URL = re.compile(r"https://github\.com/(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/"
                        r"(?P<repo>[A-Za-z0-9._-]+?)(?:\.git)?/?")

#: Other git URLs: scheme://host/path, or scp-like user@host:path.
GIT_URL = re.compile(r"(?:(?:https?|ssh|git)://[A-Za-z0-9._~-]+(?::[0-9]+)?/\S*[A-Za-z0-9_~-]/?"
                     r"|file://\S+|[A-Za-z0-9._-]+@[A-Za-z0-9._-]+:\S+)")

#: A branch name that git accepts and that can stand in a link and a command line.
BRANCH_NAME = re.compile(r"(?!.*\.\.)(?!.*//)[A-Za-z0-9_][A-Za-z0-9._/-]*(?<![./])")

#: A Markdown link to another course notebook, or to a file outside notebooks/.
SIBLING_LINK = re.compile(r"\]\((?P<name>[0-9]{2}_[A-Za-z0-9_]+\.ipynb)(?P<anchor>#[^)\s]*)?\)")
PARENT_LINK = re.compile(r"\]\(\.\./(?P<path>[^)\s]+)\)")

#: The setup cell. It is plain Python that a learner can read; everything else is in helpers.colab,
#: which it can import only once the clone exists.
COLAB_SETUP_SOURCE = """\
# In Google Colab only: copy the course's code and data, and install the few packages Colab lacks.
# Anywhere else (JupyterLab, nbval, papermill) this cell does nothing.
import os
import subprocess
import sys

if "google.colab" in sys.modules:
    course = os.path.join(os.environ.get("MNIST_COURSE_COLAB_ROOT", "/content"), "mnist-course")
    if not os.path.isdir(course):
        subprocess.run(["git", "clone", "--quiet", "--depth", "1", "--branch", {branch},
                        {repository}, course], check=True)
    sys.path.insert(0, course)
    from helpers import colab
    colab.setup(course)"""


class EditionError(Exception):
    """A problem the command reports in one line (exit status 2)."""


def nbgrader_metadata(cell: dict[str, Any]) -> dict[str, Any]:
    """A cell's nbgrader metadata, or an empty dict."""
    metadata = cell.get("metadata") or {}
    nbgrader = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    return nbgrader if isinstance(nbgrader, dict) else {}


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
            # A solution region in a cell without nbgrader metadata (lost in an edit) is still a solution.
            if cell.get("cell_type") == "code" and core.solution_region(_source(cell)) is not None:
                cell["source"] = student_source(cell, 0)
                cell["outputs"], cell["execution_count"] = [], None
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
        try:
            lines += _answer_key_section(path)
        except (ValueError, KeyError, TypeError) as error:
            raise EditionError(f"{path.name}: {error}") from None
    return "\n".join(lines)


def _answer_key_section(path: pathlib.Path) -> list[str]:
    """The answer key's lines for one notebook."""
    lines: list[str] = []
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
        solutions = core.solution_cells(number, exercise.grade_id, path.parent)
        if not solutions:
            raise EditionError(f"{path.name}: exercise {exercise.number} has no solution cell {exercise.grade_id!r} "
                               "(has its cell lost its nbgrader metadata?).")
        for cell_type, text in solutions:
            lines += ([f"```python\n{text}\n```"] if cell_type == "code" else [text]) + [""]
        lines += [f"**Hint:** {exercise.hint().plain.split(': ', 1)[1]}", ""]
    return lines


def _stored_results(notebook: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The stored result of each check cell, by the exercise's grade_id."""
    results = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs") or []:
            found = (output.get("metadata") or {}).get(core.METADATA_KEY)
            if isinstance(found, dict) and "grade_id" in found:
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
        "folder, run `COURSE/.venv/bin/jupyter lab notebooks/` (on Windows, `COURSE\\.venv\\Scripts\\jupyter lab",
        "notebooks`), where COURSE is the course's folder.", "",
        section, "",
    ])


def check_repository(repository: str) -> str:
    """The repository as the setup cell will clone it: a git URL as given, a local folder made absolute.

    Raises:
        EditionError: It is neither a git URL nor a folder holding a git repository.
    """
    expected = ("a git URL (https://github.com/OWNER/REPO, ssh://, git://, file:// or user@host:path) "
                "or a folder with a git repository")
    if (not repository or repository.startswith("-")
            or any(character.isspace() or not character.isprintable() or character in "\"'`" for character in repository)):
        raise EditionError(f"--repository {repository!r}: expected {expected}.")
    if GITHUB_URL.fullmatch(repository):
        return repository
    if re.match(r"https?://(www\.)?github\.com(/|$)", repository, flags=re.IGNORECASE):
        raise EditionError(f"--repository {repository}: a GitHub URL names a repository as "
                           "https://github.com/OWNER/REPO (or .../REPO.git).")
    if GIT_URL.fullmatch(repository):
        return repository
    if "://" in repository:
        raise EditionError(f"--repository {repository!r}: expected {expected}.")
    folder = pathlib.Path(repository).expanduser()
    if not folder.is_dir():
        raise EditionError(f"--repository {repository}: no such folder, and not a git URL; expected {expected}.")
    if not ((folder / ".git").exists() or ((folder / "HEAD").is_file() and (folder / "objects").is_dir())):
        raise EditionError(f"--repository {repository}: the folder holds no git repository; expected {expected}.")
    return str(folder.resolve())


def check_branch(branch: str) -> str:
    """The branch name, checked.

    Raises:
        EditionError: Not a name git accepts (letters, digits, ``._/-``, no ``..``).
    """
    if not BRANCH_NAME.fullmatch(branch) or branch.endswith(".lock"):
        raise EditionError(f"--branch {branch!r}: expected a git branch name such as 'main' "
                           "(letters, digits and ._/-, no '..').")
    return branch


def colab_link(repository: str, branch: str, notebook: str) -> str | None:
    """The address that opens a notebook of the repository in Colab, or ``None`` when it is not on GitHub.

    Args:
        repository: The repository's URL, such as ``https://github.com/OWNER/REPO.git``.
        branch: The branch that holds the notebooks.
        notebook: The notebook's file name inside ``notebooks/``.
    """
    found = GITHUB_URL.fullmatch(repository)
    if not found:
        return None
    return (f"https://colab.research.google.com/github/{found['owner']}/{found['repo']}/blob/{branch}/"
            f"notebooks/{notebook}")


def colab_setup_cell(repository: str, branch: str) -> dict[str, Any]:
    """The Colab edition's setup cell: a code cell tagged ``colab-setup`` that clones the course in Colab."""
    return {"cell_type": "code", "execution_count": None, "id": COLAB_SETUP_TAG,
            "metadata": {"tags": [COLAB_SETUP_TAG]}, "outputs": [],
            "source": COLAB_SETUP_SOURCE.format(repository=json.dumps(repository), branch=json.dumps(branch))}


def colab_notebook(notebook: dict[str, Any], name: str, repository: str, branch: str) -> dict[str, Any]:
    """A notebook's Colab version: the setup cell after the title and, for GitHub, links that open in Colab.

    The setup cell goes right after the title cell, so a learner meets the lesson's title and
    overview first, and it still runs before every other code cell (the parameters cell and
    the first ``import helpers`` come later).

    Args:
        notebook: The course notebook.
        name: Its file name.
        repository: The URL the setup cell clones (see :func:`check_repository`).
        branch: The branch it clones, and where the links find the notebooks.
    """
    colab = copy.deepcopy(notebook)
    cells = colab["cells"]
    if any(cell.get("id") == COLAB_SETUP_TAG for cell in cells):
        raise ValueError(f"it has a cell with id {COLAB_SETUP_TAG!r} already.")
    title = 0 if cells and cells[0]["cell_type"] == "markdown" and _source(cells[0]).startswith("# ") else None
    github = GITHUB_URL.fullmatch(repository)
    if github:
        blob = f"https://github.com/{github['owner']}/{github['repo']}/blob/{branch}/"
        for cell in cells:
            if cell["cell_type"] == "markdown":
                text = SIBLING_LINK.sub(lambda found: f"]({colab_link(repository, branch, found['name'])}"
                                                      f"{found['anchor'] or ''})", _source(cell))
                cell["source"] = PARENT_LINK.sub(lambda found: f"]({blob}{found['path']})", text)
        if title is not None:
            cells[title]["source"] = _with_colab_link(_source(cells[title]), colab_link(repository, branch, name))
    cells.insert(0 if title is None else title + 1, colab_setup_cell(repository, branch))
    colab.setdefault("metadata", {})["mnist_course"] = {"edition": "colab"}
    return colab


def _source(cell: dict[str, Any]) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _with_colab_link(title: str, link: str) -> str:
    """The title cell with ``[Open in Colab](link)`` at the end of its navigation line, or under the title."""
    lines = title.split("\n")
    for position, line in enumerate(lines):
        if line.startswith(("**Previous:**", "**Next:**")):
            while lines[position].endswith(" ·") and position + 1 < len(lines) and lines[position + 1].strip():
                position += 1  # The navigation line goes on.
            lines[position] = f"{lines[position].rstrip()} · [Open in Colab]({link})"
            return "\n".join(lines)
    return "\n".join(lines[:1] + ["", f"[Open in Colab]({link})"] + lines[1:])


def colab_readme(titles: Sequence[tuple[str, str]], repository: str, branch: str) -> str:
    """The Colab edition's README: how to open the notebooks in Colab, what the first cell does, and each notebook.

    Args:
        titles: Each notebook's file name and title, in order.
        repository: The URL the setup cells clone.
        branch: The branch they clone.
    """
    github = GITHUB_URL.fullmatch(repository)
    reachable = repository.startswith(("https://", "http://", "git://", "ssh://")) or (
        "://" not in repository and GIT_URL.fullmatch(repository) is not None)  # user@host:path
    lines = ["# A first neural network: the Colab edition", "",
             "These are the course's notebooks, with their stored outputs, made to run in Google Colab, so that",
             "nothing needs installing on your computer."]
    if github:
        lines += ["", "Open a notebook with its \"Open in Colab\" link below (each notebook has one at its top too),",
                  "then choose Runtime › Run all, or run the cells one by one."]
    else:
        lines += ["", f"Their repository, `{repository}`, is not on GitHub, so no \"Open in Colab\" links are made. To open a",
                  "notebook, go to https://colab.research.google.com, choose File › Upload notebook, and pick the",
                  "notebook from this folder's `notebooks/`. Then choose Runtime › Run all, or run the cells one by one."]
    lines += ["", "The first code cell of every notebook sets Colab up; anywhere else it does nothing. In Colab it:", "",
              f"- copies the course (its `helpers` package and the MNIST data, about 15 MB), branch `{branch}` of",
              f"  `{repository}`, into `/content/mnist-course`, once per runtime;",
              "- makes `helpers` importable and runs the notebook in the copy's `notebooks/` folder;",
              "- installs the few packages the course needs that Colab lacks (such as `anywidget`, for notebook 13's",
              "  drawing pad, and `papermill`, which notebook 12 runs notebook 06 with), without their dependencies",
              "  unless those are missing too, so nothing of Colab's own is replaced and no restart is needed.", "",
              "Colab's own TensorFlow, Keras and NumPy are used as they are: installing the course's pinned versions",
              "over them would need a restart. When they differ from the versions the stored outputs were made with,",
              "the first cell says so, and a printed number may differ a little from the stored one.", "",
              "Colab gives each notebook a runtime of its own, and a runtime forgets its files when it stops. A",
              "notebook that uses a model an earlier notebook saved then trains that model itself, and says so.", ""]
    if not reachable:
        lines += [f"**This edition cannot run in Colab yet:** `{repository}` is on this computer, and Colab's",
                  "machines cannot reach it. Build the edition again with a URL that Colab can clone without a",
                  "password (a public https:// repository).", ""]
    elif not github:
        lines += [f"Colab clones `{repository}` without a password, so it must be a public repository that Colab's",
                  "machines can reach.", ""]
    lines += ["## The notebooks", ""]
    for name, title in titles:
        link = colab_link(repository, branch, name)
        lines.append(f"- [{title}](notebooks/{name})" + (f" · [Open in Colab]({link})" if link else ""))
    if github:
        lines += ["", "## For whoever publishes this edition", "",
                  f"The links open `notebooks/NAME.ipynb` on branch `{branch}` of {github['owner']}/{github['repo']},",
                  "and each notebook's first cell clones that same branch. So that branch must hold the course",
                  "(`helpers/`, `data/`, `pyproject.toml`, `requirements.txt`) with this edition's notebooks in its",
                  "`notebooks/` folder: for example a branch of its own, named with `--branch` when building."]
    return "\n".join(lines) + "\n"


def notebook_title(notebook: dict[str, Any], name: str) -> str:
    """A notebook's title: its first cell's H1 heading, else its file name."""
    first = next((cell for cell in notebook["cells"] if cell["cell_type"] == "markdown"), None)
    heading = _source(first).split("\n", 1)[0] if first else ""
    return heading[2:].strip() if heading.startswith("# ") else name


@contextlib.contextmanager
def _staging(output: pathlib.Path) -> Iterator[pathlib.Path]:
    """A hidden folder beside ``output`` that becomes ``output`` on success and vanishes on failure."""
    if output.is_symlink():
        raise EditionError(f"--output {output}: it is a symbolic link; give a new folder itself, not a link to one.")
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
        try:
            if output.exists():
                output.rmdir()
            staging.rename(output)
        except OSError:
            raise EditionError(f"--output {output}: another build wrote it meanwhile; choose a new folder.") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def build(edition: str, output: str | pathlib.Path, notebooks_dir: str | pathlib.Path = paths.NOTEBOOKS_DIR,
          repository: str | None = None, branch: str | None = None) -> list[pathlib.Path]:
    """Writes an edition into ``output``.

    Args:
        edition: ``"student"``, ``"teacher"`` or ``"colab"``.
        output: A folder that does not exist yet, or is empty.
        notebooks_dir: Where the course's numbered notebooks are.
        repository: For the Colab edition (required there, refused elsewhere): the git URL or folder
            that its setup cells clone.
        branch: For the Colab edition (refused elsewhere): the branch they clone, and where its links
            find the notebooks; ``"main"`` when not given.

    Returns:
        The files written, inside ``output``.

    Raises:
        EditionError: A bad edition, output folder or notebooks folder, or notebooks that cannot
            make an edition (for example a check with no stored result, for the teacher's key).
    """
    if edition not in ("student", "teacher", "colab"):
        raise EditionError(f"the edition must be 'student', 'teacher' or 'colab', not {edition!r}.")
    if edition == "colab":
        if repository is None:
            raise EditionError("the colab edition needs --repository URL: the git repository its notebooks clone in Colab.")
        repository, branch = check_repository(repository), check_branch("main" if branch is None else branch)
    elif repository is not None or branch is not None:
        option = "--repository" if repository is not None else "--branch"
        raise EditionError(f"{option} is for the colab edition only, not the {edition} edition.")
    output, notebooks_dir = pathlib.Path(output).absolute(), pathlib.Path(notebooks_dir)
    if output.resolve() == notebooks_dir.resolve() or notebooks_dir.resolve() in output.resolve().parents:
        raise EditionError(f"--output {output}: it is inside {notebooks_dir}, where its notebooks would be taken for the "
                           "course's; choose a folder outside it.")
    for name in catalogue.NOTEBOOKS:
        if (notebooks_dir / f"{name}.ipynb").is_dir():
            raise EditionError(f"{notebooks_dir / name}.ipynb is a folder, not a notebook; move it away and build again.")
    notebooks = series.discover_notebooks(notebooks_dir)
    if not notebooks:
        raise EditionError(f"{notebooks_dir}: none of the course's notebooks (such as 01_loading_data.ipynb) is there.")
    written = []
    with _staging(output) as staging:
        (staging / "notebooks").mkdir()
        for path in notebooks:
            try:
                content = json.loads(path.read_text(encoding="utf-8"))
                if edition == "student":
                    content = student_notebook(content)
                elif edition == "colab":
                    content = colab_notebook(content, path.name, repository, branch)
            except (ValueError, KeyError) as error:
                raise EditionError(f"{path.name}: {error}") from None
            (staging / "notebooks" / path.name).write_text(json.dumps(content, indent=1, ensure_ascii=False) + "\n",
                                                          encoding="utf-8")
            written.append(pathlib.Path("notebooks") / path.name)
        readme = (paths.REPOSITORY_ROOT / "README.md").read_text(encoding="utf-8")
        if edition == "student":
            (staging / "README.md").write_text(student_readme(readme), encoding="utf-8")
            written.append(pathlib.Path("README.md"))
        elif edition == "colab":
            titles = [(path.name, notebook_title(json.loads(path.read_text(encoding="utf-8")), path.name))
                      for path in notebooks]
            (staging / "README.md").write_text(colab_readme(titles, repository, branch), encoding="utf-8")
            written.append(pathlib.Path("README.md"))
        else:
            try:
                key = answer_key(notebooks)
            except (ValueError, KeyError, ImportError) as error:
                raise EditionError(f"the answer key: {error}") from None
            (staging / "ANSWER_KEY.md").write_text(key, encoding="utf-8")
            shutil.copy(paths.REPOSITORY_ROOT / "README.md", staging / "README.md")
            shutil.copy(paths.REPOSITORY_ROOT / "TEACHING.md", staging / "TEACHING.md")
            written += [pathlib.Path(name) for name in ("ANSWER_KEY.md", "README.md", "TEACHING.md")]
    return [output / name for name in written]


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.edition",
        description="Write the student edition (exercises left open), the teacher edition (with an answer key) "
                    "or the Colab edition (notebooks that fetch the course when opened in Google Colab).")
    parser.add_argument("edition", choices=["student", "teacher", "colab"], help="which edition to write")
    parser.add_argument("--output", required=True, metavar="DIR", help="a new or empty folder to write it into")
    parser.add_argument("--notebooks", metavar="DIR", default=str(paths.NOTEBOOKS_DIR),
                        help="the folder of numbered notebooks (default: the course's notebooks/)")
    parser.add_argument("--repository", metavar="URL",
                        help="colab only, required: the course's git repository, which the notebooks clone in Colab "
                             "(https://github.com/OWNER/REPO gives 'Open in Colab' links)")
    parser.add_argument("--branch", metavar="BRANCH",
                        help="colab only: the branch the notebooks clone and the links open (default: main)")
    arguments = parser.parse_args(argv)
    try:
        written = build(arguments.edition, arguments.output, arguments.notebooks,
                        repository=arguments.repository, branch=arguments.branch)
    except EditionError as error:
        print(f"python -m helpers.edition: {error}", file=sys.stderr)
        return EXIT_USAGE
    for stray in catalogue.strays(arguments.notebooks):
        print(f"Leaving out {stray.name}: it is not one of the course's notebooks (a copy, or one of your own).")
    notebooks = sum(1 for path in written if path.suffix == ".ipynb")
    print(f"The {arguments.edition} edition: {notebooks} notebooks and "
          f"{', '.join(path.name for path in written if path.suffix != '.ipynb')} in {paths.display_path(arguments.output)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

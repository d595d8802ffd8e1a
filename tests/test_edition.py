"""python -m helpers.edition: the student edition leaves no solution behind, the teacher's has a
key, both refuse to overwrite and leave nothing half-written; nbgrader accepts the notebooks."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

from helpers import edition, paths, series
from helpers.exercises import core

NOTEBOOKS = series.discover_notebooks()


def load(path: pathlib.Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def solution_lines(notebook: dict) -> set[str]:
    """Every non-blank line of every solution region and model answer of a notebook."""
    lines = set()
    for cell in notebook["cells"]:
        if not edition.nbgrader_metadata(cell).get("solution"):
            continue
        text = source(cell)
        region = core.solution_region(text)
        inside = text.splitlines()[region[0] + 1:region[1]] if region else text.splitlines()
        lines |= {line.strip() for line in inside if line.strip()}
    return lines


def run_edition(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers.edition", *arguments], capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.fixture(scope="module")
def student(tmp_path_factory) -> pathlib.Path:
    output = tmp_path_factory.mktemp("editions") / "student"
    result = run_edition("student", "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert f"The student edition: {len(NOTEBOOKS)} notebooks and README.md" in result.stdout
    return output


def test_the_course_notebooks_mark_every_exercise_the_nbgrader_way():
    for path in NOTEBOOKS:
        cells = load(path)["cells"]
        ids = [edition.nbgrader_metadata(cell)["grade_id"] for cell in cells if edition.is_exercise_cell(cell)]
        assert len(ids) == len(set(ids)), f"{path.name}: a grade_id is used twice"
        for cell in cells:
            nbgrader = edition.nbgrader_metadata(cell)
            if not nbgrader:
                continue
            assert nbgrader["schema_version"] == 3 and set(nbgrader) >= {"grade", "grade_id", "locked", "solution"}
            if nbgrader["solution"] and cell["cell_type"] == "code":
                assert core.solution_region(source(cell)) is not None, nbgrader["grade_id"]
            if nbgrader["solution"] and cell["cell_type"] == "markdown":
                assert nbgrader["grade"] and "points" in nbgrader, "nbgrader grades Markdown answers by hand"
            if nbgrader["grade_id"].endswith("_check"):
                assert nbgrader["locked"] and not nbgrader["solution"]
            # The grade_id names the notebook it is in, as the exercise's own module says, so that
            # solution() finds the cell and nbgrader's gradebook tells the notebooks apart.
            assert nbgrader["grade_id"].startswith(f"n{path.name[:2]}_exercise_"), (path.name, nbgrader["grade_id"])


def test_every_stored_check_passed_with_the_notebooks_own_solution():
    for path in NOTEBOOKS:
        results = edition._stored_results(load(path))
        checks = [cell for cell in load(path)["cells"] if edition.nbgrader_metadata(cell).get("grade_id", "").endswith("_check")]
        assert len(results) == len(checks) >= 2, path.name
        assert all(result["status"] == "correct" for result in results.values()), (path.name, results)


def test_the_student_edition_keeps_no_line_of_any_solution(student):
    for path in NOTEBOOKS:
        canonical, copy = load(path), load(student / "notebooks" / path.name)
        assert len(copy["cells"]) == len(canonical["cells"])
        answers = solution_lines(canonical)
        text = "\n".join(source(cell) for cell in copy["cells"])
        outputs = json.dumps([cell.get("outputs", []) for cell in copy["cells"]])
        left = sorted(answers & {line.strip() for line in text.splitlines()})
        assert not left, f"{path.name} keeps solution lines: {left}"
        assert "BEGIN SOLUTION" not in text and core.METADATA_KEY not in outputs


def test_the_student_edition_leaves_placeholders_and_keeps_the_lessons_outputs(student):
    copy = load(student / "notebooks" / "01_loading_data.ipynb")
    canonical = load(paths.NOTEBOOKS_DIR / "01_loading_data.ipynb")
    for mine, theirs in zip(copy["cells"], canonical["cells"]):
        if edition.is_exercise_cell(theirs):
            if mine["cell_type"] == "code":
                assert mine["outputs"] == [] and mine["execution_count"] is None
        else:
            assert mine == theirs  # The lesson, with its outputs, as it is.
    first = next(cell for cell in copy["cells"] if edition.nbgrader_metadata(cell).get("grade_id") == "n01_exercise_1")
    assert source(first) == ("rarest_digit = ...  # the digit, 0 to 9\n"
                             "rarest_share = ...  # its share of the training images, between 0 and 1")
    function = next(cell for cell in load(student / "notebooks" / "02_preprocessing.ipynb")["cells"]
                    if edition.nbgrader_metadata(cell).get("grade_id") == "n02_exercise_1")
    assert source(function).endswith('"""\n    raise NotImplementedError("your code here")')
    answer = next(cell for cell in load(student / "notebooks" / "02_preprocessing.ipynb")["cells"]
                  if edition.nbgrader_metadata(cell).get("grade_id") == "n02_exercise_3")
    assert source(answer) == edition.ANSWER_PLACEHOLDER.format(number=3)


def test_the_student_readme_lists_the_notebooks_with_working_links(student):
    readme = (student / "README.md").read_text()
    assert "## The notebooks" in readme and "not attempted yet" in readme
    for path in NOTEBOOKS:
        assert f"(notebooks/{path.name})" in readme
        assert (student / "notebooks" / path.name).exists()
    # The notebooks link to ../README.md#the-notebooks, which now is this file.
    assert "../README.md#the-notebooks" in json.dumps(load(student / "notebooks" / "01_loading_data.ipynb"))


def test_the_teacher_edition_has_an_answer_key_with_every_expected_value(tmp_path):
    output = tmp_path / "teacher"
    result = run_edition("teacher", "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in output.iterdir()) == ["ANSWER_KEY.md", "README.md", "TEACHING.md", "notebooks"]
    key = (output / "ANSWER_KEY.md").read_text()
    for path in NOTEBOOKS:
        assert f"## {path.stem}" in key
        assert load(output / "notebooks" / path.name) == load(path)
        for expected in (result["expected"] for result in edition._stored_results(load(path)).values()):
            assert f"**Expected:** {expected}" in key
    assert "rarest_digit = 5, rarest_share = 0.09035" in key
    assert "rarest_digit = int(np.argmin(train_counts))" in key and "**Model answer.**" in key


def test_an_existing_folder_that_is_not_empty_is_refused_and_left_alone(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    result = run_edition("student", "--output", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip() == (f"python -m helpers.edition: --output {tmp_path}: it exists and is not an empty "
                                      "folder; choose a new folder.")
    assert [path.name for path in tmp_path.iterdir()] == ["mine.txt"]


def test_an_empty_existing_folder_is_used(tmp_path):
    (tmp_path / "empty").mkdir()
    edition.build("student", tmp_path / "empty")
    assert len(list((tmp_path / "empty" / "notebooks").glob("*.ipynb"))) == len(NOTEBOOKS)


def test_a_failure_leaves_nothing_half_written(tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    for path in NOTEBOOKS[:3]:
        shutil.copy(path, broken)
    notebook = load(broken / NOTEBOOKS[2].name)
    cell = next(cell for cell in notebook["cells"] if edition.nbgrader_metadata(cell).get("solution")
                and cell["cell_type"] == "code")
    cell["source"] = "answer = 42"  # A solution cell that lost its region.
    (broken / NOTEBOOKS[2].name).write_text(json.dumps(notebook))
    with pytest.raises(edition.EditionError, match=f"{NOTEBOOKS[2].name}: solution cell .* has no"):
        edition.build("student", tmp_path / "out", broken)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["broken"]


def test_a_teacher_edition_of_unrun_notebooks_is_refused(tmp_path):
    unrun = tmp_path / "unrun"
    unrun.mkdir()
    notebook = load(NOTEBOOKS[0])
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
    (unrun / NOTEBOOKS[0].name).write_text(json.dumps(notebook))
    with pytest.raises(edition.EditionError, match="exercise 1's check has no stored result; run the notebook"):
        edition.build("teacher", tmp_path / "out", unrun)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("arguments, message", [
    (["pupil", "--output", "x"], "invalid choice: 'pupil'"),
    (["student"], "the following arguments are required: --output"),
    (["student", "--output", "x", "--notebooks", "/nonexistent"], "none of the course's notebooks"),
    (["colab", "--output", "x"], "the colab edition needs --repository URL"),
])
def test_bad_arguments_exit_2_with_a_message(tmp_path, arguments, message):
    result = subprocess.run([sys.executable, "-m", "helpers.edition", *arguments], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120, check=False)
    assert result.returncode == 2 and message in result.stderr
    assert not (tmp_path / "x").exists()


def nbgrader_command() -> pathlib.Path | None:
    command = pathlib.Path(sys.executable).parent / "nbgrader"
    return command if command.exists() else None


@pytest.mark.skipif(nbgrader_command() is None and not os.environ.get("MNIST_COURSE_REQUIRE_NBGRADER"),
                    reason="nbgrader is not installed: .venv/bin/pip install -r requirements-teacher.txt")
def test_nbgrader_generate_assignment_accepts_the_notebooks(tmp_path):
    assert nbgrader_command() is not None, "MNIST_COURSE_REQUIRE_NBGRADER is set but nbgrader is missing"
    source_folder = tmp_path / "source" / "mnist"
    source_folder.mkdir(parents=True)
    for path in NOTEBOOKS:
        shutil.copy(path, source_folder)
    (tmp_path / "nbgrader_config.py").write_text(
        'c = get_config()\nc.CourseDirectory.course_id = "mnist-course"\n')
    environment = {**os.environ, "PATH": f"{pathlib.Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run([str(nbgrader_command()), "generate_assignment", "mnist", "--no-db", "--force"],
                            cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    for path in NOTEBOOKS:
        released = load(tmp_path / "release" / "mnist" / path.name)
        text = "\n".join(source(cell) for cell in released["cells"])
        assert "YOUR CODE HERE" in text
        thought = any(cell["cell_type"] == "markdown" and edition.nbgrader_metadata(cell).get("solution")
                      for cell in load(path)["cells"])
        assert ("YOUR ANSWER HERE" in text) == thought
        assert not [line for line in solution_lines(load(path)) if line in {l.strip() for l in text.splitlines()}]


# Issue 21, part 4: odd inputs of the editions, and solution() in a student edition.

def _copy_of(tmp_path, count=3):
    folder = tmp_path / "course"
    folder.mkdir()
    for path in NOTEBOOKS[:count]:
        shutil.copy(path, folder)
    return folder


def test_a_solution_region_without_nbgrader_metadata_is_still_dropped(tmp_path):
    folder = _copy_of(tmp_path)
    notebook = load(folder / NOTEBOOKS[2].name)
    cell = next(cell for cell in notebook["cells"] if edition.nbgrader_metadata(cell).get("solution")
                and cell["cell_type"] == "code")
    text = source(cell)
    begin, end = core.solution_region(text)
    hidden = {line.strip() for line in text.splitlines()[begin + 1:end] if line.strip()}
    cell["metadata"] = {}  # the metadata lost in an edit; the region is still there
    (folder / NOTEBOOKS[2].name).write_text(json.dumps(notebook))
    edition.build("student", tmp_path / "out", folder)
    student = load(tmp_path / "out" / "notebooks" / NOTEBOOKS[2].name)
    assert hidden and not hidden & {line.strip() for cell in student["cells"] for line in source(cell).splitlines()}


@pytest.mark.parametrize("odd", ["no END marker", "null metadata", "a folder named like a notebook"])
def test_odd_inputs_of_the_teachers_edition_are_one_line(tmp_path, odd):
    folder = _copy_of(tmp_path)
    notebook = load(folder / NOTEBOOKS[1].name)
    if odd == "no END marker":
        cell = next(cell for cell in notebook["cells"] if edition.nbgrader_metadata(cell).get("solution")
                    and cell["cell_type"] == "code")
        cell["source"] = source(cell).replace(core.END_SOLUTION, "")
        expected = f"{NOTEBOOKS[1].name}: A solution cell needs exactly one"
    elif odd == "null metadata":
        for cell in notebook["cells"]:
            cell["metadata"] = None
        expected = f"{NOTEBOOKS[1].name}: exercise 1 has no solution cell 'n01_exercise_1'"
    else:
        (folder / NOTEBOOKS[1].name).unlink()
        (folder / NOTEBOOKS[1].name).mkdir()
        expected = "is a folder, not a notebook"
    if odd != "a folder named like a notebook":
        (folder / NOTEBOOKS[1].name).write_text(json.dumps(notebook))
    result = subprocess.run([sys.executable, "-m", "helpers.edition", "teacher", "--output", str(tmp_path / "out"),
                             "--notebooks", str(folder)], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not (tmp_path / "out").exists()


def test_an_edition_inside_the_notebooks_folder_or_through_a_link_is_refused(tmp_path):
    folder = _copy_of(tmp_path, 1)
    with pytest.raises(edition.EditionError, match="is inside .*course, where its notebooks would be taken"):
        edition.build("student", folder / "edition", folder)
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    with pytest.raises(edition.EditionError, match="it is a symbolic link"):
        edition.build("student", tmp_path / "link", folder)
    assert sorted(path.name for path in folder.iterdir()) == [NOTEBOOKS[0].name]


def test_two_builds_to_one_folder_give_one_line_not_a_traceback(tmp_path, monkeypatch, capsys):
    # Another build finishes into the same folder while this one is writing its notebooks.
    folder = _copy_of(tmp_path, 2)
    output = tmp_path / "out"
    real = edition.student_notebook

    def meanwhile(notebook):
        if not output.exists():
            (output / "notebooks").mkdir(parents=True)
            (output / "notebooks" / "theirs.ipynb").write_text("{}")
        return real(notebook)

    monkeypatch.setattr(edition, "student_notebook", meanwhile)
    assert edition.main(["student", "--output", str(output), "--notebooks", str(folder)]) == 2
    error = capsys.readouterr().err
    assert error == f"python -m helpers.edition: --output {output}: another build wrote it meanwhile; choose a new folder.\n"
    assert sorted(path.name for path in (output / "notebooks").iterdir()) == ["theirs.ipynb"]  # theirs, untouched
    assert sorted(path.name for path in tmp_path.iterdir()) == ["course", "out"]  # no staging folder left


def test_in_a_student_edition_solution_says_so_instead_of_showing_placeholders(student, monkeypatch):
    from helpers.exercises import notebook_01

    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", student / "notebooks")
    text = str(notebook_01.exercise_1.solution())
    assert text.startswith("This copy of the course is the student edition") and "..." not in text

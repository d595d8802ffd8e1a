"""helpers.catalogue: the course's own notebooks, and nothing a learner's copy adds to the folder."""

from __future__ import annotations

import shutil

from helpers import catalogue, edition, paths, series
from helpers.exercises import notebook_05


def test_the_catalogue_lists_exactly_the_numbered_notebooks_of_the_course():
    on_disk = sorted(path.stem for path in paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    assert list(catalogue.NOTEBOOKS) == on_disk
    assert [name[:2] for name in catalogue.NOTEBOOKS] == [f"{number:02d}" for number in range(len(on_disk))]


def _folder_with_a_copy(tmp_path):
    """The course's notebooks 04 to 06, with JupyterLab's duplicate of 05 holding a learner's own answer."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name in ("04_training_in_batches", "05_single_layer_model", "06_hidden_layer_model"):
        shutil.copy(paths.NOTEBOOKS_DIR / f"{name}.ipynb", folder)
    copy = (paths.NOTEBOOKS_DIR / "05_single_layer_model.ipynb").read_text(encoding="utf-8")
    (folder / "05_single_layer_model-Copy1.ipynb").write_text(
        copy.replace("### BEGIN SOLUTION", "### BEGIN SOLUTION\\n\",\n    \"my_own_attempt = 1"), encoding="utf-8")
    (folder / "05a_my_notes.ipynb").write_text(copy, encoding="utf-8")  # sorts between 05 and 06
    return folder


def test_a_copy_is_neither_run_nor_published_nor_read_as_the_solution(tmp_path, capsys, monkeypatch):
    folder = _folder_with_a_copy(tmp_path)
    assert [path.name for path in series.discover_notebooks(folder)] == [
        "04_training_in_batches.ipynb", "05_single_layer_model.ipynb", "06_hidden_layer_model.ipynb"]
    assert [path.name for path in catalogue.strays(folder)] == ["05_single_layer_model-Copy1.ipynb", "05a_my_notes.ipynb"]

    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", folder)
    solution = str(notebook_05.exercise_1.solution())
    assert "my_own_attempt" not in solution and solution.startswith("Solution · Exercise 1 (notebook 05):")

    assert edition.main(["student", "--output", str(tmp_path / "edition"), "--notebooks", str(folder)]) == 0
    printed = capsys.readouterr().out
    assert "Leaving out 05_single_layer_model-Copy1.ipynb: it is not one of the course's notebooks" in printed
    assert sorted(path.name for path in (tmp_path / "edition" / "notebooks").iterdir()) == [
        "04_training_in_batches.ipynb", "05_single_layer_model.ipynb", "06_hidden_layer_model.ipynb"]

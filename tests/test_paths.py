"""helpers.paths: whether a folder can be written to, found by trying and leaving nothing behind."""

from __future__ import annotations

from helpers import paths


def test_a_writable_folder_has_no_problem_and_is_left_as_it_was(tmp_path):
    assert paths.folder_write_problem(tmp_path) is None
    assert paths.folder_write_problem(tmp_path / "deep" / "new") is None
    assert list(tmp_path.iterdir()) == []  # Neither the probe file nor the folders it made are left.


def test_a_file_in_the_way_is_named(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    assert paths.folder_write_problem(tmp_path / "notes.txt") == f"a file is in the way at {tmp_path / 'notes.txt'}"
    assert paths.folder_write_problem(tmp_path / "notes.txt" / "out") == f"a file is in the way at {tmp_path / 'notes.txt'}"


def test_a_folder_that_cannot_be_created_gives_the_systems_reason():
    reason = paths.folder_write_problem("/proc/mnist-course-check")
    assert reason and "file is in the way" not in reason

"""The course's own notebooks: which files are the course, in their order.

A folder of notebooks holds more than the course once a learner works in it: JupyterLab's
*Duplicate* writes ``05_single_layer_model-Copy1.ipynb`` beside the original, and a teacher may add
a notebook of their own. The series runner, the editions and the exercises' ``solution()`` ask this
module which files are the course, so a copy is never run as an extra notebook or read as the
solution, however the folder sorts.
"""

from __future__ import annotations

import pathlib

from helpers import paths

#: The course's notebooks, by file name without ``.ipynb``, in order. A new notebook is added here.
NOTEBOOKS = (
    "00_the_original_script",
    "01_loading_data",
    "02_preprocessing",
    "03_how_a_network_learns",
    "04_training_in_batches",
    "05_single_layer_model",
    "06_hidden_layer_model",
    "07_confusion_matrix",
    "08_softmax_vs_sigmoid",
    "09_convolutional_network",
    "10_what_makes_the_cnn_good",
    "11_data_augmentation",
    "12_experiments",
    "13_draw_your_own_digit",
    "14_use_your_model",
)

#: Each notebook's file name, by its number (``"05"``).
BY_NUMBER = {name[:2]: f"{name}.ipynb" for name in NOTEBOOKS}


def course_notebooks(folder: str | pathlib.Path = paths.NOTEBOOKS_DIR) -> list[pathlib.Path]:
    """The course's notebooks that ``folder`` holds, in the course's order; copies and extras left out.

    Args:
        folder: A folder of notebooks: the course's own, a student edition, a copy of either.

    Returns:
        The paths, in the order of :data:`NOTEBOOKS` (a notebook missing from the folder is skipped).
    """
    folder = pathlib.Path(folder)
    return [folder / f"{name}.ipynb" for name in NOTEBOOKS if (folder / f"{name}.ipynb").is_file()]


def notebook_file(number: str, folder: str | pathlib.Path | None = None) -> pathlib.Path | None:
    """The course's notebook number ``number`` (``"05"``) in ``folder`` (default: the course's), if it is there."""
    name = BY_NUMBER.get(number)
    if name is None:
        return None
    path = pathlib.Path(folder or paths.NOTEBOOKS_DIR) / name
    return path if path.is_file() else None


def strays(folder: str | pathlib.Path = paths.NOTEBOOKS_DIR) -> list[pathlib.Path]:
    """Notebooks in ``folder`` whose names start with two digits, as the course's do, but that are not
    the course's own: JupyterLab's ``-Copy1`` duplicates, renamed copies, a teacher's additions."""
    own = {f"{name}.ipynb" for name in NOTEBOOKS}
    return sorted(path for path in pathlib.Path(folder).glob("[0-9][0-9]*.ipynb") if path.name not in own)

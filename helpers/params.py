"""The notebooks' parameters: what each one means, which values it allows, and their validation.

Every notebook has a cell tagged ``parameters`` (papermill replaces its values) and, right after
it, a call to :func:`validate`, so that a wrong value fails at once with a message naming the
parameter, the value received and what is allowed, instead of deep inside Keras. The series runner
(``python -m helpers.series``) checks values with the same rules before it starts any kernel.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
from collections.abc import Mapping
from typing import Any

from helpers import paths


@dataclasses.dataclass(frozen=True)
class Rule:
    """What one parameter accepts.

    Attributes:
        kind: ``"int"``, ``"float"``, ``"path"`` or ``"int list"`` (a list of whole numbers, or
            the same as a comma-separated string such as ``"16,64,256"``).
        meaning: One line for help texts.
        minimum: The smallest number allowed, if any.
        maximum: The largest number allowed, if any.
        optional: Whether ``None`` is allowed (for paths: "use the default").
        must_exist: For paths, whether the file must exist already.
        default_folder: For folder paths, the folder that ``None`` stands for; it is checked for
            writing like a folder given by name.
        digit_image: For file paths, whether the file must be a picture in which ``to_mnist`` finds
            a digit, so that a bad picture is refused before any model loads or trains.
    """

    kind: str
    meaning: str
    minimum: float | None = None
    maximum: float | None = None
    optional: bool = False
    must_exist: bool = False
    default_folder: pathlib.Path | None = None
    digit_image: bool = False

    def allowed(self) -> str:
        """Describes the allowed values in words, for error messages."""
        if self.kind == "path":
            text = "a path to an existing file" if self.must_exist else "a folder path"
        else:
            text = {"int": "a whole number", "float": "a number",
                    "int list": "a non-empty list of whole numbers"}[self.kind]
            if self.minimum is not None and self.maximum is not None:
                text += f" from {_number(self.minimum)} to {_number(self.maximum)}"
            elif self.minimum is not None:
                text += f" of at least {_number(self.minimum)}"
        return text + (" or None" if self.optional else "")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


#: Every parameter that a notebook of the course may declare.
RULES: dict[str, Rule] = {
    "seed": Rule("int", "random seed for Python, NumPy and TensorFlow", 0, 2**32 - 1),
    "epochs": Rule("int", "passes over the training images", 1, 1000),
    "batch_size": Rule("int", "images per gradient step", 1, 60000),
    "hidden_units": Rule("int", "neurons in the hidden layer", 1, 100000),
    "learning_rate": Rule("float", "the learning rate (size of a gradient step) at the start of training", 1e-6, 1.0),
    "hidden_units_grid": Rule("int list", "hidden-layer sizes to try, e.g. [16, 64, 256]", 1, 100000),
    "epochs_grid": Rule("int list", "epoch counts to try, e.g. [1, 3]", 1, 1000),
    "data_path": Rule(
        "path", "MNIST-layout .npz file; None means the bundled data/mnist.npz",
        optional=True, must_exist=True,
    ),
    "artifacts_dir": Rule(
        "path", "folder for trained models and metrics; None means artifacts/ in the repository",
        optional=True, default_folder=paths.DEFAULT_ARTIFACTS_DIR,
    ),
    "image_path": Rule(
        "path", "a PNG or JPEG of one handwritten digit; None means a test digit, moved and enlarged",
        optional=True, must_exist=True, digit_image=True,
    ),
}


def check(name: str, value: Any) -> Any:
    """Checks one parameter value against its rule.

    Args:
        name: The parameter's name, a key of :data:`RULES`.
        value: The value received.

    Returns:
        The value, with paths turned into absolute ``pathlib.Path`` objects.

    Raises:
        ValueError: The name is unknown or the value is not allowed; the message names both.
    """
    if name not in RULES:
        raise ValueError(f"Unknown parameter {name!r}. Known parameters: {', '.join(RULES)}.")
    rule = RULES[name]
    problem = f"{name} must be {rule.allowed()}, got {value!r}"
    if value is None:
        if not rule.optional:
            raise ValueError(f"{problem}.")
        shared_problem = rule.default_folder is not None and paths.folder_write_problem(rule.default_folder)
        if shared_problem:
            # A read-only classroom install: models are read from there and written to this user's folder.
            reason = paths.folder_write_problem(paths.user_artifacts_dir())
            if reason:
                raise ValueError(
                    f"{name} is None, which means {paths.display_path(rule.default_folder)}, where no file can be "
                    f"written ({shared_problem}), nor in your own {paths.user_artifacts_dir()} ({reason}). Pass a "
                    f"writable folder as {name}.")
        return None
    if rule.kind == "path":
        if not isinstance(value, (str, os.PathLike)) or not str(value):
            raise ValueError(f"{problem} ({type(value).__name__}).")
        path = pathlib.Path(value).expanduser().resolve()
        if rule.must_exist and not path.is_file():
            raise ValueError(f"{problem}, which {'is a folder' if path.is_dir() else 'does not exist'}.")
        if rule.digit_image:
            from helpers import drawing, handwriting  # noqa: PLC0415 - Pillow, only when a picture is given.

            try:
                handwriting.to_mnist(drawing.read_image(path))
            except ValueError as error:
                reason = str(error).removeprefix(f"image_path {str(path)!r} ")
                raise ValueError(f"{name} {str(value)!r}: {reason}") from None
        if not rule.must_exist and path.exists() and not path.is_dir():
            raise ValueError(f"{problem}, which is a file, not a folder.")
        if not rule.must_exist:
            reason = paths.folder_write_problem(path)
            if reason:
                raise ValueError(f"{problem}, where no file can be written ({reason}). Choose a writable folder.")
        return path
    if rule.kind == "int list":
        return _checked_list(name, value, rule, problem)
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if rule.kind == "int" and not (is_number and isinstance(value, int)):
        raise ValueError(f"{problem} ({type(value).__name__}).")
    if rule.kind == "float" and not is_number:
        raise ValueError(f"{problem} ({type(value).__name__}).")
    if (rule.minimum is not None and value < rule.minimum) or (
        rule.maximum is not None and value > rule.maximum
    ):
        raise ValueError(f"{problem}.")
    return value


def _checked_list(name: str, value: Any, rule: Rule, problem: str) -> list[int]:
    items = value.split(",") if isinstance(value, str) else [value] if isinstance(value, int) else value
    if not isinstance(items, (list, tuple)) or not items:
        raise ValueError(f"{problem} ({type(value).__name__}).")
    checked = []
    for item in items:
        if isinstance(item, str) and item.strip().lstrip("-").isdigit():
            item = int(item)
        if isinstance(item, bool) or not isinstance(item, int) or not rule.minimum <= item <= rule.maximum:
            raise ValueError(f"{problem}: each must lie from {_number(rule.minimum)} to {_number(rule.maximum)}.")
        checked.append(item)
    return checked


def validate(**values: Any) -> dict[str, Any]:
    """Checks every parameter given, as ``validate(seed=seed, epochs=epochs, ...)``.

    Returns:
        The checked values, in the order given, with paths made absolute.

    Raises:
        ValueError: For the first parameter that is unknown or not allowed.
    """
    return {name: check(name, value) for name, value in values.items()}


def describe(values: Mapping[str, Any]) -> str:
    """One line per parameter, with paths shown relative to the repository when inside it.

    When ``data_path`` names another file than the bundled MNIST, a last line says that the
    notebook's text describes MNIST and its outputs describe that file.
    """
    lines = []
    for name, value in values.items():
        if isinstance(value, pathlib.Path):
            shown = paths.display_path(value)
        elif value is None and name == "artifacts_dir" and paths.shared_artifacts_problem():
            shown = (f"None (artifacts/ in the repository, which cannot be written here "
                     f"({paths.shared_artifacts_problem()}): models are read from it, and new ones written to "
                     f"{paths.user_artifacts_dir()})")
        elif value is None and name in RULES and RULES[name].optional:
            shown = f"None ({RULES[name].meaning.split('; ')[-1].removeprefix('None means ')})"
        else:
            shown = repr(value)
        lines.append(f"{name} = {shown}")
    data_path = values.get("data_path")
    if data_path is not None and pathlib.Path(data_path).resolve() != paths.BUNDLED_MNIST_PATH.resolve():
        lines.append(
            "Note: this notebook's text describes MNIST. The figures and numbers below are those of "
            f"{paths.display_path(data_path)}, and may differ from what the text says."
        )
    return "\n".join(lines)


def as_json(values: Mapping[str, Any]) -> dict[str, Any]:
    """The checked values in a form JSON can hold: paths become strings, the rest stays."""
    return {name: str(value) if isinstance(value, pathlib.Path) else value for name, value in values.items()}

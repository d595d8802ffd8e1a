"""The machinery behind every notebook's exercises: checks, hints and solutions.

An :class:`Exercise` knows how to check a learner's answer, what to hint and where its solution
is. Checking never raises for a wrong answer: it returns a :class:`Feedback` that says what is
wrong in words a learner can act on, so the notebook runs on. It does raise for a broken call (a
missing or wrong input), because that is a mistake in the cell, not in the answer.

An answer that is still the placeholder ``...`` (Ellipsis), or a function that still raises
``NotImplementedError``, counts as "not attempted yet". That is what the student edition leaves in
place of each solution (see :mod:`helpers.edition`).

Solutions are not stored here: they live in the notebooks, in solution cells marked the nbgrader
way (``### BEGIN SOLUTION`` / ``### END SOLUTION`` and ``nbgrader`` cell metadata with
``solution: true`` and a ``grade_id``), and :meth:`Exercise.solution` reads them from the course's
own notebooks, so each solution is written once.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import pathlib
import sys
import time
from typing import Any, Callable, Sequence

from helpers import catalogue, paths

#: The lines that open and close a solution region inside a cell, as nbgrader writes them.
BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"

#: The key under which a check's output metadata records its outcome (read by helpers.edition).
METADATA_KEY = "mnist_course_exercise"


class Wrong(Exception):
    """Raised inside a judge to say what is wrong with an answer, in the learner's words."""


@dataclasses.dataclass(frozen=True)
class Feedback:
    """What a check says about one answer; shown as the check cell's output.

    Attributes:
        title: Which exercise, for example ``"Exercise 1 (notebook 01)"``.
        status: ``"correct"``, ``"wrong"`` or ``"not attempted"``.
        message: What is right or wrong, in a sentence or two.
        grade_id: The exercise's nbgrader ``grade_id``.
        expected: The expected values in words, for the teacher's answer key.
    """

    title: str
    status: str
    message: str
    grade_id: str
    expected: str

    @property
    def correct(self) -> bool:
        """Whether the answer was right."""
        return self.status == "correct"

    def __str__(self) -> str:
        marks = {"correct": "✓ Correct", "wrong": "✗ Not yet", "not attempted": "… Not attempted yet"}
        return f"{marks[self.status]} · {self.title}: {self.message}"

    def __repr__(self) -> str:
        return str(self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:
        metadata = {"grade_id": self.grade_id, "status": self.status, "expected": self.expected}
        return {"text/plain": str(self)}, {METADATA_KEY: metadata}


@dataclasses.dataclass(frozen=True)
class Text:
    """A hint or a solution: plain text that shows as Markdown in JupyterLab."""

    plain: str
    markdown: str

    def __str__(self) -> str:
        return self.plain

    def __repr__(self) -> str:
        return self.plain

    def _repr_markdown_(self) -> str:
        return self.markdown


def _is_placeholder(answer: Any) -> bool:
    return answer is Ellipsis


class Exercise:
    """One exercise of a notebook: its check (if it has one), its hint and its solution.

    A checked exercise is defined by three functions:

    - ``expect(**inputs)`` computes what is expected from the check's inputs (the data or model the
      learner worked on); it raises ``ValueError`` when an input is unusable, which is a broken call;
    - ``judge(*answers, expected)`` returns a success message, or raises :class:`Wrong` with what is
      wrong;
    - ``describe(expected)`` puts the expected values in words for the teacher's answer key.

    A thought question has none of them: only a hint and a model answer in the notebook.

    Args:
        notebook: The notebook's number, ``"01"`` to ``"99"``.
        number: The exercise's number within the notebook, from 1.
        hint: A nudge that does not give the answer away.
        answers: The names of the variables or functions the learner fills in, in the order
            ``check`` takes them (empty for a thought question).
        expect: See above; ``None`` for a thought question.
        judge: See above.
        describe: See above; ``str`` of the expected value when omitted.
    """

    def __init__(
        self,
        notebook: str,
        number: int,
        hint: str,
        answers: Sequence[str] = (),
        expect: Callable[..., Any] | None = None,
        judge: Callable[..., str] | None = None,
        describe: Callable[[Any], str] = str,
    ) -> None:
        if len(notebook) != 2 or not notebook.isdigit():
            raise ValueError(f"notebook must be two digits such as '01', got {notebook!r}.")
        if (expect is None) != (judge is None) or (expect is not None and not answers):
            raise ValueError("A checked exercise needs answers, expect and judge; a thought question none of them.")
        self.notebook = notebook
        self.number = number
        self.answers = tuple(answers)
        self._hint = hint
        self._expect = expect
        self._judge = judge
        self._describe = describe

    @property
    def grade_id(self) -> str:
        """The nbgrader ``grade_id`` of the exercise's solution cell, such as ``"n01_exercise_1"``."""
        return f"n{self.notebook}_exercise_{self.number}"

    @property
    def title(self) -> str:
        return f"Exercise {self.number} (notebook {self.notebook})"

    @property
    def checked(self) -> bool:
        """Whether the exercise has a check (``False`` for a thought question)."""
        return self._judge is not None

    def __repr__(self) -> str:
        kind = "checked" if self.checked else "thought question"
        return f"<{self.title}, {kind}: .check(...), .hint(), .solution()>" if self.checked else \
            f"<{self.title}, {kind}: .hint(), .solution()>"

    def check(self, *answers: Any, **inputs: Any) -> Feedback:
        """Checks the learner's answers against what ``inputs`` lead one to expect.

        Args:
            *answers: The learner's answers, in the order of ``self.answers``.
            **inputs: What the answer was computed from, by keyword (for example ``labels=y_train``).

        Returns:
            The feedback to show; it never raises for a wrong or missing answer.

        Raises:
            TypeError: The exercise is a thought question, or the call lacks an answer or input.
            ValueError: An input is unusable (from ``expect``).
        """
        if not self.checked:
            raise TypeError(f"{self.title} is a question to think about, with no check: "
                            f"see its .hint() and .solution().")
        if len(answers) != len(self.answers):
            raise TypeError(f"{self.title}: check takes {len(self.answers)} answer(s), "
                            f"{', '.join(self.answers)}, then its inputs by name; got {len(answers)} answer(s).")
        try:
            inspect.signature(self._expect).bind(**inputs)
        except TypeError as error:
            wanted = ", ".join(f"{name}=..." for name in inspect.signature(self._expect).parameters)
            raise TypeError(f"{self.title}: check needs the inputs {wanted} ({error}).") from None
        expected = self._expect(**inputs)
        described = self._describe(expected)
        if any(_is_placeholder(answer) for answer in answers):
            names = [name for name, answer in zip(self.answers, answers) if _is_placeholder(answer)]
            return self._feedback("not attempted",
                                  f"replace the ... in {' and '.join(names)} with your answer, then run this cell again.",
                                  described)
        try:
            message = self._judge(*answers, expected=expected)
        except Wrong as wrong:
            return self._feedback("wrong", f"{wrong} (Stuck? Try exercise_{self.number}.hint().)", described)
        except NotImplementedError:
            return self._feedback("not attempted",
                                  f"{self.answers[0]} still raises NotImplementedError: write its body, then run this cell again.",
                                  described)
        except Exception as error:  # The learner's answer broke the comparison: say so, do not raise.
            return self._feedback("wrong", f"checking your answer raised {type(error).__name__}: {error}. "
                                  f"Is it the kind of value the exercise asks for?", described)
        return self._feedback("correct", message, described)

    def _feedback(self, status: str, message: str, expected: str) -> Feedback:
        return Feedback(self.title, status, message, self.grade_id, expected)

    def hint(self) -> Text:
        """A nudge towards the answer."""
        return Text(f"Hint · {self.title}: {self._hint}", f"**Hint · {self.title}:** {self._hint}")

    def solution(self) -> Text:
        """The solution, read from the course's own notebook (its nbgrader solution cells)."""
        if is_student_edition(self.notebook):
            missing = (f"This copy of the course is the student edition: its notebooks hold placeholders where the "
                       f"solutions were, so there is no solution of {self.title} to show. Your teacher's edition has it.")
            return Text(missing, missing)
        cells = solution_cells(self.notebook, self.grade_id)
        if not cells:
            missing = (f"The solution of {self.title} is not in this copy of the course (no solution cell "
                       f"{self.grade_id!r} in {paths.display_path(paths.NOTEBOOKS_DIR)}). Your teacher's edition has it.")
            return Text(missing, missing)
        plain, markdown = [f"Solution · {self.title}:"], [f"**Solution · {self.title}:**"]
        for cell_type, body in cells:
            plain.append(body)
            markdown.append(f"```python\n{body}\n```" if cell_type == "code" else body)
        return Text("\n".join(plain), "\n\n".join(markdown))


def solution_region(source: str) -> tuple[int, int] | None:
    """The line numbers of a cell's ``### BEGIN SOLUTION`` and ``### END SOLUTION`` lines.

    Returns:
        ``(begin, end)``, indexes into ``source.splitlines()``, or ``None`` if the cell has no region.

    Raises:
        ValueError: The markers are unpaired, out of order or repeated.
    """
    lines = [line.strip() for line in source.splitlines()]
    begins = [index for index, line in enumerate(lines) if line == BEGIN_SOLUTION]
    ends = [index for index, line in enumerate(lines) if line == END_SOLUTION]
    if not begins and not ends:
        return None
    if len(begins) != 1 or len(ends) != 1 or begins[0] > ends[0]:
        raise ValueError(f"A solution cell needs exactly one {BEGIN_SOLUTION!r} line followed by one "
                         f"{END_SOLUTION!r} line; found {len(begins)} and {len(ends)}.")
    return begins[0], ends[0]


def notebook_path(notebook: str, folder: pathlib.Path | None = None) -> pathlib.Path | None:
    """The course's notebook number ``notebook`` (``"01"``) in ``folder`` (default: the course's), never a
    learner's copy of it such as ``01_loading_data-Copy1.ipynb``."""
    return catalogue.notebook_file(notebook, folder)


def is_student_edition(notebook: str, folder: pathlib.Path | None = None) -> bool:
    """Whether the course's notebook ``notebook`` in ``folder`` (default: the course's) is a student
    edition's, as :mod:`helpers.edition` marks it (``metadata.mnist_course.edition``)."""
    path = notebook_path(notebook, folder)
    try:
        metadata = json.loads(path.read_text(encoding="utf-8")).get("metadata") or {} if path else {}
    except (OSError, ValueError):
        return False
    marks = metadata.get("mnist_course") if isinstance(metadata, dict) else None
    return isinstance(marks, dict) and marks.get("edition") == "student"


def solution_cells(notebook: str, grade_id: str, folder: pathlib.Path | None = None) -> list[tuple[str, str]]:
    """The solution text of every cell of ``notebook`` (in ``folder``, by default the course's) whose
    nbgrader ``grade_id`` is ``grade_id``.

    Returns:
        ``(cell_type, text)`` pairs: for a cell with a solution region, the lines inside it
        (dedented); for a cell without one (a model answer in Markdown), the whole cell.
    """
    path = notebook_path(notebook, folder)
    if path is None:
        return []
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    found = []
    for cell in content.get("cells", []):
        nbgrader = (cell.get("metadata") or {}).get("nbgrader") or {}
        if nbgrader.get("grade_id") != grade_id or not nbgrader.get("solution"):
            continue
        source = "".join(cell.get("source", []))
        region = solution_region(source)
        if region is None:
            found.append((cell["cell_type"], source.strip()))
            continue
        inside = source.splitlines()[region[0] + 1:region[1]]
        indent = min((len(line) - len(line.lstrip()) for line in inside if line.strip()), default=0)
        found.append((cell["cell_type"], "\n".join(line[indent:] for line in inside).strip()))
    return found


# Tools for judges: each turns an answer into what the judge compares, or raises Wrong with what is
# the matter with it. ``name`` is the learner's variable, so the message points at it.


#: How many decimals a share or an accuracy needs: a learner may round it there and still be right.
SHARE_DECIMALS = 3


def within_rounding(answer: float, expected: float, decimals: int = SHARE_DECIMALS) -> bool:
    """Whether ``answer`` is ``expected`` rounded to ``decimals`` places, or closer (0.528 for 0.52778)."""
    return abs(answer - expected) <= 0.5 * 10 ** -decimals + 1e-12


def as_integer(answer: Any, name: str) -> int:
    """The answer as an int; a float with no fraction counts, a bool or a string does not."""
    import numpy as np

    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (int, float, np.integer, np.floating)):
        if isinstance(answer, np.ndarray) and answer.size == 1:
            return as_integer(answer.item(), name)
        raise Wrong(f"{name} should be a whole number; it is {_kind(answer)}.")
    if float(answer) != int(answer):
        raise Wrong(f"{name} should be a whole number; it is {answer}.")
    return int(answer)


def as_number(answer: Any, name: str) -> float:
    """The answer as a float (a one-element array counts)."""
    import numpy as np

    if isinstance(answer, np.ndarray) and answer.size == 1:
        answer = answer.item()
    if hasattr(answer, "numpy") and not isinstance(answer, np.ndarray):  # a TensorFlow scalar
        return as_number(np.asarray(answer.numpy()), name)
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (int, float, np.integer, np.floating)):
        raise Wrong(f"{name} should be a number; it is {_kind(answer)}.")
    if not np.isfinite(answer):
        raise Wrong(f"{name} is {answer}, which is not a finite number.")
    return float(answer)


def as_array(answer: Any, name: str, shape: tuple[int, ...] | None = None) -> Any:
    """The answer as a NumPy array, with the given shape if one is given."""
    import numpy as np

    if hasattr(answer, "numpy") and not isinstance(answer, np.ndarray):  # a TensorFlow tensor
        answer = answer.numpy()
    if isinstance(answer, dict):
        raise Wrong(dict_advice(answer, name))
    if isinstance(answer, (str, bytes)) or answer is None:
        raise Wrong(f"{name} should be an array; it is {_kind(answer)}.")
    array = np.asarray(answer)
    if array.dtype == object:
        raise Wrong(f"{name} should be an array of numbers; NumPy cannot read it as one.")
    if shape is not None and array.shape != shape:
        raise Wrong(f"{name} has shape {array.shape}; the exercise asks for shape {shape}.")
    return array


def as_int_tuple(answer: Any, name: str, length: int) -> tuple[int, ...]:
    """The answer as a tuple of ``length`` whole numbers (a list or an array counts)."""
    if isinstance(answer, (str, bytes, dict, set)) or not hasattr(answer, "__len__"):
        raise Wrong(f"{name} should be {length} whole numbers in brackets, such as (1, 2); it is {_kind(answer)}.")
    if len(answer) != length:
        raise Wrong(f"{name} has {len(answer)} values; the exercise asks for {length}.")
    return tuple(as_integer(value, f"each value of {name}") for value in answer)


def dict_advice(answer: dict, name: str) -> str:
    """What to say about a dict given where a list or an array of values is asked for."""
    keys = list(answer)
    if sorted(keys, key=repr) == sorted(range(len(keys)), key=repr):
        return (f"{name} is a dict with the keys 0 to {len(keys) - 1}; the check wants the values alone, in that "
                f"order, as a list or an array: [{name}[key] for key in range({len(keys)})].")
    return f"{name} is a dict; the check wants a list or an array of numbers, in order."


#: How long a learner's function may run in a check before the check stops it.
TIME_LIMIT_SECONDS = 10.0


class _OutOfTime(BaseException):
    """Raised inside a learner's function that ran past the time limit (a BaseException, so that the
    learner's own ``except Exception`` cannot swallow it)."""


def _run_with_time_limit(function: Callable[..., Any], arguments: Sequence[Any], seconds: float) -> Any:
    """Calls ``function``, stopping it at the next line of Python it runs after ``seconds``.

    The stop works through :func:`sys.settrace` on every operating system and in a Jupyter kernel's
    main thread alike (``signal.alarm`` exists on neither Windows nor other threads). It cannot stop
    one long call into compiled code, such as a single NumPy operation on a huge array; a learner's
    endless loop runs Python lines, and is stopped.
    """
    deadline = time.monotonic() + seconds

    def trace(frame: Any, event: str, argument: Any) -> Any:
        if time.monotonic() > deadline:
            raise _OutOfTime
        return trace

    previous = sys.gettrace()
    sys.settrace(trace)
    try:
        return function(*arguments)
    finally:
        sys.settrace(previous)


def call_function(function: Any, name: str, *arguments: Any) -> Any:
    """Calls the learner's function; a function that raises, returns nothing, or runs past
    :data:`TIME_LIMIT_SECONDS` is a wrong answer.

    ``NotImplementedError`` is let through: it means the function has not been written yet.
    """
    import numpy as np

    if not callable(function):
        raise Wrong(f"{name} should be a function (def {name}(...): ...); it is {_kind(function)}.")
    try:
        with np.errstate(all="ignore"):  # Overflow in a learner's exp() is judged, not printed.
            result = _run_with_time_limit(function, arguments, TIME_LIMIT_SECONDS)
    except NotImplementedError:
        raise
    except _OutOfTime:
        raise Wrong(f"{name} did not return within {TIME_LIMIT_SECONDS:g} seconds, so the check stopped it. Does a "
                    "loop never end? (A Python loop over every pixel of many images can also take this long; "
                    "NumPy does the same work on whole arrays at once.)") from None
    except Exception as error:
        raise Wrong(f"{name} raised {type(error).__name__}: {error}") from None
    if result is None:
        raise Wrong(f"{name} returned None: does its body end with a return statement?")
    return result


def softmax(scores: Any) -> Any:
    """The reference softmax of each row, shifted by the row's largest score so that it never overflows."""
    import numpy as np

    exponentials = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exponentials / exponentials.sum(axis=1, keepdims=True)


def sigmoid(values: Any) -> Any:
    """The reference sigmoid, 1 / (1 + exp(-values)), element by element."""
    import numpy as np

    return 1 / (1 + np.exp(-values))


def _kind(answer: Any) -> str:
    if answer is None:
        return "None"
    if isinstance(answer, str):
        return f"the text {answer!r}"
    shape = getattr(answer, "shape", None)
    return f"a {type(answer).__name__}" + (f" of shape {tuple(shape)}" if shape is not None else "")

"""Figures that a screen reader can read: alt text, the numbers behind a figure, and the course's
accessible style (colours, markers, sizes).

JupyterLab 4's image renderer writes no ``alt`` attribute, and ignores alt text put in an output's
metadata. So a :class:`Figure` of this module shows itself as HTML instead of a bare PNG: an ``<img>``
with its ``alt`` text, followed, where the figure carries numbers, by those numbers in a ``<table>``
inside a collapsed ``<details>`` block. JupyterLab (trusted or not: its sanitizer keeps these tags),
``nbconvert --to html``, VS Code and the course's editions show that HTML; the ``text/plain`` copy of
the same output holds the alt text and the numbers as text, for consoles and papermill logs.

The PNG inside is rendered at :data:`DPI` with no cropping, so a figure's width in pixels is its
width in inches times 100: at most 900 pixels, the width of JupyterLab's output area on a laptop,
for every figure of the course. A figure narrower than that is never scaled down, so its text is
shown at the size it was written (10 points or more) and browser zoom enlarges it.

The style constants below are the course's: Okabe-Ito colours with a contrast of at least 3:1
against white, markers and line styles that go with them (so that no two series differ by colour
alone), and a colour map for signed weights whose lightness rises from negative to positive, so
that the sign survives greyscale and colour-vision deficiencies.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from typing import Any

import matplotlib.figure
from matplotlib.colors import to_rgb

#: Okabe-Ito colours with a contrast of at least 3:1 against white, in the order series use them.
BLUE = "#0072B2"
VERMILLION = "#D55E00"
GREEN = "#009E73"
BLACK = "#000000"
PURPLE = "#AA4499"
SERIES_COLOURS = (BLUE, VERMILLION, BLACK, GREEN, PURPLE)

#: Each series' marker and line style, paired with SERIES_COLOURS: every two differ in both.
SERIES_MARKERS = ("o", "s", "^", "D", "v")
SERIES_LINESTYLES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1)))

#: The same styles in words, for alt text.
SERIES_WORDS = ("circles, solid line", "squares, dashed line", "triangles, dotted line",
                "diamonds, dash-dot line", "downward triangles, dash-dot-dot line")

#: Hatches for bars that stand for different things.
HATCHES = ("", "//", "..", "xx", "\\\\")

#: Light grey for bars of no special meaning: 3.0:1 against white is the least that reads.
NEUTRAL = "#8C8C8C"

#: The colour map for signed values (weights): dark blue for negative, grey near zero, yellow for
#: positive. Its lightness rises steadily, so light always means "more", in greyscale too.
SIGNED_CMAP = "cividis"

#: The resolution of the PNG inside each figure, and the widest figure in pixels.
DPI = 100
OUTPUT_WIDTH_PIXELS = 900

#: The smallest text size, in points, at the size the figure is shown.
MIN_FONT_SIZE = 10

#: The smallest contrast between a line or a bar and the background (WCAG 2.2, non-text contrast).
MIN_CONTRAST = 3.0

#: The thinnest line that draws a series, in points.
MIN_LINE_WIDTH = 1.5


class Figure(matplotlib.figure.Figure):
    """A matplotlib figure that carries a text alternative and, optionally, the numbers it draws.

    It is an ordinary ``matplotlib.figure.Figure`` (save it, add to it, inspect its axes), except that
    a notebook shows it as an image with alt text and a table of its numbers (see the module's
    docstring). Set both with :meth:`describe`.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.alt_text: str = ""
        self.numbers: tuple[str, list[str], list[list[Any]]] | None = None
        #: Show the numbers' table open rather than collapsed (for scores a reader must not miss).
        self.numbers_open: bool = False

    def describe(self, alt_text: str, numbers: tuple[str, Sequence[str], Sequence[Sequence[Any]]] | None = None
                 ) -> Figure:
        """Sets the figure's text alternative and the numbers it shows; returns the figure.

        Args:
            alt_text: One or two sentences on what the figure shows, without numbers that change
                from run to run (those go in ``numbers``).
            numbers: ``(caption, column names, rows)``, the values the figure draws; numbers are
                shown to at most four significant digits.

        Raises:
            ValueError: The alt text is empty, or a row has more or fewer cells than columns.
        """
        alt_text = " ".join(str(alt_text).split())
        if not alt_text:
            raise ValueError("a figure's alt text must say what it shows; got an empty one.")
        self.alt_text = alt_text
        if numbers is not None:
            caption, columns, rows = numbers
            rows = [list(row) for row in rows]
            for row in rows:
                if len(row) != len(columns):
                    raise ValueError(f"each row of a figure's numbers needs {len(columns)} cells, got {row!r}.")
            self.numbers = (str(caption), [str(column) for column in columns], rows)
        return self

    def png(self) -> bytes:
        """The figure as a PNG of ``width x 100`` by ``height x 100`` pixels."""
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=DPI)
        return buffer.getvalue()

    def mimebundle(self, png: bytes | None = None) -> dict[str, str]:
        """What a notebook stores for the figure: ``text/html`` and ``text/plain``.

        Args:
            png: The picture to show, if not this figure's own (see :func:`show_current`).
        """
        width, height = (round(size * DPI) for size in self.get_size_inches())
        alt = self.alt_text or "A figure (no description was given)."
        source = base64.b64encode(self.png() if png is None else png).decode("ascii")
        parts = [f'<img src="data:image/png;base64,{source}" alt="{html.escape(alt)}" width="{width}" '
                 f'height="{height}" style="max-width: 100%; height: auto;">']
        text = [f"[Figure: {alt}]"]
        if self.numbers is not None:
            caption, columns, rows = self.numbers
            cells = [[_format(value) for value in row] for row in rows]
            head = "".join(f"<th>{html.escape(column)}</th>" for column in columns)
            body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
                           for row in cells)
            opened = " open" if self.numbers_open else ""
            parts.append(f'<details class="figure-numbers"{opened}><summary>{html.escape(caption)}</summary>'
                         f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>")
            text.append(f"{caption}:\n{_text_table(columns, cells)}")
        return {"text/html": '<div class="course-figure">' + "".join(parts) + "</div>",
                "text/plain": "\n".join(text)}

    def _ipython_display_(self) -> None:
        """Shows the figure in IPython as HTML with alt text, never as a bare PNG."""
        from IPython.display import display  # noqa: PLC0415 - only a notebook needs IPython.

        display(self.mimebundle(), raw=True)


def show_current(alt_text: str, numbers: tuple[str, Sequence[str], Sequence[Sequence[Any]]] | None = None) -> None:
    """Shows pyplot's current figure with alt text (and numbers), in place of ``plt.show()``.

    For code written with ``matplotlib.pyplot``, like the original script's. The figure is closed
    afterwards, so the notebook does not show it a second time as a bare PNG.

    Args:
        alt_text: What the figure shows, as in :meth:`Figure.describe`.
        numbers: The numbers it draws, as in :meth:`Figure.describe`.

    Raises:
        ValueError: pyplot has no open figure, or the alt text is empty.
    """
    from IPython.display import display  # noqa: PLC0415 - only a notebook needs IPython.
    from matplotlib import pyplot  # noqa: PLC0415 - only code that uses pyplot needs it.

    if not pyplot.get_fignums():
        raise ValueError("figures.show_current: there is no figure to show; draw one with pyplot first.")
    current = pyplot.gcf()
    shown = Figure(figsize=current.get_size_inches())
    shown.describe(alt_text, numbers)
    buffer = io.BytesIO()
    current.savefig(buffer, format="png", dpi=DPI)
    pyplot.close(current)
    bundle = shown.mimebundle(png=buffer.getvalue())
    display(bundle, raw=True)


def contrast_ratio(first: Any, second: Any) -> float:
    """The WCAG contrast ratio of two matplotlib colours, from 1 (the same) to 21 (black on white)."""

    def luminance(colour: Any) -> float:
        channels = [value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
                    for value in to_rgb(colour)]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def shown_scale(figure: matplotlib.figure.Figure) -> float:
    """How much a notebook shrinks the figure: 1 up to 900 pixels wide, less for a wider one."""
    return min(1.0, OUTPUT_WIDTH_PIXELS / (figure.get_size_inches()[0] * DPI))


def series_style(index: int) -> dict[str, Any]:
    """The colour, marker and line style of the ``index``-th series on one axis."""
    index %= len(SERIES_COLOURS)
    return {"color": SERIES_COLOURS[index], "marker": SERIES_MARKERS[index],
            "linestyle": SERIES_LINESTYLES[index]}


def series_words(index: int) -> str:
    """How the ``index``-th series of :func:`series_style` looks, in words ("circles, solid line")."""
    return SERIES_WORDS[index % len(SERIES_WORDS)]


def _format(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int) or float(value).is_integer() and abs(value) >= 1:
        return f"{int(value):,}"
    return f"{value:.4g}"


def _text_table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(column)), *(len(row[index]) for row in rows)) if rows else len(str(column))
              for index, column in enumerate(columns)]
    lines = ["  ".join(str(column).rjust(width) for column, width in zip(columns, widths))]
    lines += ["  ".join(cell.rjust(width) for cell, width in zip(row, widths)) for row in rows]
    return "\n".join(lines)

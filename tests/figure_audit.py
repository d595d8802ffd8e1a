"""An accessibility audit of one matplotlib figure, for the tests: what in it breaks the course's rules.

The rules (from :mod:`helpers.figures`): a text alternative; at most 900 pixels wide, or text that is
still 10 points at the shrunk size; every axis that carries numbers and every colour bar labelled;
lines and bars of at least 3:1 contrast against their background; and series on the same axes,
or bars of different colours, that differ in more than colour (marker, line style or hatch); and
the lines of series at least 1.5 points wide.
"""

from __future__ import annotations

import itertools

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex, to_rgba
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from helpers import figures


def problems(figure: Figure) -> list[str]:
    """Every rule the figure breaks, as short sentences; an empty list for a figure that keeps them all."""
    FigureCanvasAgg(figure).draw()
    found: list[str] = []
    if not getattr(figure, "alt_text", ""):
        found.append("no alt text (call figure.describe)")
    scale = figures.shown_scale(figure)
    for text in figure.findobj(Text):
        if text.get_visible() and text.get_text().strip() and text.get_fontsize() * scale < figures.MIN_FONT_SIZE - 1e-6:
            found.append(f"text {text.get_text()!r} is {text.get_fontsize() * scale:.1f} pt as shown")
    for axis in figure.axes:
        colour_bar = getattr(axis, "_colorbar", None)
        if colour_bar is not None:
            if not (axis.get_ylabel() or axis.get_xlabel()):
                found.append("a colour bar has no label")
            continue
        found += _axis_problems(axis)
    return found


def _axis_problems(axis) -> list[str]:
    found = []
    if axis.axison:
        for name, ticks, label in (("x", axis.get_xticklabels(), axis.get_xlabel()),
                                   ("y", axis.get_yticklabels(), axis.get_ylabel())):
            if any(tick.get_visible() and tick.get_text() for tick in ticks) and not label:
                found.append(f"the {name} axis of {axis.get_title()!r} has numbers but no label")
    background = axis.get_facecolor()
    lines = [line for line in axis.get_lines() if line.get_visible() and len(line.get_xdata()) > 0]
    for line in lines:
        ratio = max(figures.contrast_ratio(line.get_color(), background),
                    figures.contrast_ratio(line.get_markeredgecolor(), background) if _has_marker(line) else 1.0)
        if ratio < figures.MIN_CONTRAST:
            found.append(f"line {line.get_label()!r} ({to_hex(line.get_color())}) has contrast {ratio:.2f}")
    series = [line for line in lines if not line.get_label().startswith("_")]
    for line in series:
        if line.get_linestyle() not in ("None", "none", "", " ") and line.get_linewidth() < figures.MIN_LINE_WIDTH:
            found.append(f"line {line.get_label()!r} is {line.get_linewidth()} pt wide")
    for first, second in itertools.combinations(series, 2):
        if _line_look(first) == _line_look(second):
            found.append(f"lines {first.get_label()!r} and {second.get_label()!r} differ only in colour")
    bar_looks = []
    for container in axis.containers:
        if not isinstance(container, BarContainer):
            continue
        looks = {}
        for bar in container.patches:
            face = bar.get_facecolor()
            if to_rgba(face)[3] == 0:
                continue
            ratio = max(figures.contrast_ratio(face[:3], background),
                        figures.contrast_ratio(bar.get_edgecolor()[:3], background)
                        if bar.get_linewidth() > 0 and to_rgba(bar.get_edgecolor())[3] > 0 else 1.0)
            if ratio < figures.MIN_CONTRAST:
                found.append(f"a bar ({to_hex(face)}) has contrast {ratio:.2f}")
            looks.setdefault(to_hex(face), set()).add(bar.get_hatch() or "")
        hatches = [next(iter(value)) for value in looks.values() if len(value) == 1]
        if len(hatches) != len(set(hatches)):
            found.append(f"bars of different colours ({', '.join(looks)}) share a hatch")
        if container.get_label() and not container.get_label().startswith("_"):
            bar_looks.append((container.get_label(), frozenset().union(*looks.values()) if looks else frozenset()))
    for (first, first_look), (second, second_look) in itertools.combinations(bar_looks, 2):
        if first_look == second_look:
            found.append(f"bars {first!r} and {second!r} differ only in colour")
    return found


def _has_marker(line: Line2D) -> bool:
    return line.get_marker() not in (None, "", " ", "None", "none")


def _line_look(line: Line2D) -> tuple:
    style = line.get_linestyle() if len(line.get_xdata()) > 1 else "none"
    return (line.get_marker() if _has_marker(line) else "", style)

"""The notebooks' structure, read from their JSON, against the "Notebooks for All" checklist.

One H1 per notebook, headings that never skip a level, links that say where they go, and every
figure stored with alt text (never as a bare PNG) and followed by a Markdown cell that says what
it shows.
"""

from __future__ import annotations

import html
import re

import nbformat
import pytest

from helpers import series

NOTEBOOKS = series.discover_notebooks()
NAMES = [path.stem for path in NOTEBOOKS]

#: Link texts that do not say where a link goes.
VAGUE_LINKS = {"here", "click here", "this", "this link", "link", "more", "read more"}


def _cells(name: str) -> list:
    return nbformat.read(next(path for path in NOTEBOOKS if path.stem == name), as_version=4).cells


def _prose(source: str) -> str:
    """A Markdown cell without its fenced code blocks and code spans."""
    source = re.sub(r"(?ms)^```.*?^```", "", source)
    return re.sub(r"`[^`\n]*`", "", source)


def _headings(cells) -> list[tuple[int, str]]:
    found = []
    for cell in cells:
        if cell.cell_type != "markdown":
            continue
        for line in _prose(cell.source).splitlines():
            match = re.match(r"^(#{1,6})\s+(.*)", line)
            if match:
                found.append((len(match.group(1)), match.group(2).strip()))
        found += [(int(level), text) for level, text in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", cell.source)]
    return found


def _is_solution(cell) -> bool:
    return "### BEGIN SOLUTION" in cell.source


def _figure_outputs(cell) -> list[str]:
    return [output["data"]["text/html"] for output in cell.get("outputs", [])
            if "<img" in str(output.get("data", {}).get("text/html", ""))]


@pytest.mark.parametrize("name", NAMES)
def test_one_h1_and_headings_that_never_skip_a_level(name):
    headings = _headings(_cells(name))
    assert [text for level, text in headings if level == 1] == [headings[0][1]]
    assert headings[0][0] == 1
    for (before, before_text), (level, text) in zip(headings, headings[1:]):
        assert level <= before + 1, f"{text!r} (h{level}) follows {before_text!r} (h{before})"


@pytest.mark.parametrize("name", NAMES)
def test_links_say_where_they_go_and_no_url_is_left_bare(name):
    for cell in _cells(name):
        if cell.cell_type != "markdown":
            continue
        prose = _prose(cell.source)
        for text, _ in re.findall(r"\[([^\]]+)\]\(([^)\s]+)\)", prose):
            assert text.strip().lower() not in VAGUE_LINKS, f"a link reads only {text!r}"
        without_links = re.sub(r"\]\([^)\s]+\)", "]", prose)
        without_links = re.sub(r'href="[^"]*"', "", without_links)
        assert not re.search(r"https?://|www\.", without_links), f"a bare address in: {cell.source[:120]!r}"
        for alt in re.findall(r"!\[([^\]]*)\]", prose):
            assert alt.strip(), "a Markdown image without alt text"


@pytest.mark.parametrize("name", NAMES)
def test_every_figure_has_alt_text_and_a_description_after_it(name):
    cells = _cells(name)
    for index, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            assert not {"image/png", "image/jpeg", "image/svg+xml"} & set(data), (
                f"cell {index} stores a bare image; show figures through helpers.figures")
        figures = _figure_outputs(cell)
        for shown in figures:
            alts = re.findall(r'<img [^>]*?alt="([^"]*)"', shown)
            assert alts and all(len(html.unescape(alt).split()) >= 8 for alt in alts), f"cell {index}: {alts}"
            assert "no description was given" not in shown
        if figures and not _is_solution(cell):
            following = cells[index + 1] if index + 1 < len(cells) else None
            assert following is not None and following.cell_type == "markdown", (
                f"cell {index}'s figure is not followed by a Markdown cell that describes it")
            words = re.sub(r"(?m)^#.*$", "", _prose(following.source)).split()
            assert len(words) >= 12, f"cell {index}'s figure is followed by too short a description"


def test_the_tests_find_what_they_look_for():
    """The checks themselves, on a notebook with every fault."""
    cells = [nbformat.v4.new_markdown_cell("# A\n\n### B, skipping h2\n\n# C\n\nSee [here](x.ipynb) or https://x.org")]
    headings = _headings(cells)
    assert headings == [(1, "A"), (3, "B, skipping h2"), (1, "C")]
    assert re.search(r"https?://", re.sub(r"\]\([^)\s]+\)", "]", _prose(cells[0].source)))
    figure = nbformat.v4.new_code_cell("plots.x()")
    figure.outputs = [nbformat.v4.new_output("display_data", data={"text/html": '<img src="x" alt="">'})]
    assert _figure_outputs(figure) and re.findall(r'<img [^>]*?alt="([^"]*)"', _figure_outputs(figure)[0]) == [""]

"""The course's words: each is taught, in bold, in the notebook GLOSSARY.md names, and used in no earlier one.

A notebook's main text (tests/notebook_tools.main_text: its Markdown before the Exercises, outside
collapsed <details> blocks) holds the lesson. Notebook 00 runs the original script as a preview and
may name anything; from notebook 01 on, a term appears only from the notebook that teaches it.
"""

from __future__ import annotations

import functools
import json
import re

import pytest
from notebook_tools import main_text, word_count

from helpers import paths, series

GLOSSARY = paths.REPOSITORY_ROOT / "GLOSSARY.md"
NOTEBOOKS = {path.name[:2]: path for path in series.discover_notebooks()}
ROW = re.compile(r"^\| (?P<term>[^|]+?) \| \[(?P<number>\d\d)\]\((?P<link>notebooks/[^)]+)\) \| (?P<meaning>[^|]+) \|$")
#: Bold text that is navigation or an exercise's label, not a term.
NOT_TERMS = re.compile(r"^(Previous|Next|Exercise \d+|Model answer|Course index)\b")


@functools.cache
def glossary() -> list[dict[str, str]]:
    return [match.groupdict() for line in GLOSSARY.read_text(encoding="utf-8").splitlines()
            if (match := ROW.match(line))]


@functools.cache
def lesson(number: str) -> str:
    return main_text(json.loads(NOTEBOOKS[number].read_text(encoding="utf-8")))


def term_pattern(term: str) -> str:
    """A term as a regex: any case, hyphens and spaces alike, the last word singular or plural."""
    words = [re.escape(word) for word in re.split(r"[\s-]+", term.strip())]
    words[-1] += r"(?:s|es)?"
    return r"(?<![\w-])" + r"[\s-]+".join(words) + r"(?![\w-])"


def prose(text: str) -> str:
    """Text as prose: without links to notebooks (their titles name later notebooks), code spans and bold."""
    text = re.sub(r"\[[^\]]*\]\([^)]*\.ipynb[^)]*\)", " ", text)
    return re.sub(r"`[^`]*`", " ", text)


def words_to_know(number: str) -> str:
    cells = json.loads(NOTEBOOKS[number].read_text(encoding="utf-8"))["cells"]
    sections = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown"
                and re.match(r"\s*## Words to know\b", "".join(cell["source"]))]
    return sections[0] if sections else ""


def test_the_glossary_lists_terms_in_the_order_they_are_taught_with_working_links():
    rows = glossary()
    assert len(rows) >= 40, f"GLOSSARY.md has {len(rows)} rows in the expected form"
    assert [row["number"] for row in rows] == sorted(row["number"] for row in rows)
    for row in rows:
        assert row["number"] in NOTEBOOKS and row["number"] != "00", row
        assert row["link"] == f"notebooks/{NOTEBOOKS[row['number']].name}", row
    terms = [row["term"].lower() for row in rows]
    assert len(terms) == len(set(terms)), "a term is listed twice"


@pytest.mark.parametrize("row", glossary(), ids=lambda row: row["term"])
def test_each_term_is_taught_in_bold_where_the_glossary_says_and_used_in_no_earlier_notebook(row):
    pattern = term_pattern(row["term"])
    bold = re.findall(r"\*\*([^*]+)\*\*", lesson(row["number"]))
    assert any(re.fullmatch(pattern, phrase.strip(" .:"), re.IGNORECASE) for phrase in bold), (
        f"{row['term']!r} is not in bold in the main text of notebook {row['number']}")
    assert re.search(r"\*\*" + pattern[len(r"(?<![\w-])"):-len(r"(?![\w-])")] + r"\*\*",
                     words_to_know(row["number"]), re.IGNORECASE), (
        f"notebook {row['number']}'s Words to know does not list {row['term']!r}")
    for earlier in (number for number in NOTEBOOKS if "00" < number < row["number"]):
        found = re.search(pattern, prose(lesson(earlier)), re.IGNORECASE)
        assert not found, (f"notebook {earlier} uses {found[0]!r} before notebook {row['number']} teaches it: "
                           f"...{prose(lesson(earlier))[max(0, found.start() - 60):found.end() + 60]}...")


@pytest.mark.parametrize("number", [number for number in NOTEBOOKS if number != "00"])
def test_a_notebook_bolds_only_the_terms_it_teaches(number):
    taught = [term_pattern(row["term"]) for row in glossary() if row["number"] == number]
    for phrase in re.findall(r"\*\*([^*]+)\*\*", lesson(number)):
        phrase = phrase.strip(" .:")
        if NOT_TERMS.match(phrase):
            continue
        assert any(re.fullmatch(pattern, phrase, re.IGNORECASE) for pattern in taught), (
            f"notebook {number} bolds {phrase!r}, which GLOSSARY.md does not list as taught there")


@pytest.mark.parametrize("number", list(NOTEBOOKS))
def test_no_notebook_carries_too_much(number):
    assert word_count(lesson(number)) <= 1300
    assert sum(row["number"] == number for row in glossary()) <= 12


def test_term_patterns_match_plurals_and_hyphens_but_not_other_words():
    assert re.search(term_pattern("hidden layer"), "two hidden-layer models", re.IGNORECASE)
    assert re.search(term_pattern("batch"), "the batches", re.IGNORECASE)
    assert not re.search(term_pattern("loss"), "lossless", re.IGNORECASE)
    assert not re.search(term_pattern("tensor"), "TensorFlow", re.IGNORECASE)
    assert prose("see [06 · A hidden layer](06_hidden_layer_model.ipynb) and `keras.layers`") .count("layer") == 0

"""A value inside a ``{$replace: VALUE}`` marker keeps its source text and its position: the
marker's key leaves the paths of the profile's marks and texts as it leaves the data
(``profile.replace.unmarked_tables``). Found by a new-user trial: ``{$replace: {A: 1.10}}``
rendered ``A: "1.1"`` and ``{$replace: 3}`` on a mapping field ended in an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import run_stackgen
from stackgen.profile.load import load_profile
from stackgen.profile.replace import unmarked_tables
from stackgen.yamlio.loader import load_text
from stackgen.yamlio.nodes import Document, Mark

BASE = "name: m1\nservices:\n  web:\n    image: nginx\n    environment:\n      OLD: keep\n"
SPELLINGS = [
    "!replace {A: 1.10, B: 0x1F}",
    "!override {A: 1.10, B: 0x1F}",
    "{$replace: {A: 1.10, B: 0x1F}}",
]


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("marked", SPELLINGS)
@pytest.mark.parametrize("where", ["alone", "child", "set"])
def test_numbers_inside_a_marked_value_keep_their_text(
    tmp_path: Path, marked: str, where: str
) -> None:
    _write(tmp_path, "base.yml", BASE)
    if where == "alone":
        text = f"name: m1\nservices:\n  web:\n    image: nginx\n    environment: {marked}\n"
        loaded = load_profile(_write(tmp_path, "p.yml", text))
    elif where == "child":
        text = f"extends: base.yml\nname: m1\nservices:\n  web:\n    environment: {marked}\n"
        loaded = load_profile(_write(tmp_path, "p.yml", text))
    else:
        loaded = load_profile(tmp_path / "base.yml", sets=[f"services.web.environment={marked}"])
    # environment values are text as written (README "Values and $"): 1.10 is not 1.1, and
    # 0x1F is not 31; the marker replaced the base's OLD
    assert dict(loaded.profile.services["web"].environment) == {"A": "1.10", "B": "0x1F"}


@pytest.mark.parametrize("marked", ["{$replace: 3}", "!replace 3"])
def test_a_marked_scalar_where_a_mapping_belongs_is_an_input_error(
    tmp_path: Path, marked: str
) -> None:
    _write(tmp_path, "base.yml", BASE)
    text = f"extends: base.yml\nname: m1\nservices:\n  web:\n    environment: {marked}\n"
    _write(tmp_path, "p.yml", text)
    result = run_stackgen("render", "p.yml", "-o", "-", cwd=tmp_path)
    assert result.returncode == 2
    # the same report for both spellings, at the environment key (line 5, column 5)
    assert result.stderr.splitlines() == [
        "p.yml:5:5: services.web.environment: must be a mapping, got a number"
    ]


def test_a_problem_inside_a_marked_value_is_reported_at_its_own_line(tmp_path: Path) -> None:
    text = (
        "name: m1\nservices:\n  web:\n    image: nginx\n    healthcheck:\n"
        "      $replace:\n        test: [CMD, 'true']\n        interval: bogus\n"
    )
    _write(tmp_path, "p.yml", text)
    result = run_stackgen("render", "p.yml", "-o", "-", cwd=tmp_path)
    assert result.returncode == 2
    # line 8, column 9: the `interval` key inside the marker, not the healthcheck key (5:5)
    assert result.stderr.startswith("p.yml:8:9: services.web.healthcheck.interval: not a duration")


def test_tables_move_only_through_marker_mappings() -> None:
    doc = load_text(
        "a: {$replace: {b: 1, c: {$replace: {$replace: {d: true}}}}}\n"
        "e: {$replace: 2, f: 3}\n"  # two keys: not a marker, its paths stay
        "g: [{$replace: 4}]\n",
        "x.yml",
    )
    moved = unmarked_tables(doc)
    assert moved.texts == {
        ("a", "b"): "1",
        ("a", "c", "d"): "true",
        ("e", "$replace"): "2",
        ("e", "f"): "3",
        ("g", 0): "4",
    }
    assert moved.marks[("a", "c", "d")] == Mark("x.yml", 1, 48)
    # the marker mapping's own mark stays where the mapping's key is
    assert moved.marks[("a",)] == Mark("x.yml", 1, 1)
    assert moved.data is doc.data  # the markers stay in the data for the overlay
    assert doc.texts[("a", "$replace", "b")] == "1"  # the document read is not changed


def test_a_document_without_markers_is_returned_itself() -> None:
    doc = load_text("a: {b: 1}\nc: [2]\n", "x.yml")
    assert unmarked_tables(doc) is doc
    plain = Document(data={"a": 1}, marks={("a",): Mark("x", 1, 1)}, texts={("a",): "1"})
    assert unmarked_tables(plain) is plain

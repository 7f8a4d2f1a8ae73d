"""The report cases (``tests/cases/reports/<id>/``): each names the public reports it comes
from, lists only files it has, and names test files that really hold it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import REPO, REPORTS

CASES = sorted(p for p in REPORTS.iterdir() if p.is_dir())
REPORT_LINK = re.compile(r"^- .+: https://github\.com/[^/\s]+/[^/\s]+/(issues|pull|blob)/\S+$")


def section(text: str, heading: str) -> list[str]:
    """The ``- …`` lines under the bold ``heading`` of a case.md."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"**{heading}"))
    items = []
    for line in lines[start + 1 :]:
        if not line.startswith("- "):
            break
        items.append(line)
    return items


def test_the_cases_are_all_here() -> None:
    assert [p.name.split("-")[0] for p in CASES] == [
        *("B01 B02 B04 B06 B08 B09 B11 B12 B13 B15 B16 B17 B19 B21 B23".split()),
        *("B24 B26 B27 B29 B31 B32 B34 B35 B36 B38".split()),
    ]


@pytest.mark.parametrize("case", CASES, ids=[p.name.split("-")[0] for p in CASES])
def test_case_names_its_reports_its_files_and_its_tests(case: Path) -> None:
    text = (case / "case.md").read_text(encoding="utf-8")
    case_id = case.name.split("-")[0]
    assert text.startswith(f"# {case_id}: ")
    reports = section(text, "Public reports")
    assert reports and all(REPORT_LINK.match(line) for line in reports), reports
    listed = {line.split("`")[1] for line in section(text, "Inputs") if "`" in line}
    assert listed == {p.name for p in case.iterdir() if p.name != "case.md"}
    for line in section(text, "Held by"):
        if line == "- none yet":
            continue
        test_file = REPO / line.split("`")[1]
        source = test_file.read_text(encoding="utf-8")
        assert re.search(rf"\b{case_id}\b|\b{case_id.lower()}_", source), (test_file, case_id)

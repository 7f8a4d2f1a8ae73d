"""Case folders, discovered automatically.

``tests/cases/valid/<name>/profile.yml`` must render to ``expected.yml`` byte for byte;
``tests/cases/invalid/<name>/profile.yml`` must exit 2 printing exactly ``expected.txt``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import REPO, run_stackgen

CASES = REPO / "tests" / "cases"
VALID = sorted(p for p in (CASES / "valid").iterdir() if p.is_dir())
INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", VALID, ids=[p.name for p in VALID])
def test_valid_case(case: Path) -> None:
    out = run_stackgen("render", "profile.yml", "-o", "-", cwd=case)
    assert out.returncode == 0, out.stderr
    assert out.stdout == (case / "expected.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_invalid_case(case: Path) -> None:
    out = run_stackgen("render", "profile.yml", "-o", "-", cwd=case)
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr == (case / "expected.txt").read_text(encoding="utf-8")
    assert "Traceback" not in out.stderr

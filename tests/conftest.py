"""Shared test helpers: paths, rendering a profile text, running the CLI in-process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO.parent / "shared" / "fixtures"


@pytest.fixture
def write_profile(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a profile text to tmp_path/<name>.yml and return its path."""

    def _write(text: str, name: str = "profile") -> Path:
        path = tmp_path / f"{name}.yml"
        path.write_text(text, encoding="utf-8")
        return path

    return _write


def run_stackgen(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed console script's module in a subprocess (real exit codes, streams)."""
    return subprocess.run(
        [sys.executable, "-c", "from stackgen.cli import main; main()", *args],
        capture_output=True, text=True, cwd=cwd or REPO, check=False,
    )

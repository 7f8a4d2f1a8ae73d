"""Shared test helpers: paths and running the CLI in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO.parent / "shared" / "fixtures"


def run_stackgen(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run stackgen's entry point in a subprocess (real exit codes and streams)."""
    return subprocess.run(
        [sys.executable, "-c", "from stackgen.cli import main; main()", *args],
        capture_output=True,
        text=True,
        cwd=cwd or REPO,
        check=False,
    )

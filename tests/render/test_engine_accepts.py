"""The real Compose v2 loader accepts what stackgen writes, where it writes it.

Every committed ``out/<name>/compose.yml`` is judged by ``docker compose config`` run inside its
own folder (as a user runs it), and every valid case folder's expected output inside the case
folder: exit 0, no warning (no unset variable, no obsolete key), no missing file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import compose_config
from helpers import REPO

OUTPUTS = sorted((REPO / "out").glob("*/compose.yml"))
VALID = sorted(p for p in (REPO / "tests" / "cases" / "valid").iterdir() if p.is_dir())


@pytest.mark.parametrize("output", OUTPUTS, ids=[p.parent.name for p in OUTPUTS])
def test_committed_output_runs_in_its_own_folder(output: Path) -> None:
    result = compose_config(cwd=output.parent)
    assert result.returncode == 0, result.stderr
    assert result.warnings == []
    assert result.stderr == ""
    assert result.config is not None
    # the project is the one the file names, not the folder's
    name = output.read_text(encoding="utf-8").split("\nname: ", 1)[1].split("\n", 1)[0]
    assert result.config["name"] == name


@pytest.mark.parametrize("case", VALID, ids=[p.name for p in VALID])
def test_valid_case_output_accepted(case: Path) -> None:
    result = compose_config("expected.yml", cwd=case, project_name="case")
    assert result.returncode == 0, result.stderr
    assert result.warnings == []

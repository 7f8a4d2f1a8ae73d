"""Case folders, discovered automatically.

``tests/cases/valid/<name>/profile.yml`` must render to ``expected.yml`` byte for byte;
``tests/cases/invalid/<name>/`` must exit 2 printing exactly ``expected.txt`` on stderr and
nothing on stdout. Each case runs ``stackgen render ARGS -o -`` in its own folder, so paths in
messages are relative to it; ARGS is ``profile.yml`` unless the folder has an ``args`` file,
one argument per line (a missing profile, ``--set``, ``--templates DIR``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from helpers import REPO, run_stackgen
from stackgen.errors import InputError
from stackgen.yamlio.loader import load_file

CASES = REPO / "tests" / "cases"
VALID = sorted(p for p in (CASES / "valid").iterdir() if p.is_dir())
INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())


def case_args(case: Path) -> list[str]:
    """The render arguments of a case folder: its ``args`` file, else ``profile.yml``."""
    args = case / "args"
    if not args.is_file():
        return ["profile.yml"]
    return [line for line in args.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize("case", VALID, ids=[p.name for p in VALID])
def test_valid_case(case: Path) -> None:
    out = run_stackgen("render", *case_args(case), "-o", "-", cwd=case)
    assert out.returncode == 0, out.stderr
    assert out.stdout == (case / "expected.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_invalid_case(case: Path) -> None:
    out = run_stackgen("render", *case_args(case), "-o", "-", cwd=case)
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr == (case / "expected.txt").read_text(encoding="utf-8")
    assert "Traceback" not in out.stderr


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
@pytest.mark.skipif(os.name == "posix" and os.geteuid() == 0, reason="root reads every file")
def test_unreadable_profile(tmp_path: Path) -> None:
    """A file the user may not read (git cannot store that, so it is made here)."""
    profile = tmp_path / "profile.yml"
    shutil.copy(REPO / "profiles" / "minimal.yml", profile)
    profile.chmod(0o000)
    try:
        out = run_stackgen("render", "profile.yml", "-o", "-", cwd=tmp_path)
    finally:
        profile.chmod(0o644)
    assert (out.returncode, out.stdout) == (2, "")
    assert out.stderr == "profile.yml: cannot read file: Permission denied\n"


def test_unreadable_profile_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The same through the library, where the refusal is injected: it holds as root too."""
    profile = tmp_path / "profile.yml"
    shutil.copy(REPO / "profiles" / "minimal.yml", profile)

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(InputError) as err:
        load_file(profile, "profile.yml")
    assert [str(d) for d in err.value.diagnostics] == [
        "profile.yml: cannot read file: Permission denied"
    ]

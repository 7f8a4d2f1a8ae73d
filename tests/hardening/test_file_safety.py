"""Issue 15, "File safety": a replaced file keeps its mode, a new one follows the umask, a
backup is never overwritten, and SIGTERM/SIGHUP mid-write leave no temporary file."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO, render_paused_mid_write

EXPECTED = (REPO / "out" / "minimal" / "compose.yml").read_text(encoding="utf-8")
HAND_WRITTEN = "# my own compose file\nservices:\n  web:\n    image: nginx\n"

pytestmark = pytest.mark.skipif(os.name != "posix", reason="modes, umask and signals are POSIX")


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "profiles").mkdir()
    shutil.copy(REPO / "profiles" / "minimal.yml", tmp_path / "profiles" / "minimal.yml")
    return tmp_path


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _render(work: Path, *args: str, umask: int | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from stackgen.cli import main; main()", "render"]
    return subprocess.run(
        [*command, "profiles/minimal.yml", *args],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
        # the child's umask, set between fork and exec
        preexec_fn=None if umask is None else (lambda: os.umask(umask) and None),
    )


def test_a_replaced_generated_file_keeps_its_mode(work: Path) -> None:
    target = work / "out" / "minimal" / "compose.yml"
    target.parent.mkdir(parents=True)
    target.write_text(EXPECTED.replace("change-me", "old"), encoding="utf-8")
    target.chmod(0o600)
    done = _render(work)
    assert done.returncode == 0, done.stderr
    assert target.read_text(encoding="utf-8") == EXPECTED
    assert _mode(target) == 0o600


def test_a_hand_written_file_and_its_backup_keep_their_mode(work: Path) -> None:
    target = work / "mine.yml"
    target.write_text(HAND_WRITTEN, encoding="utf-8")
    target.chmod(0o640)
    done = _render(work, "-o", "mine.yml", "--force")
    assert done.returncode == 0, done.stderr
    backup = work / "mine.yml.bak"
    assert backup.read_text(encoding="utf-8") == HAND_WRITTEN
    assert (_mode(target), _mode(backup)) == (0o640, 0o640)


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_follows_the_umask(work: Path, umask: int, mode: int) -> None:
    done = _render(work, "-o", "new.yml", umask=umask)
    assert done.returncode == 0, done.stderr
    assert _mode(work / "new.yml") == mode


def test_an_existing_backup_is_never_overwritten(work: Path) -> None:
    target = work / "mine.yml"
    (work / "mine.yml.bak").write_text("first backup\n", encoding="utf-8")
    (work / "mine.yml.bak.1").write_text("second backup\n", encoding="utf-8")
    target.write_text(HAND_WRITTEN, encoding="utf-8")
    refused = _render(work, "-o", "mine.yml")
    assert refused.returncode == 2
    assert refused.stderr.endswith("--force to replace it and keep it as mine.yml.bak.2\n")
    done = _render(work, "-o", "mine.yml", "--force")
    assert done.returncode == 0, done.stderr
    assert done.stderr == "wrote mine.yml (kept the old file as mine.yml.bak.2)\n"
    assert (work / "mine.yml.bak").read_text(encoding="utf-8") == "first backup\n"
    assert (work / "mine.yml.bak.1").read_text(encoding="utf-8") == "second backup\n"
    assert (work / "mine.yml.bak.2").read_text(encoding="utf-8") == HAND_WRITTEN
    assert target.read_text(encoding="utf-8") == EXPECTED


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_mid_write_removes_the_temporary_file(work: Path, signum: int) -> None:
    target = work / "out" / "minimal" / "compose.yml"
    target.parent.mkdir(parents=True)
    old = EXPECTED.replace("change-me", "the old password")
    target.write_text(old, encoding="utf-8")
    with render_paused_mid_write(work, "profiles/minimal.yml") as proc:
        assert len(list(target.parent.iterdir())) == 2  # the target and the temporary file
        proc.send_signal(signum)
        # ended by the signal itself, as without stackgen's handler
        assert proc.wait() == -signum
    assert [p.name for p in target.parent.iterdir()] == ["compose.yml"]
    assert target.read_text(encoding="utf-8") == old

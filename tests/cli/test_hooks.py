"""``.pre-commit-hooks.yaml``: each hook runs a real stackgen command on the files its pattern
selects, as pre-commit would (entry words + matching file names, from the repository root)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import typer
import yaml

from helpers import REPO, run_stackgen
from stackgen.cli import app

HOOKS_FILE = REPO / ".pre-commit-hooks.yaml"


def hooks() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    return {hook["id"]: hook for hook in data}


def tracked_files() -> list[str]:
    """The repository's files as pre-commit sees them (git ls-files)."""
    proc = subprocess.run(["git", "ls-files"], capture_output=True, text=True, cwd=REPO, check=True)
    return proc.stdout.splitlines()


def selected(hook: dict[str, Any], files: list[str]) -> list[str]:
    # pre-commit matches `files` with Python's re.search; `types: [yaml]` means .yaml/.yml
    pattern = re.compile(hook["files"])
    return [f for f in files if pattern.search(f) and f.endswith((".yml", ".yaml"))]


def test_hooks_are_the_two_promised_with_required_keys() -> None:
    found = hooks()
    assert set(found) == {"stackgen-check", "stackgen-render-check"}
    for hook in found.values():
        assert {"id", "name", "entry", "language", "files"} <= set(hook)
        assert hook["language"] == "python"  # installs this repository with pip


def test_entries_name_the_console_script_and_real_commands() -> None:
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    for hook in hooks().values():
        program, command, *_ = shlex.split(hook["entry"])
        assert program in scripts
        assert command in commands, hook["id"]


def test_patterns_select_profiles_only() -> None:
    for hook in hooks().values():
        chosen = selected(hook, tracked_files())
        assert chosen == sorted(str(p.relative_to(REPO)) for p in REPO.glob("profiles/*.yml"))
        pattern = re.compile(hook["files"])
        assert pattern.search("deploy/profiles/shop.yaml")
        for other in (
            "out/minimal/compose.yml",
            "tests/cases/valid/x/profile.yml",
            "my-profiles/a.yml",
        ):
            assert not pattern.search(other), other


def test_render_check_hook_passes_on_this_repository() -> None:
    hook = hooks()["stackgen-render-check"]
    words = shlex.split(hook["entry"])[1:]
    proc = run_stackgen(*words, *selected(hook, tracked_files()), cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == proc.stderr == ""


def test_render_check_hook_fails_on_a_stale_output(tmp_path: Path) -> None:
    hook = hooks()["stackgen-render-check"]
    (tmp_path / "profiles").mkdir()
    shutil.copy(REPO / "profiles" / "minimal.yml", tmp_path / "profiles" / "minimal.yml")
    stale = tmp_path / "out" / "minimal" / "compose.yml"
    stale.parent.mkdir(parents=True)
    stale.write_text((REPO / "out" / "minimal" / "compose.yml").read_text().replace("8080", "8081"))
    words = shlex.split(hook["entry"])[1:]
    proc = run_stackgen(*words, "profiles/minimal.yml", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr == ("stale: out/minimal/compose.yml (run stackgen render to update it)\n")


def test_docs_name_the_hooks_and_their_pattern() -> None:
    docs = (REPO / "docs" / "editors-and-ci.md").read_text(encoding="utf-8")
    for hook_id, hook in hooks().items():
        assert f"- id: {hook_id}" in docs
        assert f"`{hook['files']}`" in docs

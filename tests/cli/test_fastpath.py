"""The fast path (stackgen.cli.fastpath) runs a command exactly as typer would, or not at all.

For each command line it accepts, the keyword arguments it gives the command are the ones
typer's parsing gives it (both call the same ``run_render`` / ``run_check``); a command line
it declines is typer's to parse, usage errors and help included.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest

from helpers import REPO, run_stackgen
from stackgen.cli import check_cmd, diff_cmd, fastpath, render_cmd
from stackgen.cli.check_run import run_check
from stackgen.cli.diff_run import run_diff
from stackgen.cli.render_run import run_render
from stackgen.cli.typer_app import build_app

RENDER_ACCEPTED = [
    ["p.yml"],
    ["a.yml", "b.yml", "--check"],
    ["-o", "-", "p.yml"],
    ["p.yml", "-o", "out.yml", "--force"],
    ["--output=x.yml", "p.yml"],
    ["p.yml", "--set", "a.b=1", "--set=c=d=e", "--set", "x="],
    ["--target", "kubernetes", "--report", "json", "p.yml"],
    ["--target=compose", "p.yml", "--report=markdown"],
    ["--color", "never", "p.yml", "--color", "always"],  # the last one given wins
    ["--templates", "templates", "p.yml"],
    ["--templates=templates/", "p.yml", "q.yml"],
    ["-o", "a.yml", "-o", "b.yml", "p.yml"],
    ["p.yml", "--", "--check", "-o"],  # after --: arguments
    ["--", "-"],
    ["", "--set", "-"],
    ["profiles/highlight-hobby.yml", "--check", "--force"],
]
RENDER_DECLINED = [
    [],
    ["--check"],
    ["--help"],
    ["p.yml", "-h"],
    ["--version", "p.yml"],
    ["--debug-not", "p.yml"],
    ["-o"],
    ["p.yml", "-o"],
    ["-ox.yml", "p.yml"],
    ["-o=x.yml", "p.yml"],
    ["--check=yes", "p.yml"],
    ["-o", "--check", "p.yml"],  # click reads --check as the file name: typer's to parse
    ["--set", "--force", "p.yml"],
    ["--target", "swarm", "p.yml"],
    ["--report", "yaml", "p.yml"],
    ["--color", "sometimes", "p.yml"],
    ["--templates", "no-such-folder", "p.yml"],
    ["--templates", "README.md", "p.yml"],  # a file
    ["-", "p.yml"],
    ["--"],
    ["p.yml", "--check", "-o", "-"],  # render_cmd's usage error
    ["--output=-", "--check", "p.yml"],
]
CHECK_ACCEPTED = [
    ["compose.yml"],
    ["a.yml", "b.yml", "--format", "json"],
    ["--format=github", "--type", "compose", "a.yml"],
    ["--env-file", ".env", "a.yml", "--color", "never"],
    ["--type=profile", "--", "-x.yml"],
]
CHECK_DECLINED = [
    [],
    ["--format", "sarif", "a.yml"],
    ["--type", "kubernetes", "a.yml"],
    ["--help"],
    ["--check", "a.yml"],
    ["--env-file"],
]

DIFF_ACCEPTED = [
    ["a.yml", "b.yml"],
    ["a.yml", "b.yml", "c.yml", "--format", "json", "--fail-on", "readiness,restart"],
    ["--left", "a.yml", "--left", "b.yml", "c.yml"],
    ["a.yml", "b.yml", "--ignore", "services.*.labels", "--ignore=x.y", "--show-secrets"],
    ["p.yml", "c.yml", "--set", "a.b=1", "--left-type", "profile", "--right-type=compose"],
    ["p.yml", "c.yml", "--format", "markdown", "--graph", "changed"],
    ["a.yml", "b.yml", "--accepted", "drift.yml", "--no-accepted", "--env-file", ".env"],
    ["a.yml", "b.yml", "--accept", "services.*", "--color", "never"],
    ["/dev/null", "b.yml"],
]
DIFF_DECLINED = [
    [],
    ["a.yml"],  # no RIGHT: typer's usage error
    ["a.yml", "b.yml", "--graph", "left"],  # --graph without --format markdown
    ["a.yml", "b.yml", "--format", "sarif"],
    ["a.yml", "b.yml", "--left-type", "kubernetes"],
    ["p.yml", "c.yml", "--format", "markdown", "--graph", "both"],
    ["a.yml", "b.yml", "--help"],
    ["a.yml", "b.yml", "--left"],
]
_RUN = {"render": run_render, "check": run_check, "diff": run_diff}


def _typer_kwargs(command: str, args: list[str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What typer's parsing of ``stackgen COMMAND ARGS`` hands the command function (for
    diff: LEFT and the RIGHT files in one list, as the fast path gives them)."""
    seen: dict[str, Any] = {}

    def capture(first: Any, *more: Any, **kwargs: Any) -> int:
        if command == "diff":
            first = [first, *(more[0] or [])]
        name = {"render": "profiles", "check": "files", "diff": "paths"}[command]
        seen.update(kwargs, **{name: first})
        return 0

    module = {"render": render_cmd, "check": check_cmd, "diff": diff_cmd}[command]
    monkeypatch.setattr(module, _RUN[command].__name__, capture)
    build_app([command])([command, *args], prog_name="stackgen", standalone_mode=False)
    return seen


def _fast_kwargs(command: str, args: list[str]) -> dict[str, Any] | None:
    parsed = fastpath.parse(args, fastpath.SPECS[command])
    if parsed is None:
        return None
    defaults = {
        name: p.default
        for name, p in inspect.signature(_RUN[command]).parameters.items()
        if p.default is not inspect.Parameter.empty and name != "rights"
    }
    return {**defaults, **parsed}


@pytest.mark.parametrize(
    ("command", "args"),
    [("render", a) for a in RENDER_ACCEPTED]
    + [("check", a) for a in CHECK_ACCEPTED]
    + [("diff", a) for a in DIFF_ACCEPTED],
)
def test_accepted_lines_get_what_typer_gives(
    command: str, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    fast = _fast_kwargs(command, args)
    assert fast is not None
    typer_kwargs = _typer_kwargs(command, args, monkeypatch)
    # typer hands an unset --set as an empty list, as the fast path does
    assert fast == typer_kwargs
    assert all(type(fast[k]) is type(typer_kwargs[k]) for k in fast)


@pytest.mark.parametrize(
    ("command", "args"),
    [("render", a) for a in RENDER_DECLINED]
    + [("check", a) for a in CHECK_DECLINED]
    + [("diff", a) for a in DIFF_DECLINED],
)
def test_other_lines_are_left_to_typer(
    command: str, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    assert fastpath.parse(args, fastpath.SPECS[command]) is None


def test_values_of_each_option_kind() -> None:
    parsed = fastpath.parse(
        # (-o - with --check is a usage error: typer's, so a file here)
        [
            "a.yml",
            "--set",
            "x=1",
            "-o",
            "o.yml",
            "--set=y=2",
            "b.yml",
            "--check",
            "--target=compose",
        ],
        fastpath.RENDER,
    )
    assert parsed == {
        "profiles": [Path("a.yml"), Path("b.yml")],
        "sets": ["x=1", "y=2"],
        "output": "o.yml",
        "check": True,
        "only": "compose",
    }


def test_usage_errors_stay_typers() -> None:
    # declined by the fast path, answered by typer: its message, exit 2
    missing = run_stackgen("render", "--templates", "no-such-folder", "profiles/minimal.yml")
    assert missing.returncode == 2
    assert "no-such-folder" in missing.stderr and "does not exist" in missing.stderr
    bad = run_stackgen("check", "--format", "sarif", "out/minimal/compose.yml")
    assert bad.returncode == 2 and "'sarif' is not one of text, json, github" in bad.stderr


def test_the_same_run_either_way(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the same command line run by the fast path (stackgen's entry point) and by the typer
    # app: same output, same exit status
    for args in (
        ["render", "profiles/minimal.yml", "-o", "-"],
        ["render", "--check", "profiles/minimal.yml", "-o", str(tmp_path / "x.yml")],
        ["check", "out/highlight-hobby/compose.yml", "--format", "json"],
        ["diff", "profiles/minimal.yml", "out/highlight-hobby/compose.yml", "--format", "json"],
    ):
        fast = run_stackgen(*args)
        with pytest.raises(SystemExit) as typer_exit:
            build_app([args[0]])(args, prog_name="stackgen")
        out, err = capsys.readouterr()
        by_typer = (typer_exit.value.code, out, err)
        assert (fast.returncode, fast.stdout, fast.stderr) == by_typer, args
    assert fast.stdout.startswith("{")  # check's json report

"""The shared console: ``--color auto|always|never``, ``NO_COLOR`` (https://no-color.org),
rich tables on a terminal and plain text when piped, the same for every command."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO, run_stackgen
from stackgen.cli.console import make_console, want_color

ESC = "\x1b["
MINIMAL = REPO / "profiles" / "minimal.yml"


def drifted(tmp_path: Path) -> Path:
    """The committed minimal output with one changed and one added value (RIGHT)."""
    text = (REPO / "out" / "minimal" / "compose.yml").read_text(encoding="utf-8")
    text = text.replace("service_healthy", "service_started")
    text = text.replace(
        "    image: nginx:1.27-alpine\n", "    image: nginx:1.27-alpine\n    user: web\n"
    )
    right = tmp_path / "compose.yml"
    right.write_text(text, encoding="utf-8")
    return right


def run_on_terminal(*args: str, env: dict[str, str]) -> tuple[int, str]:
    """Run stackgen with stdout and stderr on a pseudo-terminal; returns (status, output)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from stackgen.cli import main; main()", *args],
        stdout=slave,
        stderr=slave,
        stdin=subprocess.DEVNULL,
        cwd=REPO,
        env=env,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(), b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def terminal_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(TERM="xterm-256color", COLUMNS="200", **extra)
    return env


@pytest.mark.parametrize(
    ("choice", "isatty", "environ", "expected"),
    [
        ("auto", True, {}, True),
        ("auto", False, {}, False),
        ("auto", True, {"NO_COLOR": "1"}, False),
        # no-color.org: only a non-empty NO_COLOR counts
        ("auto", True, {"NO_COLOR": ""}, True),
        ("auto", True, {"TERM": "dumb"}, False),
        ("always", False, {"NO_COLOR": "1"}, True),  # the command line overrides NO_COLOR
        ("never", True, {}, False),
    ],
)
def test_want_color(choice: str, isatty: bool, environ: dict[str, str], expected: bool) -> None:
    assert want_color(choice, isatty, environ) is expected


def test_unknown_choice_is_refused() -> None:
    with pytest.raises(ValueError, match="auto, always, never"):
        want_color("sometimes", True, {})
    proc = run_stackgen("render", str(MINIMAL), "-o", "-", "--color", "sometimes")
    assert proc.returncode == 2
    assert "'sometimes' is not one of auto, always, never" in proc.stderr


def test_streams_write_exact_text_without_colour() -> None:
    out, err = io.StringIO(), io.StringIO()
    console = make_console("never", stdout=out, stderr=err, environ={})
    console.out.write("a: [1]\n", style="red")
    console.err.line("wrote x", style="green")
    assert out.getvalue() == "a: [1]\n"
    assert err.getvalue() == "wrote x\n"
    coloured = io.StringIO()
    make_console("always", stdout=coloured, environ={}).out.line("added", style="green")
    assert coloured.getvalue() == "\x1b[32madded\x1b[0m\n"


def test_piped_diff_is_plain_and_always_colours_by_kind(tmp_path: Path) -> None:
    right = drifted(tmp_path)
    plain = run_stackgen("diff", str(MINIMAL), str(right))
    assert plain.returncode == 1
    assert ESC not in plain.stdout + plain.stderr
    assert "  ~ services.web.depends_on.db.condition:" in plain.stdout
    coloured = run_stackgen("diff", str(MINIMAL), str(right), "--color", "always")
    lines = coloured.stdout.splitlines()
    # same text, each change line wrapped in its colour: changed yellow, added green
    changed = [line for line in lines if "depends_on.db.condition" in line]
    added = [line for line in lines if "services.web.user" in line]
    assert changed[0].startswith("\x1b[33m  ~ ") and changed[0].endswith("\x1b[0m")
    assert added[0].startswith("\x1b[32m  + ") and added[0].endswith("\x1b[0m")
    never = run_stackgen("diff", str(MINIMAL), str(right), "--color", "never")
    assert never.stdout == plain.stdout


def test_render_status_lines(tmp_path: Path) -> None:
    target = tmp_path / "c.yml"
    plain = run_stackgen("render", str(MINIMAL), "-o", str(target))
    assert plain.returncode == 0
    assert plain.stderr == f"wrote {target.as_posix()}\n"
    coloured = run_stackgen("render", str(MINIMAL), "-o", str(target), "--color", "always")
    assert coloured.stderr == f"\x1b[32mwrote {target.as_posix()}\x1b[0m\n"
    # the compose text itself is never coloured
    stdout = run_stackgen("render", str(MINIMAL), "-o", "-", "--color", "always")
    assert stdout.stdout == (REPO / "out" / "minimal" / "compose.yml").read_text()


def test_terminal_gets_colour_and_tables_unless_no_color(tmp_path: Path) -> None:
    right = drifted(tmp_path)
    status, output = run_on_terminal("diff", str(MINIMAL), str(right), env=terminal_env())
    assert status == 1
    assert ESC in output
    # a table per service: headings and the change in cells, not the piped line format
    # (every change stands in one file: the title names it, the last column is its line)
    assert "path" in output and "category" in output and "line" in output
    assert f"web  ({right})" in output
    assert "  ~ services.web" not in output
    for env, args in (
        (terminal_env(NO_COLOR="1"), ()),
        (terminal_env(), ("--color", "never")),
    ):
        status, output = run_on_terminal("diff", str(MINIMAL), str(right), *args, env=env)
        assert status == 1
        assert ESC not in output, (env.get("NO_COLOR"), args)
        assert "depends_on.db.condition" in output


def public_kafka(tmp_path: Path) -> Path:
    """A compose file with one finding: a warning with a hint (infra-port-public)."""
    path = tmp_path / "public.yml"
    path.write_text(
        'services:\n  kafka:\n    image: confluentinc/cp-kafka:7.5.0\n    ports: ["9092:9092"]\n',
        encoding="utf-8",
    )
    return path


def test_no_color_everywhere_in_piped_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    upstream = str(public_kafka(tmp_path))
    commands = [
        ("render", str(MINIMAL), "-o", str(tmp_path / "x.yml")),
        ("graph", str(MINIMAL)),
        ("schema",),
        ("init", "demo", "-o", str(tmp_path / "demo.yml")),
        ("diff", str(MINIMAL), str(drifted(tmp_path))),
        ("check", upstream),
        ("import", upstream, "-o", "-"),
    ]
    for args in commands:
        proc = run_stackgen(*args)
        assert proc.returncode in (0, 1), (args, proc.stderr)
        assert proc.stdout + proc.stderr, args  # something that could have been coloured
        assert ESC not in proc.stdout + proc.stderr, args


def test_check_colours_findings_by_severity_only_when_asked(tmp_path: Path) -> None:
    upstream = str(public_kafka(tmp_path))
    plain = run_stackgen("check", upstream)
    assert plain.returncode == 0  # warnings only
    assert ESC not in plain.stdout
    first = plain.stdout.splitlines()[0]
    assert first.endswith("(infra-port-public)") and ": warning: " in first
    coloured = run_stackgen("check", upstream, "--color", "always")
    lines = coloured.stdout.splitlines()
    assert lines[0] == f"\x1b[33m{first}\x1b[0m"  # warning: yellow
    assert lines[1].startswith("\x1b[2m    hint: ")  # hint: dim
    # machine formats stay plain whatever --color says
    assert (
        ESC not in run_stackgen("check", upstream, "--format", "json", "--color", "always").stdout
    )

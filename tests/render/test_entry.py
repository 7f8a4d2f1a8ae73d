"""The console entry point (``stackgen``, ``python -m stackgen``): ``--version`` is answered
before the CLI's libraries are imported; everything else reaches the CLI unchanged."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from helpers import REPO
from stackgen import __version__

_PROBE = (
    "import sys; sys.argv = ['stackgen', '--version']; "
    "from stackgen.__main__ import main; main(); "
    "heavy = {'typer', 'click', 'pydantic', 'jinja2', 'deepdiff', 'jsonschema_rs', 'yaml'}; "
    "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))"
)


def test_version_imports_none_of_the_cli_libraries() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [f"stackgen {__version__}", "[]"]


def test_module_entry_point_runs_the_cli() -> None:
    version = subprocess.run(
        [sys.executable, "-m", "stackgen", "--version"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert (version.returncode, version.stdout) == (0, f"stackgen {__version__}\n")
    # anything but a lone --version goes to the typer app: a usage error is its exit 2
    usage = subprocess.run(
        [sys.executable, "-m", "stackgen", "--version", "--no-such-option"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert usage.returncode == 2
    assert "No such option" in usage.stderr


def test_the_cli_imports_each_commands_libraries_only_when_it_runs() -> None:
    """Declaring the commands (and answering --help) needs option names only
    (stackgen.choices): the planner, pydantic, Jinja, the diff engine, the lint rules and rich
    are imported by the command that uses them."""
    probe = (
        "import sys; from stackgen.cli import app; "
        "heavy = ('pydantic', 'jinja2', 'deepdiff', 'jsonschema_rs', 'rich.console', "
        "'stackgen.plan.planner', 'stackgen.lint', 'stackgen.diff.pipeline', 'stackgen.importing.importer', "
        "'stackgen.api', 'stackgen.profile.jsonschema'); "
        "print([m for m in heavy if m in sys.modules])"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert (proc.returncode, proc.stdout) == (0, "[]\n"), proc.stderr


def test_the_cli_runs_with_the_collector_paused_and_gets_it_back_as_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import stackgen.cli
    from stackgen.__main__ import main

    seen: list[bool] = []
    monkeypatch.setattr(stackgen.cli, "main", lambda: seen.append(gc.isenabled()))
    monkeypatch.setattr(sys, "argv", ["stackgen", "check", "x.yml"])
    was = gc.isenabled()
    try:
        gc.enable()
        main()
        assert (seen, gc.isenabled()) == ([False], True)
        gc.disable()  # a caller that paused it keeps it paused
        main()
        assert (seen, gc.isenabled()) == ([False, False], False)
    finally:
        (gc.enable if was else gc.disable)()

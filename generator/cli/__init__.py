"""The ``stackgen`` command: a thin typer layer over the library; the one place exit codes
are decided (0 ok · 1 drift/stale · 2 bad input or usage · 3 internal error · 130 interrupted).

The typer app lives in :mod:`stackgen.cli.typer_app`, imported only when a command line
needs it (:mod:`stackgen.cli.fastpath` runs plain ``render`` and ``check`` lines without it).
"""

from __future__ import annotations

import io
import os
import sys
from typing import Any

from ..errors import InputError, StackgenError
from . import fastpath
from .output import echo_diag, echo_err, start_command

PROG = "stackgen"
#: shells typer generates completion scripts for
SHELLS = ("bash", "zsh", "fish", "powershell")

#: command name → the module that declares it (``register(app)``); each is imported only
#: when its command runs, or for help and completion, which list them all
COMMANDS = {
    "render": "render_cmd",
    "diff": "diff_cmd",
    "import": "import_cmd",
    "graph": "graph_cmd",
    "schema": "schema_cmd",
    "init": "init_cmd",
    "check": "check_cmd",
}
_HELP = (
    "Describe a container stack once, render a correct docker compose file, and review "
    "drift.\n\n"
    "Examples:\n\n"
    "  stackgen render profiles/highlight-hobby.yml\n\n"
    "  stackgen render profiles/highlight-hobby.yml -o -\n\n"
    "  stackgen render --check profiles/*.yml\n\n"
    "  stackgen diff profiles/highlight-hobby.yml compose.yml compose.hobby.yml\n\n"
    "  stackgen graph profiles/highlight-hobby.yml --format mermaid\n\n"
    "  stackgen init shop --from minimal\n\n"
    "Exit codes: 0 ok, 1 drift or stale output, 2 bad input or usage, 3 internal error. "
    "Add --debug anywhere to see a traceback."
)


def _named_command(args: list[str]) -> str | None:
    """The command the arguments run, when one is named and nothing needs the whole app
    (help without a command, shell completion, an unknown name with its suggestions)."""
    if f"_{PROG.upper()}_COMPLETE" in os.environ:
        return None
    first = next((a for a in args if not a.startswith("-")), None)
    return first if first in COMMANDS or first == "completion" else None


def __getattr__(name: str) -> Any:
    # ``stackgen.cli.app`` (the app with every command, built on first use) and
    # ``build_app``: from stackgen.cli.typer_app, which imports typer
    if name in ("app", "build_app"):
        from . import typer_app

        return typer_app.full_app() if name == "app" else typer_app.build_app
    raise AttributeError(name)


def main() -> None:
    """Console entry point: run the app and map stackgen's errors to exit codes.

    pydantic's plugins are not loaded while the command runs (``PYDANTIC_DISABLE_PLUGINS``,
    unless the environment sets it): the profile models are stackgen's own, and looking the
    plugins up reads the metadata of every installed distribution (a tenth of a small
    render); typer does the same for its own models.

    Usage errors (unknown option, missing argument, no command) are click's: exit 2 with the
    usage text; ``--help`` exits 0. ``--debug`` shows the traceback of any error (with the
    exit code the error has without it). Secret values of the inputs never reach stderr,
    traceback included (:mod:`stackgen.output.masking`).
    """
    if _PLUGINS_VAR in os.environ:
        _main()
        return
    os.environ[_PLUGINS_VAR] = "__all__"
    try:
        _main()
    finally:
        os.environ.pop(_PLUGINS_VAR, None)


#: pydantic reads it at every model it builds (pydantic.plugin._loader)
_PLUGINS_VAR = "PYDANTIC_DISABLE_PLUGINS"


def _main() -> None:
    # names from the command line may hold bytes that are not UTF-8 (surrogateescape): a
    # report quoting one writes its escape, as stderr does, so stdout stays valid UTF-8 and
    # a strict stdout never fails; file contents are checked UTF-8, so they never need it
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="backslashreplace")
    if not {"-h", "--help"} & set(sys.argv[1:]):
        # help reads no input: it need not import the masking (PyYAML) to watch for any; a
        # command that is not watched still masks, by reading its inputs again
        start_command()
    debug = "--debug" in sys.argv
    if debug:
        sys.argv.remove("--debug")
    try:
        # render and check with plain options run without typer (stackgen.cli.fastpath),
        # exiting as click would; every other command line is the typer app's
        fastpath.run(sys.argv[1:])
        from .typer_app import build_app, full_app

        command = _named_command(sys.argv[1:])
        app = build_app([command]) if command else full_app()
        app(prog_name=PROG)  # standalone: click exits itself with 0, 1 (typer.Exit) or 2 (usage)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        code = exc.exit_code if isinstance(exc, StackgenError) else 3
        if debug:
            import traceback  # only to show one (start-up time)

            echo_err("".join(traceback.format_exception(exc)).rstrip("\n"))
        elif isinstance(exc, InputError):
            for diag in exc.diagnostics:
                echo_diag(diag)
        elif isinstance(exc, StackgenError):
            echo_err(f"error: {exc}")
        else:
            echo_err(f"internal error: {type(exc).__name__}: {exc} (run with --debug)")
        sys.exit(code)

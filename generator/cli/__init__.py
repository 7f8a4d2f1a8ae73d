"""The ``stackgen`` command: a thin typer layer over the library; the one place exit codes
are decided (0 ok · 1 drift/stale · 2 bad input or usage · 3 internal error · 130 interrupted).
"""

from __future__ import annotations

import io
import sys
import traceback
from typing import Annotated

import typer
from typer._completion_shared import get_completion_script  # what --show-completion prints

from .. import __version__
from ..errors import InputError, StackgenError
from . import check_cmd, diff_cmd, graph_cmd, import_cmd, init_cmd, render_cmd, schema_cmd
from .console import ColorOption
from .output import echo_diag, echo_err

PROG = "stackgen"
#: shells typer generates completion scripts for
SHELLS = ("bash", "zsh", "fish", "powershell")

app = typer.Typer(
    name="stackgen",
    help=(
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
    ),
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stackgen {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
    debug: bool = typer.Option(
        False,
        "--debug",
        help="Show the traceback of an error (also after the command: stackgen render "
        "p.yml --debug).",
    ),
) -> None:
    """stackgen: profile → docker compose, and drift review."""


render_cmd.register(app)
diff_cmd.register(app)
import_cmd.register(app)
graph_cmd.register(app)
schema_cmd.register(app)
init_cmd.register(app)
check_cmd.register(app)


@app.command(
    name="completion",
    help=(
        "Print the shell completion script for SHELL.\n\n"
        "Examples:\n\n"
        "  stackgen completion bash > ~/.local/share/bash-completion/completions/stackgen\n\n"
        '  stackgen completion zsh > "${fpath[1]}/_stackgen"\n\n'
        "  stackgen completion fish > ~/.config/fish/completions/stackgen.fish"
    ),
)
def _completion(
    shell: Annotated[str, typer.Argument(help=f"Shell: {', '.join(SHELLS)}.", show_default=False)],
    color: ColorOption = "auto",  # accepted like every command's; the script is never coloured
) -> None:
    if shell not in SHELLS:
        raise typer.BadParameter(f"{shell!r} is not one of {', '.join(SHELLS)}")
    # the same script --show-completion prints; _STACKGEN_COMPLETE switches the program
    # into completion mode when the shell calls it
    script = get_completion_script(
        prog_name=PROG, complete_var=f"_{PROG.upper()}_COMPLETE", shell=shell
    )
    typer.echo(script.rstrip("\n"))


def main() -> None:
    """Console entry point: run the app and map stackgen's errors to exit codes.

    Usage errors (unknown option, missing argument, no command) are click's: exit 2 with the
    usage text; ``--help`` exits 0. ``--debug`` shows the traceback of any error (with the
    exit code the error has without it). Secret values of the inputs never reach stderr,
    traceback included (:mod:`stackgen.output.masking`).
    """
    # names from the command line may hold bytes that are not UTF-8 (surrogateescape): a
    # report quoting one writes its escape, as stderr does, so stdout stays valid UTF-8 and
    # a strict stdout never fails; file contents are checked UTF-8, so they never need it
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="backslashreplace")
    debug = "--debug" in sys.argv
    if debug:
        sys.argv.remove("--debug")
    try:
        app(prog_name=PROG)  # standalone: click exits itself with 0, 1 (typer.Exit) or 2 (usage)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        code = exc.exit_code if isinstance(exc, StackgenError) else 3
        if debug:
            echo_err("".join(traceback.format_exception(exc)).rstrip("\n"))
        elif isinstance(exc, InputError):
            for diag in exc.diagnostics:
                echo_diag(diag)
        elif isinstance(exc, StackgenError):
            echo_err(f"error: {exc}")
        else:
            echo_err(f"internal error: {type(exc).__name__}: {exc} (run with --debug)")
        sys.exit(code)

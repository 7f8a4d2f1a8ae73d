"""The ``stackgen`` typer app: every command's options, help and usage errors (click's).

Imported only when a command line needs the CLI framework: help, completion, usage errors
and any command line the fast path (:mod:`stackgen.cli.fastpath`) leaves to it.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from functools import cache
from typing import Annotated

import typer
from typer._completion_shared import get_completion_script  # what --show-completion prints

from .. import __version__
from . import _HELP, COMMANDS, PROG, SHELLS
from .options import ColorOption


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stackgen {__version__}")
        raise typer.Exit(0)


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


def build_app(commands: Iterable[str] | None = None) -> typer.Typer:
    """The ``stackgen`` typer app with ``commands`` (names of :data:`COMMANDS` or
    ``completion``; None: every command).

    Building a command costs start-up time (typer inspects its options and prepares a
    converter for each): ``main`` builds only the one the command line names.
    """
    names = [*COMMANDS, "completion"] if commands is None else list(commands)
    app = typer.Typer(
        name="stackgen",
        help=_HELP,
        no_args_is_help=True,
        # plain help (below) wraps to the terminal's width (COLUMNS), as rich's does, not
        # to click's default 80 columns: an example line stays one line to copy
        context_settings={
            "help_option_names": ["-h", "--help"],
            "max_content_width": 400,
            # the root's flags, when not given, are False rather than unset: typer converts an
            # unset value with a pydantic converter it builds first (importing pydantic),
            # and `stackgen render --help` passes through the root's options
            "default_map": {"help": False, "install_completion": False, "show_completion": False},
        },
        add_completion=True,
        pretty_exceptions_enable=False,
        # rich (and markdown-it, pygments) only for help a person reads on a terminal;
        # piped help is click's plain text, and costs no start-up time for them
        rich_markup_mode="rich" if sys.stdout.isatty() else None,
    )
    app.callback()(_root)
    for name in names:
        if name in COMMANDS:
            module = importlib.import_module(f"{__package__}.{COMMANDS[name]}")
            module.register(app)
    if "completion" in names:
        app.command(
            name="completion",
            help=(
                "Print the shell completion script for SHELL.\n\n"
                "Examples:\n\n"
                "  stackgen completion bash > ~/.local/share/bash-completion/completions/stackgen\n\n"
                '  stackgen completion zsh > "${fpath[1]}/_stackgen"\n\n'
                "  stackgen completion fish > ~/.config/fish/completions/stackgen.fish"
            ),
        )(_completion)
    return app


@cache
def _full_app() -> typer.Typer:
    return build_app()


def full_app() -> typer.Typer:
    """The app with every command (help without a command, completion), built once."""
    return _full_app()

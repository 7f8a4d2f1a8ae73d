"""The typer options shared by commands: a choice among fixed values, ``--format`` and
``--color`` (:data:`ColorOption`).

Apart from :mod:`stackgen.cli.console` so that printing imports no typer: a command run on
the fast path (:mod:`stackgen.cli.fastpath`) prints through the console without the CLI
framework.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import typer

from .console import COLOR_CHOICES


def choice_option(name: str, choices: Sequence[str], help: str, *aliases: str) -> Any:
    """A typer option whose value must be one of ``choices`` (anything else is a usage error,
    exit 2); shells complete the choices. ``aliases`` are further names of the option (an
    older spelling kept working).

    Use as ``value: Annotated[str, choice_option("--x", CHOICES, "…")] = CHOICES[0]``.
    """
    allowed = tuple(choices)

    def check(value: str | None) -> str | None:
        if value is not None and value not in allowed:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(allowed)}")
        return value

    def complete(incomplete: str) -> list[str]:
        return [c for c in allowed if c.startswith(incomplete)]

    return typer.Option(name, *aliases, callback=check, autocompletion=complete, help=help)


def format_option(formats: Sequence[str], what: str = "Output format") -> Any:
    """The ``--format`` option accepting exactly ``formats`` (see :func:`choice_option`)."""
    return choice_option("--format", formats, f"{what}: {', '.join(formats)}.")


ColorOption = Annotated[
    str,
    choice_option(
        "--color",
        COLOR_CHOICES,
        "Colour: auto (on a terminal, unless NO_COLOR is set), always or never.",
    ),
]

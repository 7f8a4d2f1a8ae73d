"""What the CLI writes to stderr, with the secret values of its inputs masked
(:mod:`stackgen.output.masking`)."""

from __future__ import annotations

import dataclasses
import sys
from functools import lru_cache
from typing import TYPE_CHECKING

from ..errors import Diagnostic
from .console import STYLE, Console

if TYPE_CHECKING:
    from ..output.masking import KnownValues


@lru_cache(maxsize=8)
def _secrets(args: tuple[str, ...]) -> frozenset[str]:
    from ..output.masking import input_secrets  # (PyYAML): when a message is printed

    try:
        return frozenset(input_secrets(args))
    except Exception:
        # the second line of defence must never turn an error report into a crash; the
        # messages themselves quote no secret values
        return frozenset()


@lru_cache(maxsize=8)
def _known(args: tuple[str, ...]) -> KnownValues:
    # indexed once per command line, not once per message (a large render warns hundreds
    # of times)
    from ..output.masking import KnownValues

    return KnownValues(_secrets(args))


def _redact(text: str) -> str:
    return _known(tuple(sys.argv[1:])).redact(text)


def _echo_err(line: str) -> None:
    # click's echo (typer's): it strips ANSI styling when stderr is not a terminal; imported
    # when a message is printed, so a command that prints none never imports the CLI
    # framework (stackgen.cli.fastpath)
    from typer import echo

    echo(line, err=True)


def start_command() -> None:
    """Forget the inputs of an earlier command run in this process, and note the secret
    values of this one's as it parses them (:func:`stackgen.output.masking.watch_inputs`: no
    second reading of any input)."""
    from ..output.masking import watch_inputs

    _secrets.cache_clear()
    _known.cache_clear()
    watch_inputs()


def known_secrets() -> KnownValues:
    """The secret values of this command line's inputs, indexed for linear redaction."""
    return _known(tuple(sys.argv[1:]))


def echo_err(text: str) -> None:
    """Write free text (an error, a traceback) and a newline to stderr, every secret value of
    this command line's inputs (files and ``--set`` values) replaced by ``***``."""
    _echo_err(_redact(text))


def masked_diag(diag: Diagnostic) -> str:
    """One diagnostic line, secret values masked in its message only: file and path are
    names, and masking a value that happens to equal one (a password ``postgres``) would
    garble where the problem is."""
    masked = dataclasses.replace(diag, message=_redact(diag.message))
    return str(masked)


def echo_diag(diag: Diagnostic, suffix: str = "") -> None:
    """Write :func:`masked_diag` of ``diag`` and ``suffix`` to stderr."""
    _echo_err(f"{masked_diag(diag)}{suffix}")


def warn(console: Console, warning: Diagnostic | str) -> None:
    """Print one warning to stderr, the one place commands print warnings: a diagnostic as
    ``file:line:col: path: message (warning)`` (masked, :func:`masked_diag`), text as given.

    A line already printed by this command is not printed again: several profiles sharing a
    base (``extends``), or a diff whose profile warns both as rendered and as read, would
    otherwise repeat it.
    """
    line = f"{masked_diag(warning)} (warning)" if isinstance(warning, Diagnostic) else warning
    if line in console.warned:
        return
    console.warned.add(line)
    console.err.line(line, STYLE["warning"])

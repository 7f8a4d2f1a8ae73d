"""What the CLI writes to stderr, with the secret values of its inputs masked
(:mod:`stackgen.output.masking`)."""

from __future__ import annotations

import dataclasses
import sys
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

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


# [sys.argv as read, its length, its KnownValues]: one index per command line, not one per
# message (20,000 messages of a 40,000-argument command line once took 20 s to index)
_LAST: list[Any] = []


def _known() -> KnownValues:
    from ..output.masking import KnownValues

    argv = sys.argv
    if _LAST and _LAST[0] is argv and _LAST[1] == len(argv):
        return cast("KnownValues", _LAST[2])
    known = KnownValues(_secrets(tuple(argv[1:])))
    _LAST[:] = [argv, len(argv), known]  # argv stays referenced: its id is not reused
    return known


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
    from ..output.noted import watch_inputs  # the masking itself: when a message needs it

    _secrets.cache_clear()
    _LAST.clear()
    watch_inputs()


def masked_text(text: str) -> str:
    """``text`` with every secret value of this command line's inputs (files and ``--set``
    values) and every credential by form (``scheme://user:***@host``, ``-u user:***``,
    :mod:`stackgen.output.credentials`; of the ``NAME=X`` forms only a password's, as a
    message's ``path.to.key=value`` is no assignment) replaced by ``***``."""
    from ..output.masking import mask_credentials

    return mask_credentials(_known().redact(text), named=False)


def echo_err(text: str) -> None:
    """Write free text (an error, a traceback) and a newline to stderr, masked
    (:func:`masked_text`)."""
    _echo_err(masked_text(text))


def masked_diag(diag: Diagnostic) -> str:
    """One diagnostic line, secret values masked in its message only: file and path are
    names, and masking a value that happens to equal one (a password ``postgres``) would
    garble where the problem is."""
    if not diag.quotes_input:  # stackgen's own words: no input's secrets to look for
        return str(diag)
    masked = dataclasses.replace(diag, message=masked_text(diag.message))
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

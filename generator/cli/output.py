"""What the CLI writes to stderr, with the secret values of its inputs masked
(:mod:`stackgen.masking`)."""

from __future__ import annotations

import sys
from functools import lru_cache

import typer

from ..masking import input_secrets, redact


@lru_cache(maxsize=8)
def _secrets(args: tuple[str, ...]) -> frozenset[str]:
    try:
        return frozenset(input_secrets(args))
    except Exception:
        # the second line of defence must never turn an error report into a crash; the
        # messages themselves quote no secret values
        return frozenset()


def echo_err(text: str) -> None:
    """Write ``text`` and a newline to stderr, every secret value of this command line's
    inputs (files and ``--set`` values) replaced by ``***``."""
    typer.echo(redact(text, _secrets(tuple(sys.argv[1:]))), err=True)

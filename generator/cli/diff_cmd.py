"""``stackgen diff`` (placeholder until the diff pipeline lands)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the ``diff`` command to ``app``."""

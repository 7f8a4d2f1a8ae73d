"""The compose target's front door: a loaded profile → its compose document, planned,
emitted and checked against the compose-spec schema (problems at the profile's positions)."""

from __future__ import annotations

from pathlib import Path

from ...compose import schema as compose
from ...compose.readable import value_errors
from ...errors import Diagnostic, InputError
from ...plan.model import Stack
from ...plan.planner import plan
from ...profile.load import LoadedProfile
from ...yamlio.nodes import dotted
from .document import ComposeDocument
from .emit import emit


def compose_document(
    loaded: LoadedProfile,
    *,
    source: str,
    templates: Path | None = None,
    output_dir: Path | None = None,
) -> ComposeDocument:
    """Plan ``loaded`` (:func:`stackgen.plan.planner.plan`) and emit its compose document
    (:func:`checked_document`).

    Args:
        loaded: the validated profile with its value positions.
        source: how the generated header names the profile.
        templates: optional user template directory (catalog partials).
        output_dir: the folder the compose file is read from (relative host paths are written
            relative to it); None: the profile's folder.

    Returns:
        The document; its mapping is valid against the compose-spec schema.

    Raises:
        InputError: every planning problem, or every compose-spec schema violation (see
            :func:`checked_document`).
        TemplateError: a catalog partial failed.
    """
    stack = plan(loaded, source=source, templates=templates, output_dir=output_dir)
    return checked_document(loaded, stack)


def checked_document(loaded: LoadedProfile, stack: Stack) -> ComposeDocument:
    """The compose document of ``stack`` (planned from ``loaded``), checked against the
    compose-spec schema.

    Raises:
        InputError: for values passed through as compose (``verbatim`` and other compose
            keys), every compose-spec schema violation, each at the profile position of the
            value.
    """
    document = emit(stack)
    data = document.to_compose()
    problems = []
    errors = compose.schema_errors(data)
    # values the schema lets through and the engine refuses (a 10000000h duration, an integer
    # beyond int64), unless the schema already refused that value
    errors += [e for e in value_errors(data) if all(p != e[0] for p, _ in errors)]
    for path, message in errors:
        mark = loaded.source.mark(path)
        problems.append(
            Diagnostic(
                mark.file, mark.line, mark.col, dotted(path), f"not valid compose: {message}"
            )
        )
    if problems:
        raise InputError(problems)
    return document

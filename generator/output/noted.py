"""The input files a command has parsed, noted as the loader parses them, for the CLI's
masking (:mod:`stackgen.output.inputs`) to take their secret values from instead of reading
and parsing them again. Kept apart from the masking itself, so that a command that prints
no message imports none of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..yamlio import loader

#: for each input file the loader has parsed during this command (by resolved path), noted
#: from the data it built (:func:`watch_inputs`): that data (its secret values are computed
#: from it only when a message needs masking: ``stackgen.output.inputs._noted_values``) and
#: the base it extends
PARSED: dict[Path, tuple[Any, Path | None]] = {}
#: the secret values and the names of the files in :data:`PARSED`, once computed
VALUES: dict[Path, tuple[frozenset[str], frozenset[str]]] = {}


def _note_parsed(path: Path, text: str, data: Any) -> None:
    # the data is only kept: stackgen's stages copy what they change (copy on write), so it
    # still holds what the file holds when a message asks, and a command that prints none
    # never walks it
    try:
        key = path.resolve()
    except (OSError, ValueError):
        return
    base = data.get("extends") if isinstance(data, dict) else None
    PARSED[key] = (data, path.parent / base if isinstance(base, str) else None)
    VALUES.pop(key, None)


def watch_inputs() -> None:
    """From now on, note every input file the loader parses
    (:data:`stackgen.yamlio.loader.FILE_PARSED`), so that
    :func:`stackgen.output.inputs.input_secrets` takes its secret values from the data the
    command built instead of reading and parsing the file again, and computes them only when
    asked (a command that prints no message pays nothing, not even this module's masking
    imports). The CLI calls this as each command starts (files noted for an earlier command
    are forgotten); the library alone never masks, so it pays nothing."""
    PARSED.clear()
    VALUES.clear()
    if _note_parsed not in loader.FILE_PARSED:
        loader.FILE_PARSED.append(_note_parsed)

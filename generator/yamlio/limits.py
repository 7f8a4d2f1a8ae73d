"""Limits on untrusted YAML input (README "Limits"): size, nesting depth, node and alias counts."""

from __future__ import annotations

import os
import re
from typing import Any

import yaml

from ..errors import InputError
from .nodes import Mark, Path_, dotted, nearest_mark

#: libyaml's parser when PyYAML was built with it (about 10× faster), else the pure-Python one
BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: Limits on untrusted input, documented in README "Limits": they bound the memory and time
#: one command can cost before any of it is spent. Set so that every command (``diff`` of two
#: such files and ``import``, the costliest, included) finishes within 10 s of CPU and 2 GiB
#: on the project's 2-core machine (tests/hardening/test_limits_bound_work.py runs the
#: largest mapping, the most services and the most text they allow): a compose file of 1,000
#: services as bench/ writes them (1.3 MiB, 88,000 nodes) fits; one of 10,000 (890,000 nodes)
#: took 14 to 19 s and is refused.


def _scale() -> int:
    """``STACKGEN_LIMIT_SCALE``: a whole factor from 1 to 100 the size limits below are
    multiplied by, to measure stackgen beyond them (``bench/`` sets 10 for its N=10,000
    workload); any other value is ignored (1). The 10 s / 2 GiB promise holds at 1 only."""
    text = os.environ.get("STACKGEN_LIMIT_SCALE", "1")
    factor = int(text) if re.fullmatch(r"[0-9]{1,3}", text) else 1
    return factor if 1 <= factor <= 100 else 1


#: The factor the size limits are multiplied by (:func:`_scale`; 1 unless measuring).
SCALE = _scale()
#: Largest YAML file read, in bytes.
MAX_BYTES = 4 * 1024 * 1024 * SCALE
#: Deepest nesting of mappings and sequences (a compose file needs about 8).
MAX_DEPTH = 64
#: Nodes (scalars, sequences, mappings) in one document as written, before composing it.
MAX_NODES = 120_000 * SCALE
#: Services in one document (each is planned, linted and drawn: work beyond its nodes).
MAX_SERVICES = 5_000 * SCALE
#: Nodes built by expanding aliases, per document ("billion laughs" guard).
MAX_ALIAS_NODES = 30_000 * SCALE
#: Text (scalars and keys, in characters) copied by expanding aliases, per document: a
#: quarter of the largest file.
MAX_ALIAS_BYTES = MAX_BYTES // 4
#: Longest chain of ``extends`` (profile bases, compose services or files extending others).
MAX_EXTENDS = 32
#: Longest decimal integer read (Python's own conversion limit; compose reads 64 bits).
MAX_INT_DIGITS = 4300


def check_services(data: Any, marks: dict[Path_, Mark], file: str) -> None:
    """Refuse a document whose top-level ``services`` mapping holds more than
    :data:`MAX_SERVICES` services (a profile's or a compose file's), right after reading it:
    before any service is planned, linted or drawn.

    Args:
        data: the document's data.
        marks: its positions (the first service past the limit is named at its key).
        file: its name in the message.

    Raises:
        InputError: at the first service past the limit.
    """
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict) or len(services) <= MAX_SERVICES:
        return
    name = list(services)[MAX_SERVICES]
    mark = nearest_mark(marks, ("services", name), file)
    raise InputError.single(
        mark.file,
        mark.line,
        mark.col,
        dotted(("services", name)),
        f"more than {MAX_SERVICES:,} services in one file; split the stack into several",
    )


def too_deep() -> str:
    return f"nested deeper than {MAX_DEPTH} levels of mappings and sequences"


def check_shape(text: str, file: str) -> None:
    """Refuse a stream nested deeper than :data:`MAX_DEPTH` or holding more than
    :data:`MAX_NODES` nodes in one document, from the parser's events: no node tree is built
    yet, so refusing stays cheap (and Python's recursion limit is never reached later).

    Raises:
        InputError: at the position of the first node past the limit.
        yaml.YAMLError: a syntax error (the caller reports it).
    """
    # Hot path for every input file: only depth and count per event, no path bookkeeping.
    # The position and path of a refusal are worked out by _shape_error on a second walk.
    kinds = _EVENT_KINDS
    depth = 0
    nodes = 0
    parser = BaseLoader(text)
    try:
        get_event = parser.get_event
        while True:
            event = get_event()
            kind = kinds.get(type(event), 0)
            if kind == 1:  # scalar or alias
                nodes += 1
                if nodes > MAX_NODES:
                    break
            elif kind == 2:  # collection start
                nodes += 1
                depth += 1
                if nodes > MAX_NODES or depth > MAX_DEPTH:
                    break
            elif kind == 3:  # collection end
                depth -= 1
            elif kind == 4:  # document start
                nodes = 0
            elif event is None or kind == 5:  # end of the stream
                return
    finally:
        parser.dispose()
    _shape_error(text, file)


# event classes as check_shape counts them (other events: 0)
_EVENT_KINDS: dict[type, int] = {
    yaml.ScalarEvent: 1,
    yaml.AliasEvent: 1,
    yaml.MappingStartEvent: 2,
    yaml.SequenceStartEvent: 2,
    yaml.MappingEndEvent: 3,
    yaml.SequenceEndEvent: 3,
    yaml.DocumentStartEvent: 4,
    yaml.StreamEndEvent: 5,
}


def _shape_error(text: str, file: str) -> None:
    """Raise the :class:`InputError` for the first node of ``text`` past :data:`MAX_DEPTH` or
    :data:`MAX_NODES`, with its position and path (walks the events again, tracking paths).

    Raises:
        InputError: always, when ``text`` breaks a limit.
        yaml.YAMLError: a syntax error (the caller reports it).
    """
    frames: list[list[Any]] = []  # per open collection: [is_mapping, children seen, key]
    nodes = 0
    for event in yaml.parse(text, Loader=BaseLoader):
        if isinstance(event, yaml.DocumentStartEvent):
            nodes = 0
        elif isinstance(event, yaml.CollectionEndEvent):
            frames.pop()
        elif isinstance(event, yaml.NodeEvent):
            if frames:
                top = frames[-1]
                if not top[0]:
                    top[2] = top[1]  # sequence: the index
                elif top[1] % 2 == 0:  # mapping: a key (complex keys are refused later)
                    top[2] = event.value if isinstance(event, yaml.ScalarEvent) else "?"
                top[1] += 1
            nodes += 1
            mark = event.start_mark
            where = (file, mark.line + 1, mark.column + 1) if mark else (file, 1, 1)
            if nodes > MAX_NODES:
                path = dotted(tuple(f[2] for f in frames))
                raise InputError.single(
                    *where, path, f"more than {MAX_NODES} nodes in one document"
                )
            if isinstance(event, yaml.CollectionStartEvent):
                if len(frames) >= MAX_DEPTH:
                    path = dotted(tuple(f[2] for f in frames))
                    raise InputError.single(*where, path, too_deep())
                frames.append([isinstance(event, yaml.MappingStartEvent), 0, None])

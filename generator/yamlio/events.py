"""One pass from parser events to data: the common case of :func:`stackgen.yamlio.loader.load_text`.

Reading a file used to take three passes over it: an event walk enforcing the input limits
(:func:`stackgen.yamlio.limits.check_shape`), libyaml composing a node tree, and the builder
turning the nodes into data with positions. For a document without anchors, aliases, tags,
merge keys or duplicate keys, within the limits (what stackgen writes, and most compose
files and profiles), one walk over the events does all three: the limits are counted and
the data and positions are built as the events arrive, with no node tree in between.

Anything else makes :func:`build_from_events` give up (return None) at the first event that
needs it, and the caller reads the text the general way, which also reports every error
(syntax, limits, duplicates) with its position. Both ways give the same
:class:`~stackgen.yamlio.nodes.Document` (tests/yamlio: property-tested on generated YAML).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from . import limits as _limits
from .limits import BaseLoader
from .nodes import REPLACE_KEY, Document, Mark, Path_
from .resolve import is_go_timestamp, resolve_plain, resolve_plain_go

_SCALAR = yaml.ScalarEvent
_MAPPING = yaml.MappingStartEvent
_SEQUENCE = yaml.SequenceStartEvent
_MAPPING_END = yaml.MappingEndEvent
_SEQUENCE_END = yaml.SequenceEndEvent
_NO_KEY = object()  # a mapping frame waiting for its next key
#: the first characters of plain scalars the two resolvers may read differently (numbers;
#: stackgen.yamlio.loader's own)
_NUMBER_START = frozenset("+-.0123456789")
_DIGITS = frozenset("0123456789")
#: the first characters of every plain scalar either resolver reads as other than its text
#: (null, booleans, numbers, .inf/.nan; stackgen.yamlio.resolve); any other is text as is
_MAYBE_NOT_TEXT = frozenset("~nNtTfF-+.0123456789")
#: text made only of the characters a null, boolean or number of either resolver is written
#: with; a plain scalar holding any other (``8080:80``, ``1GiB``) is text to both, so the two
#: readings cannot differ
_MAYBE_READ_OTHERWISE = re.compile(r"[0-9+\-._~a-fA-FilnorstuxILNORSTUX]*\Z")


def build_from_events(
    text: str,
    file: str,
    *,
    limits: bool,
    positions: bool,
    plain: set[str] | None,
    plain_keys: set[str] | None,
    compose: bool = False,
) -> Document | None:
    """The :class:`Document` :func:`~stackgen.yamlio.loader.load_text` makes of ``text``
    (same arguments), or None when ``text`` is not the plain case this pass builds (see the
    module docstring) or is not valid YAML: the caller then reads it the general way.
    Raises nothing of its own."""
    parser = BaseLoader(text)
    try:
        return _build(parser.get_event, file, limits, positions, plain, plain_keys, compose)
    except (yaml.YAMLError, ValueError):
        # a syntax error, or a plain scalar resolve_plain refuses: reported by the general way
        return None
    finally:
        parser.dispose()


def _build(
    get_event: Any,
    file: str,
    limits: bool,
    positions: bool,
    plain: set[str] | None,
    plain_keys: set[str] | None,
    compose: bool,
) -> Document | None:
    get_event()  # the stream start
    if type(get_event()) is not yaml.DocumentStartEvent:
        return None  # an empty stream
    # read at each call: tests lower them
    max_nodes, max_depth = _limits.MAX_NODES, _limits.MAX_DEPTH
    resolve, other = (
        (resolve_plain_go, resolve_plain) if compose else (resolve_plain, resolve_plain_go)
    )
    readings_differ = False
    # plain text → (its value, whether the other resolver reads it otherwise)
    readings: dict[str, tuple[Any, bool]] = {}
    timestamps: list[Path_] = []
    marks: dict[Path_, Mark] = {}
    texts: dict[Path_, str] = {}
    new_mark = tuple.__new__  # Mark(...) without the named tuple's Python-level __new__
    # the collection being filled (None: the root is next), its path, whether it is a
    # mapping and the key waiting for its value; the enclosing ones on the stack
    container: Any = None
    where: Path_ = ()
    in_mapping = False
    key: Any = _NO_KEY
    stack: list[tuple[Any, Path_, bool, Any]] = []
    root: Any = None
    key_path: Path_ = ()  # the path of the key waiting for its value (with positions)
    nodes = 0
    replace_free = True  # no mapping closed so far is {$replace: VALUE}
    while True:
        event = get_event()
        kind = type(event)
        if kind is _SCALAR or kind is _MAPPING or kind is _SEQUENCE:
            if event.anchor is not None or event.tag is not None:
                return None
            nodes += 1
            if limits and nodes > max_nodes:
                return None
            if in_mapping:
                if key is _NO_KEY:  # this node is a key
                    if kind is not _SCALAR:
                        return None  # a complex key
                    key = event.value
                    if key in container or (key == "<<" and not event.style):
                        return None  # a duplicate key, or a merge key
                    if plain_keys is not None and not event.style:
                        plain_keys.add(key)
                    if positions:
                        m = event.start_mark
                        key_path = (*where, key)  # the value's path too: made once
                        marks[key_path] = new_mark(Mark, (file, m.line + 1, m.column + 1))
                    continue
                path = key_path
            elif container is not None:  # a sequence
                key = len(container)
                if positions:
                    path = (*where, key)
                    m = event.start_mark
                    marks[path] = new_mark(Mark, (file, m.line + 1, m.column + 1))
                else:
                    path = ()
            else:  # the root
                path = ()
                m = event.start_mark
                marks[()] = new_mark(Mark, (file, m.line + 1, m.column + 1))
            if kind is _SCALAR:
                value: Any = event.value
                if event.implicit[0]:  # plain: resolved the document's way
                    if plain is not None:
                        plain.add(value)
                    text = value
                    # most plain scalars are words either resolver keeps as text: no call
                    first = text[:1]
                    if not first or first in _MAYBE_NOT_TEXT:
                        # a document repeats few such texts (10s, 5, 1.0, 256m): each is
                        # resolved, and compared with the other reading, once
                        known = readings.get(text)
                        if known is None:
                            value = resolve(text)
                            known = readings[text] = (
                                value,
                                first in _NUMBER_START
                                and _MAYBE_READ_OTHERWISE.match(text) is not None
                                and _differ(value, text, other),
                            )
                        value = known[0]
                        if positions and value is not None and not isinstance(value, str):
                            texts[path] = text
                        if known[1]:
                            readings_differ = True
                        if compose and first in _DIGITS and is_go_timestamp(text):
                            timestamps.append(path)
                if in_mapping:
                    container[key] = value
                    key = _NO_KEY
                elif container is not None:
                    container.append(value)
                else:
                    root = value
                continue
            if len(stack) >= max_depth:
                return None  # at the depth limit: the general way reports it exactly
            value = {} if kind is _MAPPING else []
            if in_mapping:
                container[key] = value
            elif container is not None:
                container.append(value)
            else:
                root = value
            stack.append((container, where, in_mapping, _NO_KEY))
            container, where, in_mapping, key = value, path, kind is _MAPPING, _NO_KEY
        elif kind is _MAPPING_END:
            # (the membership test first: it fails for almost every mapping)
            if REPLACE_KEY in container and len(container) == 1:
                replace_free = False
            container, where, in_mapping, key = stack.pop()
        elif kind is _SEQUENCE_END:
            container, where, in_mapping, key = stack.pop()
        else:
            break  # the document's end (or an alias: see below)
    if () not in marks or kind is not yaml.DocumentEndEvent:
        return None  # an empty document, or an alias
    if type(get_event()) is not yaml.StreamEndEvent:
        return None  # a second document
    return Document(
        data=root,
        marks=marks,
        texts=texts,
        file=file,
        compose=compose,
        readings_differ=readings_differ,
        timestamps=timestamps,
        untagged=True,  # any tag made this pass give up
        replace_free=replace_free,
    )


def _differ(value: Any, text: str, other: Any) -> bool:
    # as stackgen.yamlio.loader._Builder.scalar: whether the other resolver reads the plain
    # scalar `text` otherwise ((type, value): 1 == 1.0 == True; nan != nan is no difference)
    try:
        again = other(text)
    except ValueError:  # too many digits for YAML 1.2 core: yaml.v3 reads a float
        again = None
    return type(again) is not type(value) or (again != value and again == again)

"""Render stage: :class:`ComposeDocument` → compose YAML text, proven to read back as it.

The text comes from ``templates/compose.yml.j2``. Text written by a user's ``--templates`` is
parsed back before anyone writes it, with a YAML 1.2 reader (how compose v2 reads), and
compared value for value with the stack; every plain scalar is resolved by a YAML 1.1 reader
too (PyYAML, how older tools read), which must give the same value (the whole file is read
again with PyYAML only to name the first path that differs). Text written by stackgen's own
templates is not read back at run time: its structure is fixed by code and property-tested
(``tests/render/test_builtin_structure.py``: the full read-back equals the stack), and every
scalar in it is checked on its own as it is written (:func:`stackgen.yamlio.scalars.quote`).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml

from ...compose import schema as compose
from ...errors import InputError, InternalError
from ...output.secret_rule import is_secret_path
from ...output.writer import GENERATED_HEADER
from ...yamlio.loader import load_text, load_yaml11
from ...yamlio.nodes import Document, dotted
from ...yamlio.resolve import resolve_plain
from .document import ComposeDocument
from .template_names import COMPOSE_TEMPLATES
from .templating import render_template, rendered_text_problems, user_files

TEMPLATE = "compose.yml.j2"
#: Longest compose text written, in characters (README "Limits"): twice the input limit
#: covers a 10 MiB profile plus 10 MiB of alias expansion and what stackgen adds.
MAX_OUTPUT_CHARS = 32 * 2**20


class ReadBackError(InternalError):
    """The rendered text reads back as another value than the stack's (exit 3: stackgen's own
    templates must write every value as given).

    Attributes:
        reader: ``1.2`` or ``1.1``, the YAML version of the reader that saw the difference.
        path: the dotted path of the first value that differs.
        how: what differs (``'always' where the stack has 'unless-stopped'``; no secret value).
    """

    def __init__(self, reader: str, path: str, how: str) -> None:
        self.reader, self.path, self.how = reader, path, how
        super().__init__(
            f"rendered text reads back differently under YAML {reader} at {path} ({how})"
        )


def render(stack: ComposeDocument, templates: Path | None = None) -> str:
    """Render ``stack`` to compose text; with user ``templates``, proved by reading it back
    (:func:`render_read_back` without returning the parse), else by its tests (module doc).

    Args:
        stack: the compose document (:func:`stackgen.targets.compose.emit.emit`).
        templates: optional user template directory (looked up first).

    Returns:
        The compose file text (ends with a newline).

    Raises:
        TemplateError: a template failed (names template and line).
        InputError: the text is longer than :data:`MAX_OUTPUT_CHARS`; the user's templates
            wrote text that is not YAML or reads back otherwise (:func:`_verify_rendered`).
        InternalError: with ``templates``, stackgen's own template text does not read back
            as the stack.
    """
    text = _text(stack, templates)
    # the document passed the compose schema when it was made
    # (stackgen.targets.compose.target.compose_document): text that reads back as exactly
    # its mapping passes it too, so the schema is not run again
    if templates is not None:
        _verify_rendered(text, stack, templates, None)
    # else stackgen's own templates wrote it: the structure is code (compose.yml.j2 and
    # yaml_block), property-tested to read back as the stack; each scalar went through
    # quote, which writes text plain only when both YAML resolvers read it as that value.
    # The full read-back was a seventh of a 1,000-service render (README "What is proved
    # at run time").
    return text


def _text(stack: ComposeDocument, templates: Path | None) -> str:
    """The template's text for ``stack``, blank lines and trailing spaces dropped.

    Raises:
        InputError: the text is longer than :data:`MAX_OUTPUT_CHARS`.
    """
    text = render_template(
        TEMPLATE, {"stack": stack, "source": stack.source, "header": GENERATED_HEADER}, templates
    )
    text = tidy(text)
    if len(text) > MAX_OUTPUT_CHARS:
        # before the read-back proof, the most expensive step
        raise InputError.single(
            stack.source,
            0,
            0,
            "",
            f"the compose file would be {len(text) // 2**20} MiB, more than the "
            f"{MAX_OUTPUT_CHARS // 2**20} MiB output limit",
        )
    return text


#: the ASCII characters Python takes as whitespace or a line break, besides space and ``\n``
_OTHER_ASCII_SPACE = "\t\r\x0b\x0c\x1c\x1d\x1e\x1f"


def tidy(text: str) -> str:
    """``text`` without blank lines and trailing whitespace, ending with one newline: its
    lines (``str.splitlines``) whose ``rstrip`` is not empty, each ``rstrip``-ed.

    Text that has none (what stackgen's own templates write: ASCII, no whitespace but spaces
    and newlines, no space before a newline, no empty line, a newline at the end) is returned
    as it is, without splitting 40,000 lines of a 1,000-service stack and joining them again.
    """
    if (
        text.endswith("\n")
        and not text.startswith("\n")
        and " \n" not in text
        and "\n\n" not in text
        and text.isascii()
        and not any(c in text for c in _OTHER_ASCII_SPACE)
    ):
        return text
    # a line is blank when its rstrip is: one C pass over the lines, not a Python genexpr
    return "\n".join(filter(None, map(str.rstrip, text.splitlines()))) + "\n"


def render_read_back(
    stack: ComposeDocument, templates: Path | None = None, *, file: str = "<rendered>"
) -> tuple[str, Document]:
    """:func:`render`, also returning the parse that proved the text, with the position of
    every value (marks name ``file``), for a reader that reports positions in the rendered
    file (``diff``): the text is parsed once.

    Raises:
        As :func:`render`.
    """
    text = _text(stack, templates)
    return text, _verify_rendered(text, stack, templates, file)


def _verify_rendered(
    text: str, stack: ComposeDocument, templates: Path | None, file: str | None
) -> Document:
    """:func:`verify` without the schema; a failure is the user's when their own
    ``compose.yml.j2`` or ``_nodes.yml.j2`` wrote the text (exit 2, naming them), else
    stackgen's (exit 3).

    Raises:
        InputError: the user's templates wrote text that is not YAML, or that reads back as
            other values than the stack's (at ``DIR/compose.yml.j2``, the path that differs).
        InternalError: stackgen's own templates did.
    """
    mine = user_files(COMPOSE_TEMPLATES, templates)
    try:
        return verify(text, stack.to_compose(), schema=False, file=file)
    except ReadBackError as exc:
        if not mine:
            raise
        raise InputError.single(
            mine[0],
            0,
            0,
            exc.path,
            f"the text rendered by {' and '.join(mine)} reads back (YAML {exc.reader}) "
            f"otherwise than the stack it was given: {exc.how}; a template must write every "
            "value as given, through the q filter or the block macro",
        ) from exc
    except InputError as exc:
        if not mine:
            raise InternalError(f"rendered text is not valid YAML: {exc}") from exc
        raise rendered_text_problems(exc, mine) from exc


def verify(
    text: str,
    expected: dict[str, Any],
    *,
    schema: bool = True,
    file: str | None = None,
) -> Document:
    """Check that ``text`` parses (YAML 1.2 and 1.1) to ``expected`` and, with ``schema``,
    passes the compose-spec schema.

    Args:
        text: the compose text.
        expected: the mapping it must read back as.
        schema: also validate against the compose-spec schema.
        file: the name marks give; None: no positions are kept (faster).

    Returns:
        The YAML 1.2 parse of ``text``.

    Raises:
        ReadBackError: naming the first path that differs.
        InternalError: the schema errors.
        InputError: ``text`` is not YAML (positions in ``text``).
    """
    plain: set[str] = set()
    plain_keys: set[str] = set()
    doc = load_text(
        text,
        file or "<rendered>",
        limits=False,
        positions=file is not None,
        plain=plain,
        plain_keys=plain_keys,
    )
    parsed12 = doc.data
    where = _first_difference(parsed12, expected, ())
    if where is not None:
        raise ReadBackError("1.2", *where)
    # Both readers see the same structure (one parser); they differ only in how they resolve
    # plain scalars. When every plain text reads the same under YAML 1.1, so does the file;
    # only otherwise is the whole file read again to name the first path that differs.
    if not (all(map(_same_under_yaml11, plain)) and all(map(_text_under_yaml11, plain_keys))):
        where = _first_difference(load_yaml11(text), expected, ())
        if where is not None:
            raise ReadBackError("1.1", *where)
    errors = compose.schema_errors(parsed12) if schema else []
    if errors:
        lines = "; ".join(f"{dotted(p) or '(root)'}: {m}" for p, m in errors[:10])
        raise InternalError(f"rendered file fails the compose-spec schema: {lines}")
    return doc


_YAML11 = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"


def _same_under_yaml11(text: str) -> bool:
    """Whether plain scalar ``text`` is the same value under YAML 1.1 (PyYAML's resolver and
    safe constructor) as under YAML 1.2 core (:func:`resolve_plain`) (keys stay text under 1.2,
    so keys are checked by :func:`_text_under_yaml11`)."""
    value12 = resolve_plain(text)
    if _text_under_yaml11(text):
        return isinstance(value12, str) and value12 == text
    try:
        value11 = load_yaml11(text)
    except InputError:
        return False
    return _same(value11, value12)


def _same(got: Any, want: Any) -> bool:
    """Equal scalars of one type; ``.nan`` equals ``.nan`` (it reads back as itself)."""
    if type(got) is not type(want):
        return False
    if isinstance(want, float) and math.isnan(want):
        return math.isnan(got)
    return bool(got == want)


def _text_under_yaml11(text: str) -> bool:
    """Whether YAML 1.1 reads plain scalar ``text`` as a string (as stackgen reads keys)."""
    tag: str = _YAML11.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return tag == _STR_TAG


def _first_difference(got: Any, want: Any, path: tuple[Any, ...]) -> tuple[str, str] | None:
    """The first path where ``got`` differs from ``want``, and how (no secret value shown)."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return dotted(path) or "(root)", f"a {type(got).__name__} where a mapping belongs"
        if list(got) != list(want):
            extra = [str(k) for k in got if k not in want]
            missing = [str(k) for k in want if k not in got]
            how = "; ".join(
                part
                for part in (
                    f"keys that do not belong: {', '.join(extra)}" if extra else "",
                    f"keys missing: {', '.join(missing)}" if missing else "",
                )
                if part
            )
            return dotted(path) or "(root)", how or "the keys are in another order"
        for key in want:
            found = _first_difference(got[key], want[key], (*path, key))
            if found:
                return found
        return None
    if isinstance(want, list | tuple):
        if not isinstance(got, list) or len(got) != len(want):
            many = len(got) if isinstance(got, list) else type(got).__name__
            return dotted(path), f"{many} items where {len(want)} belong"
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            found = _first_difference(g, w, (*path, i))
            if found:
                return found
        return None
    if not _same(got, want):
        if is_secret_path(path):
            return dotted(path), "secret values differ"
        return dotted(path), f"{got!r} where the stack has {want!r}"
    return None

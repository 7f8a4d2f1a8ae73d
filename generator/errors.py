"""One exception family for stackgen; the CLI maps each class to an exit code.

Every user-facing problem is a :class:`Diagnostic` (file, line, column, dotted field path,
message), printed as ``file:line:col: path.to.field: message`` in the style of yamllint.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in user input.

    Attributes:
        file: the file the value came from (``<--set>`` for command-line overrides).
        line: 1-based line number, 0 when unknown.
        col: 1-based column number, 0 when unknown.
        path: dotted field path, e.g. ``services.backend.depends_on``; empty for the whole file.
        message: one plain sentence.
        quotes_input: whether the message may quote a value of the input (the CLI masks
            secret values in it); False for a message made of stackgen's own words only,
            which needs no masking (and so no secret values found for it).
    """

    file: str
    line: int
    col: int
    path: str
    message: str
    quotes_input: bool = field(default=True, compare=False)

    def __str__(self) -> str:
        # a problem of the whole file (unreadable, too large, exists) has no position:
        # ``file: message``, never a made-up ``file:0:0``
        where = printable(self.file)
        if self.line:
            where += f":{self.line}:{self.col}"
        message = printable(self.message)
        return f"{where}: {printable(self.path)}: {message}" if self.path else f"{where}: {message}"


def printable(text: str) -> str:
    """``text`` with every non-printable character (line breaks, terminal escapes, other
    controls) written as its Python escape (``"a\\nb"``), so a diagnostic or a comment line
    stays one line of plain text whatever keys or file names it quotes."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def not_utf8_at(text: str) -> int | None:
    """The 0-based index of the first character of ``text`` that UTF-8 cannot encode, or None.

    Such characters are lone surrogates: Python decodes command-line arguments (and file
    names) with ``surrogateescape`` (PEP 383), so a byte that is not UTF-8 (``\xff``) arrives
    as ``\udcff``, which no UTF-8 file, YAML parser or terminal accepts.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


def require_utf8(text: str, file: str, path: str, *, col: int = 1, what: str = "value") -> None:
    """Refuse command-line text holding a byte that is not UTF-8 (see :func:`not_utf8_at`).

    Args:
        text: the argument (or the part of it checked).
        file: how the argument is named in the diagnostic (``<--set #1>``, ``<--name>``).
        path: the dotted field path the text is for (empty when none).
        col: the 1-based column ``text`` starts at within the argument.
        what: what the text is, for the message (``value``, ``path``, ``pattern``).

    Raises:
        InputError: ``file:1:COL: path: the value is not valid UTF-8``, COL the column of the
            first bad byte.
    """
    index = not_utf8_at(text)
    if index is not None:
        raise InputError.single(file, 1, col + index, path, f"the {what} is not valid UTF-8")


class StackgenError(Exception):
    """Root of every error stackgen raises on purpose."""

    exit_code = 3


class InputError(StackgenError):
    """Bad user input (profile, compose file, option); carries every diagnostic found.

    Args:
        diagnostics: the problems, reported together (validation collects before raising).
    """

    exit_code = 2

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(set(diagnostics))
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    @classmethod
    def single(cls, file: str, line: int, col: int, path: str, message: str) -> InputError:
        """Build an InputError holding one diagnostic."""
        return cls([Diagnostic(file, line, col, path, message)])


class TemplateError(StackgenError):
    """A Jinja template failed; the message names template and line. Exit code 3."""

    exit_code = 3


class InternalError(StackgenError):
    """stackgen produced something it should not have (e.g. rendered text fails the schema)."""

    exit_code = 3

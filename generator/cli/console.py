"""Terminal output shared by every command: ``--color``, ``NO_COLOR``, ``--format`` and rich.

A command declares its options with the aliases of :mod:`stackgen.cli.options` and prints
through one :class:`Console`::

    def command(color: ColorOption = "auto", fmt: Annotated[str, format_option(FORMATS)] = "text"):
        console = make_console(color)
        console.out.write("report\\n")
        console.err.write("wrote out/x/compose.yml\\n", style=STYLE["ok"])

Colour rules (https://no-color.org): ``--color always`` colours, ``--color never`` does not;
``auto`` colours a stream only when it is a terminal, ``NO_COLOR`` is unset or empty and
``TERM`` is not ``dumb``. The command-line option wins over ``NO_COLOR`` (no-color.org: "user
configuration and command-line arguments override NO_COLOR"). Layout follows the stream, not
the colour choice: tables only on a terminal, plain lines when piped, so scripts always read
the same text.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple, TextIO

if TYPE_CHECKING:
    from rich.console import Console as RichConsole

COLOR_CHOICES = ("auto", "always", "never")

#: rich styles by meaning; commands name the meaning, never a colour
STYLE: dict[str, str] = {
    "added": "green",
    "removed": "red",
    "changed": "yellow",
    "ok": "green",
    "warning": "yellow",
    "error": "red",
    "heading": "bold",
    "muted": "dim",
    "hint": "dim",
    "accepted": "dim",
}


def want_color(choice: str, isatty: bool, environ: Mapping[str, str]) -> bool:
    """Whether to colour a stream.

    Args:
        choice: ``auto``, ``always`` or ``never`` (the ``--color`` value).
        isatty: the stream is a terminal.
        environ: the environment (``NO_COLOR``, ``TERM``).

    Returns:
        True to colour. ``NO_COLOR`` counts only when non-empty (no-color.org).

    Raises:
        ValueError: ``choice`` is not one of :data:`COLOR_CHOICES`.
    """
    if choice not in COLOR_CHOICES:
        raise ValueError(f"color must be one of {', '.join(COLOR_CHOICES)}, got {choice!r}")
    if choice != "auto":
        return choice == "always"
    return isatty and not environ.get("NO_COLOR") and environ.get("TERM") != "dumb"


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or stream-like objects without a fd
        return False


# named tuples, not dataclasses: cheaper to build at import (every command's start-up)
class Stream(NamedTuple):
    """One output stream (stdout or stderr).

    Attributes:
        file: the text stream written to.
        color: colour is on for this stream.
        terminal: the stream is a terminal (rich layout such as tables is allowed).
    """

    file: TextIO
    color: bool
    terminal: bool

    def _rich(self) -> RichConsole:
        # rich is imported only when something is styled or tabulated (start-up time)
        from rich.console import Console as RichConsole

        # explicit settings so rich's own environment sniffing (NO_COLOR, FORCE_COLOR,
        # TTY_COMPATIBLE) never contradicts the decision made here
        return RichConsole(
            file=self.file,
            force_terminal=self.color,
            no_color=not self.color,
            color_system="standard" if self.color else None,
            highlight=False,
            markup=False,
            emoji=False,
        )

    def write(self, text: str, style: str | None = None) -> None:
        """Write ``text`` as is; with colour on and a ``style``, in that rich style."""
        if self.color and style and text:
            body, newline = (text[:-1], "\n") if text.endswith("\n") else (text, "")
            # soft_wrap: never insert line breaks into a line (the terminal wraps it)
            from rich.text import Text

            self._rich().print(Text(body, style=style), end=newline, soft_wrap=True)
        else:
            self.file.write(text)
        self.file.flush()

    def line(self, text: str, style: str | None = None) -> None:
        """Write ``text`` and a newline (see :meth:`write`)."""
        self.write(text + "\n", style)

    def table(
        self,
        title: str,
        columns: Sequence[str],
        rows: Sequence[tuple[Sequence[str], str | None]],
        *,
        wrap: Sequence[str] = (),
    ) -> None:
        """Print a table (meant for a terminal, see :attr:`terminal`).

        Args:
            title: shown above the table, left-aligned.
            columns: column headings.
            rows: ``(cells, style)``; the style colours the row when colour is on.
            wrap: the columns whose cells may wrap (at spaces, a longer word folded); every
                other column keeps its cells whole on one line (``compose.yml:182``, a path,
                a category), so a narrow terminal takes the width from the ``wrap`` columns.
                Empty: every column may wrap.
        """
        from rich.table import Table

        table = Table(title=title, title_justify="left", show_edge=False)
        for column in columns:
            whole = bool(wrap) and column not in wrap
            table.add_column(
                column, overflow="fold", no_wrap=whole, min_width=None if whole else 16
            )
        for cells, style in rows:
            table.add_row(*cells, style=style if self.color else None)
        self._rich().print(table)
        self.file.flush()


class Console(NamedTuple):
    """stdout (results) and stderr (diagnostics, status lines) of one command.

    Attributes:
        out, err: the two streams.
        warned: the warning lines printed so far (:func:`stackgen.cli.output.warn` prints
            each once).
    """

    out: Stream
    err: Stream
    warned: set[str]


def make_console(
    color: str = "auto",
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
) -> Console:
    """The console for a command run.

    Args:
        color: the ``--color`` value.
        stdout, stderr: streams (default: ``sys.stdout``/``sys.stderr`` at call time).
        environ: environment (default ``os.environ``).

    Raises:
        ValueError: unknown ``color`` (typer has already refused it on the command line).
    """
    env = os.environ if environ is None else environ
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    out_tty, err_tty = _isatty(out), _isatty(err)
    return Console(
        out=Stream(out, want_color(color, out_tty, env), out_tty),
        err=Stream(err, want_color(color, err_tty, env), err_tty),
        warned=set(),
    )

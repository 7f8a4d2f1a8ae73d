"""The one Jinja environment: StrictUndefined, partials ``_*.j2``, scalars through ``q``.

Templates are looked up first in a user directory (``--templates DIR``), then in stackgen's
own ``templates/`` package data, read through ``importlib.resources``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from .errors import InputError, TemplateError, printable
from .scalars import double_quoted, quote


def _package_source(name: str) -> tuple[str, str | None, Callable[[], bool]] | None:
    node = resources.files("stackgen.templates")
    for part in name.split("/"):
        node = node / part
    if not node.is_file():
        return None
    return node.read_text(encoding="utf-8"), name, lambda: True


def _flow(value: list[Any]) -> str:
    """A flow sequence of double-quoted strings, for argv-like lists."""
    return "[" + ", ".join(double_quoted(str(v)) for v in value) + "]"


@cache
def environment(user_dir: str | None = None) -> jinja2.Environment:
    """Build (once per ``user_dir``) the Jinja environment.

    Args:
        user_dir: a directory whose templates override stackgen's own, or None.

    Returns:
        A :class:`jinja2.Environment` with filters ``q`` (quote one scalar), ``flow`` (argv
        list in flow style) and ``comment`` (text safe inside a comment line).
    """
    loaders: list[jinja2.BaseLoader] = []
    if user_dir:
        loaders.append(jinja2.FileSystemLoader(user_dir))
    loaders.append(jinja2.FunctionLoader(_package_source))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["q"] = quote
    env.filters["flow"] = _flow
    env.filters["comment"] = printable
    return env


def render_template(name: str, context: dict[str, Any], user_dir: Path | None = None) -> str:
    """Render template ``name`` with ``context``.

    Raises:
        InputError: a template from ``user_dir`` failed (the user's input: exit 2), as
            ``file:line:0: message``.
        TemplateError: one of stackgen's own templates failed (a bug: exit 3), naming the
            template and line.
    """
    env = environment(str(user_dir) if user_dir else None)
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where, line, message = exc.filename or exc.name or name, exc.lineno, exc.message or ""
    except jinja2.TemplateError as exc:
        (where, line), message = _template_frame(exc, name), str(exc)
    if user_dir is not None and Path(where).is_relative_to(user_dir):
        raise InputError.single(where, line, 0, "", f"template error: {message}")
    raise TemplateError(f"{where}:{line}: {message}")


def _template_frame(exc: BaseException, name: str) -> tuple[str, int]:
    """The innermost template frame of a Jinja error (Jinja maps frames to template lines)."""
    tb = exc.__traceback__
    found = (name, 0)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found

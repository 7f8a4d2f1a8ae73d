"""The one Jinja environment: StrictUndefined, partials ``_*.j2``, scalars through ``q``.

Templates are looked up first in a user directory (``--templates DIR``), then in stackgen's
own ``templates/`` package data, read through ``importlib.resources``.
"""

from __future__ import annotations

import os
import posixpath
import shlex
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2.runtime import new_context
from jinja2.tests import test_sequence

from ...errors import Diagnostic, InputError, TemplateError, printable
from ...yamlio.scalars import double_quoted, quote, quote_text


def _package_source(name: str) -> tuple[str, str | None, Callable[[], bool]] | None:
    text = own_source(name)
    return None if text is None else (text, name, lambda: True)


@cache
def own_source(name: str) -> str | None:
    """The source of stackgen's own template ``name`` (``kinds/_app.yml.j2``), None when
    stackgen has no such template. Read once a process: the package's files do not change
    while it runs (Jinja, told they are always up to date, never reads one twice either)."""
    node = resources.files("stackgen.templates")
    for part in name.split("/"):
        node = node / part
    if not node.is_file():
        return None
    return node.read_text(encoding="utf-8")


def _flow(value: list[Any]) -> str:
    """A flow sequence of double-quoted strings, for argv-like lists."""
    return "[" + ", ".join(_quoted(str(v)) for v in value) + "]"


# stacks repeat most words of their probes and commands (CMD, wget, --spider …)
_quoted = lru_cache(maxsize=1 << 16)(double_quoted)


#: keys whose all-string lists are written in flow style (argv-like)
_FLOW_KEYS = ("test", "command", "entrypoint")


def yaml_block(value: Any, level: int) -> str:
    """A mapping or list as block YAML at indentation ``level`` (two spaces each), each entry
    on its own line starting with a newline; every scalar through ``q``, empty containers as
    ``{}`` / ``[]``, all-string ``test``/``command``/``entrypoint`` lists in flow style.

    The ``block`` macro of ``_nodes.yml.j2`` calls it (as the filter ``yaml_block``): written
    in Python because a macro per node made rendering a 1,000-service stack take a second.

    Args:
        value: a mapping or a sequence (not a string) of scalars, mappings and sequences.
        level: indentation level of the entries.

    Returns:
        The YAML text, starting with a newline; `` {}`` / `` []`` for an empty container
        (a key followed by nothing would read back as null).

    Raises:
        TypeError: a value that is neither a container nor a scalar ``q`` can write.
    """
    shape = _shape(value)
    if not value and shape is not _SCALAR:
        return " {}" if shape is _MAP else " []"
    out: list[str] = []
    _block(value, level, out)
    return "".join(out)


def _is_list(value: Any) -> bool:
    return not isinstance(value, str) and bool(test_sequence(value))


_MAP, _LIST, _SCALAR = "map", "list", "scalar"
_SCALAR_TYPES: frozenset[type] = frozenset({str, int, bool, float, type(None)})


def _shape(value: Any) -> str:
    """Whether ``value`` is written as a mapping, a list or a scalar: the types data is made
    of by their type alone (a 1,000-service stack has 70,000 values), others as Jinja sees
    them (a mapping first, then anything with a length and items)."""
    kind = type(value)
    if kind is dict:
        return _MAP
    if kind is list or kind is tuple:
        return _LIST
    if kind in _SCALAR_TYPES:
        return _SCALAR
    if isinstance(value, Mapping):
        return _MAP
    return _LIST if _is_list(value) else _SCALAR


#: the shape of each type most data is made of (see _shape), looked up at once
_SHAPE_OF: dict[type, str] = {dict: _MAP, list: _LIST, tuple: _LIST}
_SHAPE_OF.update((kind, _SCALAR) for kind in _SCALAR_TYPES)


def _block(value: Any, level: int, out: list[str], quoted: bool = False) -> None:
    # the hot loop of rendering a large stack: the common cases (text, a type of
    # _SHAPE_OF) first, each entry appended as one string
    pad = "\n" + "  " * level
    if (_SHAPE_OF.get(type(value)) or _shape(value)) is _MAP:
        for key, item in value.items():
            # text through quote's cache at once (most keys and values are text)
            name = quote_text(key) if type(key) is str else quote(key)
            kind = type(item)
            if kind is str:
                out.append(f"{pad}{name}: {quote_text(item)}")
                continue
            head = f"{pad}{name}:"
            shape = _SHAPE_OF.get(kind) or _shape(item)
            if shape is _MAP:
                if item:
                    out.append(head)
                    _block(item, level + 1, out)
                else:
                    out.append(head + " {}")
            elif shape is _LIST:
                if not item:
                    out.append(head + " []")
                elif key in _FLOW_KEYS and all(isinstance(i, str) for i in item):
                    out.append(f"{head} {_flow(item)}")
                else:
                    out.append(head)
                    # B15: an unquoted 22:22 is the base-60 number 1342 to a YAML 1.1 reader
                    _block(item, level + 1, out, quoted=key == "ports")
            else:
                out.append(f"{head} {quote(item)}")
        return
    for item in value:
        kind = type(item)
        if kind is str:
            out.append(f"{pad}- {_quoted(item) if quoted else quote_text(item)}")
            continue
        shape = _SHAPE_OF.get(kind) or _shape(item)
        if shape is _SCALAR:
            out.append(f"{pad}- {quote(item, quoted)}")
        elif not item:
            out.append(pad + ("- {}" if shape is _MAP else "- []"))
        else:
            nested: list[str] = []
            _block(item, level + 1, nested)
            out.append(f"{pad}- {''.join(nested).strip()}")


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's per-user bytecode cache (``_jinja2-cache-<uid>``, mode 0700, in the system
    temporary directory; entries keyed by template name and file, checked against the
    template's source): templates are compiled once, not on every run, which was a third of a
    small render. A cache that cannot be read or written only costs the compile."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)  # a damaged entry is reset by Jinja itself
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    try:
        return _BytecodeCache()
    except (OSError, RuntimeError):  # no safe per-user directory: compile every time
        return None


class _UserLoader(jinja2.FileSystemLoader):
    """A ``--templates`` folder; remembers the file of every template it gave, so an error can
    be told apart: a user's template failing is bad input, stackgen's own is a bug."""

    def __init__(self, folder: str) -> None:
        super().__init__(folder)
        self.files: set[str] = set()

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        try:
            source, filename, uptodate = super().get_source(environment, template)
        except jinja2.TemplateNotFound:  # an OSError too: stackgen's own is looked up next
            raise
        except UnicodeDecodeError as exc:  # found, but not text: the user's file
            raw = bytes(exc.object)
            line = raw.count(b"\n", 0, exc.start) + 1
            col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            file = os.path.normpath(posixpath.join(self.searchpath[0], template))
            raise InputError.single(file, line, col, "", "the template is not UTF-8 text") from exc
        except OSError as exc:  # found, but unreadable (permissions, a directory race)
            file = os.path.normpath(posixpath.join(self.searchpath[0], template))
            raise InputError.single(
                file, 0, 0, "", f"cannot read the template: {exc.strerror}"
            ) from exc
        self.files.add(filename)
        return source, filename, uptodate


@cache
def environment(user_dir: str | None = None, cwd: str | None = None) -> jinja2.Environment:
    """Build (once per ``user_dir``) the Jinja environment.

    Args:
        user_dir: a directory whose templates override stackgen's own, or None.
        cwd: the working directory a relative ``user_dir`` is in (only a cache key: the same
            relative name in another directory is another folder, whose templates Jinja's
            template cache must not mix up).

    Returns:
        A :class:`jinja2.Environment` with filters ``q`` (quote one scalar), ``flow`` (argv
        list in flow style), ``yaml_block`` (:func:`yaml_block`) and ``comment`` (text safe
        inside a comment line).
    """
    loaders: list[jinja2.BaseLoader] = []
    if user_dir:
        loaders.append(_UserLoader(user_dir))
    loaders.append(jinja2.FunctionLoader(_package_source))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["q"] = quote
    env.filters["flow"] = _flow
    env.filters["yaml_block"] = yaml_block
    env.filters["comment"] = printable
    env.filters["shellquote"] = shlex.quote
    return env


def user_files(names: Iterable[str], user_dir: Path | None) -> list[str]:
    """The files of ``user_dir`` that replace the templates ``names`` (as the loader names
    them: ``DIR/NAME`` with DIR as given), in the order of ``names``; empty without
    ``user_dir``."""
    if user_dir is None:
        return []
    return [posixpath.join(str(user_dir), name) for name in names if (user_dir / name).is_file()]


def render_template(name: str, context: dict[str, Any], user_dir: Path | None = None) -> str:
    """Render template ``name`` with ``context``.

    Raises:
        InputError: a template from ``user_dir`` failed (the user's input: exit 2), as
            ``DIR/NAME:LINE:0: template error: message``: any error raised while one of the
            user's templates runs (a syntax error, an undefined name, ``1/0``, a wrong type
            handed to a filter), at the innermost line of the user's templates.
        TemplateError: one of stackgen's own templates failed on its own (a bug: exit 3),
            naming the template and line.
    """
    relative = user_dir is not None and not user_dir.is_absolute()
    env = environment(str(user_dir) if user_dir else None, os.getcwd() if relative else None)
    try:
        template = env.get_template(name)
        # what Template.render does, with the globals as a plain dict: Jinja copies them
        # from a ChainMap twice per render, most of the cost of rendering a kind partial
        ctx = new_context(env, template.name, template.blocks, context, False, _globals(template))
        try:
            return env.concat(template.root_render_func(ctx))
        except Exception:
            env.handle_exception()  # as Template.render: the traceback names template lines
    except jinja2.TemplateSyntaxError as exc:
        message = exc.message or ""
        frames = [(exc.filename or exc.name or name, exc.lineno or 0)]
    except InputError:  # a user's template that cannot be read (see _UserLoader)
        raise
    except RecursionError as exc:  # a macro calling itself without end
        message, frames = "templates call each other without end", _template_frames(exc)
    except jinja2.TemplateError as exc:
        message, frames = str(exc), _template_frames(exc)
    except Exception as exc:  # what a template runs can raise anything
        message, frames = f"{exc} ({type(exc).__name__})", _template_frames(exc)
    mine = _user_loader(env)
    blamed = [frame for frame in frames if mine is not None and frame[0] in mine.files]
    if blamed:
        where, line = blamed[-1]  # the innermost line the user wrote
        raise InputError.single(where, line, 0, "", f"template error: {message}")
    where, line = frames[-1] if frames else (name, 0)
    raise TemplateError(f"{where}:{line}: {message}")


#: template → its globals as one dict (weak: a template Jinja reloads is a new object)
_GLOBALS: weakref.WeakKeyDictionary[jinja2.Template, dict[str, Any]] = weakref.WeakKeyDictionary()


def _globals(template: jinja2.Template) -> dict[str, Any]:
    """``template.globals`` (a ChainMap over the environment's) as a dict, made once per
    template: no environment's globals change once :func:`environment` made it, and no
    template is loaded with globals of its own."""
    found = _GLOBALS.get(template)
    if found is None:
        found = _GLOBALS[template] = dict(template.globals)
    return found


def _user_loader(env: jinja2.Environment) -> _UserLoader | None:
    loader = env.loader
    if isinstance(loader, jinja2.ChoiceLoader) and isinstance(loader.loaders[0], _UserLoader):
        return loader.loaders[0]
    return None


def _template_frames(exc: BaseException) -> list[tuple[str, int]]:
    """The template frames of a Jinja error, outermost first, as (file, line) (Jinja rewrites
    the traceback so that a frame of a compiled template names its file and template line)."""
    tb = exc.__traceback__
    found = []
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found.append((filename, tb.tb_lineno))
        tb = tb.tb_next
    return found


def rendered_text_problems(exc: InputError, files: Sequence[str]) -> InputError:
    """The problems a reader found in text a user's templates rendered (a YAML syntax error, a
    duplicate key), moved to the template: ``DIR/NAME: path: line L, column C of the rendered
    output: message``. The line is one of the output, which no template line maps to
    one-to-one, so the diagnostic carries no position of its own and says whose line it is.

    Args:
        exc: what reading the rendered text raised (positions in the rendered text).
        files: the user's template files in use, the one to name first.

    Returns:
        An InputError (exit 2) with one diagnostic per problem of ``exc``.
    """
    whose = (
        "its rendered output"
        if len(files) == 1
        else "the output rendered by " + " and ".join(files)
    )
    out = []
    for d in exc.diagnostics:
        where = (
            f"line {d.line}, column {d.col} of {whose} (not a template line)" if d.line else whose
        )
        out.append(Diagnostic(files[0], 0, 0, d.path, f"{where}: {d.message}"))
    return InputError(out)

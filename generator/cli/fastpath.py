"""The commands people run most, without the CLI framework (issue 19, cold start).

``stackgen render …``, ``stackgen check …`` and ``stackgen diff …`` with plain, valid options
are parsed here and run directly: importing typer and building its command (a pydantic converter per option)
cost more start-up time than a small render itself. Anything this strict parser does not
recognise as valid (help, completion, an unknown or malformed option, a missing argument, a
value outside its choices, a path typer would refuse) is left to the typer app
(:mod:`stackgen.cli.typer_app`), which owns every usage message, so behaviour, help and error
output are typer's in every case. What is accepted here is parsed as click parses it: long
options as ``--name value`` or ``--name=value``, ``-o value``, options between arguments,
``--`` ending the options, the last value of a repeated option winning (``--set``
collecting every one).
"""

from __future__ import annotations

import errno
import importlib
import os
import stat
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple, NoReturn

from ..choices import (
    CHECK_FORMATS,
    DIFF_FORMATS,
    GRAPH_SIDES,
    KUBERNETES_REPORT_FORMATS,
    LEFT_TYPES,
    TARGETS,
)
from .console import COLOR_CHOICES

# read-only, shared by the specs that leave a table empty
_NONE: Mapping[str, Any] = MappingProxyType({})


# a named tuple, not a dataclass: cheaper to build at import (every command's start-up)
class Spec(NamedTuple):
    """One command's options as typer declares them (keep in step with its ``*_cmd`` module).

    Attributes:
        run: ``module:function`` in :mod:`stackgen.cli` that runs the command; it takes the
            parameters below as keyword arguments and returns the exit status.
        arguments: the parameter collecting the positional arguments (one or more paths).
        flags: option → parameter set to True when the option is given.
        values: option → parameter taking the option's value (the last one given).
        multi: option → parameter collecting every value given, in order.
        choices: parameter → the values it accepts.
        paths: parameters converted to :class:`~pathlib.Path` (each item of a ``multi`` one).
        folders: path parameters that must name an existing folder.
        unset_multi_empty: an unset ``multi`` option is an empty list (typer's for a list
            default); False: left out (typer's None default for ``list[...] | None``).
        accepts: whether typer's command would run with these parsed options rather than
            raise a usage error of its own (checks beyond the choices above); None: always.
    """

    run: str
    arguments: str
    flags: Mapping[str, str] = _NONE
    values: Mapping[str, str] = _NONE
    multi: Mapping[str, str] = _NONE
    choices: Mapping[str, tuple[str, ...]] = _NONE
    paths: frozenset[str] = frozenset()
    folders: frozenset[str] = frozenset()
    unset_multi_empty: bool = True
    accepts: Callable[[dict[str, Any]], bool] | None = None


def _render_accepts(found: dict[str, Any]) -> bool:
    # stackgen.cli.render_cmd's own usage error: --check with -o -
    return not (found.get("check") and found.get("output") == "-")


#: stackgen.cli.render_cmd
RENDER = Spec(
    run="render_run:run_render",
    arguments="profiles",
    flags={"--check": "check", "--force": "force"},
    values={
        "-o": "output",
        "--output": "output",
        "--templates": "templates",
        "--target": "only",
        "--report": "report",
        "--color": "color",
    },
    multi={"--set": "sets"},
    choices={"only": TARGETS, "report": KUBERNETES_REPORT_FORMATS, "color": COLOR_CHOICES},
    paths=frozenset({"templates"}),
    folders=frozenset({"templates"}),
    accepts=_render_accepts,
)
#: stackgen.cli.check_cmd
CHECK = Spec(
    run="check_run:run_check",
    arguments="files",
    values={
        "--format": "fmt",
        "--env-file": "env_file",
        "--type": "input_type",
        "--color": "color",
    },
    choices={"fmt": CHECK_FORMATS, "input_type": LEFT_TYPES, "color": COLOR_CHOICES},
    paths=frozenset({"env_file"}),
)


def _diff_accepts(found: dict[str, Any]) -> bool:
    # stackgen.cli.diff_cmd's own usage errors: --graph without markdown, no RIGHT file
    if found.get("graph") is not None and found.get("fmt", "text") != "markdown":
        return False
    return len(found["paths"]) > 1 or "more_left" in found


#: stackgen.cli.diff_cmd
DIFF = Spec(
    run="diff_run:run_fast",
    arguments="paths",
    flags={"--show-secrets": "show_secrets", "--no-accepted": "no_accepted"},
    values={
        "--format": "fmt",
        "--fail-on": "fail_on",
        "--env-file": "env_file",
        "--left-type": "left_type",
        "--right-type": "right_type",
        "--graph": "graph",
        "--accepted": "accepted_file",
        "--color": "color",
    },
    multi={"--left": "more_left", "--ignore": "ignore", "--set": "sets", "--accept": "accept"},
    choices={
        "fmt": DIFF_FORMATS,
        "left_type": LEFT_TYPES,
        "right_type": LEFT_TYPES,
        "graph": GRAPH_SIDES,
        "color": COLOR_CHOICES,
    },
    paths=frozenset({"env_file", "accepted_file", "more_left"}),
    unset_multi_empty=False,
    accepts=_diff_accepts,
)
SPECS = {"render": RENDER, "check": CHECK, "diff": DIFF}


def _path(value: str, folder: bool) -> Path | None:
    """``value`` as typer converts a ``Path`` parameter, or None where typer would refuse it
    (an existing path that is not readable; for ``folder``, a missing path or a file)."""
    path = Path(value)
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None if folder else path
    if folder and stat.S_ISREG(mode):
        return None
    return path if os.access(path, os.R_OK) else None


def parse(args: list[str], spec: Spec) -> dict[str, Any] | None:
    """The keyword arguments of ``spec.run`` for the command's arguments ``args`` (after the
    command name), or None when typer has to parse them (see the module's docstring).

    Options not given are left out (the function's defaults are typer's); ``spec.arguments``
    is a list of paths, ``spec.multi`` parameters lists of strings.
    """
    found: dict[str, Any] = {name: [] for name in spec.multi.values()}
    positional: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            positional.extend(rest)
            break
        if not arg.startswith("-"):
            positional.append(arg)
            continue
        name, eq, value = arg.partition("=")
        if name in spec.flags and not eq:
            found[spec.flags[name]] = True
            continue
        if name not in spec.values and name not in spec.multi:
            return None  # help, an unknown option, a flag given a value, -ovalue
        if not eq:
            given = next(rest, None)
            if given is None or (given.startswith("-") and given != "-"):
                return None  # click may read it as a value; its messages are typer's
            value = given
        elif not name.startswith("--"):
            return None  # -o=x: click reads the value "=x"
        if name in spec.multi:
            found[spec.multi[name]].append(value)
        else:
            found[spec.values[name]] = value
    if not positional:
        return None
    for param, allowed in spec.choices.items():
        if param in found and found[param] not in allowed:
            return None
    for param in spec.paths:
        if param not in found:
            continue
        given = found[param]
        if isinstance(given, list):
            found[param] = [_path(p, folder=param in spec.folders) for p in given]
            if None in found[param]:
                return None
            continue
        found[param] = _path(given, param in spec.folders)
        if found[param] is None:
            return None
    arguments = [_path(p, folder=False) for p in positional]
    if None in arguments:
        return None
    found[spec.arguments] = arguments
    if not spec.unset_multi_empty:
        for param in spec.multi.values():
            if not found[param]:
                del found[param]
    if spec.accepts is not None and not spec.accepts(found):
        return None
    return found


def run(args: list[str]) -> None:
    """Run ``args`` (the command line after ``stackgen``; ``--debug`` already taken out) here
    when it is a command of :data:`SPECS` this module parses; exits with the command's exit
    status as click's standalone mode does (0 included). Returns without doing anything
    otherwise: the typer app is to run it.

    Raises:
        Whatever the command raises but click would turn into an exit status: stackgen's
        errors and internal errors, for the caller to report.
    """
    if not args or args[0] not in SPECS or "_STACKGEN_COMPLETE" in os.environ:
        return
    spec = SPECS[args[0]]
    kwargs = parse(args[1:], spec)
    if kwargs is None:
        return
    module, _, function = spec.run.partition(":")
    command: Callable[..., int] = getattr(
        importlib.import_module(f"{__package__}.{module}"), function
    )
    try:
        code = command(**kwargs)
    except KeyboardInterrupt:
        sys.exit(130)  # typer's standalone mode: Exit(130)
    except EOFError:
        _abort()
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        _broken_pipe()
    sys.exit(code)


def _abort() -> NoReturn:
    # typer's standalone mode: an empty line, then "Aborted!" (rich's when the app would
    # use rich: stdout a terminal, stackgen.cli.typer_app), exit 1
    from typer import core, echo

    echo(file=sys.stderr)
    if core.HAS_RICH and sys.stdout.isatty():
        from typer import rich_utils

        rich_utils.rich_abort_error()
    else:
        echo("Aborted!", file=sys.stderr)
    sys.exit(1)


def _broken_pipe() -> NoReturn:
    # click's standalone mode: the reader went away; flushing the streams again at exit
    # must not raise once more
    from typer._click.utils import PacifyFlushWrapper

    sys.stdout = PacifyFlushWrapper(sys.stdout)
    sys.stderr = PacifyFlushWrapper(sys.stderr)
    sys.exit(1)

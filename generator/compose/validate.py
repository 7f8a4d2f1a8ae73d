"""Reading compose files as docker compose would accept them: is it a compose file, is it valid against the compose-spec schema, and the files merged like docker compose -f a -f b."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from ..diff.inputs import profile_evidence
from ..errors import Diagnostic, InputError
from ..yamlio.nodes import Document, Mark, Path_, Tagged, dotted, nearest_mark, value_at
from . import schema as compose
from .include import apply_includes
from .merge import Sourced, merge_files
from .port_rules import port_errors
from .readable import value_errors
from .reader import read_compose
from .template_rules import template_errors


def _mark(source: Sourced, path: Path_) -> Mark:
    return nearest_mark(source.marks, path, source.file)


def check_compose(source: Sourced, *, first: bool, side: str = "RIGHT") -> None:
    """Check that one file read for a diff is a compose file.

    Args:
        source: the file as read (:func:`stackgen.compose.reader.read_compose`).
        first: it is the first (base) file of its side; only that one must hold ``services``
            (later files are ``-f`` overrides and may hold only, say, ``volumes``).
        side: ``RIGHT``, ``LEFT`` (a compose LEFT forced with ``--left-type compose``),
            ``check`` (a file ``stackgen check`` reads as compose) or another word (``input``:
            the files of ``stackgen graph``), for the messages: each names the fix that fits
            the command that ran.

    Raises:
        InputError: ``file:line:col: path: message``: a stackgen profile; an empty file; a
            base file without a ``services`` mapping.
    """
    data = source.data
    evidence = profile_evidence(data, any_unknown_top_level=False)
    if evidence is not None:
        path, why = evidence
        where = _mark(source, path)
        advice = {
            "RIGHT": "a profile can only be a side's first file (not with --right-type compose)",
            "LEFT": "drop --left-type compose",
            "check": "drop --type compose or use --type profile",
        }.get(side, "give a profile on its own")
        raise InputError.single(
            where.file,
            where.line,
            where.col,
            dotted(path),
            f"looks like a stackgen profile ({why}); {advice}",
        )
    if not data:
        raise InputError.single(
            source.file, 1, 1, "services", "empty file; a compose file needs a services mapping"
        )
    if not first:
        return
    if "services" not in data:
        raise InputError.single(
            source.file,
            1,
            1,
            "services",
            f"missing; a compose file needs a services mapping (top-level keys here: "
            f"{', '.join(map(str, data))})",
        )
    if not isinstance(data["services"], Mapping):
        where = _mark(source, ("services",))
        raise InputError.single(
            where.file, where.line, where.col, "services", "must be a mapping of services"
        )


#: how a warning of :func:`validate_compose` ends (a value docker compose rejects)
AS_WRITTEN_NOTE = "(docker compose rejects this; compared as written)"
#: how it ends for a repeat docker compose accepts (it drops or keeps the repeat itself)
REPEAT_ACCEPTED_NOTE = "(docker compose accepts the repeat; compared as written)"
#: service list fields in which Docker Compose v2 (2.40) refuses a repeated entry; it accepts
#: repeats in every other list (``environment``, ``ports``, ``volumes`` …). Probed with the
#: real binary, field by field (``tests/hardening/test_compose_repeats.py``).
REPEATS_REFUSED = frozenset(
    {
        "depends_on",
        "device_cgroup_rules",
        "external_links",
        "extra_hosts",
        "group_add",
        "networks",
        "security_opt",
        "volumes_from",
    }
)


def rejected(warning: Diagnostic) -> bool:
    """Whether a warning of :func:`validate_compose` is a value docker compose rejects (an
    unknown key, a refused repeat), as opposed to a repeat it accepts."""
    return warning.message.endswith(AS_WRITTEN_NOTE)


def _note(path: Path_, only_repeats: bool) -> str:
    """The note a lenient schema error ends with: whether docker compose accepts it."""
    field = path[2] if len(path) == 3 and path[0] == "services" else None
    if only_repeats and field not in REPEATS_REFUSED:
        return REPEAT_ACCEPTED_NOTE
    return AS_WRITTEN_NOTE


#: schema errors the diff reports better itself: unknown keys (compared as written) and
#: repeated list entries (B38: each repetition is a change)
_LENIENT_KINDS = frozenset({"AdditionalProperties", "UnevaluatedProperties", "UniqueItems"})
_ALTERNATIVE_KINDS = frozenset({"OneOfNotValid", "AnyOf"})


def _lenient(error: Any) -> bool:
    """Whether a jsonschema-rs error is only of a :data:`_LENIENT_KINDS` kind (for a
    ``oneOf``/``anyOf``: some alternative fails on nothing else)."""
    kind = type(error.kind).__name__
    if kind in _LENIENT_KINDS:
        return True
    if kind in _ALTERNATIVE_KINDS:
        branches = getattr(error.kind, "context", None) or []
        return any(branch and all(map(_lenient, branch)) for branch in branches)
    return False


def _only_repeats(error: Any) -> bool:
    """Whether a lenient error (:func:`_lenient`) is only repeated list entries."""
    kind = type(error.kind).__name__
    if kind in _LENIENT_KINDS:
        return kind == "UniqueItems"
    branches = getattr(error.kind, "context", None) or []
    return any(
        branch and all(map(_lenient, branch)) and all(map(_only_repeats, branch))
        for branch in branches
    )


def _explain(error: Any) -> str:
    """The lenient messages behind an error for which :func:`_lenient` is true."""
    if type(error.kind).__name__ == "UniqueItems" and isinstance(error.instance, list):
        return _repeated(error.instance)
    if type(error.kind).__name__ in _LENIENT_KINDS:
        return compose.error_message(error)
    for branch in getattr(error.kind, "context", None) or []:
        if branch and all(map(_lenient, branch)):
            return "; ".join(_explain(e) for e in branch)
    return compose.error_message(error)


def _repeated(items: list[Any]) -> str:
    """``lists JIRA_CLIENT_ID twice`` for a list with repeated entries (B19). A ``KEY=VALUE``
    entry is named by its KEY only: the value may be a secret."""
    counts: dict[str, int] = {}
    for item in items:
        name = item.partition("=")[0] if isinstance(item, str) else json.dumps(item, default=str)
        counts[name] = counts.get(name, 0) + 1
    times = {2: "twice"}
    parts = [f"{name} {times.get(n, f'{n} times')}" for name, n in counts.items() if n > 1]
    return "lists " + ", ".join(parts)


#: what the loader makes of a scalar: :func:`_schema_view` keeps these as they are
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _schema_view(value: Any) -> Any:
    """``value`` as the schema sees it: ``!reset`` entries dropped, ``!override`` unwrapped,
    keys as text. Copy on write: a mapping or list in which nothing changes is returned
    itself (a file without tags, with text keys as the loader makes them, is not copied)."""
    if isinstance(value, str):  # most nodes: skip the (slower) Tagged and Mapping checks
        return value
    if isinstance(value, Tagged):
        return _schema_view(value.value)
    if type(value) is dict:
        out: dict[str, Any] | None = None
        for index, (key, item) in enumerate(value.items()):
            if type(key) is str and type(item) in _SCALARS:
                if out is not None:
                    out[key] = item
                continue  # a scalar under a text key: as it is
            reset = isinstance(item, Tagged) and item.tag == "!reset"
            new = None if reset else _schema_view(item)
            if out is None and (reset or new is not item or type(key) is not str):
                out = dict(islice(value.items(), index))  # (all unchanged so far)
            if out is not None and not reset:
                out[str(key)] = new
        return value if out is None else out
    if isinstance(value, Mapping):
        return {
            str(k): _schema_view(v)
            for k, v in value.items()
            if not (isinstance(v, Tagged) and v.tag == "!reset")
        }
    if isinstance(value, list):
        items: list[Any] | None = None
        for index, item in enumerate(value):
            if type(item) in _SCALARS:
                if items is not None:
                    items.append(item)
                continue
            reset = isinstance(item, Tagged) and item.tag == "!reset"
            new = None if reset else _schema_view(item)
            if items is None and (reset or new is not item):
                items = value[:index]
            if items is not None and not reset:
                items.append(new)
        return value if items is None else items
    return value


def _holds_non_finite(value: Any) -> bool:
    """Whether a float infinity or NaN stands anywhere in ``value``."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, Mapping):
        return any(_holds_non_finite(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_non_finite(v) for v in value)
    return False


def _finite(value: Any) -> Any:
    """A copy of ``value`` with every infinity or NaN as 0.0 (for the schema only)."""
    if isinstance(value, float) and not math.isfinite(value):
        return 0.0
    if isinstance(value, Mapping):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _holds_variable(value: Any) -> bool:
    """Whether ``value`` (or a string anywhere inside it) holds ``$`` (interpolation)."""
    if isinstance(value, str):
        return "$" in value
    if isinstance(value, Mapping):
        return any(_holds_variable(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_variable(v) for v in value)
    return False


def validate_compose(source: Sourced) -> list[Diagnostic]:
    """Validate one compose file, as written, against the compose-spec schema
    (:func:`stackgen.compose.schema.schema_errors`; override files are partial, which the schema
    allows: it requires no key).

    Values holding ``$`` are not checked: ``${RETRIES}`` or ``"${PORT}:80"`` get their type
    only after interpolation, so an error at a path whose value (or a string inside it) holds
    ``$`` is left out; but text compose cannot interpolate at all (``${X``, ``${1X}``) is an
    error (:mod:`stackgen.compose.template_rules`). Keys the schema does not know (an extension without ``x-``, such as
    Coolify's volume ``content``) and repeated list entries are warnings, not errors: the
    diff compares them as written and reports each repetition (B38). Durations and sizes
    compose could not parse (``interval: soon``) are errors too, though the schema only says
    ``string``, and so are short-syntax ports compose cannot read (``99999:80``:
    :mod:`stackgen.compose.port_rules`).

    Args:
        source: one file as read (:func:`stackgen.compose.reader.read_compose`); its ``written`` data
            is validated (``data`` when ``written`` is None).

    Returns:
        Warnings: ``file:line:col: path: …`` for each unknown key or repeated entry.

    Raises:
        InputError: every other schema error, one ``file:line:col: path: message`` each
            (position of the path's node in that file).
    """
    written = source.data if source.written is None else source.written
    # a file without tags (text keys only, as the loader makes them) is its own view
    view = written if source.untagged else _schema_view(written)
    if isinstance(view, Mapping) and "include" in view:
        # compose reads include before its schema check and drops it (an entry's unknown
        # keys, an empty include are no error): stackgen.compose.include reads it
        view = {k: v for k, v in view.items() if k != "include"}
    errors = compose.schema_errors(view)
    if errors and _holds_non_finite(view):
        # JSON has no infinity or NaN: the validator would see null where compose reads a
        # number (environment A: .inf is "+Inf" to compose), so they stand as 0.0 for it
        errors = compose.schema_errors(_finite(view))
    errors += [
        e for e in value_errors(view) + port_errors(view) if not any(p == e[0] for p, _ in errors)
    ]
    # text compose cannot interpolate: refused before anything else reads it
    refused = [
        Diagnostic(where.file, where.line, where.col, dotted(path), message)
        for path, message in template_errors(view)
        for where in (_mark(source, path),)
    ]
    if refused:
        raise InputError(refused)
    interpolated: list[Diagnostic] = []
    if source.written is not None and source.data is not source.written:
        # the file as interpolated (its variables known: --env-file, the .env beside it):
        # a value that holds $ as written is judged as compose reads it (${P}:80, P=99999)
        for path, message in value_errors(source.data) + port_errors(source.data):
            if _holds_variable(value_at(view, path)):
                where = _mark(source, path)
                text = f"{message} (after interpolation)"
                interpolated.append(
                    Diagnostic(where.file, where.line, where.col, dotted(path), text)
                )
    if interpolated:
        raise InputError(interpolated)
    if not errors:
        return []
    lenient = {
        (tuple(e.instance_path), compose.error_message(e)): (
            f"{_explain(e)} {_note(tuple(e.instance_path), _only_repeats(e))}"
        )
        for e in compose.validator().iter_errors(view)
        if _lenient(e)
    }
    problems: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    for path, message in errors:
        if _holds_variable(value_at(view, path)):
            continue
        where = _mark(source, path)
        if (path, message) in lenient:
            text = lenient[path, message]
            warnings.append(Diagnostic(where.file, where.line, where.col, dotted(path), text))
        else:
            problems.append(Diagnostic(where.file, where.line, where.col, dotted(path), message))
    if problems:
        raise InputError(problems)
    return warnings


def read_model(
    paths: Sequence[Path],
    env: dict[str, str] | None = None,
    *,
    side: str = "RIGHT",
    parsed: Document | None = None,
    first_is_base: bool = True,
) -> tuple[Sourced, list[Diagnostic]]:
    """Read compose files, check each (:func:`check_compose`, then :func:`validate_compose`),
    bring in what each includes (:mod:`stackgen.compose.include`), merge them like
    ``docker compose -f a -f b``.

    Args:
        paths: compose files, in ``-f`` order.
        env: ``--env-file`` variables (None keeps ``${VAR}`` literally).
        side: ``RIGHT``, ``LEFT``, ``check`` or ``input``, for messages (:func:`check_compose`).
        parsed: the first file as already parsed (``stackgen.diff.inputs.LeftType.doc``): not
            read again.
        first_is_base: the first file is a base (must hold ``services``); False when every
            file overrides a base read elsewhere (a profile rendered in memory).

    Returns:
        The effective model with positions, and warnings.

    Raises:
        InputError: see :func:`stackgen.compose.reader.read_compose`, :func:`check_compose` and
            :func:`validate_compose` (a file that breaks the compose-spec schema).
    """

    def read_one(
        path: Path, env: Mapping[str, str] | None, first: bool, parsed: Document | None = None
    ) -> tuple[Sourced, list[Diagnostic]]:
        source, found = read_compose(path, env=env, parsed=parsed)
        check_compose(source, first=first, side=side)
        return source, validate_compose(source) + found

    files: list[Sourced] = []
    warnings: list[Diagnostic] = []
    for index, path in enumerate(paths):
        first = index == 0
        source, found = read_one(path, env, first_is_base and first, parsed if first else None)
        warnings.extend(found)
        # an included file need not hold services (it may bring only volumes)
        source, found = apply_includes(
            source,
            path.parent,
            env,
            lambda p, e, _first: read_one(p, e, False),
            (path.resolve(),),
        )
        files.append(source)
        warnings.extend(found)
    merged, found = merge_files(files)
    return merged, warnings + found

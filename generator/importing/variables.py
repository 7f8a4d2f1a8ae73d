"""Import, the project's variables: ``${VAR}`` resolved with the ``.env`` as compose does.

The one rule (``docs/import.md``, "Variables"): in every value compose interpolates (any field
of any service, and the top-level sections; keys are never interpolated), a reference to a
variable the project's ``.env`` (or ``--env-file``) sets is replaced by what compose makes of
it with that file; a reference to a variable the file does not set is kept, for compose to
fill in where the rendered file runs. The rendered file then needs no ``.env`` beside it, and
still takes what the original takes from the environment.

The exception is a variable whose name says secret (:func:`public_env`): its reference is kept
even when the ``.env`` sets it, so its value never reaches the profile, which is meant to be
committed; import names each such variable (:func:`kept_secrets_note`), which the rendered
file needs set where compose runs.

A name without a value in a service's ``environment`` or ``build.args`` takes the variable's
value from the environment compose runs in, the ``.env`` included: one the ``.env`` sets gets
its value the same way (:func:`stackgen.compose.interpolation.fill_bare_names`).

A value that was a reference and no longer is gets the type compose gives it at that key
(``privileged: ${PRIV}`` with ``PRIV=true`` is the boolean true: compose-go's interpolation
casts, ``loader/interpolate.go``), so the profile holds what compose would have read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..compose.interpolation import Reference, scan
from ..compose.merge import Sourced
from ..errors import Diagnostic
from ..output.secret_rule import is_secret_key
from ..yamlio.nodes import Path_, dotted

_NAME = re.compile(r"[_A-Za-z][_A-Za-z0-9]*")
# compose-go's toBoolean; toInt is strconv.Atoi, toFloat strconv.ParseFloat (decimal forms)
_BOOL_TEXT = {
    **dict.fromkeys(("y", "yes", "true", "on"), True),
    **dict.fromkeys(("n", "no", "false", "off"), False),
}
_INT_TEXT = re.compile(r"[-+]?[0-9]{1,19}\Z")
_FLOAT_TEXT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")

# compose-go loader/interpolate.go: the keys whose interpolated text compose converts
# ("*" is any key or list index); every other value stays text
_BOOL, _INT, _FLOAT = "bool", "int", "float"
_CASTS: dict[tuple[str, ...], str] = {
    ("services", "*", "configs", "*", "mode"): _INT,
    ("services", "*", "secrets", "*", "mode"): _INT,
    ("services", "*", "cpu_count"): _INT,
    ("services", "*", "cpu_percent"): _FLOAT,
    ("services", "*", "cpu_period"): _INT,
    ("services", "*", "cpu_quota"): _INT,
    ("services", "*", "cpu_rt_period"): _INT,
    ("services", "*", "cpu_rt_runtime"): _INT,
    ("services", "*", "cpus"): _FLOAT,
    ("services", "*", "cpu_shares"): _INT,
    ("services", "*", "init"): _BOOL,
    ("services", "*", "deploy", "replicas"): _INT,
    ("services", "*", "deploy", "update_config", "parallelism"): _INT,
    ("services", "*", "deploy", "update_config", "max_failure_ratio"): _FLOAT,
    ("services", "*", "deploy", "rollback_config", "parallelism"): _INT,
    ("services", "*", "deploy", "rollback_config", "max_failure_ratio"): _FLOAT,
    ("services", "*", "deploy", "restart_policy", "max_attempts"): _INT,
    ("services", "*", "deploy", "placement", "max_replicas_per_node"): _INT,
    ("services", "*", "healthcheck", "retries"): _INT,
    ("services", "*", "healthcheck", "disable"): _BOOL,
    ("services", "*", "oom_kill_disable"): _BOOL,
    ("services", "*", "oom_score_adj"): _INT,
    ("services", "*", "pids_limit"): _INT,
    ("services", "*", "ports", "*", "target"): _INT,
    ("services", "*", "privileged"): _BOOL,
    ("services", "*", "read_only"): _BOOL,
    ("services", "*", "scale"): _INT,
    ("services", "*", "stdin_open"): _BOOL,
    ("services", "*", "tty"): _BOOL,
    ("services", "*", "ulimits", "*"): _INT,
    ("services", "*", "ulimits", "*", "hard"): _INT,
    ("services", "*", "ulimits", "*", "soft"): _INT,
    ("services", "*", "depends_on", "*", "restart"): _BOOL,
    ("services", "*", "volumes", "*", "read_only"): _BOOL,
    ("services", "*", "volumes", "*", "volume", "nocopy"): _BOOL,
    ("networks", "*", "external"): _BOOL,
    ("networks", "*", "internal"): _BOOL,
    ("networks", "*", "attachable"): _BOOL,
    ("networks", "*", "enable_ipv6"): _BOOL,
    ("volumes", "*", "external"): _BOOL,
    ("secrets", "*", "external"): _BOOL,
    ("configs", "*", "external"): _BOOL,
}


def resolve_text(text: str, env: Mapping[str, str]) -> str:
    """Compose text with the references to variables of ``env`` replaced by their values.

    Args:
        text: a string as written in a compose file (``$$`` a literal ``$``).
        env: the project's variables.

    Returns:
        Compose text meaning what ``text`` means with ``env``: a reference to a variable of
        ``env`` is its value (``$`` in it written ``$$``); ``${NAME:-default}``, ``:+`` and
        ``:?`` forms evaluated by compose's rules (spec "Interpolation"); a reference to a
        variable ``env`` lacks kept, its default resolved the same way. ``text`` itself
        when it names no variable of ``env``.
    """
    parts = scan(text)
    if not any(isinstance(p, Reference) and _names_known(p.text, env) for p in parts):
        return text
    return "".join(
        _reference(p.text, env) if isinstance(p, Reference) else p.replace("$", "$$") for p in parts
    )


def _names_known(raw: str, env: Mapping[str, str]) -> bool:
    return any(m.group(0) in env for m in _NAME.finditer(raw))


def _reference(raw: str, env: Mapping[str, str]) -> str:
    if not raw.startswith("${"):
        name = raw[1:]
        return env[name].replace("$", "$$") if name in env else "${" + name + "}"
    body = raw[2:-1]
    m = _NAME.match(body)
    if not m:
        return raw
    name, rest = m.group(0), body[m.end() :]
    colon = rest.startswith(":")
    op, arg = (rest[1:2], rest[2:]) if colon else (rest[:1], rest[1:])
    if name not in env:
        if op in ("-", "+", "?"):
            return "${" + name + rest[: len(rest) - len(arg)] + resolve_text(arg, env) + "}"
        return raw
    value = env[name]
    literal = value.replace("$", "$$")
    if not rest:
        return literal
    present = value != "" or not colon
    if op == "-":
        return literal if present else resolve_text(arg, env)
    if op == "+":
        return resolve_text(arg, env) if present else ""
    if op == "?" and present:
        return literal
    return raw  # a required variable that is empty: compose refuses it; left to say so


def resolve_values(value: Any, env: Mapping[str, str], path: Path_ = ()) -> Any:
    """``value`` (a compose mapping as read, or part of it at ``path``) with every string
    resolved by :func:`resolve_text`; a string that held a reference and resolved to plain
    text is typed as compose types it at that key (:data:`_CASTS`). Containers are copied
    only where something changed."""
    if isinstance(value, str):
        out = resolve_text(value, env)
        if out is value or "$" in out:
            return out
        return cast_at(out, path)
    if isinstance(value, list):
        items = [resolve_values(v, env, (*path, i)) for i, v in enumerate(value)]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if isinstance(value, dict):
        found = {k: resolve_values(v, env, (*path, k)) for k, v in value.items()}
        return value if all(found[k] is value[k] for k in value) else found
    return value


def cast_at(text: str, path: Path_) -> Any:
    """``text`` (a value compose interpolated, now free of references) typed as compose types
    it at ``path`` (:data:`_CASTS`: booleans, integers, floats); text elsewhere, or text
    that does not convert (compose refuses that too; the schema check says so)."""
    kind = next((c for p, c in _CASTS.items() if _matches(p, path)), None)
    # text that does not convert stays text: compose refuses it too, and the schema check
    # says so at its key
    if kind == _BOOL and text.lower() in _BOOL_TEXT:
        return _BOOL_TEXT[text.lower()]
    if kind == _INT and _INT_TEXT.match(text):
        return int(text, 10)
    if kind == _FLOAT and _FLOAT_TEXT.match(text):
        return float(text)
    return text


def _matches(pattern: tuple[str, ...], path: Path_) -> bool:
    return len(pattern) == len(path) and all(
        p == "*" or p == str(k) for p, k in zip(pattern, path, strict=True)
    )


def unset_names(text: str, env: Mapping[str, str]) -> list[str]:
    """The variables ``text`` refers to that ``env`` does not set, in order (for warnings)."""
    out: list[str] = []
    for part in scan(text):
        if isinstance(part, Reference):
            m = _NAME.match(part.braced[2:-1])
            if m and m.group(0) not in env and m.group(0) not in out:
                out.append(m.group(0))
    return out


def profiles_note(
    source: Sourced, services: Mapping[str, Any], env: Mapping[str, str]
) -> list[Diagnostic]:
    """A warning when the ``.env`` enables compose profiles (``COMPOSE_PROFILES``) that
    services of the files use: that is a choice of which services run, not a value of the
    file, so the profile keeps each service's ``profiles`` and the rendered file runs the same
    services only when given the same choice. At the first such service's ``profiles``."""
    chosen = [p.strip() for p in env.get("COMPOSE_PROFILES", "").split(",") if p.strip()]
    gated = [
        name
        for name, spec in services.items()
        if isinstance(spec, Mapping)
        and isinstance(spec.get("profiles"), list)
        and ("*" in chosen or set(map(str, spec["profiles"])) & set(chosen))
    ]
    if not gated:
        return []
    path: Path_ = ("services", gated[0], "profiles")
    mark = source.mark(path)
    value = ",".join(chosen)
    return [
        Diagnostic(
            mark.file,
            mark.line,
            mark.col,
            dotted(path),
            f"the project's .env enables the compose profiles {value} (COMPOSE_PROFILES) for "
            f"{len(gated)} services; the rendered file runs them when run the same way: "
            f"COMPOSE_PROFILES={value} docker compose up",
        )
    ]


def public_env(env: Mapping[str, str]) -> dict[str, str]:
    """The project's variables whose values import may write into the profile: those whose
    name does not say secret (:func:`stackgen.output.masking.is_secret_key`: ``PASSWORD``,
    ``SECRET``, ``TOKEN``, ``DB_PASS`` and the other names of
    :data:`stackgen.output.secret_rule.SECRET_KEY`). A reference to a secret-named variable stays a reference
    (its default too), and a bare name stays bare, even when ``env`` sets it: the profile is
    meant to be committed, and its value stays where it was, out of the files."""
    return {name: value for name, value in env.items() if not is_secret_key(name)}


def kept_secrets_note(
    source: Sourced, data: Any, env: Mapping[str, str], env_file: str
) -> list[Diagnostic]:
    """One warning per secret-named variable ``env`` sets that ``data`` refers to (kept as a
    reference by :func:`public_env`): the rendered file needs it set where docker compose
    runs. Names only, never values; at the variable's first use in the compose files.

    Args:
        source: the compose files as read (for the positions of the uses).
        data: the compose mapping as written (top-level ``x-`` keys, which the profile drops,
            left out by the caller).
        env: the project's variables; env_file: the ``.env``'s name for the message.
    """
    out: list[Diagnostic] = []
    for name in env:
        if not is_secret_key(name):
            continue
        path = _first_use(name, data)
        if path is None:
            continue
        mark = source.mark(path)
        out.append(
            Diagnostic(
                mark.file,
                mark.line,
                mark.col,
                dotted(path),
                f"{name} is set in {env_file} and its name says secret: the profile keeps the "
                f"reference, not the value; the rendered file needs {name} set where docker "
                "compose runs (in the environment, or an .env beside the rendered file)",
            )
        )
    return out


def _first_use(name: str, value: Any, path: Path_ = ()) -> Path_ | None:
    """The path of the first place ``value`` refers to variable ``name``: a reference, or a
    bare name in ``environment``/``args`` (a list entry, or a key without a value)."""
    if isinstance(value, str):
        bare = value == name and len(path) > 1 and path[-2] in ("environment", "args")
        return path if bare or ("$" in value and _refers(value, name)) else None
    items: list[tuple[Any, Any]] = []
    if isinstance(value, list):
        items = list(enumerate(value))
    elif isinstance(value, dict):
        items = list(value.items())
        if name in value and value[name] is None and path[-1:] in (("environment",), ("args",)):
            return (*path, name)
    for key, item in items:
        found = _first_use(name, item, (*path, key))
        if found is not None:
            return found
    return None


def _refers(text: str, name: str) -> bool:
    for part in scan(text):
        if isinstance(part, Reference):
            m = _NAME.match(part.braced[2:-1])
            if m and m.group(0) == name:
                return True
    return False

"""Compose interpolation (compose spec "Interpolation"): $$ is a literal $, ${VAR}, $VAR and ${VAR:-default} / :? / :+ forms are references."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..yamlio.scalars import closing_brace

_NAME = re.compile(r"[_A-Za-z][_A-Za-z0-9]*")


@dataclass(frozen=True)
class Reference:
    """A variable reference as written: ``${…}`` (with any default/error/alternative) or
    ``$NAME``."""

    text: str

    @property
    def braced(self) -> str:
        """The reference in ``${…}`` form (``$NAME`` and ``${NAME}`` are the same one)."""
        return self.text if self.text.startswith("${") else "${" + self.text[1:] + "}"


def scan(text: str) -> list[str | Reference]:
    """Split compose text into literal text and variable references (compose spec
    "Interpolation"): ``$$`` is a literal ``$``; ``${…}`` (nesting allowed) and ``$NAME`` are
    references; a ``$`` followed by anything else, or an unclosed ``${``, is literal.

    Returns:
        Literal pieces (strings, ``$$`` already as ``$``) and :class:`Reference` items, in order.
    """
    out: list[str | Reference] = []
    i = 0
    while i < len(text):
        if text[i] != "$":
            nxt_dollar = text.find("$", i)
            end = len(text) if nxt_dollar < 0 else nxt_dollar
            out.append(text[i:end])
            i = end
            continue
        nxt = text[i + 1 : i + 2]
        if nxt == "$":
            out.append("$")
            i += 2
        elif nxt == "{" and (end := closing_brace(text, i + 2)) >= 0:
            out.append(Reference(text[i : end + 1]))
            i = end + 1
        elif nxt == "{":
            out.append(text[i:])  # unclosed: compose would refuse it; kept as written
            break
        elif m := _NAME.match(text, i + 1):
            out.append(Reference(text[i : m.end()]))
            i = m.end()
        else:
            out.append("$")
            i += 1
    return out


class _Interpolator:
    """Substitutes one string; ``env`` None keeps references literally."""

    def __init__(self, env: Mapping[str, str] | None) -> None:
        self.env = env
        self.unset: list[str] = []
        self.errors: list[str] = []

    def run(self, text: str) -> str:
        out: list[str] = []
        for part in scan(text):
            if not isinstance(part, Reference):
                out.append(part)
            elif part.text.startswith("${"):
                out.append(self._braced(part.text[2:-1], part.text))
            else:
                out.append(self._lookup(part.text[1:], part.text))
        return "".join(out)

    def _lookup(self, name: str, raw: str) -> str:
        if self.env is None:
            # `$VAR` and `${VAR}` name the same variable (compose spec "Interpolation")
            return raw if raw.startswith("${") else "${" + name + "}"
        if name not in self.env:
            self.unset.append(name)
            return ""
        return self.env[name]

    def _braced(self, body: str, raw: str) -> str:
        m = _NAME.match(body)
        if self.env is None or not m:
            return raw
        name, rest = m.group(0), body[m.end() :]
        if not rest:
            return self._lookup(name, raw)
        value = self.env.get(name)
        colon = rest.startswith(":")
        op, arg = (rest[1:2], rest[2:]) if colon else (rest[:1], rest[1:])
        present = value is not None and (value != "" or not colon)
        if op == "-":
            return value if present and value is not None else self.run(arg)
        if op == "+":
            return self.run(arg) if present else ""
        if op == "?":
            if present and value is not None:
                return value
            self.errors.append(f"required variable {name} is missing a value: {self.run(arg)}")
            return ""
        return raw


def interpolate(text: str, env: Mapping[str, str]) -> str:
    """``text`` with ``${VAR}``/``$VAR`` substituted from ``env`` by the rules above (unset
    without default → ``""``; ``${VAR:?err}`` unset → ``""`` too: the caller only peeks)."""
    return _Interpolator(env).run(text)


def fill_bare_names(data: Any, env: Mapping[str, str], *, escape: bool) -> Any:
    """A compose mapping with each name given without a value in a service's ``environment``
    or ``build.args`` (``- KEY``, ``KEY:``) set from ``env`` when ``env`` has it: compose takes
    such a value from the environment it runs in, the project's ``.env`` included (compose spec
    "environment" and "build" ``args``). Names ``env`` lacks stay bare.

    Args:
        data: the compose mapping (a copy is made only where something changes).
        env: the project's variables.
        escape: write ``$`` as ``$$`` (``data`` is compose text, not yet interpolated).

    Returns:
        ``data``, or a copy with the names filled in.
    """
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict):
        return data
    out: dict[str, Any] = {}
    for name, spec in services.items():
        new = spec
        if isinstance(spec, dict):
            env_value = _filled(spec.get("environment"), env, escape)
            build = spec.get("build")
            args = _filled(build.get("args"), env, escape) if isinstance(build, dict) else None
            if env_value is not None or args is not None:
                new = dict(spec)
                if env_value is not None:
                    new["environment"] = env_value
                if args is not None:
                    new["build"] = {**spec["build"], "args": args}
        out[name] = new
    if all(out[k] is services[k] for k in services):
        return data
    return {**data, "services": out}


def _filled(value: Any, env: Mapping[str, str], escape: bool) -> Any:
    """``value`` (list or map form) with bare names filled in, or None when none is."""

    def text(name: str) -> str:
        return env[name].replace("$", "$$") if escape else env[name]

    if isinstance(value, list):
        items = [
            f"{v}={text(v)}" if isinstance(v, str) and "=" not in v and v in env else v
            for v in value
        ]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else None
    if isinstance(value, dict):
        if not any(v is None and k in env for k, v in value.items()):
            return None
        return {k: text(k) if v is None and k in env else v for k, v in value.items()}
    return None

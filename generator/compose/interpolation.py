"""Compose interpolation (compose spec "Interpolation"): $$ is a literal $, ${VAR}, $VAR and ${VAR:-default} / :? / :+ forms are references."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

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

"""Scalar quoting and ``$`` escaping for the compose text stackgen writes.

Quoting (design.md "Values and $", yamllint's ``truthy`` rule): a string is written plain only
when both a YAML 1.1 reader (PyYAML, old compose) and a YAML 1.2 core reader (compose v2's
``yaml.v3``) read it back as the same string; anything else is double-quoted with JSON-style
escapes, which are valid YAML double-quoted escapes.

Escaping (compose spec "Interpolation"): compose substitutes ``$VAR``/``${VAR}`` in every value
and turns ``$$`` into ``$``.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from .loader import resolve_plain

# Characters that may not start a plain scalar, or change meaning inside one (flow context
# included, since the same filter serves flow lists).
_BAD_START = set("-?:,[]{}#&*!|>'\"%@` \t")
_BAD_ANYWHERE = (": ", " #", ",", "[", "]", "{", "}", "\t")
# YAML 1.1 (PyYAML) implicit types that 1.2 core does not share: bool words, base-60 numbers,
# underscores in numbers, dotted floats without leading digit, dates.
_YAML11_NONSTR = re.compile(
    r"""^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF
    |[-+]?(?:0b[0-1_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)
    |[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
    |[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|~|null|Null|NULL|=|<<
    |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+.*)?)$""",
    re.VERBOSE,
)


def needs_quotes(text: str) -> bool:
    """True when ``text`` written plain would not read back as this exact string."""
    if text == "" or text != text.strip() or "\n" in text or "\r" in text:
        return True
    if text[0] in _BAD_START or text.endswith(":"):
        return True
    if any(token in text for token in _BAD_ANYWHERE):
        return True
    if not text.isprintable():
        return True
    if not isinstance(resolve_plain(text), str):
        return True
    return bool(_YAML11_NONSTR.match(text))


def quote(value: Any) -> str:
    """A YAML scalar for ``value`` that reads back identically under YAML 1.1 and 1.2.

    Args:
        value: None, bool, int, float or str (anything else is a programming error).

    Returns:
        The scalar text, e.g. ``"no"`` → ``'"no"'``, ``8082`` → ``'8082'``, ``None`` → ``'null'``.

    Raises:
        TypeError: for containers or other types.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return _quote_text(value)
    raise TypeError(f"not a scalar: {value!r}")


# stacks repeat most strings (conditions, durations, restart policies, label values)
@lru_cache(maxsize=1 << 16)
def _quote_text(value: str) -> str:
    if not needs_quotes(value):
        return value
    text = json.dumps(value, ensure_ascii=False)
    # YAML readers treat these as line breaks even inside quotes: escape them
    return (
        text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\x85")
    )


_COMPOSE_VAR = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*(?:(?::?[-?+])[^}]*)?\}")


def escape_all(text: str) -> str:
    """Escape every ``$`` (container-side text: healthcheck, command, file content)."""
    return text.replace("$", "$$")


def escape_literal(text: str) -> str:
    """Escape ``$`` except in ``${NAME}``, ``${NAME:-default}`` … which compose interpolates."""
    out, pos = [], 0
    for m in _COMPOSE_VAR.finditer(text):
        out.append(text[pos : m.start()].replace("$", "$$"))
        out.append(m.group(0))
        pos = m.end()
    out.append(text[pos:].replace("$", "$$"))
    return "".join(out)

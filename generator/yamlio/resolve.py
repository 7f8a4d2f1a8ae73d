"""Plain-scalar resolution by the YAML 1.2 core schema (how compose v2 reads a plain value),
and by PyYAML's YAML 1.1 resolver (how older tools read it)."""

from __future__ import annotations

import re
from typing import Any

import yaml

from .limits import MAX_INT_DIGITS

_NULL = re.compile(r"^(?:~|null|Null|NULL|)\Z")
_BOOL_TRUE = re.compile(r"^(?:true|True|TRUE)\Z")
_BOOL_FALSE = re.compile(r"^(?:false|False|FALSE)\Z")
_INT10 = re.compile(r"^[-+]?[0-9]+\Z")
_INT8 = re.compile(r"^0o[0-7]+\Z")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)\Z")
# every non-string form above starts with one of these (or is empty): others skip the regexes
_NON_STRING_START = frozenset("~nNtTfF-+.0123456789")


def resolve_plain(text: str) -> Any:
    """Resolve a plain (unquoted) scalar by the YAML 1.2 core schema.

    Args:
        text: the scalar's source text.

    Returns:
        None, bool, int, float or the text itself.

    Raises:
        ValueError: a decimal integer longer than :data:`MAX_INT_DIGITS` digits.
    """
    if text and text[0] not in _NON_STRING_START:
        return text
    if _NULL.match(text):
        return None
    if _BOOL_TRUE.match(text):
        return True
    if _BOOL_FALSE.match(text):
        return False
    if _INT10.match(text):
        digits = len(text) - (text[0] in "+-")
        if digits > MAX_INT_DIGITS:
            raise ValueError(
                f"an integer of {digits} digits is larger than the {MAX_INT_DIGITS} digits "
                "stackgen reads; quote it if it is text"
            )
        return int(text, 10)
    if _INT8.match(text):
        return int(text[2:], 8)
    if _INT16.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text


_RESOLVER_11 = yaml.resolver.Resolver()


def resolve_plain_11(text: str) -> str:
    """The tag PyYAML's YAML 1.1 resolver gives a plain scalar (``tag:yaml.org,2002:str``,
    ``…:bool``, ``…:int``, ``…:float``, ``…:null``, ``…:timestamp``, ``…:merge``, ``…:value``):
    how a YAML 1.1 reader (older compose, yamllint, Ansible) reads ``text`` written unquoted.
    """
    tag: str = _RESOLVER_11.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return tag

"""Environment values as the model types them: literal text, variable references (with their
defaults), text mixing both, values taken from the host, secrets, compose text.

The profile's ``interpolation`` setting says how a ``$`` is meant (README "Values and ``$``"):
``braced`` reads ``${NAME}``, ``${NAME:-default}`` and the other braced forms of the compose
spec ("Interpolation") as references and every other ``$`` as literal; ``none`` reads every
``$`` as literal; ``verbatim`` leaves the value compose text.
"""

from __future__ import annotations

from ..yamlio.scalars import braced_reference
from .records import (
    ComposeText,
    EnvValue,
    FromHost,
    Interpolation,
    Operator,
    SecretRef,
    Template,
    Text,
    VariableRef,
)


def env_value(value: str | None, *, name: str, mode: Interpolation, secret: bool) -> EnvValue:
    """The typed value of environment variable ``name``.

    Args:
        value: the text the profile (or the catalog) gives; None takes it from the host.
        name: the variable name (names a :class:`SecretRef`).
        mode: the profile's ``interpolation``.
        secret: the variable is secret (:func:`stackgen.output.masking.is_secret_key`).
    """
    if value is None:
        return SecretRef(name) if secret else FromHost()
    if mode == "verbatim":
        return ComposeText(value)
    if mode == "none":
        return Text(value)
    return braced_value(value)


def braced_value(text: str) -> Text | VariableRef | Template:
    """``text`` read by the ``braced`` rule: one :class:`Text`, one :class:`VariableRef` when
    the whole value is a reference, else a :class:`Template` of both."""
    if "$" not in text:  # most values: one literal text
        return Text(text)
    parts: list[Text | VariableRef] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        j = text.find("$", i)
        if j < 0:
            literal.append(text[i:])
            break
        literal.append(text[i:j])
        found = braced_reference(text, j)
        if found is None:
            literal.append("$")
            i = j + 1
            continue
        head, argument, i = found
        if literal and "".join(literal):
            parts.append(Text("".join(literal)))
        literal = []
        name, operator = _split_head(head)
        parts.append(VariableRef(name, operator, argument if operator else None))
    if "".join(literal):
        parts.append(Text("".join(literal)))
    if not parts:
        return Text("")
    if len(parts) == 1:
        return parts[0]
    return Template(tuple(parts))


_OPERATORS: tuple[Operator, ...] = (":-", ":?", ":+", "-", "?", "+")


def _split_head(head: str) -> tuple[str, Operator]:
    """``${NAME:-`` → (``NAME``, ``:-``)."""
    body = head[2:]
    for operator in _OPERATORS:
        if body.endswith(operator):
            return body[: -len(operator)], operator
    return body, ""

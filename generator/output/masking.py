"""Secrets: which values are secret, and keeping them out of anything stackgen prints.

A value is secret when it stands under a key matching ``PASSWORD|SECRET|TOKEN|KEY`` (any case;
the names docker and most images use for credentials) or under a name the profile lists in
``sensitive:``, in a mapping (``DB_PASSWORD: x``) or in a list-form environment entry
(``- DB_PASSWORD=x``). Messages are built so they do not quote such values; as a second line of
defence the CLI replaces every secret value of its input files and ``--set`` options by
:data:`MASK` in whatever it writes to stderr (diagnostics, warnings, internal errors and
``--debug`` tracebacks), so a message from a library or a bug cannot leak one either.

One job per module, their public names re-exported here: the rule
(:mod:`~stackgen.output.secret_rule`), finding known values in text
(:mod:`~stackgen.output.redaction`), the secret values of a command line's inputs
(:mod:`~stackgen.output.inputs`); this module shows values in reports (:func:`shown`).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from ..yamlio.nodes import Path_
from ..yamlio.scalars import closing_brace
from .inputs import input_secrets, watch_inputs
from .redaction import MIN_MASKED, KnownValues, keys_of, redact, unnamed
from .secret_rule import MASK, SECRET_KEY, is_secret_key, is_secret_path, secret_values

# the rule, the redaction and the input scan live in their own modules; their public names
# are this module's too (one place to import masking from)
__all__ = [
    "MASK",
    "MIN_MASKED",
    "SECRET_KEY",
    "KnownValues",
    "input_secrets",
    "is_secret_key",
    "is_secret_path",
    "keys_of",
    "masked_reference",
    "redact",
    "secret_values",
    "shown",
    "unnamed",
    "watch_inputs",
]


def shown(
    value: Any,
    path: Path_,
    sensitive: Collection[str] = (),
    known: KnownValues | None = None,
) -> Any:
    """``value`` (standing at ``path``) as reports show it: a secret (:func:`is_secret_path`,
    or text holding a ``known`` secret value) as :data:`MASK`, except that compose references
    stay readable, so a reviewer tells a reference from a committed password:
    ``${DB_PASSWORD}`` and ``${DB_PASSWORD:?set it}`` are shown as written, a literal default
    or alternative inside one as ``***`` (``${DB_PASSWORD:-***}``, :func:`masked_reference`).
    ``""``, ``null`` and booleans reveal nothing and are shown. Containers are shown item by
    item, each at its own path; a list-form ``KEY=value`` entry by its KEY.
    """
    if isinstance(value, dict):
        return {k: shown(v, (*path, str(k)), sensitive, known) for k, v in value.items()}
    if isinstance(value, list):
        out = []
        for index, item in enumerate(value):
            if isinstance(item, str) and "=" in item:
                key, _, text = item.partition("=")
                if is_secret_key(key, sensitive) and not is_secret_path(path, sensitive):
                    out.append(f"{key}={shown(text, (*path, key), sensitive, known)}")
                    continue
            out.append(shown(item, (*path, index), sensitive, known))
        return out
    if value is None or isinstance(value, bool) or value == "":
        return value
    secret = is_secret_path(path, sensitive)
    if isinstance(value, str):
        if secret or (known is not None and known.contains(value)):
            return masked_reference(value)
        return value
    return MASK if secret else value


_REFERENCE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_VALUE_OPERATORS = (":-", ":+", "-", "+")  # a literal default or alternative value
_ERROR_OPERATORS = (":?", "?")  # an error message, not a value


def masked_reference(text: str) -> str:
    """``text`` if it is one compose reference (``${NAME}``, ``${NAME:?message}``), with a
    literal default or alternative masked (``${NAME:-***}``, a nested reference kept by the
    same rule); :data:`MASK` for anything else (a literal, or literals mixed with references).
    """
    if not (text.startswith("${") and text.endswith("}")):
        return MASK
    name = _REFERENCE_NAME.match(text, 2)
    if name is None or closing_brace(text, 2) != len(text) - 1:
        return MASK  # not a name, or two references side by side: ${A}x${B}
    pos = name.end()
    if pos == len(text) - 1:
        return text  # ${NAME}
    body = text[pos:-1]
    operator = next(
        (op for op in (*_ERROR_OPERATORS, *_VALUE_OPERATORS) if body.startswith(op)), None
    )
    if operator is None:
        return MASK
    argument = body[len(operator) :]
    if operator in _ERROR_OPERATORS or argument == "":
        return text
    inner = masked_reference(argument) if argument.startswith("${") else MASK
    return f"{text[:pos]}{operator}{inner}}}"

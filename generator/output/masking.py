"""Secrets: which values are secret, and keeping them out of anything stackgen prints.

A value is secret when it stands under a key naming a credential
(:data:`~stackgen.output.secret_rule.SECRET_KEY`: ``PASSWORD``, ``DB_PASS``, ``MYSQL_PWD``,
``API_KEY``, ``REDISCLI_AUTH``…, the names docker and most images use) or under a name the
profile lists in ``sensitive:``, in a mapping (``DB_PASSWORD: x``) or in a list-form environment entry
(``- DB_PASSWORD=x``). Messages are built so they do not quote such values; as a second line of
defence the CLI replaces every secret value of its input files and ``--set`` options by
:data:`MASK` in whatever it writes to stderr (diagnostics, warnings, internal errors and
``--debug`` tracebacks), so a message from a library or a bug cannot leak one either.

One job per module, their public names re-exported here: the rule
(:mod:`~stackgen.output.secret_rule`), finding known values in text
(:mod:`~stackgen.output.redaction`), the secret values of a command line's inputs
(:mod:`~stackgen.output.inputs`), credentials recognised by their form wherever a value
shows them, whatever its name (:mod:`~stackgen.output.credentials`: the credential argument
of a command line; :mod:`~stackgen.output.forms`: a URL's password, a query's ``password=``,
``Basic X``, an htpasswd hash); this module shows values in reports
(:func:`shown`).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from ..yamlio.nodes import Path_
from .credentials import credential_values, mask_credentials, mask_items
from .inputs import input_secrets, watch_inputs
from .redaction import MIN_MASKED, KnownValues, keys_of, names_of, redact, unnamed
from .secret_rule import (
    MASK,
    SECRET_KEY,
    is_secret_key,
    is_secret_path,
    masked_reference,
    secret_values,
)

# the rule, the redaction and the input scan live in their own modules; their public names
# are this module's too (one place to import masking from)
__all__ = [
    "MASK",
    "MIN_MASKED",
    "SECRET_KEY",
    "KnownValues",
    "credential_values",
    "input_secrets",
    "is_secret_key",
    "is_secret_path",
    "keys_of",
    "marked_changed",
    "mask_credentials",
    "masked_reference",
    "names_of",
    "redact",
    "secret_values",
    "shown",
    "unnamed",
    "watch_inputs",
]


#: the key of a list-form ``KEY=value`` entry (environment, labels, build args)
_ENTRY_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


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
    item, each at its own path; a list-form ``KEY=value`` entry by its KEY. Any other string
    shows with its credentials masked by form (:mod:`stackgen.output.credentials`:
    ``postgres://app:***@db/app``, ``curl -u admin:*** URL``), a list's strings read as one
    command line.
    """
    if isinstance(value, dict):
        return {k: shown(v, (*path, str(k)), sensitive, known) for k, v in value.items()}
    if isinstance(value, list):
        # the items of an exec-form command are one command line: `["curl", "-u", "a:pw"]`
        by_form = mask_items(value, sensitive)
        out = []
        for index, item in enumerate(value):
            if isinstance(item, str) and "=" in item:
                key, _, text = item.partition("=")
                # a KEY=value entry names a variable; a command line's word with an = in
                # it (sh -c "… --password=X URL") is read by form like the others
                if (
                    _ENTRY_KEY.fullmatch(key)
                    and is_secret_key(key, sensitive)
                    and not is_secret_path(path, sensitive)
                ):
                    out.append(f"{key}={shown(text, (*path, key), sensitive, known)}")
                    continue
            if isinstance(item, str):
                out.append(_shown_text(item, by_form[index], (*path, index), sensitive, known))
            else:
                out.append(shown(item, (*path, index), sensitive, known))
        return out
    if value is None or isinstance(value, bool) or value == "":
        return value
    if isinstance(value, str):
        return _shown_text(value, mask_credentials(value, sensitive), path, sensitive, known)
    secret = is_secret_path(path, sensitive)
    return MASK if secret else value


def _shown_text(
    value: str,
    by_form: str,
    path: Path_,
    sensitive: Collection[str],
    known: KnownValues | None,
) -> str:
    """A string as reports show it: wholly masked when secret by name or holding a known
    secret value (an interpolated password), else with its credentials masked by form
    (``by_form``, :mod:`stackgen.output.credentials`)."""
    if value == "":
        return value
    if is_secret_path(path, sensitive) or (known is not None and known.contains(value)):
        return masked_reference(value)
    return by_form


#: after a RIGHT side that shows like its LEFT only because a credential in it is masked
CHANGED_NOTE = " (changed)"


def marked_changed(left: Any, right: Any, shown_right: Any) -> Any:
    """``shown_right``, the RIGHT side of a change shown alike to its LEFT, with each string
    (of a list too) whose sides differ and that shows a :data:`MASK` (a credential masked
    by form: ``postgres://app:***@db/app``) followed by :data:`CHANGED_NOTE`."""
    if isinstance(shown_right, str) and MASK in shown_right:
        return f"{shown_right}{CHANGED_NOTE}"
    if isinstance(shown_right, list) and isinstance(left, list) and isinstance(right, list):
        return [
            f"{s}{CHANGED_NOTE}" if isinstance(s, str) and a != b and MASK in s else s
            for s, a, b in zip(shown_right, left, right, strict=True)
        ]
    return shown_right

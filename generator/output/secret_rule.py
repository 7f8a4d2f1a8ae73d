"""The one rule of what is secret: values under a key naming a credential (:data:`SECRET_KEY`)
or a name listed in ``sensitive:``, except the names of things
(:mod:`stackgen.output.masking` has the whole story)."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from ..yamlio.nodes import Path_
from ..yamlio.scalars import closing_brace

MASK = "***"
#: the names of credentials (any case): ``PASSWORD``, ``PASSWD``, ``PASSPHRASE``, ``SECRET``,
#: ``TOKEN`` anywhere in a name (``PGPASSWORD``, ``API_TOKEN``); ``KEY``/``KEYS`` and
#: ``CREDENTIAL``/``CREDENTIALS`` where no letter follows (``APIKEY``, ``AWS_ACCESS_KEY_ID``,
#: ``GOOGLE_CREDENTIALS``; not ``KEYCLOAK_URL``, ``CASSANDRA_KEYSPACE``); and, as a part of a
#: name (no letter on either side), ``PASS`` (``DB_PASS``, not ``PASSENGER_COUNT`` or
#: ``BYPASS``), ``PWD`` (``MYSQL_PWD``, ``POSTGRES_PWD``; not the shell's own ``PWD`` or
#: ``OLDPWD``, the working directory) and ``AUTH`` as a name's last part (``REDISCLI_AUTH``,
#: ``HTTP_AUTH``; not ``AUTH_TYPE``, ``GF_AUTH_ANONYMOUS_ENABLED`` or ``OAUTH_CLIENT_ID``).
#: Every match holds one of :data:`SECRET_WORDS`. No nested quantifiers: linear.
SECRET_KEY = re.compile(
    r"PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|CREDENTIALS?(?![A-Z])|KEYS?(?![A-Z])"
    r"|(?<![A-Z])PASS(?![A-Z])|(?<![A-Z])AUTH(?![A-Z0-9_])"
    r"|(?<=[^A-Z])PWD(?![A-Z])|PWD(?=[^A-Z])",
    re.IGNORECASE,
)
#: lower-case words one of which every :data:`SECRET_KEY` match holds (ASCII): cheap
#: ``str.find`` prefilters look for these before the pattern decides
SECRET_WORDS = ("pass", "pwd", "auth", "credential", "secret", "token", "key")
#: :data:`SECRET_WORDS` as one case-blind pattern, for non-ASCII text (Unicode case folding:
#: ``ſ`` is an ``s``, the Kelvin sign a ``k``)
SECRET_HINT = re.compile("|".join(SECRET_WORDS), re.IGNORECASE)


def holds_secret_word(low: str) -> bool:
    """Whether lower-case ``low`` holds one of :data:`SECRET_WORDS` (spelled out: several
    times faster than a loop or the pattern, on a render path that judges every key)."""
    return (
        "pass" in low
        or "key" in low
        or "secret" in low
        or "token" in low
        or "pwd" in low
        or "auth" in low
        or "credential" in low
    )


def is_secret_key(name: object, sensitive: Collection[str] = ()) -> bool:
    """True when a key names a secret: :data:`SECRET_KEY` finds a credential's name in it
    (any case), or it is listed in ``sensitive``."""
    text = str(name)
    if text.isascii() and not holds_secret_word(text.lower()):
        return text in sensitive  # (the pattern would find nothing)
    return bool(SECRET_KEY.search(text)) or text in sensitive


# Top-level sections whose keys name things (a service, a network, a secret): such a name
# is a name, never a secret value, and does not make what it holds secret (a service called
# api-key-rotator, the top-level `secrets:` section, a service's `secrets: [db_password]`).
_NAMED_SECTIONS = frozenset({"services", "networks", "volumes", "secrets", "configs"})
_NAME_LISTS = frozenset({"secrets", "configs", "networks", "volumes", "depends_on", "links"})


def is_secret_path(path: Path_, sensitive: Collection[str] = ()) -> bool:
    """True when the value at ``path`` is secret: a key along it names a secret
    (:func:`is_secret_key`; everything below such a key is secret), except the names of
    things, which are never secret and make nothing secret: top-level sections
    (``secrets:``), service, network, volume, secret and config names, and a service's lists
    of the secrets, configs, networks and dependencies it names.

    The one name rule of stackgen: every output that shows a value asks it.
    """
    for index, part in enumerate(path):
        if not isinstance(part, str):
            continue
        if index == 0 and part in _NAMED_SECTIONS:
            continue
        if index == 1 and path[0] in _NAMED_SECTIONS:
            continue  # the name of a service, network, volume, secret or config
        if index == 2 and path[0] == "services" and part in _NAME_LISTS:
            continue  # a service's list of the secrets, configs, … it uses (names)
        if is_secret_key(part, sensitive):
            return True
    return False


def secret_values(
    data: Any,
    sensitive: Collection[str] = (),
    multiline: list[str] | None = None,
    keys: set[str] | None = None,
    strings: tuple[list[str], list[list[Any]]] | None = None,
) -> set[str]:
    """Every secret value in a parsed profile or compose document, as text.

    Args:
        data: parsed YAML (mappings, lists, scalars).
        sensitive: extra secret names; a top-level ``sensitive:`` list of ``data`` adds to it.
        multiline: when a list is given, every string value holding a line break (a script
            in a block scalar, whose ``KEY=value`` lines a reader sees) is appended to it.
        keys: when a set is given, every mapping key of ``data`` (as text) is added to it
            (the names :func:`stackgen.output.redaction.unnamed` needs, in the same walk).
        strings: when two lists are given, every string standing alone in ``data`` (a
            mapping's value, or ``data`` itself) is appended to the first and every list of
            ``data`` to the second, as often as the walk reaches them: what
            :func:`stackgen.output.credentials.credential_values` reads, without a walk of its
            own.

    Returns:
        The values (scalars under a secret key, at any depth, and list-form ``KEY=VALUE``
        entries with a secret KEY), non-empty ones only.
    """
    names = set(sensitive)
    if isinstance(data, dict) and isinstance(data.get("sensitive"), list):
        names.update(str(n) for n in data["sensitive"])
    found: set[str] = set()
    # a large file repeats a few hundred key names: each is judged once
    judged: dict[Any, bool] = {}

    def secret_key(key: Any) -> bool:
        verdict = judged.get(key)
        if verdict is None:
            verdict = judged[key] = is_secret_key(key, names)
        return verdict

    def named(key: str, path: Path_) -> bool:
        # is_secret_path((*path, key)) where path is not secret: only the new key is judged
        index = len(path)
        if (index == 0 and key in _NAMED_SECTIONS) or (index == 1 and path[0] in _NAMED_SECTIONS):
            return False
        if index == 2 and path[0] == "services" and key in _NAME_LISTS:
            return False
        return secret_key(key)

    singles, lines = strings if strings is not None else (None, None)
    if singles is not None and isinstance(data, str):
        singles.append(data)

    # the scalars (most nodes) are judged where they stand, not in a call of their own
    def walk(node: Any, secret: bool, path: Path_ = ()) -> None:
        if isinstance(node, dict):
            if keys is not None:
                keys.update(map(str, node))
            # the names of things stand in the first three keys of a path only
            shallow = len(path) < 3
            for key, value in node.items():
                if secret:
                    inner = True
                elif shallow:
                    inner = named(str(key), path)
                else:
                    verdict = judged.get(key)
                    inner = secret_key(key) if verdict is None else verdict
                if isinstance(value, (dict, list)):
                    walk(value, inner, (*path, str(key)) if shallow else path)
                    continue
                if singles is not None and isinstance(value, str):
                    singles.append(value)
                if inner:
                    if value is not None and not isinstance(value, bool):
                        found.add(str(value))
                elif multiline is not None and isinstance(value, str) and "\n" in value:
                    multiline.append(value)
        elif isinstance(node, list):
            if lines is not None:
                lines.append(node)
            for item in node:
                if not isinstance(item, str):
                    walk(item, secret, path)
                    continue
                if "=" in item:
                    key, _, value = item.partition("=")
                    if secret or secret_key(key):
                        found.add(value)
                        if multiline is not None and "\n" in item:
                            multiline.append(item)
                        continue
                if secret:
                    found.add(str(item))
                elif multiline is not None and "\n" in item:
                    multiline.append(item)
        elif secret and node is not None and not isinstance(node, bool):
            found.add(str(node))
        elif multiline is not None and isinstance(node, str) and "\n" in node:
            multiline.append(node)

    walk(data, False)
    found.discard("")
    return found


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

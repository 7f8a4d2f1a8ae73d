"""Credentials written in a command line, kept out of the manifest.

``redis-server --requirepass pw`` or ``curl -u admin:pw`` in a service's ``command`` would
stand in the Deployment's ``args``. Each literal credential the masking finds by form
(:func:`stackgen.output.credentials.credentials_in`, the command read as one command line)
is replaced by ``$(NAME)``, which the kubelet expands from the container's environment, and
``NAME`` comes from the project's Secret (:mod:`.envmap` adds it as for a ``${VAR}``
reference).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from ...output.credentials import credentials_in
from .view import Ref, Text


def hide_credentials(
    words: tuple[Text, ...], service: str, sensitive: Collection[str]
) -> tuple[tuple[Text, ...], list[str]]:
    """``words`` with each literal credential replaced by a reference, and the names given.

    Args:
        words: a command or entrypoint, each word as literal parts and references.
        service: the service (names the variables: ``<SERVICE>_ARG_SECRET_<n>``).
        sensitive: the profile's ``sensitive:`` names.

    Returns:
        The words, and the new variables' names in order (empty: nothing was found).
    """
    literal = ["".join(p for p in word if isinstance(p, str)) for word in words]
    found = sorted(credentials_in(literal, sensitive), key=lambda c: (-len(c), c))
    if not found:
        return words, []
    stem = re.sub(r"[^A-Z0-9]", "_", service.upper())
    names = {c: f"{stem}_ARG_SECRET_{i}" for i, c in enumerate(found, start=1)}
    pattern = re.compile("|".join(re.escape(c) for c in found))  # longest first
    out: list[Text] = []
    for word in words:
        parts: list[str | Ref] = []
        for part in word:
            if isinstance(part, Ref):
                parts.append(part)
                continue
            at = 0
            for match in pattern.finditer(part):
                parts.extend([part[at : match.start()], Ref(names[match.group(0)], None)])
                at = match.end()
            parts.append(part[at:])
        out.append(tuple(p for p in parts if p != ""))
    return tuple(out), list(names.values())

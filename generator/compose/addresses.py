"""Loopback addresses in a container's settings: inside a container, ``localhost``
(``127.0.0.1``, ``[::1]``) is the container itself, never another service of the stack
(B29). The planner (profile env) and ``check`` (compose files) find them with this one rule."""

from __future__ import annotations

import re

#: ``localhost:PORT``, ``127.0.0.1:PORT`` or ``[::1]:PORT`` not inside a longer host name
_LOCAL_ADDRESS = re.compile(r"(?<![\w.-])(?:localhost|127\.0\.0\.1|\[::1\]):(\d+)", re.IGNORECASE)


def local_addresses(text: str) -> list[tuple[str, int]]:
    """Each loopback ``host:port`` in ``text``, as (the address as written, the port)."""
    return [(m.group(0), int(m.group(1))) for m in _LOCAL_ADDRESS.finditer(text)]

"""Names the compose spec constrains: the project name (compose spec "name")."""

from __future__ import annotations

import re

#: a compose project name: lower-case letters, digits, ``-`` and ``_``, starting with a letter
#: or digit (compose spec "name"; docker compose ``NormalizeProjectName``)
PROJECT_NAME_PATTERN = "^[a-z0-9][a-z0-9_-]*$"
_PROJECT_NAME = re.compile(PROJECT_NAME_PATTERN)


def is_project_name(text: str) -> bool:
    """True when ``text`` is a valid compose project name."""
    return _PROJECT_NAME.fullmatch(text) is not None


def project_name_from(raw: str) -> str:
    """A valid project name made from ``raw`` the way docker compose normalises a directory
    name: lower-cased, characters outside ``[a-z0-9_-]`` dropped, leading ``_``/``-``
    dropped; ``stack`` when nothing is left."""
    name = re.sub(r"[^a-z0-9_-]", "", raw.lower()).lstrip("_-")
    return name or "stack"

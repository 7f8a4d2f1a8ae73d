"""The templates stackgen renders, by name, so a ``--templates DIR`` file in a place stackgen
never looks is reported instead of silently ignored.

Layout (in stackgen's ``templates/`` and in a ``--templates`` directory, which is looked up
first, file by file):

* ``compose.yml.j2`` — the compose file; gets ``stack`` and ``source``;
* ``_nodes.yml.j2`` — the ``block`` macro the compose file imports;
* ``kinds/_<kind>.yml.j2`` — one partial per catalog kind (``postgres``, ``redis``, …).
"""

from __future__ import annotations

from pathlib import Path

from ...errors import Diagnostic
from ...profile.models import KINDS

#: the compose file's template and the partial it imports
COMPOSE_TEMPLATES = ("compose.yml.j2", "_nodes.yml.j2")


def used_names() -> tuple[str, ...]:
    """Every template name stackgen renders (paths relative to a template directory)."""
    return (*COMPOSE_TEMPLATES, *(f"kinds/_{kind}.yml.j2" for kind in KINDS))


def unused_templates(folder: Path) -> list[Diagnostic]:
    """A warning for each ``*.j2`` file under ``folder`` that stackgen never renders (a typo
    in its name, or a kind that does not exist), naming where templates go.

    Args:
        folder: the ``--templates`` directory.

    Returns:
        ``DIR/NAME: warning …`` diagnostics (no position: the whole file), sorted by name.
    """
    used = set(used_names())
    out = []
    for path in sorted(folder.rglob("*.j2")):
        name = path.relative_to(folder).as_posix()
        if name not in used:
            out.append(
                Diagnostic(
                    path.as_posix(),
                    0,
                    0,
                    "",
                    f"template {name!r} is never used, so it changes nothing; stackgen renders "
                    "compose.yml.j2, _nodes.yml.j2 and kinds/_<kind>.yml.j2 (kinds: "
                    f"{', '.join(KINDS)})",
                )
            )
    return out

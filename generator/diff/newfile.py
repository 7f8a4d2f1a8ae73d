"""A side that is new (the other side is ``/dev/null``): each service shown field by field.

``stackgen diff`` reports a service only on one side as one change holding the whole service.
When a whole side is new, that would be one line per service; a reviewer of a new file wants
its content as additions, each in its category (``services.web.deploy.replicas`` under
``replicas``, ``services.web.healthcheck`` under ``probes``). :func:`spread` splits them.

:func:`implied_replicas` shows a ``deploy.replicas`` that only one side states as the change
from or to compose's default of one replica.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ..compose.merge import Sourced
from ..yamlio.nodes import Path_
from .categories import category, dotted_path
from .compare import Change, Drift
from .normalise import Canonical


def _parts(service: str, value: Mapping[str, object]) -> list[tuple[Path_, object]]:
    out: list[tuple[Path_, object]] = []
    for key, item in value.items():
        if key == "deploy" and isinstance(item, Mapping) and item:
            # its keys span categories (replicas, resources, restart)
            out += [(("services", service, "deploy", str(k)), v) for k, v in item.items()]
        else:
            out.append((("services", service, str(key)), item))
    return out


def spread(drift: Drift, side: Canonical, source: Sourced, kind: str) -> Drift:
    """``drift`` with each whole service of ``kind`` (``added``: RIGHT is new; ``removed``:
    LEFT is new… as seen from the empty side) split into one change per field.

    Args:
        drift: the compared changes.
        side: the canonical model of the side that holds the services.
        source: that side as read, for positions (RIGHT's for ``added``).
        kind: ``added`` or ``removed``.

    Returns:
        The drift, the whole-service changes of ``kind`` replaced.
    """
    out: list[Change] = []
    for change in drift.changes:
        value = change.right if kind == "added" else change.left
        whole = change.service is not None and change.path == f"services.{change.service}"
        if change.kind != kind or not whole or not isinstance(value, Mapping) or not value:
            out.append(change)
            continue
        assert change.service is not None
        for parts, item in _parts(change.service, value):
            if kind == "added":
                mark = source.mark(side.raw_path(parts))
                file, line = mark.file, mark.line
            else:
                file, line = change.file, change.line
            left, right = (None, item) if kind == "added" else (item, None)
            out.append(
                Change(
                    change.service, dotted_path(parts), kind, left, right, file, line,
                    category(parts),
                )
            )  # fmt: skip
    return Drift(tuple(out), drift.hints)


def implied_replicas(drift: Drift, left: Canonical, right: Canonical) -> Drift:
    """``deploy.replicas`` added or removed on a service both sides have, shown as the change
    it is: from or to one replica, compose's default (the canonical form leaves
    ``replicas: 1`` out, so ``2`` vs nothing means ``1 -> 2``)."""
    both = set(_services(left)) & set(_services(right))
    out: list[Change] = []
    for change in drift.changes:
        if (
            change.service in both
            and change.path == f"services.{change.service}.deploy.replicas"
            and change.kind in ("added", "removed")
        ):
            left_value = 1 if change.kind == "added" else change.left
            right_value = 1 if change.kind == "removed" else change.right
            change = replace(change, kind="changed", left=left_value, right=right_value)
        out.append(change)
    return Drift(tuple(out), drift.hints)


def _services(side: Canonical) -> Mapping[str, object]:
    services = side.data.get("services")
    return services if isinstance(services, Mapping) else {}

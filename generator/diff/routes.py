"""Routes: a domain (host) served by a service's port, as Traefik labels say it.

A reviewer thinks "``app.example.test`` now goes to ``frontend:3001``", not in the three labels
that implement it (``traefik.http.routers.R.rule``, ``…routers.R.service`` and
``traefik.http.services.S.loadbalancer.server.port``). :func:`fold_routes` replaces the label
changes of a diff by one change per route.

Reading the labels of a service (Traefik's Docker provider, routing configuration):

* a service with ``traefik.enable: "false"`` has no routes;
* each router ``R`` with a ``traefik.http.routers.R.rule`` is a route per host of the rule when
  the rule is only ``Host(`a`)`` terms (``Host(`a`, `b`)``, ``Host(`a`) || Host(`b`)``), else
  one route named by the whole rule;
* its target is the compose service and the port of ``traefik.http.services.S.…port`` for the
  router's ``service`` label ``S``; without that label, of the container's only Traefik
  service; a port Traefik would choose itself (no such label) is shown as ``?``; a service
  of another provider (``api@internal``) is the target as written.

Comparing the routes of two sides (:func:`route_changes`): the same host with another target
is ``changed``; then hosts only on one side that serve the same target are paired, in host
order, as one ``changed`` route (a renamed domain); the rest are ``added`` or ``removed``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..compose.merge import Sourced
from .categories import Category, ChangeKind
from .compare import Change, Drift
from .normalise import Canonical

#: the category of route changes (:data:`stackgen.diff.categories.CATEGORIES`)
ROUTES: Category = "routes"
_ROUTER = re.compile(r"^traefik\.http\.routers\.(?P<name>[^.]+)\.(?P<key>rule|service)$")
_PORT = re.compile(r"^traefik\.http\.services\.(?P<name>[^.]+)\.loadbalancer\.server\.port$")
_ENABLE = "traefik.enable"
_HOST_TERM = re.compile(r"\s*Host\(\s*(`[^`]*`(?:\s*,\s*`[^`]*`)*)\s*\)\s*")
_ARROW = " → "


@dataclass(frozen=True, order=True)
class Route:
    """One route.

    Attributes:
        host: the host name (or the whole rule, when it is more than ``Host`` terms).
        service: the compose service whose labels declare it.
        target: ``service:port`` (``service:?`` when Traefik picks the port), or another
            provider's service as written (``api@internal``).
        router: the router name (``R`` of ``traefik.http.routers.R.rule``).
    """

    host: str
    service: str
    target: str
    router: str

    def text(self) -> str:
        """``app.example.test → frontend:3001``."""
        return f"{self.host}{_ARROW}{self.target}"


def is_route_label(key: str) -> bool:
    """Whether a label is one of those :func:`service_routes` reads (so a route change
    stands for its change)."""
    return key == _ENABLE or bool(_ROUTER.match(key) or _PORT.match(key))


def _hosts(rule: str) -> list[str]:
    terms = rule.split("||")
    hosts: list[str] = []
    for term in terms:
        match = _HOST_TERM.fullmatch(term)
        if match is None:
            return [rule.strip()]
        hosts += [h.strip().strip("`") for h in match.group(1).split(",")]
    return hosts


def service_routes(name: str, service: Any) -> list[Route]:
    """The routes one compose service declares in its (canonical: mapping) labels."""
    labels = service.get("labels") if isinstance(service, Mapping) else None
    if not isinstance(labels, Mapping) or str(labels.get(_ENABLE, "")).lower() == "false":
        return []
    ports = {m["name"]: str(v) for k, v in labels.items() if (m := _PORT.match(str(k)))}
    routers: dict[str, dict[str, str]] = {}
    for key, value in labels.items():
        match = _ROUTER.match(str(key))
        if match:
            routers.setdefault(match["name"], {})[match["key"]] = str(value)
    found: list[Route] = []
    for router, keys in sorted(routers.items()):
        if "rule" not in keys:
            continue
        target_name = keys.get("service")
        if target_name is None and len(ports) == 1:
            target_name = next(iter(ports))
        if target_name is not None and "@" in target_name:
            target = target_name
        else:
            port = ports.get(target_name or "", "?")
            target = f"{name}:{port}"
        found += [Route(host, name, target, router) for host in _hosts(keys["rule"])]
    return found


def routes(data: Any) -> dict[str, list[Route]]:
    """Every route of a canonical compose mapping: host → routes (one, unless two services
    claim the same host)."""
    out: dict[str, list[Route]] = {}
    services = data.get("services") if isinstance(data, Mapping) else None
    if isinstance(services, Mapping):
        for name, service in services.items():
            for route in service_routes(str(name), service):
                out.setdefault(route.host, []).append(route)
    return out


def _pairs(left: Any, right: Any) -> list[tuple[Route | None, Route | None]]:
    a, b = routes(left), routes(right)
    pairs: list[tuple[Route | None, Route | None]] = []
    gone: list[Route] = []
    new: list[Route] = []
    for host in sorted(set(a) | set(b)):
        la = sorted(a.get(host, []), key=lambda r: (r.target, r.router))
        lb = sorted(b.get(host, []), key=lambda r: (r.target, r.router))
        same = {r.target for r in la} & {r.target for r in lb}
        la = [r for r in la if r.target not in same]
        lb = [r for r in lb if r.target not in same]
        while la and lb:
            pairs.append((la.pop(0), lb.pop(0)))
        gone += la
        new += lb
    for old in list(gone):  # a renamed domain: the same target under another host
        match = next((r for r in new if r.target == old.target), None)
        if match is not None:
            pairs.append((old, match))
            gone.remove(old)
            new.remove(match)
    pairs += [(old, None) for old in gone] + [(None, r) for r in new]
    return pairs


def route_changes(left: Canonical, right: Canonical, right_source: Sourced) -> list[Change]:
    """One :class:`~stackgen.diff.compare.Change` per route added, removed or changed between two
    canonical models; its path is ``services.SERVICE.routes[HOST]`` (SERVICE serves the
    route: RIGHT's unless removed; HOST is LEFT's unless added), its values
    ``"HOST → SERVICE:PORT"``, its position the RIGHT rule label (or the service's labels,
    for a removed route)."""
    out: list[Change] = []
    for old, new in _pairs(left.data, right.data):
        route = new or old
        assert route is not None
        raw: tuple[str, ...]
        if new is not None:
            raw = ("services", new.service, "labels", f"traefik.http.routers.{new.router}.rule")
        else:
            raw = ("services", route.service, "labels")
        mark = right_source.mark(right.raw_path(raw))
        kind: ChangeKind = "changed" if old and new else "added" if new else "removed"
        host = (old or route).host
        out.append(
            Change(
                route.service,
                f"services.{route.service}.routes[{host}]",
                kind,
                old.text() if old else None,
                new.text() if new else None,
                mark.file,
                mark.line,
                ROUTES,
            )
        )
    return out


def _without_route_labels(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    return {k: v for k, v in value.items() if not is_route_label(str(k))}


def _fold(change: Change) -> Change | None:
    """``change`` less what routes say: None for a route label; a whole ``labels`` mapping
    without its route labels (None when nothing else differs)."""
    if change.service is None:
        return change
    labels = f"services.{change.service}.labels"
    if change.path.startswith(labels + "."):
        return None if is_route_label(change.path[len(labels) + 1 :]) else change
    if change.path != labels:
        return change
    left, right = _without_route_labels(change.left), _without_route_labels(change.right)
    if left == right or (not left and not right):
        return None
    if change.kind == "added" and not right:
        return None
    if change.kind == "removed" and not left:
        return None
    return replace(change, left=left, right=right)


def fold_routes(drift: Drift, left: Canonical, right: Canonical, right_source: Sourced) -> Drift:
    """``drift`` with its route label changes replaced by route changes
    (:func:`route_changes`); changes sorted as :func:`stackgen.diff.compare.compare` sorts them."""
    kept = [folded for c in drift.changes if (folded := _fold(c)) is not None]
    kept += route_changes(left, right, right_source)
    kept.sort(key=lambda c: (c.service is None, c.service or "", c.line, c.path))
    return Drift(tuple(kept), drift.hints)

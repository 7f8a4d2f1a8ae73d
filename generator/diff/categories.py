"""Change categories: which reviewer-level category (route, probe, dependency, resources, …) a changed compose path belongs to, and paths as dotted text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, get_args

from ..yamlio.nodes import Path_

#: a change category (what a reviewer thinks in), in report order
Category = Literal[
    "routes",
    "replicas",
    "resources",
    "probes",
    "dependencies",
    "restart",
    "ports",
    "network",
    "volumes",
    "env",
    "image",
    "secrets",
    "other",
]
#: change categories, in report order
CATEGORIES: tuple[Category, ...] = get_args(Category)
#: names ``--fail-on`` also takes, for several categories (``readiness``: before probes and
#: dependencies had a category each)
CATEGORY_ALIASES = {"readiness": ("probes", "dependencies")}
#: what happened to a value: only in RIGHT, only in LEFT, or in both and different
ChangeKind = Literal["added", "removed", "changed"]
KINDS: tuple[ChangeKind, ...] = get_args(ChangeKind)
_FIELD_CATEGORY: dict[str, Category] = {
    "healthcheck": "probes",
    "depends_on": "dependencies",
    "restart": "restart",
    "mem_limit": "resources",
    "mem_reservation": "resources",
    "memswap_limit": "resources",
    "cpus": "resources",
    "cpu_shares": "resources",
    "cpuset": "resources",
    "ulimits": "resources",
    "shm_size": "resources",
    "pids_limit": "resources",
    "oom_score_adj": "resources",
    "oom_kill_disable": "resources",
    "ports": "ports",
    "expose": "ports",
    "networks": "network",
    "network_mode": "network",
    "dns": "network",
    "dns_search": "network",
    "dns_opt": "network",
    "extra_hosts": "network",
    "hostname": "network",
    "domainname": "network",
    "links": "network",
    "external_links": "network",
    "mac_address": "network",
    "volumes": "volumes",
    "volumes_from": "volumes",
    "tmpfs": "volumes",
    "environment": "env",
    "env_file": "env",
    "image": "image",
    "build": "image",
    "platform": "image",
    "pull_policy": "image",
    "secrets": "secrets",
    "configs": "secrets",
}
_TOP_CATEGORY: dict[str, Category] = {
    "networks": "network",
    "volumes": "volumes",
    "secrets": "secrets",
    "configs": "secrets",
}


def dotted_path(parts: Iterable[Any]) -> str:
    """Join path parts with dots; list-entry labels (``[…]``) attach without a dot."""
    out = ""
    for part in parts:
        text = str(part)
        if text.startswith("[") or not out:
            out += text
        else:
            out += "." + text
    return out


def category(parts: Path_) -> Category:
    """The category of a change at ``parts`` (a path tuple); see :data:`CATEGORIES`."""
    if len(parts) >= 3 and parts[0] == "services":
        field = str(parts[2])
        if field == "deploy" and len(parts) >= 4:
            sub = str(parts[3])
            if sub == "restart_policy":
                return "restart"
            if sub == "resources":
                return "resources"
            if sub == "replicas":
                return "replicas"
            return "other"
        return _FIELD_CATEGORY.get(field, "other")
    if len(parts) >= 1 and parts[0] != "services":
        return _TOP_CATEGORY.get(str(parts[0]), "other")
    return "other"

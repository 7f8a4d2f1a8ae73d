"""Mounts → volume claims (StatefulSet ``volumeClaimTemplates``), ``emptyDir`` volumes and
ConfigMaps; bind mounts are refused or left out (docs/kubernetes.md, "volumes")."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from ...profile.kubernetes import size_bytes
from . import manifests as m
from . import objects as o
from .context import Ctx
from .quantity import memory
from .rules import dns1123_label_problem
from .view import Service

#: the pod volume of a service's config_files ConfigMap
CONFIG_VOLUME = "stackgen-config"


def is_file(source: str) -> bool:
    """A bind mount source that names a file: its last part has a suffix (``config.xml``,
    ``server.key``, ``init.sql``); anything else is taken for a directory."""
    return bool(PurePosixPath(source.rstrip("/")).suffix) and not source.endswith("/")


def claim_name(volume: str) -> str:
    """The claim name of a named volume: lower case, ``_`` and ``.`` as ``-`` (compose allows
    ``pg_data``; a claim name is a DNS-1123 label), so ``pg_data`` → ``pg-data``."""
    return volume.lower().replace("_", "-").replace(".", "-")


def _claim_size(ctx: Ctx, svc: Service, volume: str) -> str:
    given = ctx.settings.volume_sizes.get(volume)
    if given is not None:
        return memory(size_bytes(given))
    return memory(svc.claim_size or 1024**3)


def volumes(
    ctx: Ctx, svc: Service
) -> tuple[tuple[m.Mount, ...], tuple[m.Volume, ...], tuple[o.Claim, ...], list[dict[str, Any]]]:
    name = svc.name
    mounts: list[m.Mount] = []
    volumes: list[m.Volume] = []
    claims: dict[str, o.Claim] = {}
    dropped = "volumes" in ctx.settings.drop.get(name, [])
    for i, vol in enumerate(svc.volumes):
        key = f"volumes[{i}]"
        if vol.type == "volume" and vol.source:
            claim = claim_name(vol.source)
            problem = dns1123_label_problem(claim)
            if problem:
                ctx.error(
                    ("services", name, "volumes", i),
                    f"volume {vol.source!r} cannot name a volume claim: {problem}",
                )
                continue
            if claim not in claims:
                size = _claim_size(ctx, svc, vol.source)
                claims[claim] = o.Claim(claim, size, ctx.settings.storage_class)
                origin = (
                    "kubernetes.volume_sizes"
                    if vol.source in ctx.settings.volume_sizes
                    else "catalog default"
                )
                named = f" (volume {vol.source})" if claim != vol.source else ""
                ctx.note(
                    name,
                    key,
                    "mapped",
                    f"claim {claim}{named} ({size}, {origin}) at {vol.target}",
                )
            mounts.append(m.Mount(claim, vol.target, read_only=vol.read_only))
        elif vol.type == "volume":
            vname = f"anon-{i}"
            volumes.append(m.Volume(vname))
            mounts.append(m.Mount(vname, vol.target, read_only=vol.read_only))
            ctx.note(
                name,
                key,
                "approximated",
                f"anonymous volume → emptyDir at {vol.target} (lost with the pod)",
            )
        elif vol.type == "tmpfs":
            vname = f"tmpfs-{i}"
            volumes.append(m.Volume(vname, memory=True))
            mounts.append(m.Mount(vname, vol.target))
            ctx.note(name, key, "mapped", f"emptyDir (medium: Memory) at {vol.target}")
        elif is_file(vol.source or ""):
            ctx.note(
                name,
                key,
                "dropped",
                f"bind mount of host file {vol.source} at {vol.target}: put its content in "
                "config_files (a ConfigMap) or a Secret",
            )
        elif dropped:
            ctx.note(
                name, key, "dropped", f"bind mount of host directory {vol.source} (kubernetes.drop)"
            )
        else:
            ctx.error(
                ("services", name, "volumes", i),
                f"bind mount of host directory {vol.source} at {vol.target} cannot be carried "
                "over safely (its data would stay on one host): use a named volume, or leave "
                f"it out with kubernetes.drop.{name}: [volumes]",
            )
    docs: list[dict[str, Any]] = []
    if svc.config_files:
        cm_name = f"{name}-files"
        data: list[tuple[str, str]] = []
        used: set[str] = set()
        for path, content in svc.config_files:
            stem = re.sub(r"[^-._a-zA-Z0-9]", "_", path.strip("/")) or "file"
            cm_key, n = stem, 1
            while cm_key in used:
                n += 1
                cm_key = f"{stem}_{n}"
            used.add(cm_key)
            data.append((cm_key, content))
            mounts.append(m.Mount(CONFIG_VOLUME, path, sub_path=cm_key, read_only=True))
            ctx.note(name, f"config_files.{path}", "mapped", f"ConfigMap {cm_name} key {cm_key}")
        volumes.append(m.Volume(CONFIG_VOLUME, config_map=cm_name))
        docs.append(o.ConfigMap(cm_name, ctx.namespace, ctx.labels(name), tuple(data)).to_dict())
    return tuple(mounts), tuple(volumes), tuple(claims.values()), docs

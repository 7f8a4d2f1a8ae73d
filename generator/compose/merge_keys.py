"""How ``docker compose -f a -f b`` lines up the entries of two files before merging them:
which fields merge as mappings, which lists merge by a key (and which key), and the shapes a
field is read in first (compose-go ``override/merge.go`` and ``override/uncity.go``; the
rules are listed in :mod:`stackgen.compose.merge`)."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Mapping
from typing import Any

from ..yamlio.nodes import Mark, Path_, Tagged
from .values import parse_port, parse_volume, scalar_text, split_key_value

Marks = Mapping[Path_, Mark]


def untag(value: Any) -> Any:
    return value.value if isinstance(value, Tagged) else value


AS_MAP: dict[Path_, str] = {
    ("services", "*", "environment"): "=",
    ("services", "*", "labels"): "=",
    ("services", "*", "annotations"): "=",
    ("services", "*", "sysctls"): "=",
    ("services", "*", "build", "args"): "=",
    ("services", "*", "build", "labels"): "=",
    ("services", "*", "deploy", "labels"): "=",
    ("networks", "*", "labels"): "=",
    ("volumes", "*", "labels"): "=",
}
UNIQUE_VALUES = {
    ("services", "*", name)
    for name in (
        "dns",
        "dns_search",
        "dns_opt",
        "cap_add",
        "cap_drop",
        "profiles",
        "links",
        "tmpfs",
        "env_file",
        "extra_hosts",
    )
}
#: service lists compose-go appends without removing repeats (no ``EnforceUnicity`` index),
#: then refuses when the merged list repeats an entry (the compose-spec schema's
#: ``uniqueItems``: "items at 0 and 1 are equal"): after ``-f a -f b`` or ``extends``.
#: Probed with the real binary, field by field (``tests/hardening/test_compose_repeats.py``).
REPEATS_REFUSED_MERGED = {
    ("services", "*", name)
    for name in (
        "device_cgroup_rules",
        "external_links",
        "group_add",
        "security_opt",
        "volumes_from",
    )
}
#: fields compose reads as a list of one when written as a single string
STRING_AS_LIST = {
    ("services", "*", name) for name in ("dns", "dns_opt", "dns_search", "env_file", "tmpfs")
}


def _port_key(item: Any) -> Any:
    # compose-go override/uncity.go portIndexer: HOST_IP:PUBLISHED:TARGET/PROTOCOL, an absent
    # host address read as 0.0.0.0; a long-syntax `published` written as a number is
    # formatted by Go's %s as another text than the same port written as text, so compose
    # keeps both entries (checked with the binary: tests/diff/test_merge_keys_engine.py)
    number = isinstance(item, Mapping) and isinstance(item.get("published"), int)
    return tuple(
        (
            e.get("host_ip") or "0.0.0.0",
            ("int", e.get("published")) if number else str(e.get("published") or ""),
            str(e.get("target")),
            e.get("protocol") or "tcp",
        )
        for e in parse_port(item)
    )


def _volume_key(item: Any) -> Any:
    return parse_volume(item).get("target")


def _mount_key(item: Any) -> Any:
    if isinstance(item, Mapping):
        return item.get("target") or item.get("source")
    return item


def _device_key(item: Any) -> Any:
    """A device's container path (``/dev/a:/dev/b:r`` → ``/dev/b``; alone: the host path)."""
    if isinstance(item, Mapping):
        return item.get("target")
    parts = str(item).split(":")
    return parts[1] if len(parts) > 1 else parts[0]


KEYED: dict[Path_, Callable[[Any], Any]] = {
    ("services", "*", "devices"): _device_key,
    ("services", "*", "ports"): _port_key,
    ("services", "*", "volumes"): _volume_key,
    ("services", "*", "secrets"): _mount_key,
    ("services", "*", "configs"): _mount_key,
    ("services", "*", "expose"): scalar_text,
}


def as_map(value: Any, marks: Marks, path: Path_, seps: str) -> tuple[Any, Marks]:
    """A ``KEY=value`` list → mapping, with each key given its item's mark."""
    if not isinstance(value, list):
        return value, marks
    out: dict[str, Any] = {}
    moved: dict[Path_, Mark] = {}
    for index, item in enumerate(value):
        key, text = split_key_value(item, seps)
        out[key] = text
        if (*path, index) in marks:
            moved[(*path, key)] = marks[(*path, index)]
    return out, ChainMap(moved, dict(marks))


def one_item(value: Any, marks: Marks, path: Path_) -> tuple[Any, Marks]:
    """A single string → a list of it (its mark moved to the item)."""
    if not isinstance(value, str):
        return value, marks
    moved = {(*path, 0): marks[path]} if path in marks else {}
    return [value], ChainMap(moved, dict(marks))


def host_lines(value: Any, marks: Marks, path: Path_) -> tuple[Any, Marks]:
    """An ``extra_hosts`` mapping → its ``host=address`` lines, sorted as compose-go's
    ``convertIntoSequence`` writes them (a list of addresses: one line each)."""
    if not isinstance(value, Mapping):
        return value, marks
    lines: list[tuple[str, Any]] = []
    for key, item in value.items():
        item = untag(item)
        for address in item if isinstance(item, list) else [item]:
            lines.append((f"{key}={address}" if address is not None else str(key), key))
    lines.sort(key=lambda line: line[0])
    moved = {
        (*path, i): marks[(*path, key)] for i, (_, key) in enumerate(lines) if (*path, key) in marks
    }
    return [text for text, _ in lines], ChainMap(moved, dict(marks))


def names_as_map(value: Any, marks: Marks, path: Path_, default: Any) -> tuple[Any, Marks]:
    """``depends_on``/``networks`` list → mapping of ``name: default``."""
    if not isinstance(value, list):
        return value, marks
    out: dict[str, Any] = {}
    moved: dict[Path_, Mark] = {}
    for index, item in enumerate(value):
        out[str(item)] = default() if callable(default) else default
        if (*path, index) in marks:
            moved[(*path, str(item))] = marks[(*path, index)]
    return out, ChainMap(moved, dict(marks))

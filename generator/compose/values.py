"""Compose value syntax both pipelines read: scalars as text, KEY=value items, ports and volumes (short or long syntax) in long form, command and healthcheck test lists, the restart policy a swarm restart_policy means."""

from __future__ import annotations

import math
import posixpath
import re
import shlex
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from . import ports
from .syntax import split_outside


def scalar_text(value: Any) -> str | None:
    """The string compose reads for a scalar in a string-typed field.

    Args:
        value: a YAML scalar (None, bool, int, float, str).

    Returns:
        None for None; ``"true"``/``"false"`` for booleans; integers in decimal; floats as
        Go's ``fmt`` prints them (:func:`go_float_text`: ``1.0`` → ``"1"``, ``1e6`` →
        ``"1e+06"``); strings unchanged.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float_text(value)
    return str(value)


def go_float_text(value: float) -> str:
    """A float as Go prints it (``fmt`` ``%v``, i.e. ``strconv.FormatFloat(v, 'g', -1, 64)``):
    the shortest digits that read back as ``value``, in exponent form when the decimal
    exponent is below -4 or at least 6 (``1e+06``, ``1.5e-05``, ``123456.7``), ``+Inf``,
    ``-Inf``, ``NaN``. How docker compose turns a YAML float into the text of an environment
    variable or a label.
    """
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    if value == 0:
        return sign + "0"
    # repr is the shortest round-trip text; Decimal splits it into digits and exponent
    digits_t, exponent = Decimal(repr(abs(value))).normalize().as_tuple()[1:]
    digits = "".join(map(str, digits_t))
    point = len(digits) + int(exponent)  # digits before the decimal point
    exp = point - 1
    if exp < -4 or exp >= 6:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits))
    return f"{sign}{digits[:point]}.{digits[point:]}"


def split_key_value(item: Any, seps: str = "=") -> tuple[str, str | None]:
    """Split one list-form entry ``KEY=value`` (or ``KEY`` alone → value None).

    Separators inside ``${…}`` do not count (``host:${IP:-a=b}``; see :func:`split_outside`).

    Args:
        item: the list item.
        seps: the separators tried in order (``extra_hosts`` also accepts ``:``).

    Returns:
        ``(key, value)``; value None when no separator stands outside an interpolation.
    """
    text = scalar_text(item) or ""
    for sep in seps:
        parts = split_outside(text, sep)
        if len(parts) > 1:
            return parts[0], sep.join(parts[1:])
    return text, None


_DIGITS = re.compile(r"[0-9]{1,20}")
_PORT_RANGE = re.compile(r"([0-9]{1,5})(?:-([0-9]{1,5}))?")


def _maybe_int(value: Any) -> Any:
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        return int(value)
    return value


def _range(text: str) -> list[int] | None:
    m = _PORT_RANGE.fullmatch(text)
    if not m:
        return None
    low = int(m.group(1))
    high = int(m.group(2)) if m.group(2) else low
    return list(range(low, high + 1)) if high >= low else None


def _port_entry(target: Any, published: Any, protocol: Any, host_ip: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"target": _maybe_int(target)}
    pub = scalar_text(published)
    if pub:
        entry["published"] = pub
    entry["protocol"] = scalar_text(protocol) or "tcp"
    if host_ip:
        entry["host_ip"] = str(host_ip)
    return entry


def parse_port(item: Any) -> list[dict[str, Any]]:
    """One ``ports`` entry (short or long syntax) → long-syntax entries.

    Args:
        item: ``8080``, ``"127.0.0.1:8080:80/udp"``, ``"8000-8002:8000-8002"``,
            ``"${PORT:-8080}:80"`` (an interpolation is one opaque token, so its ``:`` and
            ``-`` split nothing: published ``"${PORT:-8080}"``), or a mapping.

    Returns:
        Canonical long entries (compose spec "ports"): ``target`` int, ``published`` str
        (absent when not published), ``protocol`` (default ``tcp``), ``host_ip`` (absent
        when empty), other long-syntax keys kept except the default ``mode: ingress``.
        A range expands to one entry per port. Unparsable text (more than three ``:`` parts,
        an empty target) is returned as ``[{"target": text, "protocol": "tcp"}]`` so that it
        still compares.
    """
    if isinstance(item, Mapping):
        entry = _port_entry(
            item.get("target"), item.get("published"), item.get("protocol"), item.get("host_ip")
        )
        for key, value in item.items():
            if key in ("target", "published", "protocol", "host_ip"):
                continue
            if key == "mode" and value == "ingress":
                continue
            entry[str(key)] = value
        return [entry]
    if isinstance(item, int) and not isinstance(item, bool):
        return [_port_entry(item, None, None, None)]
    text = scalar_text(item) or ""
    try:
        spec = ports.parse_port(text, compose_file=True)
    except ValueError:
        return [_port_entry(text, None, None, None)]  # not compose syntax: compared as text
    host_ip, published, target, protocol = spec.host_ip, spec.published, spec.target, spec.protocol
    targets = _range(target)
    if targets is None or len(targets) == 1:
        return [_port_entry(target, published, protocol, host_ip)]
    pubs = _range(published) if published else None
    if pubs is not None and len(pubs) == len(targets):
        return [_port_entry(t, p, protocol, host_ip) for t, p in zip(targets, pubs, strict=True)]
    return [_port_entry(t, published, protocol, host_ip) for t in targets]


def _is_bind_source(source: str) -> bool:
    # a named volume's name never holds a path separator (compose spec "volumes" short
    # syntax); a drive letter (`c:/x`) is a path to compose-go's isFilePath too
    return (
        source.startswith((".", "/", "~"))
        or "/" in source
        or "\\" in source
        or _is_drive(source[:1], source[1:2])
    )


def _is_drive(first: str, second: str) -> bool:
    """Whether ``first`` then ``second`` start a Windows drive path (``c:``): compose-go
    ``format.isWindowsDrive``, which its volume reader applies on every platform."""
    return second == ":" and len(first) == 1 and first.isalpha()


#: the boolean spellings docker compose reads, case-insensitive (compose-go accepts the YAML
#: 1.1 words with a warning: ``"yes" for boolean is not supported by YAML 1.2``)
_BOOL_TEXT = {
    **dict.fromkeys(("true", "yes", "y", "on"), True),
    **dict.fromkeys(("false", "no", "n", "off"), False),
}


def compose_bool(value: Any) -> Any:
    """The boolean docker compose reads for ``value`` in a boolean field.

    ``"false"``, ``"No"``, ``"off"``, ``"Y"`` … (any case) become ``False``/``True``; every other
    value (a real boolean, a string compose refuses) is returned unchanged.
    """
    if isinstance(value, str):
        return _BOOL_TEXT.get(value.lower(), value)
    return value


#: boolean keys of a volume's option blocks (``bind``, ``volume``, ``tmpfs``, ``image``)
_VOLUME_OPTION_BOOLS = ("create_host_path", "nocopy", "recursive")


def go_clean(target: str) -> str:
    """A short-syntax volume's container path as compose-go's transform leaves it: Go's
    ``path.Clean`` (``/d/`` → ``/d``, ``/a/../b`` → ``/b``, ``//d`` → ``/d``); ``""`` stays."""
    if not target or (
        # most paths are clean already: no call for them (every volume of a stack is read)
        target[0] == "/" and "//" not in target and "/." not in target and target[-1] != "/"
    ):
        return target
    cleaned = posixpath.normpath(target)
    # POSIX keeps two leading slashes apart; Go's Clean does not
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned


def _volume_fields(text: str) -> list[str]:
    """The ``:``-separated fields of a short-syntax volume as compose-go
    ``format.ParseVolume`` reads them: a text of one or two characters is a target alone,
    and a field of one letter goes on past its ``:`` (a drive letter: ``v:/d`` is one
    field, an anonymous volume's target, on every platform)."""
    if len(text) <= 2:
        return [text]
    fields: list[str] = []
    for part in split_outside(text, ":"):
        if fields and _is_drive(fields[-1], ":"):
            fields[-1] += ":" + part
        else:
            fields.append(part)
    return fields


def parse_volume(item: Any) -> dict[str, Any]:
    """One service ``volumes`` entry (short or long syntax) → canonical long syntax.

    Args:
        item: ``"data:/var/lib/data:ro"``, ``"./conf:/etc/conf"``, ``"/cache"``,
            ``"${DATA:-./data}:/data:ro"`` (``${…}`` is one token: its ``:`` splits nothing),
            or a mapping.

    Returns:
        ``type`` (bind/volume/tmpfs/…), ``source`` (absent for anonymous volumes),
        ``target``, ``read_only: True`` only when read-only, and the other long-syntax keys,
        as docker compose reads them: booleans spelt as text read as booleans, ``false``
        option values and empty option blocks dropped (compose prints nothing for them). A
        short-syntax bind mount has ``bind.create_host_path: true`` (compose creates a
        missing host folder for it; the long syntax does so only when it says so).
    """
    if isinstance(item, Mapping):
        out: dict[str, Any] = {}
        for key, value in item.items():
            if key == "read_only":
                value = compose_bool(value)
                if value is False:
                    continue
            if isinstance(value, Mapping):
                value = {
                    k: compose_bool(v) if k in _VOLUME_OPTION_BOOLS else v for k, v in value.items()
                }
                value = {k: v for k, v in value.items() if v is not False}
                if not value:
                    continue
            out[str(key)] = value
        return out
    text = scalar_text(item) or ""
    parts = _volume_fields(text)
    if len(parts) == 1:
        return {"type": "volume", "target": go_clean(text)}
    source, target = parts[0], go_clean(parts[1])
    kind = "bind" if _is_bind_source(source) else "volume"
    entry: dict[str, Any] = {"type": kind, "source": source, "target": target}
    if kind == "bind":
        entry["bind"] = {"create_host_path": True}
    for option in ":".join(parts[2:]).split(",") if len(parts) > 2 else []:
        if option == "ro":
            entry["read_only"] = True
        elif option in ("z", "Z") and kind == "bind":
            entry["bind"]["selinux"] = option
        elif option in _PROPAGATION and kind == "bind":
            entry["bind"]["propagation"] = option
        elif option == "nocopy" and kind == "volume":
            entry["volume"] = {"nocopy": True}
        elif option in ("rw", "", "cached", "delegated", "consistent"):
            continue
        else:
            entry.setdefault("options", []).append(option)
    return entry


#: bind propagation modes compose reads from a short volume's options (compose-go
#: loader/volume.go)
_PROPAGATION = frozenset({"rprivate", "private", "rshared", "shared", "rslave", "slave"})


def command_list(value: Any) -> Any:
    """``command``/``entrypoint`` → argv list (strings split like a POSIX shell, as compose does).

    Returns the value unchanged when it is not a string, or a one-item list when the string
    cannot be split (unbalanced quotes).
    """
    if isinstance(value, str):
        try:
            return shlex.split(value)
        except ValueError:
            return [value]
    if isinstance(value, list):
        return [scalar_text(v) for v in value]
    return value


def healthcheck_test(value: Any) -> Any:
    """A healthcheck ``test`` → list form (a string means ``["CMD-SHELL", string]``)."""
    if isinstance(value, str):
        return ["CMD-SHELL", value]
    if isinstance(value, list):
        return [scalar_text(v) for v in value]
    return value

"""The planned stack's compose mapping → the records the Kubernetes target reads (:mod:`.view`).

The planner hands its targets the compose mapping it proved; this module reads it the way
``docker compose`` does: structure through the diff's canonical form (long-syntax ports and
volumes, ``depends_on`` with conditions, healthcheck ``test`` lists; compose spec), each value
through compose interpolation (``$$`` is a literal ``$``, ``${NAME…}`` and ``$NAME`` are
references: compose spec "Interpolation").
"""

from __future__ import annotations

import re
from typing import Any, Literal, cast

from ...catalog.kinds import infer_kind, kind_defaults
from ...compose.units import parse_duration, parse_size
from ...diff.normalise import normalise
from ...profile.kubernetes import size_bytes
from ...profile.models import Profile
from ...yamlio.scalars import closing_brace
from .view import (
    Dependency,
    EnvVar,
    Port,
    Probe,
    Ref,
    Resources,
    Route,
    Service,
    Stack,
    Text,
    Volume,
)

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DIGITS = re.compile(r"[0-9]+")
# keys the mapping reads; every other compose key of a service is reported as not carried over
_READ = frozenset(
    {
        "image",
        "build",
        "command",
        "entrypoint",
        "working_dir",
        "user",
        "environment",
        "env_file",
        "ports",
        "expose",
        "healthcheck",
        "depends_on",
        "deploy",
        "volumes",
        "configs",
    }
)
_HTTP_SHORTHAND = (("wget", "-q", "--spider"), ("curl", "-fsS", "-o", "/dev/null"))


def interpolated(text: str) -> Text:
    """Compose text → literal parts and references (compose spec "Interpolation").

    ``$$`` is a literal ``$``; ``${NAME}``, ``${NAME-d}``, ``${NAME:-d}`` (default ``d``),
    ``${NAME?e}``/``${NAME:?e}``/``${NAME+a}``/``${NAME:+a}`` (no default) and ``$NAME`` are
    references; any other ``$`` is literal.
    """
    parts: list[str | Ref] = []
    buf: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch != "$":
            buf.append(ch)
            i += 1
            continue
        if text.startswith("$$", i):
            buf.append("$")
            i += 2
            continue
        ref, end = _reference(text, i)
        if ref is None:
            buf.append("$")
            i += 1
            continue
        if buf:
            parts.append("".join(buf))
            buf = []
        parts.append(ref)
        i = end
    if buf or not parts:
        parts.append("".join(buf))
    return tuple(parts)


def _reference(text: str, start: int) -> tuple[Ref | None, int]:
    if text.startswith("${", start):
        m = _NAME.match(text, start + 2)
        if m is None:
            return None, start
        pos = m.end()
        close = closing_brace(text, pos)
        if close < 0:
            return None, start
        op_arg = text[pos:close]
        default: str | None = None
        for op in (":-", "-"):
            if op_arg.startswith(op):
                arg = interpolated(op_arg[len(op) :])
                default = "".join(p if isinstance(p, str) else "" for p in arg)
                break
        return Ref(m.group(0), default), close + 1
    m = _NAME.match(text, start + 1)
    if m is None:
        return None, start
    return Ref(m.group(0)), m.end()


def _literal(value: Any) -> str:
    """A compose value that is container-side text: ``$$`` → ``$`` (references kept as
    written: the container's shell reads them)."""
    return str(value).replace("$$", "$")


def probe_of(hc: dict[str, Any]) -> Probe | None:
    """A compose ``healthcheck`` mapping (``test`` list, timings as durations or seconds)
    as a :class:`Probe`; the ``http:``/``tcp:`` shorthands' tests are recognised."""
    test = hc.get("test")
    if not isinstance(test, list) or not test or test[0] == "NONE":
        return None
    head, args = test[0], [_literal(a) for a in test[1:]]
    timing = {
        "interval": parse_duration(hc.get("interval", "30s")),
        "timeout": parse_duration(hc.get("timeout", "30s")),
        "retries": int(hc.get("retries", 3)),
        "start_period": parse_duration(hc.get("start_period", "0s")),
    }
    if head == "CMD-SHELL":
        return Probe(shell=args[0] if args else "", **timing)  # type: ignore[arg-type]
    for shorthand in _HTTP_SHORTHAND:
        if tuple(args[:-1]) == shorthand and len(args) == len(shorthand) + 1:
            return Probe(http_url=args[-1], argv=tuple(args), **timing)  # type: ignore[arg-type]
    if len(args) == 4 and args[:3] == ["nc", "-z", "127.0.0.1"] and _DIGITS.fullmatch(args[3]):
        return Probe(tcp_port=int(args[3]), **timing)  # type: ignore[arg-type]
    return Probe(argv=tuple(args), **timing)  # type: ignore[arg-type]


def _ports(body: dict[str, Any], listens: tuple[int, ...]) -> tuple[Port, ...]:
    out: dict[tuple[int, str], Port] = {}
    for entry in body.get("ports", []):
        target = entry.get("target")
        if not isinstance(target, int):
            continue
        protocol = cast(Literal["TCP", "UDP", "SCTP"], str(entry.get("protocol", "tcp")).upper())
        published = entry.get("published")
        number = (
            int(published) if isinstance(published, str) and _DIGITS.fullmatch(published) else None
        )
        out.setdefault((target, protocol), Port(target, protocol, number, entry.get("host_ip")))
    for item in body.get("expose", []):
        digits, _, proto = str(item).partition("/")
        if _DIGITS.fullmatch(digits):
            protocol = cast(Literal["TCP", "UDP", "SCTP"], (proto or "tcp").upper())
            out.setdefault((int(digits), protocol), Port(int(digits), protocol))
    for number in listens:  # what the catalog image listens on, published or not
        out.setdefault((number, "TCP"), Port(number))
    return tuple(out.values())


def _resources(body: dict[str, Any]) -> Resources:
    res = ((body.get("deploy") or {}).get("resources")) or {}
    limits, reservations = res.get("limits") or {}, res.get("reservations") or {}

    def size(value: Any) -> int | None:
        return None if value is None else parse_size(value)

    def cpus(value: Any) -> float | None:
        return None if value is None else float(value)

    return Resources(
        size(limits.get("memory")),
        cpus(limits.get("cpus")),
        size(reservations.get("memory")),
        cpus(reservations.get("cpus")),
    )


def _text(value: Any) -> str:
    """A compose value as short text for the report."""
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value).replace("$$", "$")


def _argv(value: Any) -> tuple[Text, ...] | None:
    if value is None:
        return None
    return tuple(interpolated(str(a)) for a in value)


def read(compose: dict[str, Any], profile: Profile, source: str) -> Stack:
    """Read the planned compose mapping of ``profile`` (services in dependency order).

    Args:
        compose: :meth:`stackgen.stack.Stack.to_compose` of the planned profile.
        profile: the validated profile (kinds, domains, sensitive names).
        source: the profile as named in headers.
    """
    raw_services: dict[str, Any] = compose.get("services", {})
    canonical = normalise(compose).data.get("services", {})
    configs: dict[str, Any] = compose.get("configs", {}) or {}
    completed = {
        dep
        for body in canonical.values()
        for dep, entry in (body.get("depends_on") or {}).items()
        if entry.get("condition") == "service_completed_successfully"
    }
    services: list[Service] = []
    for name, raw in raw_services.items():
        body = canonical[name]
        given = profile.services[name]
        kind = given.kind or infer_kind(given.image)
        zookeeper = next(
            (
                d
                for d in body.get("depends_on") or {}
                if raw_services.get(d) is not None
                and (profile.services[d].kind or infer_kind(profile.services[d].image))
                == "zookeeper"
            ),
            None,
        )
        catalog = kind_defaults(
            kind,
            name=name,
            image=given.image,
            env={k: v for k, v in given.environment.items() if isinstance(v, str)},
            kafka=profile.kafka,
            zookeeper=zookeeper,
        )
        env = tuple(
            EnvVar(k, None if v is None else interpolated(str(v)))
            for k, v in (body.get("environment") or {}).items()
            if "#" not in k  # a repeated key's ignored copies (normalise's KEY#2)
        )
        probe = probe_of(body["healthcheck"]) if isinstance(body.get("healthcheck"), dict) else None
        deps = tuple(
            Dependency(dep, entry.get("condition", "service_started"))
            for dep, entry in (body.get("depends_on") or {}).items()
        )
        volumes = tuple(
            Volume(
                v.get("type", "volume"),
                str(v.get("target")),
                v.get("source"),
                bool(v.get("read_only", False)),
            )
            for v in body.get("volumes", [])
            if v.get("type", "volume") in ("volume", "bind", "tmpfs")
        )
        files = tuple(
            (str(c.get("target")), _literal(configs[c["source"]]["content"]))
            for c in raw.get("configs", [])
            if isinstance(c, dict) and c.get("source") in configs
        )
        # as planned: the canonical form drops compose's default `replicas: 1`, the profile
        # (and the typed model) keep it
        replicas = (raw.get("deploy") or {}).get(
            "replicas", (body.get("deploy") or {}).get("replicas")
        )
        services.append(
            Service(
                name=name,
                kind=kind,
                image=interpolated(str(body["image"])) if "image" in body else None,
                build="build" in body,
                command=_argv(body.get("command")),
                entrypoint=_argv(body.get("entrypoint")),
                working_dir=body.get("working_dir"),
                user=None if body.get("user") is None else str(body.get("user")),
                env=env,
                env_files=tuple(
                    str(f if isinstance(f, str) else f.get("path"))
                    for f in body.get("env_file", [])
                ),
                ports=_ports(body, catalog.listens if profile.policies.catalog else ()),
                probe=probe,
                depends_on=deps,
                resources=_resources(body),
                volumes=volumes,
                config_files=files,
                replicas=replicas if isinstance(replicas, int) else None,
                one_shot=name in completed,
                unmapped=tuple((k, _text(body[k])) for k in body if k not in _READ),
                claim_size=size_bytes(catalog.volume_size) if catalog.volume_size else None,
            )
        )
    routes = []
    for host, target in profile.domains.items():
        svc, _, port = target.rpartition(":")
        routes.append(Route(host, svc, int(port)))
    return Stack(
        name=profile.name,
        source=source,
        services=tuple(services),
        routes=tuple(routes),
        sensitive=tuple(profile.sensitive),
    )

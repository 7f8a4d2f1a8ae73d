"""Kafka and in-stack address rules (B29, consumer-group timings).

* ``kafka-advertised-localhost``: a broker whose every advertised listener is a loopback
  address, while another service of the file depends on it: the broker tells each client to
  reconnect to ``localhost``, which inside the client's container is the client itself
  (provectus/kafka-ui#2021).
* ``client-localhost``: an environment value ``localhost:PORT`` (or ``127.0.0.1``/``[::1]``)
  where PORT is a port of an infrastructure service of the file. A service whose localhost
  is not its own (``network_mode: host``, ``service:…``, ``container:…``) is left out of both
  rules.
* ``kafka-group-timeouts``: the broker's group settings against what a consumer service asks
  for. Kafka's documentation: a consumer's ``session.timeout.ms`` "must be in the allowable
  range as configured in the broker configuration by ``group.min.session.timeout.ms`` and
  ``group.max.session.timeout.ms``" (else the JoinGroup fails with INVALID_SESSION_TIMEOUT);
  ``heartbeat.interval.ms`` "must be set lower than ``session.timeout.ms``" (the Java client
  refuses to start otherwise); and the coordinator holds a new group's first JoinGroup for
  ``group.initial.rebalance.delay.ms``, while a consumer waits for that answer only
  ``max.poll.interval.ms`` (its rebalance timeout) plus 5 s before it gives up and rejoins.
  Broker settings are read from ``KAFKA_GROUP_*`` / ``KAFKA_CFG_GROUP_*`` (Kafka's defaults
  6000, 1800000 and 3000 ms when unset); consumer settings from environment names ending in
  ``SESSION_TIMEOUT_MS``, ``HEARTBEAT_INTERVAL_MS`` or ``MAX_POLL_INTERVAL_MS`` and from
  ``--session-timeout-ms``-style command options, Kafka's client defaults (45000, 3000,
  300000 ms) filling in the rest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..compose.addresses import local_addresses
from ..compose.ports import parse_port
from ..yamlio.nodes import Path_
from .model import (
    INFRA_PORTS,
    Subject,
    advertised_listeners,
    env_value,
)

_LOOPBACK = ("localhost", "127.0.0.1", "::1", "[::1]")
_LISTENER = re.compile(r"^\s*(?:[A-Za-z_][\w-]*)://(\[[^\]]*\]|[^:/,\s]*):([0-9]{1,5})\s*\Z")
_DEFAULTED_INT = re.compile(r"^\$\{[_A-Za-z][_A-Za-z0-9]*:?-([0-9]{1,9})\}\Z")

#: Kafka's own defaults (broker: group.*; consumer: session/heartbeat/max.poll)
BROKER_DEFAULTS = {"min": 6000, "max": 1_800_000, "delay": 3000}
CLIENT_DEFAULTS = {"session": 45_000, "heartbeat": 3000, "poll": 300_000}
_BROKER_ENV = {
    "min": "GROUP_MIN_SESSION_TIMEOUT_MS",
    "max": "GROUP_MAX_SESSION_TIMEOUT_MS",
    "delay": "GROUP_INITIAL_REBALANCE_DELAY_MS",
}
_BROKER_NAME = {
    "min": "group.min.session.timeout.ms",
    "max": "group.max.session.timeout.ms",
    "delay": "group.initial.rebalance.delay.ms",
}
_CLIENT_SUFFIX = {
    "session": "SESSION_TIMEOUT_MS",
    "heartbeat": "HEARTBEAT_INTERVAL_MS",
    "poll": "MAX_POLL_INTERVAL_MS",
}
_SUFFIXES = tuple(_CLIENT_SUFFIX.values())
#: the command option of each consumer setting (``--session-timeout-ms``)
_CLIENT_FLAG = {
    what: "--" + suffix.lower().replace("_", "-") for what, suffix in _CLIENT_SUFFIX.items()
}
_CLIENT_NAME = {
    "session": "session.timeout.ms",
    "heartbeat": "heartbeat.interval.ms",
    "poll": "max.poll.interval.ms",
}


def check(subject: Subject) -> None:
    """Add the Kafka and in-stack address findings of ``subject``."""
    services = dict(subject.services())
    _advertised(subject, services)
    _clients(subject, services)
    _group_timeouts(subject, services)


def _advertised(subject: Subject, services: Mapping[str, dict[str, Any]]) -> None:
    for name, spec in services.items():
        found = advertised_listeners(spec)
        value, sub = found if found is not None else (None, ())
        if value is None:
            continue
        hosts = [m.group(1) for m in map(_LISTENER.match, value.split(",")) if m]
        if not hosts or not all(h.lower() in _LOOPBACK for h in hosts):
            continue
        users = sorted(
            other
            for other, ospec in services.items()
            if other != name
            and not _shares_network(ospec)
            and any(dep == name for dep, _, _ in subject.deps(ospec))
        )
        if users:
            subject.report(
                "kafka-advertised-localhost",
                ("services", name, *sub),
                f"{name} advertises only {value}; {', '.join(users)} "
                + (
                    "depends on it and would be sent to localhost, its own container"
                    if len(users) == 1
                    else "depend on it and would be sent to localhost, their own containers"
                ),
            )


def _shares_network(spec: Mapping[str, Any]) -> bool:
    """Whether the service's localhost is not its own: ``network_mode: host`` (the host's,
    where published ports answer) or ``service:NAME`` / ``container:NAME`` (that one's)."""
    mode = spec.get("network_mode")
    return isinstance(mode, str) and (mode == "host" or mode.startswith(("service:", "container:")))


def _owners(subject: Subject, services: Mapping[str, dict[str, Any]]) -> dict[int, tuple[str, int]]:
    """Host or container port → (infrastructure service, the container port to use)."""
    owners: dict[int, tuple[str, int]] = {}
    for name, spec in services.items():
        family = subject.family(spec)
        if family is None:
            continue
        for port in INFRA_PORTS.get(family, ()):
            owners.setdefault(port, (name, port))
        for item in spec.get("ports") or []:
            try:
                mapping = (
                    parse_port(item, compose_file=True) if not isinstance(item, Mapping) else None
                )
            except ValueError:
                continue
            if mapping is None:
                continue
            published, targets = mapping.published_ports(), mapping.target_ports()
            if len(published) == 1 and len(targets) == 1:
                owners.setdefault(published[0], (name, targets[0]))
            for target in targets:
                owners.setdefault(target, (name, target))
    return owners


def _clients(subject: Subject, services: Mapping[str, dict[str, Any]]) -> None:
    owners = _owners(subject, services)
    for name, spec in services.items():
        if _shares_network(spec):
            continue
        # a broker's advertised listeners name the address each client is sent to; a
        # localhost one is meant for clients on the host (kafka-advertised-localhost judges
        # a broker that advertises nothing else)
        advertised = advertised_listeners(spec) if subject.family(spec) == "kafka" else None
        for key, value, sub in subject.env(spec):
            if advertised is not None and sub == advertised[1]:
                continue
            if not value or ":" not in value or not _may_name_loopback(value):
                continue  # no loopback host:port in it (most values): no search
            for address, port in local_addresses(value):
                owner = owners.get(port)
                if owner is None or owner[0] == name:
                    continue
                target = f"{owner[0]}:{owner[1]}"
                subject.report(
                    "client-localhost",
                    ("services", name, *sub),
                    f"{key} points at {address}; inside the {name} container localhost is "
                    f"{name} itself, not {owner[0]}",
                    hint=f"use {target}",
                )


def _may_name_loopback(text: str) -> bool:
    """False only when :func:`~stackgen.compose.addresses.local_addresses` finds nothing in
    ``text``: it names ``localhost`` (matched ignoring case, which ``casefold`` covers: the
    long s ``ſ`` matches ``s``), ``127.0.0.1`` or ``[::1]``. Three substring tests instead
    of a case-blind search with look-behind, on the values with a ``:`` of every service."""
    return "127.0.0.1" in text or "[::1]" in text or "localhost" in text.casefold()


def _number(text: str | None) -> int | None:
    if text is None:
        return None
    text = text.strip()
    m = _DEFAULTED_INT.match(text)
    if m:
        text = m.group(1)
    return int(text) if re.fullmatch(r"[0-9]{1,9}", text) else None


def _broker_settings(spec: Mapping[str, Any]) -> dict[str, tuple[int, Path_ | None]]:
    out: dict[str, tuple[int, Path_ | None]] = {}
    for what, suffix in _BROKER_ENV.items():
        out[what] = (BROKER_DEFAULTS[what], None)
        for prefix in ("KAFKA_", "KAFKA_CFG_"):
            found = env_value(spec, prefix + suffix)
            number = _number(found[0]) if found else None
            if found is not None and number is not None:
                out[what] = (number, found[1])
    return out


def _command_text(spec: Mapping[str, Any]) -> str:
    parts: list[str] = []
    for key in ("command", "entrypoint"):
        value = spec.get(key)
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, list):
            parts.extend(str(v) for v in value)
    return " ".join(parts)


def _client_settings(subject: Subject, spec: Mapping[str, Any]) -> dict[str, tuple[int, Path_]]:
    """The consumer settings a service sets itself (env or command options) and where."""
    out: dict[str, tuple[int, Path_]] = {}
    for key, value, sub in subject.env(spec):
        if not key.endswith(_SUFFIXES):
            continue  # most entries: no consumer setting (one test instead of three)
        if "GROUP_" in key and key.startswith("KAFKA_"):
            continue  # the broker's group.* settings, not a consumer's
        for what, suffix in _CLIENT_SUFFIX.items():
            if key.endswith(suffix) and not (what == "session" and key.endswith("MAX_" + suffix)):
                number = _number(value)
                if number is not None:
                    out[what] = (number, sub)
    command = _command_text(spec)
    for what, flag in _CLIENT_FLAG.items():
        m = re.search(re.escape(flag) + r"[= ](\S+)", command) if flag in command else None
        number = _number(m.group(1)) if m else None
        if number is not None and what not in out:
            out[what] = (number, ("command",))
    return out


def _group_timeouts(subject: Subject, services: Mapping[str, dict[str, Any]]) -> None:
    brokers = {n: s for n, s in services.items() if subject.family(s) == "kafka"}
    for broker, spec in brokers.items():
        settings = _broker_settings(spec)
        low, low_at = settings["min"]
        high, high_at = settings["max"]
        if low > high:
            subject.report(
                "kafka-group-timeouts",
                ("services", broker, *(low_at or high_at or ())),
                f"{_BROKER_NAME['min']} ({low}) is greater than {_BROKER_NAME['max']} ({high}): "
                "no consumer session timeout is allowed, every member is refused",
            )
    broker_settings = _broker_settings(next(iter(brokers.values()))) if len(brokers) == 1 else None
    broker = next(iter(brokers), "")
    # consumers a profile declares (kafka.consumers) are judged by kafka-consumer-timing
    declared = subject.loaded.profile.kafka.consumers if subject.loaded is not None else {}
    for name, spec in services.items():
        own = _client_settings(subject, spec) if name not in declared else {}
        if not own:
            continue
        value = {what: own.get(what, (CLIENT_DEFAULTS[what], None))[0] for what in CLIENT_DEFAULTS}

        def where(what: str, name: str = name, own: dict[str, Any] = own) -> Path_:
            return ("services", name, *own[what][1]) if what in own else ("services", name)

        session, heartbeat, poll = value["session"], value["heartbeat"], value["poll"]
        if heartbeat >= session:
            subject.report(
                "kafka-group-timeouts",
                where("heartbeat" if "heartbeat" in own else "session"),
                f"{name}: {_CLIENT_NAME['heartbeat']} ({heartbeat}) is not below "
                f"{_CLIENT_NAME['session']} ({session}); the consumer refuses to start",
            )
        if broker_settings is None:
            continue
        low, high = broker_settings["min"][0], broker_settings["max"][0]
        if not low <= session <= high:
            subject.report(
                "kafka-group-timeouts",
                where("session"),
                f"{name}: {_CLIENT_NAME['session']} ({session}) is outside the broker's "
                f"{_BROKER_NAME['min']}..{_BROKER_NAME['max']} ({low}..{high}) on {broker}: "
                "JoinGroup fails with INVALID_SESSION_TIMEOUT",
            )
        delay, delay_at = broker_settings["delay"]
        if delay >= poll:
            subject.report(
                "kafka-group-timeouts",
                ("services", broker, *delay_at) if delay_at else where("poll"),
                f"{_BROKER_NAME['delay']} ({delay}) on {broker} is not below "
                f"{_CLIENT_NAME['poll']} ({poll}) of {name}: the first JoinGroup of a new group "
                "outlasts the consumer's rebalance timeout, so it times out and rejoins",
                severity="warning",
                hint=f"keep {_BROKER_NAME['delay']} well below {_CLIENT_NAME['poll']} "
                "(Kafka's default delay is 3000 ms)",
            )

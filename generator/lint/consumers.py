"""``kafka-consumer-timing``: a consuming service's consumer settings (``kafka.consumers``)
checked together with the broker's group settings, by Kafka's own rules (Kafka
documentation, "Consumer Configs" and "Broker Configs"):

* ``heartbeat.interval.ms`` "must be set lower than ``session.timeout.ms``, but typically
  should be set no higher than 1/3 of that value": at most a third, or one late heartbeat
  costs the member its session and the group a rebalance;
* the broker accepts a member only when ``group.min.session.timeout.ms`` ≤
  ``session.timeout.ms`` ≤ ``group.max.session.timeout.ms`` (else ``JoinGroup`` fails with
  ``INVALID_SESSION_TIMEOUT`` and the consumer never joins);
* the application's processing time for one poll stays below ``max.poll.interval.ms``, or the
  consumer is counted as failed, leaves the group, and every poll round rebalances again
  (confluentinc/confluent-kafka-python#552, "Application maximum poll interval
  (300000ms) exceeded"; dpkp/kafka-python#1401, CommitFailedError after a rebalance);
* a group whose members start together (two consuming services in one group, or a service
  with replicas) needs ``group.initial.rebalance.delay.ms`` above 0, or every member's join
  triggers a rebalance of its own (KIP-134; Kafka's default is 3000 ms).

Each value comes from ``kafka.consumers.<service>`` or Kafka's client default; the broker's
from ``kafka.consumer_group`` (rendered as ``KAFKA_GROUP_*``), the broker's own environment,
or Kafka's broker default. Messages name both settings, their values and where each comes from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..yamlio.nodes import Path_
from .model import Subject, env_value, replicas

if TYPE_CHECKING:
    from ..profile.settings import Consumer

_DIGITS = re.compile(r"[0-9]+")
#: Kafka's broker defaults (Broker Configs), milliseconds
BROKER_DEFAULTS = {
    "min_session_timeout_ms": 6000,
    "max_session_timeout_ms": 1_800_000,
    "initial_rebalance_delay_ms": 3000,
}
_KAFKA_NAME = {
    "session_timeout_ms": "session.timeout.ms",
    "heartbeat_interval_ms": "heartbeat.interval.ms",
    "max_poll_interval_ms": "max.poll.interval.ms",
    "min_session_timeout_ms": "group.min.session.timeout.ms",
    "max_session_timeout_ms": "group.max.session.timeout.ms",
    "initial_rebalance_delay_ms": "group.initial.rebalance.delay.ms",
}


def _broker(subject: Subject, key: str) -> tuple[int, str, Path_]:
    """A broker group setting: ``(value, where it comes from, path to report at)``."""
    assert subject.loaded is not None
    group = subject.loaded.profile.kafka.consumer_group
    path: Path_ = ("kafka", "consumer_group", key)
    given = getattr(group, key)
    if given is not None:
        return given, f"kafka.consumer_group.{key}", path
    env = "KAFKA_GROUP_" + key.upper()
    for name, spec in subject.services():
        if subject.family(spec) != "kafka":
            continue
        for var in (env, env.replace("KAFKA_", "KAFKA_CFG_", 1)):
            found = env_value(spec, var)
            if found is not None and found[0] is not None and _DIGITS.fullmatch(found[0].strip()):
                return (
                    int(found[0]),
                    f"services.{name}.environment.{var}",
                    ("services", name, *found[1]),
                )
    return BROKER_DEFAULTS[key], "Kafka's broker default", ("kafka", "consumer_group")


def _client(name: str, consumer: Consumer, key: str) -> tuple[int, str, Path_]:
    # a profile's consumers only: a compose file's check never imports the planner
    from ..plan.consumers import setting

    value, given = setting(consumer, key)
    base: Path_ = ("kafka", "consumers", name)
    if given:
        return value, f"kafka.consumers.{name}.{key}", (*base, key)
    return value, "Kafka's client default", base


def check(subject: Subject) -> None:
    """Add the ``kafka-consumer-timing`` findings of a planned profile (module docstring)."""
    if subject.loaded is None or not subject.loaded.profile.kafka.consumers:
        return
    consumers = subject.loaded.profile.kafka.consumers
    low = _broker(subject, "min_session_timeout_ms")
    high = _broker(subject, "max_session_timeout_ms")
    for name, consumer in consumers.items():
        session = _client(name, consumer, "session_timeout_ms")
        heartbeat = _client(name, consumer, "heartbeat_interval_ms")
        poll = _client(name, consumer, "max_poll_interval_ms")
        if heartbeat[0] * 3 > session[0]:
            _report(
                subject,
                heartbeat[2] if heartbeat[1] != "Kafka's client default" else session[2],
                f"{name}: {_said('heartbeat_interval_ms', heartbeat)} is above a third of "
                f"{_said('session_timeout_ms', session)}: one late heartbeat and the member "
                "loses its session, and the group rebalances",
                f"keep heartbeat_interval_ms <= session_timeout_ms / 3 (here <= {session[0] // 3})",
            )
        if not low[0] <= session[0] <= high[0]:
            bound, side = (low, "min") if session[0] < low[0] else (high, "max")
            _report(
                subject,
                session[2],
                f"{name}: {_said('session_timeout_ms', session)} is "
                f"{'below' if side == 'min' else 'above'} the broker's "
                f"{_said(side + '_session_timeout_ms', bound)}: JoinGroup fails with "
                "INVALID_SESSION_TIMEOUT and the consumer never joins its group",
                f"set session_timeout_ms within {low[0]}..{high[0]}, or change "
                f"kafka.consumer_group.{side}_session_timeout_ms",
            )
        if consumer.processing_time_ms is not None and consumer.processing_time_ms >= poll[0]:
            _report(
                subject,
                ("kafka", "consumers", name, "processing_time_ms"),
                f"{name}: processing time {consumer.processing_time_ms} ms "
                f"(kafka.consumers.{name}.processing_time_ms) is not below "
                f"{_said('max_poll_interval_ms', poll)}: the consumer is counted as failed "
                "between two polls, leaves the group, and the group rebalances over and over",
                f"raise max_poll_interval_ms above {consumer.processing_time_ms} (with room), "
                "or process fewer records per poll (max.poll.records)",
            )
    _groups(subject, consumers)


def _groups(subject: Subject, consumers: Mapping[str, Consumer]) -> None:
    services = dict(subject.services())
    members: dict[str, list[tuple[str, int]]] = {}
    for name, consumer in consumers.items():
        spec: Mapping[str, Any] = services.get(name, {})
        found = replicas(spec)
        members.setdefault(consumer.group or name, []).append(
            (name, 1 if found is None else found[0])
        )
    delay = _broker(subject, "initial_rebalance_delay_ms")
    if delay[0] > 0:
        return
    for group, who in members.items():
        count = sum(n for _, n in who)
        if count < 2:
            continue
        names = ", ".join(f"{m} ({n})" if n > 1 else m for m, n in who)
        _report(
            subject,
            delay[2],
            f"consumer group {group} has {count} members starting together ({names}), but "
            f"{_said('initial_rebalance_delay_ms', delay)} lets the first join rebalance at "
            "once and each later member rebalance the group again",
            "set kafka.consumer_group.initial_rebalance_delay_ms (Kafka's default 3000) so "
            "members that start together join one rebalance",
        )


def _said(key: str, found: tuple[int, str, Path_]) -> str:
    return f"{_KAFKA_NAME[key]} {found[0]} ({found[1]})"


def _report(subject: Subject, path: Path_, message: str, hint: str) -> None:
    subject.report("kafka-consumer-timing", path, message, hint=hint)


__all__ = ["BROKER_DEFAULTS", "check"]

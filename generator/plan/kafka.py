"""Kafka settings the profile implies: broker env from ``kafka`` and ``retention``, the
broker address an app that depends on a broker is given, and the profile-wide Kafka checks."""

from __future__ import annotations

from collections.abc import Mapping

from ..catalog.kinds import KindDefaults
from ..compose.units import format_size
from ..profile.models import Service
from .context import PlanContext, dependencies

#: env that puts a broker in ZooKeeper or KRaft mode; Bitnami images read the same settings
#: as KAFKA_CFG_* (bitnami/containers, kafka README)
KAFKA_MODE_ENV = frozenset(
    {
        "KAFKA_ZOOKEEPER_CONNECT",
        "KAFKA_PROCESS_ROLES",
        "KAFKA_CFG_ZOOKEEPER_CONNECT",
        "KAFKA_CFG_PROCESS_ROLES",
    }
)


def derived_env(ctx: PlanContext, name: str, kinds: dict[str, str]) -> dict[str, str]:
    """Env the profile's top-level settings (``kafka.consumer_group``, ``retention``) imply
    for this service."""
    profile = ctx.profile
    kind = kinds[name]
    env: dict[str, str] = {}
    if kind == "kafka":
        group = profile.kafka.consumer_group
        pairs: list[tuple[str, int | None]] = [
            ("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", group.initial_rebalance_delay_ms),
            ("KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS", group.min_session_timeout_ms),
            ("KAFKA_GROUP_MAX_SESSION_TIMEOUT_MS", group.max_session_timeout_ms),
        ]
        kr = profile.retention.kafka
        pairs += [
            ("KAFKA_LOG_RETENTION_HOURS", kr.hours),
            ("KAFKA_LOG_RETENTION_BYTES", kr.bytes_per_partition),
            ("KAFKA_LOG_SEGMENT_BYTES", kr.segment_bytes),
        ]
        env.update({k: str(v) for k, v in pairs if v is not None})
    if profile.retention.session_days is not None:
        targets = profile.retention.apply_to
        if targets is None:
            targets = [n for n, k in kinds.items() if k == "app"]
        if name in targets:
            env["SESSION_RETENTION_DAYS"] = str(profile.retention.session_days)
    return env


def wiring_env(
    ctx: PlanContext, svc: Service, kinds: dict[str, str], defaults: Mapping[str, KindDefaults]
) -> dict[str, str]:
    """Env an app that depends on a broker gets (``KAFKA_SERVERS``, ``KAFKA_TOPIC``): each
    broker at its client port (its catalog ``defaults``: the broker's own inter-broker
    listener, :mod:`stackgen.catalog.own_ports`; else ``kafka.listeners.internal_port``)."""
    profile = ctx.profile
    env: dict[str, str] = {}
    brokers = [d for d in dependencies(svc) if kinds.get(d) == "kafka"]
    if brokers:
        default = profile.kafka.listeners.internal_port
        env["KAFKA_SERVERS"] = ",".join(
            f"{b}:{defaults[b].client_port or default}" for b in brokers
        )
        if profile.kafka.topic is not None:
            env["KAFKA_TOPIC"] = profile.kafka.topic
    return env


def check_kafka_settings(ctx: PlanContext) -> None:
    """Profile-wide Kafka checks, whether or not a broker is in the stack.

    Kafka deletes only closed segments (Kafka docs: log.retention.bytes, log.segment.bytes),
    and a group's minimum session timeout may not exceed its maximum.
    """
    group = ctx.profile.kafka.consumer_group
    kr = ctx.profile.retention.kafka
    if (
        group.min_session_timeout_ms is not None
        and group.max_session_timeout_ms is not None
        and group.min_session_timeout_ms > group.max_session_timeout_ms
    ):
        ctx.error(
            ("kafka", "consumer_group"),
            "min_session_timeout_ms is greater than max_session_timeout_ms",
        )
    if (
        kr.segment_bytes is not None
        and kr.bytes_per_partition is not None
        and (kr.segment_bytes > kr.bytes_per_partition)
    ):
        ctx.error(
            ("retention", "kafka", "segment_bytes"),
            (
                f"segment_bytes {format_size(kr.segment_bytes)} > bytes_per_partition "
                f"{format_size(kr.bytes_per_partition)}; Kafka only deletes closed segments, so "
                "size-based retention would never trigger"
            ),
        )

"""kafka-consumer-timing: a consumer's settings checked with the broker's group settings.

From confluentinc/confluent-kafka-python#552 ("Application maximum poll interval (300000ms)
exceeded": processing longer than max.poll.interval.ms) and dpkp/kafka-python#1401
(CommitFailedError after the group rebalanced), and Kafka's own rules for session and
heartbeat (Consumer Configs) and the broker's group.min/max.session.timeout.ms.
"""

from __future__ import annotations

from pathlib import Path

from rules.rulestools import refused, rendered, services

BROKEN = """\
name: events
kafka:
  consumer_group: {min_session_timeout_ms: 6000, max_session_timeout_ms: 30000, initial_rebalance_delay_ms: 0}
  consumers:
    worker:
      session_timeout_ms: 45000
      heartbeat_interval_ms: 20000
      max_poll_interval_ms: 60000
      processing_time_ms: 120000
      env:
        session_timeout_ms: CONSUMER_SESSION_TIMEOUT
        heartbeat_interval_ms: CONSUMER_HEARTBEAT
        max_poll_interval_ms: CONSUMER_MAX_POLL
services:
  zookeeper: {kind: zookeeper, image: "confluentinc/cp-zookeeper:7.7.0"}
  kafka:
    kind: kafka
    image: "confluentinc/cp-kafka:7.7.0"
    depends_on: [zookeeper]
    ports: ["127.0.0.1:9092:9092"]
  worker:
    image: ghcr.io/example/worker:2.1.0
    replicas: 2
    depends_on: [kafka]
"""
FIXED = (
    BROKEN.replace("initial_rebalance_delay_ms: 0}", "initial_rebalance_delay_ms: 3000}")
    .replace("session_timeout_ms: 45000", "session_timeout_ms: 30000")
    .replace("heartbeat_interval_ms: 20000", "heartbeat_interval_ms: 10000")
    .replace("max_poll_interval_ms: 60000", "max_poll_interval_ms: 300000")
)


def test_settings_that_cannot_work_together_are_refused_naming_both_sides(
    tmp_path: Path,
) -> None:
    problems = refused(tmp_path, BROKEN)
    got = [(p.line, p.path, p.message.split("; fix: ")[0]) for p in problems]
    assert got == [
        (
            3,
            "kafka.consumer_group.initial_rebalance_delay_ms",
            "consumer group worker has 2 members starting together (worker (2)), but "
            "group.initial.rebalance.delay.ms 0 (kafka.consumer_group.initial_rebalance_delay_ms)"
            " lets the first join rebalance at once and each later member rebalance the group "
            "again",
        ),
        (
            6,
            "kafka.consumers.worker.session_timeout_ms",
            "worker: session.timeout.ms 45000 (kafka.consumers.worker.session_timeout_ms) is "
            "above the broker's group.max.session.timeout.ms 30000 "
            "(kafka.consumer_group.max_session_timeout_ms): JoinGroup fails with "
            "INVALID_SESSION_TIMEOUT and the consumer never joins its group",
        ),
        (
            7,
            "kafka.consumers.worker.heartbeat_interval_ms",
            # 3 × 20000 = 60000 > 45000
            "worker: heartbeat.interval.ms 20000 (kafka.consumers.worker.heartbeat_interval_ms)"
            " is above a third of session.timeout.ms 45000 "
            "(kafka.consumers.worker.session_timeout_ms): one late heartbeat and the member "
            "loses its session, and the group rebalances",
        ),
        (
            9,
            "kafka.consumers.worker.processing_time_ms",
            "worker: processing time 120000 ms (kafka.consumers.worker.processing_time_ms) is "
            "not below max.poll.interval.ms 60000 (kafka.consumers.worker.max_poll_interval_ms)"
            ": the consumer is counted as failed between two polls, leaves the group, and the "
            "group rebalances over and over",
        ),
    ]
    assert all(p.message.endswith("(kafka-consumer-timing)") for p in problems)
    assert "(here <= 15000)" in problems[2].message


def test_consistent_settings_render_into_the_consumer_environment(tmp_path: Path) -> None:
    out = services(rendered(tmp_path, FIXED))
    env = out["worker"]["environment"]
    assert (env["CONSUMER_SESSION_TIMEOUT"], env["CONSUMER_HEARTBEAT"]) == ("30000", "10000")
    assert env["CONSUMER_MAX_POLL"] == "300000"
    assert out["kafka"]["environment"]["KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS"] == "3000"


def test_kafka_defaults_fill_what_the_profile_leaves_out(tmp_path: Path) -> None:
    # session 45000 (client default) against the broker's default max 1800000 and a given
    # min of 50000: below it
    text = """\
name: events
kafka:
  consumer_group: {min_session_timeout_ms: 50000}
  consumers:
    worker: {env: {session_timeout_ms: SESSION_MS}}
services:
  worker: {image: ghcr.io/example/worker:2.1.0}
"""
    (problem,) = refused(tmp_path, text)
    assert problem.path == "kafka.consumers.worker"
    assert problem.message.startswith(
        "worker: session.timeout.ms 45000 (Kafka's client default) is below the broker's "
        "group.min.session.timeout.ms 50000 (kafka.consumer_group.min_session_timeout_ms)"
    )
    ok = text.replace("min_session_timeout_ms: 50000", "min_session_timeout_ms: 6000")
    assert services(rendered(tmp_path, ok))["worker"]["environment"] == {"SESSION_MS": "45000"}


def test_the_profile_environment_may_not_set_a_mapped_name_otherwise(tmp_path: Path) -> None:
    text = FIXED.replace(
        "    replicas: 2\n", "    replicas: 2\n    environment: {CONSUMER_HEARTBEAT: '5000'}\n"
    )
    (problem,) = refused(tmp_path, text)
    assert problem.path == "services.worker.environment.CONSUMER_HEARTBEAT"
    assert problem.message == (
        "CONSUMER_HEARTBEAT is kafka.consumers.worker.env.heartbeat_interval_ms, which renders "
        "heartbeat_interval_ms (10000) here; set the value in kafka.consumers.worker only"
    )


def test_a_consumer_is_a_service(tmp_path: Path) -> None:
    (problem,) = refused(
        tmp_path, FIXED.replace("  consumers:\n    worker:", "  consumers:\n    wrker:")
    )
    assert (problem.path, problem.message) == (
        "kafka.consumers.wrker",
        "no service 'wrker'; did you mean 'worker'?",
    )

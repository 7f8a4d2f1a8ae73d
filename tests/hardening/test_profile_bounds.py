"""Every number of a profile is bounded by what its consumer holds: a value one past the bound
exits 2 from ``stackgen render`` naming file, line, column (of its key) and field (never rendered into the
environment), the bound itself renders, and ``stackgen schema`` states the same bound.

The bounds, each from its consumer (not from stackgen's code):

* Kafka broker and consumer settings are ``ConfigDef.Type.INT``, a Java int: 2**31 - 1 =
  2147483647 (``group.initial.rebalance.delay.ms``, ``group.min/max.session.timeout.ms``,
  ``log.retention.hours``, ``log.segment.bytes`` (at least 14 bytes), ``session.timeout.ms``,
  ``heartbeat.interval.ms``, ``max.poll.interval.ms``); ``log.retention.bytes`` is a long.
* ``retention.session_days`` becomes a duration in the application; the finest common one,
  Go's ``time.Duration``, is int64 nanoseconds: (2**63 - 1) // (86400 * 10**9) = 106751 days.
* Kubernetes writes ``replicas`` and ``failureThreshold`` (healthcheck ``retries``) as int32:
  2147483647; a Kubernetes quantity holds at most 2**63 - 1 bytes.
* docker reads ``restart: on-failure:N`` as a Go int (int64), and ``cpus`` as int64
  nanocores after compose-go's float32: 2**33 cores stays below 2**63 nanocores.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import run_stackgen
from stackgen.profile.load import load_profile

INT32 = 2147483647  # Java int, Kubernetes int32
INT64 = 9223372036854775807  # Go int64
DAYS = 106751  # 2**63 - 1 ns / 86400e9 ns per day = 106751.99…
HEAD = "name: bounds\n"
BROKER = (
    "services:\n"
    "  zookeeper: {kind: zookeeper}\n"
    "  kafka: {kind: kafka, depends_on: [zookeeper]}\n"
    "  app: {image: nginx:1.27}\n"
)

#: (dotted field, profile text with VALUE in it, line of the value, the bound, schema path)
FIELDS = [
    (
        "kafka.consumer_group.initial_rebalance_delay_ms",
        "kafka:\n  consumer_group:\n    initial_rebalance_delay_ms: VALUE\n" + BROKER,
        4,
        INT32,
        ("ConsumerGroup", "initial_rebalance_delay_ms"),
    ),
    (
        "kafka.consumer_group.min_session_timeout_ms",
        "kafka:\n  consumer_group:\n    min_session_timeout_ms: VALUE\n" + BROKER,
        4,
        INT32,
        ("ConsumerGroup", "min_session_timeout_ms"),
    ),
    (
        "kafka.consumer_group.max_session_timeout_ms",
        "kafka:\n  consumer_group:\n    max_session_timeout_ms: VALUE\n" + BROKER,
        4,
        INT32,
        ("ConsumerGroup", "max_session_timeout_ms"),
    ),
    (
        "kafka.consumers.app.session_timeout_ms",
        "kafka:\n  consumers:\n    app:\n      session_timeout_ms: VALUE\n" + BROKER,
        5,
        INT32,
        ("Consumer", "session_timeout_ms"),
    ),
    (
        "kafka.consumers.app.heartbeat_interval_ms",
        "kafka:\n  consumers:\n    app:\n      heartbeat_interval_ms: VALUE\n" + BROKER,
        5,
        INT32,
        ("Consumer", "heartbeat_interval_ms"),
    ),
    (
        "kafka.consumers.app.max_poll_interval_ms",
        "kafka:\n  consumers:\n    app:\n      max_poll_interval_ms: VALUE\n" + BROKER,
        5,
        INT32,
        ("Consumer", "max_poll_interval_ms"),
    ),
    (
        "kafka.consumers.app.processing_time_ms",
        "kafka:\n  consumers:\n    app:\n      processing_time_ms: VALUE\n" + BROKER,
        5,
        INT32 - 1,  # below max.poll.interval.ms, itself at most INT32
        ("Consumer", "processing_time_ms"),
    ),
    (
        "retention.kafka.hours",
        "retention:\n  kafka:\n    hours: VALUE\n" + BROKER,
        4,
        INT32,
        ("KafkaRetention", "hours"),
    ),
    (
        "retention.kafka.segment_bytes",
        "retention:\n  kafka:\n    segment_bytes: VALUE\n" + BROKER,
        4,
        INT32,
        ("KafkaRetention", "segment_bytes"),
    ),
    (
        "retention.session_days",
        "retention:\n  session_days: VALUE\n" + BROKER,
        3,
        DAYS,
        ("Retention", "session_days"),
    ),
    (
        "defaults.healthcheck.retries",
        "defaults:\n  healthcheck:\n    retries: VALUE\n" + BROKER,
        4,
        INT32,
        ("HealthTiming", "retries"),
    ),
    (
        "services.web.replicas",
        "services:\n  web:\n    image: nginx:1.27\n    replicas: VALUE\n",
        5,
        INT32,
        ("Service", "replicas"),
    ),
    (
        "services.web.restart_policy.max_attempts",
        "services:\n  web:\n    image: nginx:1.27\n    restart_policy:\n"
        "      condition: on-failure\n      max_attempts: VALUE\n",
        7,
        INT64,
        ("RestartPolicy", "max_attempts"),
    ),
    (
        "services.web.resources.cpus",
        "services:\n  web:\n    image: nginx:1.27\n    resources:\n      cpus: VALUE\n",
        6,
        2**33,
        ("Limits", "cpus"),
    ),
]
IDS = [f[0] for f in FIELDS]


def _render(tmp_path: Path, text: str, value: object) -> tuple[int, str, str]:
    (tmp_path / "profile.yml").write_text(HEAD + text.replace("VALUE", str(value)), "utf-8")
    out = run_stackgen("render", "profile.yml", "-o", "-", cwd=tmp_path)
    return out.returncode, out.stdout, out.stderr


@pytest.mark.parametrize(("field", "text", "line", "bound", "schema_at"), FIELDS, ids=IDS)
def test_one_past_the_bound_exits_2_at_the_value(
    tmp_path: Path, field: str, text: str, line: int, bound: int, schema_at: tuple[str, str]
) -> None:
    beyond = bound + 1
    code, stdout, stderr = _render(tmp_path, text, beyond)
    key = field.rsplit(".", 1)[-1]  # diagnostics point at the key holding the value
    col = (HEAD + text).splitlines()[line - 1].index(key) + 1
    assert code == 2
    assert stdout == ""
    assert stderr == f"profile.yml:{line}:{col}: {field}: must be at most {bound}, got {beyond}\n"


@pytest.mark.parametrize(("field", "text", "line", "bound", "schema_at"), FIELDS, ids=IDS)
def test_the_bound_itself_is_accepted(
    tmp_path: Path, field: str, text: str, line: int, bound: int, schema_at: tuple[str, str]
) -> None:
    path = tmp_path / "profile.yml"
    path.write_text(HEAD + text.replace("VALUE", str(bound)), "utf-8")
    load_profile(path)  # no InputError (render may still warn of timings: a rule, not a bound)


def test_the_reported_values_render_into_the_environment_exactly(tmp_path: Path) -> None:
    text = (
        "kafka:\n  consumer_group: {initial_rebalance_delay_ms: 2147483647}\n"
        "retention: {session_days: 106751}\n" + BROKER
    )
    code, stdout, stderr = _render(tmp_path, text, "")
    assert code == 0, stderr
    assert 'KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: "2147483647"' in stdout
    assert 'SESSION_RETENTION_DAYS: "106751"' in stdout


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9223372036854775808", "must be at most 2147483647, got 9223372036854775808"),
        ("99999999999999999999999", "must be at most 2147483647, got 99999999999999999999999"),
        ("2GiB", "must be at most 2147483647, got 2147483648"),
        ("13", "must be at least 14, got 13"),
    ],
)
def test_the_trial_inputs_exit_2(tmp_path: Path, value: str, message: str) -> None:
    text = "retention:\n  kafka: {segment_bytes: VALUE}\n" + BROKER
    code, _, stderr = _render(tmp_path, text, value)
    assert code == 2
    assert stderr == f"profile.yml:3:11: retention.kafka.segment_bytes: {message}\n"


@pytest.mark.parametrize("value", [".inf", "-.inf", "1e400"])
def test_infinite_cpus_exit_2(tmp_path: Path, value: str) -> None:
    text = "services:\n  web:\n    image: nginx:1.27\n    resources: {cpus: VALUE}\n"
    code, _, stderr = _render(tmp_path, text, value)
    assert code == 2
    assert stderr.startswith("profile.yml:5:17: services.web.resources.cpus: must be ")
    assert "Traceback" not in stderr


@pytest.mark.parametrize(("size", "code"), [("7Ei", 0), ("8Ei", 2), ("99999999999Ei", 2)])
def test_kubernetes_volume_sizes_fit_a_quantity(tmp_path: Path, size: str, code: int) -> None:
    text = (
        "targets: [kubernetes]\nkubernetes: {volume_sizes: {data: VALUE}}\n"
        "services:\n  app: {image: nginx:1.27, volumes: ['data:/data']}\nvolumes: {data: {}}\n"
    )
    got, _, stderr = _render(tmp_path, text, size)
    assert got == code, stderr
    if code:  # 8Ei = 2**63 bytes, one more than a quantity holds
        assert stderr == (
            f"profile.yml:3:29: kubernetes.volume_sizes.data: {size!r} is more than Kubernetes "
            "holds (9223372036854775807 bytes, just under 8Ei)\n"
        )


def test_the_schema_states_every_bound(tmp_path: Path) -> None:
    out = run_stackgen("schema", cwd=tmp_path)
    defs = json.loads(out.stdout)["$defs"]
    for _, _, _, bound, (model, field) in FIELDS:
        branches = defs[model]["properties"][field]["anyOf"]
        numbers = [b for b in branches if b.get("type") in ("integer", "number")]
        assert [b["maximum"] for b in numbers] == [bound], (model, field)
    segment = defs["KafkaRetention"]["properties"]["segment_bytes"]["anyOf"]
    assert [b.get("minimum") for b in segment if b.get("type") == "integer"] == [14]

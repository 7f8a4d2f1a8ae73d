"""What ``stackgen check`` reports: the rules it knows and the findings it makes.

Each rule has a stable id, a default severity, a one-line summary, a fix hint and the public
source it comes from; ``docs/check.md`` is the same table for users.
"""

from __future__ import annotations

from typing import Literal, NamedTuple, get_args

#: how much a finding matters: errors stop render and fail check
Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)


# named tuples, not dataclasses: cheaper to build at import (check and render start-up; a
# frozen, ordered dataclass compiles ten methods as its class is created)
class Rule(NamedTuple):
    """One lint rule.

    Attributes:
        id: stable kebab-case id (``depends-on-started``).
        severity: ``error``, ``warning`` or ``info`` (a finding may raise or lower it).
        summary: what the rule finds, one line.
        hint: how to fix it, one line.
        source: fixture case and public reference the rule comes from.
        names_only: its message and hint quote nothing of the input but names (services,
            keys), which masking never touches: a warning of it is printed without looking
            for secret values (so a render that prints only such warnings finds none).
    """

    id: str
    severity: Severity
    summary: str
    hint: str
    source: str
    names_only: bool = False


class Finding(NamedTuple):
    """One problem found in one file.

    Ordered by file, line, column, then rule id, so a report is deterministic.

    Attributes:
        file: the file the value stands in (as named on the command line).
        line: 1-based line, 0 when unknown.
        col: 1-based column, 0 when unknown.
        rule: the :class:`Rule` id.
        severity: ``error``, ``warning`` or ``info``.
        path: dotted field path (``services.backend.depends_on.postgres``).
        message: one plain sentence about this value.
        hint: how to fix it.
    """

    file: str
    line: int
    col: int
    rule: str
    severity: Severity
    path: str
    message: str
    hint: str


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {r.id: r for r in rules}


RULES: dict[str, Rule] = _rules(
    Rule(
        "compose-refuses",
        "error",
        "a key the compose spec does not know (without x-), or a repeated entry in a list "
        "docker compose keeps unique (depends_on, networks, security_opt …)",
        "remove the key or the repeat (an extension key must start with x-)",
        "compose-spec JSON schema; Docker Compose v2 config (checked field by field)",
    ),
    Rule(
        "no-image",
        "error",
        "a service has neither image nor build",
        "give the service an image or a build, or check an override with the file it completes",
        "compose-go loader/validate.go (has neither an image nor a build context specified)",
    ),
    Rule(
        "missing-env-file",
        "error",
        "an env_file that does not exist (and is not required: false)",
        "create the file, or write the entry as {path: …, required: false}",
        "compose spec services env_file (required); docker compose config (env file … not found)",
    ),
    Rule(
        "missing-path",
        "warning",
        "a bind mount source, build context or config/secret file that does not exist",
        "create it before docker compose up, or fix the path (relative to the file's folder)",
        "compose spec services volumes, build, configs, secrets",
    ),
    Rule(
        "exclusive-keys",
        "error",
        "keys docker compose refuses together: network_mode with networks, build.dockerfile with dockerfile_inline, build.platforms without the service's platform",
        "keep one of the two keys (or add the platform to build.platforms)",
        "compose-go loader/validate.go (checkConsistency)",
    ),
    Rule(
        "conflicting-values",
        "error",
        "one setting spelled twice with different values (scale / deploy.replicas, cpus, mem_reservation, pids_limit / deploy.resources; mem_limit: memory-limit-conflict)",
        "keep one spelling, or give both the same value",
        "compose-go loader/validate.go (can't set distinct values)",
    ),
    Rule(
        "negative-count",
        "error",
        "scale or deploy.replicas below 0",
        "use 0 or more",
        "compose-go loader/validate.go (must be greater than or equal to 0)",
    ),
    Rule(
        "container-name-clash",
        "error",
        "two services set the same container_name",
        "give each service its own container_name, or none",
        "docker compose (container name is already in use by service)",
    ),
    Rule(
        "mount-target-clash",
        "error",
        "a volume mounted where a tmpfs of the same service is already mounted",
        "mount one of them elsewhere",
        "compose-go loader/validate.go (target already mounted)",
    ),
    Rule(
        "source-missing",
        "error",
        "a top-level secret without file or environment, or a config without file, environment or content (not external)",
        "give the secret or config its source, or mark it external: true",
        "compose spec secrets and configs; compose-go (one of file|environment must be set)",
    ),
    Rule(
        "probe-test-form",
        "error",
        "a healthcheck test list that does not start with CMD, CMD-SHELL or NONE",
        "start the list with CMD (argv) or CMD-SHELL (one shell string)",
        "compose spec healthcheck; compose-go loader/validate.go",
    ),
    Rule(
        "undefined-service",
        "error",
        "a service depends on a service the file does not define (depends_on, links, "
        "volumes_from, or network_mode/ipc/pid service:)",
        "define the service, or remove the reference",
        "compose-go loader/validate.go (depends on undefined service); compose spec depends_on",
    ),
    Rule(
        "dependency-cycle",
        "error",
        "services wait on each other in a circle, so none of them can start first",
        "remove one of the dependencies in the circle",
        "compose-go graph.go (dependency cycle detected); compose spec depends_on",
    ),
    Rule(
        "undefined-reference",
        "error",
        "a service names a network, secret, config or named volume no top-level key declares",
        "declare it under the top-level key, or mount a host path instead of a named volume",
        "compose-go loader/validate.go (refers to undefined …); compose spec services",
    ),
    Rule(
        "depends-on-started",
        "warning",
        "depends_on waits only for the container to start (list form or service_started) "
        "while the dependency has a healthcheck",
        "use the long form with condition: service_healthy",
        "B01; docker-library/postgres#256; compose spec depends_on",
        names_only=True,
    ),
    Rule(
        "job-restart",
        "warning",
        "a one-shot job (waited on with service_completed_successfully, or one_shot: true) has restart always or unless-stopped: the engine starts it again after it exits 0",
        'restart: "no" (or on-failure to retry a failed run)',
        "compose spec restart and depends_on (service_completed_successfully); docker docs, Start containers automatically",
    ),
    Rule(
        "healthy-without-healthcheck",
        "error",
        "condition: service_healthy towards a service that has no healthcheck",
        "add a healthcheck to the dependency, or use condition: service_started",
        "B01; compose spec depends_on (docker compose up fails: no healthcheck configured)",
        names_only=True,
    ),
    Rule(
        "probe-tool-missing",
        "error",
        "healthcheck calls a shell, wget or curl that the image does not ship",
        "probe with the image's own client binary, or use an image variant that has the tool",
        "B08; openmeterio/openmeter#4683",
    ),
    Rule(
        "probe-localhost",
        "warning",
        "healthcheck probes localhost, which may resolve to ::1 while the server listens on "
        "IPv4 only",
        "probe 127.0.0.1 instead of localhost",
        "B09; ClickHouse/ClickHouse#63256; plausible/community-edition#155",
    ),
    Rule(
        "probe-cmd-shell",
        "error",
        "CMD-SHELL healthcheck with more than one item, or CMD with shell operators",
        "CMD-SHELL takes one command string; CMD takes a program and plain arguments",
        "B06; compose spec healthcheck; moby/moby#28385",
    ),
    Rule(
        "probe-zookeeper",
        "error",
        "Kafka healthcheck that asks ZooKeeper (--zookeeper) instead of the broker",
        "probe the broker: kafka-broker-api-versions --bootstrap-server 127.0.0.1:PORT",
        "B11; elastic/beats#5549",
    ),
    Rule(
        "start-interval-engine",
        "info",
        "healthcheck start_interval, which needs Docker Engine 25 or later (API 1.44), in a "
        "file whose target engine is not declared",
        "keep it only if every engine the file runs on is 25+; in a profile, set "
        "target.engine and stackgen omits it for older engines",
        "B04; docker/compose#11360; docker-library/docker#473",
    ),
    Rule(
        "kafka-advertised-localhost",
        "error",
        "a Kafka broker advertises only localhost while other services depend on it: clients "
        "in other containers are sent back to themselves",
        "advertise an INTERNAL listener as the service name (kafka:29092) for containers and "
        "keep localhost only for an EXTERNAL listener used from the host",
        "B29; provectus/kafka-ui#2021; bitnami/bitnami-docker-kafka#212",
    ),
    Rule(
        "client-localhost",
        "error",
        "an environment value points at localhost:PORT of another service in the file; inside "
        "a container localhost is the container itself",
        "use the service name and its container port (kafka:29092, postgres:5432)",
        "B29; wurstmeister/kafka-docker#710",
    ),
    Rule(
        "kafka-group-timeouts",
        "error",
        "consumer-group timings that keep members out of the group or time them out "
        "(session.timeout.ms outside group.min/max.session.timeout.ms, heartbeat.interval.ms "
        "not below session.timeout.ms, group.initial.rebalance.delay.ms not below "
        "max.poll.interval.ms)",
        "keep group.min.session.timeout.ms <= session.timeout.ms <= "
        "group.max.session.timeout.ms and heartbeat.interval.ms <= session.timeout.ms / 3",
        "Kafka broker configs group.min.session.timeout.ms, group.max.session.timeout.ms, "
        "group.initial.rebalance.delay.ms; consumer configs session.timeout.ms, "
        "heartbeat.interval.ms, max.poll.interval.ms (kafka.apache.org/documentation)",
    ),
    Rule(
        "concurrent-init",
        "error",
        "several containers would set one database up at the same start: a service with "
        "replicas > 1, or services sharing an image and a database, with no migration job "
        "they all wait for",
        "name a one-shot migration (migrate: {command: …} on the service; rendered with "
        'restart: "no", each instance waiting with service_completed_successfully), or set '
        "replicas: 1",
        "multica-ai/multica#3647; rails/rails#22092; hashgraph/guardian#6340; compose spec "
        "depends_on service_completed_successfully",
    ),
    Rule(
        "startup-budget",
        "error",
        "a healthcheck gives up (start_period + retries × (interval + timeout)) before the "
        "service's worst-case first start (its own, plus dependencies it waits for only to "
        "start) can finish",
        "raise healthcheck.start_period to cover the first start (not retries alone), or wait "
        "for the slow dependency with condition: service_healthy",
        "WordPress/wordpress-develop#12753; truenas/apps#514; Dockerfile reference HEALTHCHECK",
    ),
    Rule(
        "proxy-static-upstream",
        "error",
        "an nginx proxy_pass (or upstream server) names a service literally, or through a "
        "variable without a resolver: nginx resolves it once, and after the service restarts "
        "every request gets 502",
        "resolver 127.0.0.11 valid=10s; set $upstream http://backend:8082; proxy_pass "
        "$upstream; (nginx then resolves per request through Docker's DNS)",
        "nginx docs proxy_pass and resolver; langgenius/dify#40448; getsentry/self-hosted#4492",
    ),
    Rule(
        "proxy-upstream-restart",
        "error",
        "a reverse proxy (nginx, HAProxy, Caddy by image, or proxy: true) depends_on an "
        "application without restart: true, and nothing shows it re-resolves the name",
        "depends_on: {backend: {condition: service_healthy, restart: true}}: compose "
        "restarts the proxy when it restarts the upstream",
        "compose spec depends_on restart (compose-spec/compose-spec#305); docker/compose#13211",
    ),
    Rule(
        "kafka-consumer-timing",
        "error",
        "a consuming service's settings (kafka.consumers) that cannot work with each other or "
        "with the broker's group settings: heartbeat above a third of the session timeout, a "
        "session timeout outside the broker's min/max, processing time not below "
        "max.poll.interval.ms, or no initial rebalance delay for members starting together",
        "heartbeat_interval_ms <= session_timeout_ms / 3; group.min.session.timeout.ms <= "
        "session_timeout_ms <= group.max.session.timeout.ms; processing_time_ms < "
        "max_poll_interval_ms; initial_rebalance_delay_ms > 0",
        "Kafka consumer configs and broker configs (kafka.apache.org/documentation); KIP-134; "
        "confluentinc/confluent-kafka-python#552; dpkp/kafka-python#1401",
    ),
    Rule(
        "container-name-replicas",
        "error",
        "container_name on a service with more than one replica",
        "remove container_name; compose names containers <project>-<service>-N",
        "B26; docker/compose#3722",
    ),
    Rule(
        "restart-policy-swarm",
        "warning",
        "deploy.restart_policy without restart: delay and window are swarm-only, and "
        "docker-compose v1 (and compose v2 before docker/compose#9944) ignores the whole block",
        'set the plain restart key (any → always, none → "no", on-failure + max_attempts '
        "→ on-failure:N)",
        "B23; docker/docs#11777; docker/compose#9944",
    ),
    Rule(
        "jvm-heap-over-limit",
        "error",
        "a JVM -Xmx heap at or above the container memory limit",
        "lower -Xmx (leave room for metaspace, threads and page cache) or raise the limit",
        "B24; open-telemetry/opentelemetry-demo#798",
    ),
    Rule(
        "memory-limit-conflict",
        "error",
        "mem_limit and deploy.resources.limits.memory disagree",
        "set one of them",
        "B24; docker-archive/compose-cli#1523",
    ),
    Rule(
        "infra-port-public",
        "warning",
        "a database, cache or broker port is published on all interfaces (0.0.0.0 or no host "
        "address)",
        "bind it to the loopback address (127.0.0.1:5432:5432) or drop the port",
        "Docker docs, Packet filtering and firewalls (published ports bypass ufw/firewalld)",
    ),
    Rule(
        "image-latest",
        "warning",
        "an image without a tag, or tagged latest: each pull may bring another version",
        "pin a released tag (or a digest)",
        "Docker docs, Image tag best practices",
    ),
    Rule(
        "yaml-base60",
        "warning",
        "an unquoted value like 22:22 that YAML 1.1 readers take as a base-60 number (1342)",
        'quote it: "22:22"',
        "B15; docker/compose#3290",
    ),
    Rule(
        "yaml-bool",
        "warning",
        "an unquoted yes/no/on/off that YAML 1.1 readers take as a boolean",
        'quote it: "no"',
        "B16; docker.libcompose#72; yamllint truthy rule",
    ),
    Rule(
        "yaml-octal",
        "warning",
        "an unquoted number with a leading 0 (0644) that YAML readers disagree on: octal 420 "
        "for YAML 1.1 and docker compose, decimal 644 for YAML 1.2",
        'write a string ("0644") where text is meant, or the decimal value (420)',
        "YAML 1.1 int type; YAML 1.2 core schema; go-yaml v3 resolve.go (1.1 octals kept)",
    ),
    Rule(
        "render",
        "error",
        "the profile does not plan: a problem `stackgen render` rejects (or warns about)",
        "fix the profile as the message says",
        "stackgen render",
    ),
)

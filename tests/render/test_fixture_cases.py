"""The render-side report cases (``tests/cases/reports/<id>/``, each naming the public bug
reports it comes from) as tests.

Each case's ``profile.yml`` maps the fault's illustrative field names onto stackgen's real
profile schema and the tests hold the values its ``case.md`` states: ``needs: [x]`` becomes
``depends_on: {x: {condition: service_healthy}}``, ``needs_started`` ``service_started``,
``env`` ``environment``, ``memory`` ``resources.memory``, Kafka ``listeners``/``external_host``
the top-level ``kafka.listeners`` block, ``retention`` the top-level ``retention.kafka``,
``shell:`` ``healthcheck.command``. A service whose case relies on a catalogue entry gets the
matching ``kind`` (stackgen also infers it from a catalogue image; the cases spell it out).

Where a case also describes a fixed profile, the test renders that too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import report_text
from stackgen.api import Rendered, render_profile
from stackgen.compose.units import parse_duration
from stackgen.errors import Diagnostic, InputError

# --------------------------------------------------------------------------------------------
# helpers


def _write(tmp_path: Path, text: str, name: str = "profile") -> Path:
    path = tmp_path / f"{name}.yml"
    path.write_text(text.lstrip("\n"), encoding="utf-8")
    return path


def render(tmp_path: Path, text: str, sets: list[str] | None = None) -> Rendered:
    """Render a profile text and check the invariants every output must hold."""
    rendered = render_profile(_write(tmp_path, text), sets=sets)
    check_output(rendered)
    return rendered


def failures(tmp_path: Path, text: str) -> tuple[Path, list[Diagnostic]]:
    """Render a profile text that must fail; return its path and the diagnostics."""
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as err:
        render_profile(path)
    return path, list(err.value.diagnostics)


def at(text: str, line_has: str, token: str | None = None) -> tuple[int, int]:
    """1-based (line, col) of ``token`` on the one line of ``text`` containing ``line_has``."""
    lines = text.lstrip("\n").splitlines()
    hits = [i for i, line in enumerate(lines) if line_has in line]
    assert len(hits) == 1, f"{line_has!r} must be on exactly one line"
    line = lines[hits[0]]
    return hits[0] + 1, line.index(token or line_has) + 1


def only(diags: list[Diagnostic], path: str) -> Diagnostic:
    """The one diagnostic about ``path``."""
    found = [d for d in diags if d.path == path]
    assert len(found) == 1, f"expected one diagnostic at {path}, got {diags}"
    return found[0]


_PYTHON_WORDS = re.compile(r"(?::|^\s*-)\s+(?:True|False|None)\s*$")


def check_output(rendered: Rendered) -> None:
    """Invariants of every rendered file (B01, B16, B17, B21).

    * YAML 1.1 (PyYAML) reads the same data as stackgen's YAML 1.2 reader;
    * no Python ``True``/``False``/``None`` text as a value;
    * every ``depends_on`` is long form with a condition, and every ``service_healthy``
      target has an enabled healthcheck;
    * restart, labels and environment values are strings (environment may be null).
    """
    text = rendered.text
    assert yaml.safe_load(text) == rendered.data
    bad = [line for line in text.splitlines() if _PYTHON_WORDS.search(line)]
    assert not bad, bad
    services: dict[str, Any] = rendered.data["services"]
    for name, body in services.items():
        deps = body.get("depends_on", {})
        assert isinstance(deps, dict), f"{name}: depends_on must be a mapping, got {deps!r}"
        for dep, entry in deps.items():
            assert entry["condition"] in (
                "service_started",
                "service_healthy",
                "service_completed_successfully",
            )
            if entry["condition"] == "service_healthy":
                hc = services[dep].get("healthcheck")
                assert hc and not hc.get("disable"), f"{name} → {dep}: no healthcheck"
        assert isinstance(body.get("restart", ""), str)
        for value in (body.get("labels") or {}).values():
            assert isinstance(value, str)
        for value in (body.get("environment") or {}).values():
            assert value is None or isinstance(value, str)


def probe(rendered: Rendered, service: str) -> list[str]:
    """The healthcheck ``test`` list of one rendered service."""
    result: list[str] = rendered.data["services"][service]["healthcheck"]["test"]
    return result


# --------------------------------------------------------------------------------------------
# K1: dependency readiness


B01 = report_text("B01")

PG_APP_PROBE = ["CMD", "pg_isready", "-h", "127.0.0.1", "-p", "5432", "-U", "app", "-d", "app"]


def test_b01_depends_on_is_long_form_and_waits_for_healthy(tmp_path: Path) -> None:
    """B01: depends_on is always rendered in long form with an explicit condition; a readiness
    dependency is service_healthy and its target gets a healthcheck."""
    rendered = render(tmp_path, B01)
    services = rendered.data["services"]
    assert services["backend"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert probe(rendered, "postgres") == PG_APP_PROBE
    assert "depends_on: [postgres]" not in rendered.text
    assert "- postgres\n" not in rendered.text
    # dependency first in the output
    assert list(services) == ["postgres", "backend"]


def test_b01_list_form_becomes_service_healthy_towards_a_healthchecked_service(
    tmp_path: Path,
) -> None:
    """B01: the profile's list form is never copied; it becomes the long form, service_healthy
    when the target has a healthcheck."""
    text = B01.replace(
        "{postgres: {condition: service_healthy}}   # needs: [postgres]", "[postgres]"
    )
    rendered = render(tmp_path, text)
    assert rendered.data["services"]["backend"]["depends_on"] == {
        "postgres": {"condition": "service_healthy"}
    }
    assert probe(rendered, "postgres") == PG_APP_PROBE


B02 = report_text("B02")


def test_b02_service_healthy_towards_a_service_without_healthcheck_is_refused(
    tmp_path: Path,
) -> None:
    """B02: refuse to render service_healthy towards a service that has no healthcheck, with
    an actionable message."""
    path, diags = failures(tmp_path, B02)
    assert len(diags) == 1
    diag = only(diags, "services.reporter.depends_on.mystery")
    assert (diag.file, diag.line, diag.col) == (
        str(path),
        *at(B02, "depends_on: {mystery:", "mystery"),
    )
    assert "reporter needs mystery to be healthy" in diag.message
    assert "mystery has no healthcheck" in diag.message
    assert "services.mystery.healthcheck" in diag.message  # the fix: add a probe …
    assert "service_started" in diag.message  # … or wait for started only


def test_b02_highlight_infra_gets_healthchecks_and_readiness_edges(tmp_path: Path) -> None:
    """B02: every backend dependency is a readiness edge, each infra service has a working
    catalogue healthcheck, and ordering does not rely on `up --wait`."""
    fixed = B02.split("  mystery:")[0]
    rendered = render(tmp_path, fixed)
    services = rendered.data["services"]
    assert services["kafka"]["depends_on"] == {"zookeeper": {"condition": "service_healthy"}}
    assert services["backend"]["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
        "clickhouse": {"condition": "service_healthy"},
        "kafka": {"condition": "service_healthy"},
        "collector": {"condition": "service_started"},
    }
    for name in ("zookeeper", "kafka", "clickhouse", "postgres", "redis"):
        hc = services[name]["healthcheck"]
        assert "disable" not in hc and hc["test"][0] in ("CMD", "CMD-SHELL"), name
    # B11: a broker probe with a start period of at least 30s
    assert probe(rendered, "kafka") == [
        "CMD",
        "kafka-broker-api-versions",
        "--bootstrap-server",
        "127.0.0.1:29092",
    ]
    assert parse_duration(services["kafka"]["healthcheck"]["start_period"]) >= 30
    assert "--wait" not in rendered.text
    order = list(services)
    for name, body in services.items():
        for dep in body.get("depends_on", {}):
            assert order.index(dep) < order.index(name), f"{dep} must come before {name}"


# --------------------------------------------------------------------------------------------
# K2: healthcheck probes


B06 = report_text("B06")


def test_b06_cmd_shell_arity_and_shell_operators_in_cmd_are_errors(tmp_path: Path) -> None:
    """B06: CMD-SHELL takes exactly one command string; CMD items are a split argv with no
    shell operators."""
    path, diags = failures(tmp_path, B06)
    assert len(diags) == 2
    pg = only(diags, "services.postgres.healthcheck.test")
    assert (pg.file, pg.line, pg.col) == (str(path), *at(B06, '"pg_isready", "-U"', "test"))
    assert "CMD-SHELL takes exactly one command string" in pg.message
    assert "pg_isready" in pg.message and "$0" in pg.message
    assert '["CMD-SHELL", "pg_isready -U app"]' in pg.message
    assert '["CMD", "pg_isready", "-U", "app"]' in pg.message
    web = only(diags, "services.web.healthcheck.test")
    assert (web.line, web.col) == at(B06, "|| exit 1", "test")
    assert "CMD runs without a shell" in web.message
    assert "curl -fsS http://127.0.0.1:8080/health || exit 1" in web.message
    assert "program" in web.message  # it would be run as one program name
    assert "CMD-SHELL" in web.message


def test_b06_string_test_renders_as_one_canonical_cmd_shell_list(tmp_path: Path) -> None:
    """B06: a plain string test means CMD-SHELL and renders as the canonical list form; the
    corrected probes render as given."""
    fixed = B06.replace('"pg_isready", "-U", "app"', '"pg_isready -U app"').replace(
        '"curl -fsS http://127.0.0.1:8080/health || exit 1"',
        '"curl", "-fsS", "http://127.0.0.1:8080/health"',
    )
    rendered = render(tmp_path, fixed)
    assert probe(rendered, "cache") == ["CMD-SHELL", "redis-cli -h 127.0.0.1 ping | grep -q PONG"]
    assert probe(rendered, "postgres") == ["CMD-SHELL", "pg_isready -U app"]
    assert probe(rendered, "web") == ["CMD", "curl", "-fsS", "http://127.0.0.1:8080/health"]
    # B08: web's image is not in the catalog, so its probe tool cannot be checked
    assert [w.message for w in rendered.warnings] == [
        "cannot verify that curl exists in ghcr.io/example/web:1.0"
    ]


B08 = report_text("B08")


def test_b08_wget_probe_on_distroless_image_is_refused(tmp_path: Path) -> None:
    """B08: reject user probes that need a shell or wget/curl on image variants known to
    lack them (-distroless)."""
    path, diags = failures(tmp_path, B08)
    assert len(diags) == 1
    diag = only(diags, "services.clickhouse.healthcheck.test")
    assert (diag.file, diag.line, diag.col) == (str(path), *at(B08, '"wget", "--spider"', "test"))
    assert '"distroless"' in diag.message and "no wget" in diag.message
    assert "can never succeed" in diag.message
    assert "client binary" in diag.message


def test_b08_catalogue_probes_fit_the_image_variant(tmp_path: Path) -> None:
    """B08: without an override, each variant gets a catalogue probe its image can run; the
    distroless one uses only the ClickHouse binary."""
    lines = B08.splitlines()
    fixed = "\n".join(line for line in lines if "healthcheck:" not in line and "wget" not in line)
    rendered = render(tmp_path, fixed)
    distroless = probe(rendered, "clickhouse")
    assert distroless[0] == "CMD" and distroless[1] == "clickhouse"
    assert not {"wget", "curl", "sh"} & set(distroless)
    assert "127.0.0.1" in " ".join(distroless)
    # The alpine variant ships busybox wget; stackgen's catalogue probes its HTTP /ping with it
    # (the reports prefer a probe using only the ClickHouse binary; alpine ships busybox wget).
    assert probe(rendered, "clickhouse-std") == [
        "CMD",
        "wget",
        "--spider",
        "-q",
        "http://127.0.0.1:8123/ping",
    ]


def test_b08_user_probe_on_an_image_outside_the_catalogue_renders(tmp_path: Path) -> None:
    """B08: a user probe on an image the catalogue does not know is rendered as given."""
    rendered = render(
        tmp_path,
        """
name: b08
services:
  custom:
    image: registry.example.test/custom:1.0
    healthcheck:
      test: ["CMD", "grpc_health_probe", "-addr=127.0.0.1:50051"]
""",
    )
    assert probe(rendered, "custom") == ["CMD", "grpc_health_probe", "-addr=127.0.0.1:50051"]


B09 = report_text("B09")


def test_b09_localhost_in_a_user_probe_is_rewritten_with_a_warning(tmp_path: Path) -> None:
    """B09: probes use the explicit IPv4 loopback 127.0.0.1; a user probe on localhost is
    rewritten and warned about."""
    rendered = render(tmp_path, B09)
    assert probe(rendered, "clickhouse") == [
        "CMD-SHELL",
        "wget -q --spider http://127.0.0.1:8123/ping || exit 1",
    ]
    assert len(rendered.warnings) == 1
    warning = rendered.warnings[0]
    assert warning.path == "services.clickhouse.healthcheck.test"
    assert (warning.line, warning.col) == at(B09, "localhost:8123", "test")
    assert "localhost rewritten to 127.0.0.1" in warning.message
    assert "::1" in warning.message


@pytest.mark.parametrize("host", ["my-localhost", "localhost.localdomain", "ip6-localhost"])
def test_b09_only_the_host_localhost_is_rewritten(tmp_path: Path, host: str) -> None:
    """B09: the rewrite touches the host name ``localhost`` only, never a longer host name
    that contains it."""
    rendered = render(
        tmp_path,
        f"""
name: b09
services:
  web:
    image: ghcr.io/example/web:1.0
    healthcheck:
      test: ["CMD", "wget", "-q", "--spider", "http://{host}:8080/"]
""",
    )
    assert probe(rendered, "web") == ["CMD", "wget", "-q", "--spider", f"http://{host}:8080/"]
    # no localhost warning; only B08's note that an unknown image's tools cannot be checked
    assert [w.message for w in rendered.warnings] == [
        "cannot verify that wget exists in ghcr.io/example/web:1.0"
    ]


def test_b09_catalogue_probes_never_contain_localhost(tmp_path: Path) -> None:
    """B09: catalogue default probes never contain localhost."""
    rendered = render(
        tmp_path,
        """
name: b09
services:
  pg: {kind: postgres}
  cache: {kind: redis}
  zk: {kind: zookeeper}
  broker: {kind: kafka, depends_on: [zk]}
  ch: {kind: clickhouse}
  ch-distroless: {kind: clickhouse, image: clickhouse/clickhouse-server:26.4-distroless}
  kafka-apache: {kind: kafka, image: apache/kafka:3.7.0, ports: ["9093:9092"], depends_on: [zk]}
  kafka-bitnami: {kind: kafka, image: bitnami/kafka:3.7, ports: ["9094:9092"], depends_on: [zk]}
""",
    )
    probed = [name for name, body in rendered.data["services"].items() if "healthcheck" in body]
    assert len(probed) == 8
    for name in probed:
        assert "localhost" not in " ".join(probe(rendered, name)), name
        assert "127.0.0.1" in " ".join(probe(rendered, name)), name
    assert rendered.warnings == ()


B11 = report_text("B11")


def test_b11_kafka_probe_through_zookeeper_is_refused(tmp_path: Path) -> None:
    """B11: reject probes containing --zookeeper: they check ZooKeeper, not the broker."""
    path, diags = failures(tmp_path, B11)
    assert len(diags) == 1
    diag = only(diags, "services.kafka.healthcheck.test")
    assert (diag.file, diag.line, diag.col) == (str(path), *at(B11, "--zookeeper", "test"))
    assert "--zookeeper" in diag.message
    assert "checks ZooKeeper, not the broker" in diag.message


def test_b11_kafka_catalogue_probe_speaks_to_the_broker(tmp_path: Path) -> None:
    """B11: the generated probe speaks the Kafka protocol to the broker's internal listener,
    with a start period of at least 30s."""
    fixed = B11.split("    healthcheck:")[0]
    rendered = render(tmp_path, fixed)
    assert probe(rendered, "kafka") == [
        "CMD",
        "kafka-broker-api-versions",
        "--bootstrap-server",
        "127.0.0.1:29092",
    ]
    assert parse_duration(rendered.data["services"]["kafka"]["healthcheck"]["start_period"]) >= 30
    other = render(tmp_path, fixed.replace("internal_port: 29092", "internal_port: 19092"))
    assert probe(other, "kafka")[-1] == "127.0.0.1:19092"


# --------------------------------------------------------------------------------------------
# K3: interpolation and escaping


B12 = report_text("B12")


def test_b12_every_dollar_in_a_probe_is_escaped(tmp_path: Path) -> None:
    """B12: container-side shell text (healthcheck, command, entrypoint) is opaque: every $ is
    written $$."""
    rendered = render(tmp_path, B12)
    expected = (
        'pg_isready -h 127.0.0.1 -U "$$POSTGRES_USER" -d "$${POSTGRES_DB}" '
        "&& test $$(date +%s) -gt 0"
    )
    assert probe(rendered, "postgres") == ["CMD-SHELL", expected]
    assert (
        'test: ["CMD-SHELL", "pg_isready -h 127.0.0.1 -U \\"$$POSTGRES_USER\\" -d '
        '\\"$${POSTGRES_DB}\\" && test $$(date +%s) -gt 0"]'
    ) in rendered.text
    # no single, unescaped $ left anywhere in the file
    assert "$" not in rendered.text.replace("$$", "")
    assert rendered.data["services"]["postgres"]["env_file"] == ["postgres.env"]


def test_b12_command_and_entrypoint_are_escaped_too(tmp_path: Path) -> None:
    """B12: command and entrypoint are container-side text: every $ (also ${X}) becomes $$."""
    rendered = render(
        tmp_path,
        """
name: b12
services:
  worker:
    image: ghcr.io/example/worker:1.0
    entrypoint: ["sh", "-c"]
    command: ['echo "$HOME ${USER}" $(id -u)']
""",
    )
    body = rendered.data["services"]["worker"]
    assert body["command"] == ['echo "$$HOME $${USER}" $$(id -u)']
    assert body["entrypoint"] == ["sh", "-c"]


# --------------------------------------------------------------------------------------------
# K4: YAML scalar typing


B16 = report_text("B16")


def test_b16_restart_no_and_label_words_stay_strings(tmp_path: Path) -> None:
    """B16: string fields keep the literal text written and are quoted wherever YAML 1.1 would
    read a non-string."""
    rendered = render(tmp_path, B16)
    yaml11 = yaml.safe_load(rendered.text)["services"]
    assert yaml11["backend-migrate"]["restart"] == "no"
    assert yaml11["backend"]["restart"] == "on-failure"
    assert yaml11["backend"]["labels"] == {"region": "NO", "tls": "off"}
    assert '    restart: "no"\n' in rendered.text
    assert '      region: "NO"\n' in rendered.text
    assert '      tls: "off"\n' in rendered.text
    assert rendered.data["services"] == yaml11


def test_b16_words_set_from_the_command_line_and_defaults_stay_strings(tmp_path: Path) -> None:
    """B16: the same holds for defaults.restart and for --set values."""
    text = B16.replace("name: b16\n", "name: b16\ndefaults: {restart: no}\n").replace(
        "    restart: on-failure\n", ""
    )
    rendered = render(tmp_path, text, sets=["services.backend.labels.tls=on"])
    yaml11 = yaml.safe_load(rendered.text)["services"]
    assert yaml11["backend"]["restart"] == "no"
    assert yaml11["backend"]["labels"] == {"region": "NO", "tls": "on"}


B17 = report_text("B17")


def test_b17_env_values_render_as_the_text_written(tmp_path: Path) -> None:
    """B17: every environment value renders as a string, exactly as written (yes stays yes);
    null only for an explicit pass-through; never Python's True/False/None."""
    rendered = render(tmp_path, B17)
    for data in (rendered.data, yaml.safe_load(rendered.text)):
        kafka = data["services"]["kafka"]["environment"]
        assert kafka["ALLOW_PLAINTEXT_LISTENER"] == "yes"
        assert kafka["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "true"
        assert kafka["KAFKA_BROKER_ID"] == "1"
        backend = data["services"]["backend"]["environment"]
        assert backend == {"SSL": "false", "ADMIN_PASSWORD": None}
    for word in ("True", "False", "None"):
        assert not re.search(rf"\b{word}\b", rendered.text), word
    assert re.search(r"^      ADMIN_PASSWORD:(?: null)?$", rendered.text, re.MULTILINE)


def test_b17_passthrough_in_an_overlay_and_text_from_set(tmp_path: Path) -> None:
    """B17: an overlay may turn a value into a pass-through; --set values keep their text."""
    rendered = render(
        tmp_path,
        B17,
        sets=[
            "services.backend.environment.SSL={passthrough: true}",
            "services.kafka.environment.KAFKA_BROKER_ID=2",
            "services.backend.environment.DEBUG=off",
        ],
    )
    backend = yaml.safe_load(rendered.text)["services"]["backend"]["environment"]
    assert backend == {"SSL": None, "ADMIN_PASSWORD": None, "DEBUG": "off"}
    assert rendered.data["services"]["kafka"]["environment"]["KAFKA_BROKER_ID"] == "2"


# --------------------------------------------------------------------------------------------
# K5: YAML structure


OTEL_YAML = """receivers:
  otlp:
    protocols:
      grpc: {}
exporters:
  debug: {}   # value: with colon and hash
"""

B21 = report_text("B21")


def test_b21_multiline_config_and_env_text_round_trip_byte_for_byte(tmp_path: Path) -> None:
    """B21: scalar values go through the serializer, so multi-line text and `: `/`#` come back
    byte for byte under YAML 1.1 and 1.2, at the right indentation."""
    rendered = render(tmp_path, B21)
    for data in (rendered.data, yaml.safe_load(rendered.text)):
        assert set(data) == {"name", "services", "configs"}
        assert set(data["services"]) == {"collector", "backend"}
        mounts = data["services"]["collector"]["configs"]
        assert len(mounts) == 1 and mounts[0]["target"] == "/etc/otel.yaml"
        content = data["configs"][mounts[0]["source"]]["content"]
        assert content == OTEL_YAML
        assert content.encode() == OTEL_YAML.encode()
        banner = data["services"]["backend"]["environment"]["BANNER"]
        assert banner == "line one\nline two: with colon # and hash"
    # no line of the collector config leaks into the document structure
    assert not re.search(r"^(?:exporters|receivers|  otlp|  debug):", rendered.text, re.M)


def test_b21_awkward_text_round_trips(tmp_path: Path) -> None:
    """B21: blank lines, trailing blanks, tabs, unicode line separators and $ survive; $ is
    written $$ (compose reads it back as $)."""
    content = "a:\n\n  b: $HOME \t \n\n\n# c\u2028d   \n"
    text = (
        "name: b21\nservices:\n  collector:\n    image: otel/x:1\n    config_files:\n"
        f"      /etc/otel.yaml: {json_quote(content)}\n"
        "      /etc/x.yaml: |+\n        k: v   \n\n          deep: 1\n\n\n"
    )
    rendered = render(tmp_path, text)
    configs = yaml.safe_load(rendered.text)["configs"]
    by_target = {
        m["target"]: configs[m["source"]]["content"]
        for m in rendered.data["services"]["collector"]["configs"]
    }
    assert by_target["/etc/otel.yaml"] == content.replace("$", "$$")
    assert by_target["/etc/x.yaml"] == "k: v   \n\n  deep: 1\n\n\n"


def json_quote(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=True)


# --------------------------------------------------------------------------------------------
# K6: compose semantics


B23 = report_text("B23")


def test_b23_restart_policy_maps_onto_service_restart(tmp_path: Path) -> None:
    """B23: for plain compose emit only service-level restart: any → always, none → "no",
    on-failure + max_attempts → on-failure:N; warn that delay/window have no effect."""
    rendered = render(tmp_path, B23)
    services = yaml.safe_load(rendered.text)["services"]
    assert services["backend"]["restart"] == "on-failure:5"
    assert services["frontend"]["restart"] == "always"
    assert services["backend-migrate"]["restart"] == "no"
    assert "restart_policy" not in rendered.text
    assert all("deploy" not in body for body in services.values())
    assert len(rendered.warnings) == 1
    warning = rendered.warnings[0]
    assert warning.path == "services.backend.restart_policy"
    assert (warning.line, warning.col) == at(B23, "max_attempts: 5", "restart_policy")
    assert "delay/window are swarm-only" in warning.message
    assert "ignored by docker compose" in warning.message


B24 = report_text("B24")


def test_b24_heap_above_limit_and_disagreeing_limits_are_errors(tmp_path: Path) -> None:
    """B24: never two memory limits with different values; a JVM max heap must fit inside the
    container limit."""
    path, diags = failures(tmp_path, B24)
    assert len(diags) == 2
    heap = only(diags, "services.kafka.environment.KAFKA_HEAP_OPTS")
    assert (heap.file, heap.line, heap.col) == (str(path), *at(B24, "KAFKA_HEAP_OPTS"))
    assert "-Xmx1g exceeds the container memory limit 512m" in heap.message
    assert "OOM" in heap.message
    mem = only(diags, "services.clickhouse.mem_limit")
    assert (mem.line, mem.col) == at(B24, "mem_limit: 4g", "mem_limit")
    assert "(2g)" in mem.message and "(4g)" in mem.message and "disagree" in mem.message


def test_b24_one_canonical_limit_after_the_fix(tmp_path: Path) -> None:
    """B24: after the fix each service renders exactly one limit, deploy.resources.limits."""
    fixed = B24.replace('"-Xms1g -Xmx1g"', '"-Xms256m -Xmx256m"').replace("    mem_limit: 4g\n", "")
    rendered = render(tmp_path, fixed)
    services = rendered.data["services"]
    assert services["backend"]["deploy"] == {"resources": {"limits": {"memory": "2g"}}}
    assert services["kafka"]["deploy"] == {"resources": {"limits": {"memory": "512m"}}}
    assert services["clickhouse"]["deploy"] == {"resources": {"limits": {"memory": "2g"}}}
    assert "mem_limit" not in rendered.text
    # 2048m, 2g and 2GiB are one size: an equal mem_limit is no disagreement
    same = render(tmp_path, B24.split("  kafka:")[0] + "    mem_limit: 2048m\n")
    assert same.data["services"]["backend"]["deploy"]["resources"]["limits"]["memory"] == "2g"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("JAVA_TOOL_OPTIONS", "-Xmx1g"),
        ("KAFKA_OPTS", "-Dx=y -Xmx1024m"),
        ("KAFKA_HEAP_OPTS", "-Xmx256m -Xmx1g"),  # the JVM takes the last -Xmx
    ],
)
def test_b24_heap_is_checked_wherever_the_jvm_reads_it(
    tmp_path: Path, key: str, value: str
) -> None:
    """B24: a declared -Xmx above the limit is an error whichever JVM variable carries it."""
    _, diags = failures(
        tmp_path,
        f"""
name: b24
services:
  kafka:
    kind: kafka
    resources: {{memory: 512m}}
    environment:
      {key}: "{value}"
""",
    )
    diag = only(diags, f"services.kafka.environment.{key}")
    assert "exceeds the container memory limit 512m" in diag.message


B26 = report_text("B26")


def test_b26_container_name_with_replicas_is_refused(tmp_path: Path) -> None:
    """B26: never emit container_name for a service with replicas > 1; asking for both is an
    error."""
    path, diags = failures(tmp_path, B26)
    assert len(diags) == 1
    diag = only(diags, "services.backend.container_name")
    assert (diag.file, diag.line, diag.col) == (str(path), *at(B26, "container_name"))
    assert "cannot be combined with replicas: 2" in diag.message
    assert "unique per host" in diag.message and "Remove container_name" in diag.message


@pytest.mark.parametrize("scaled", ["deploy: {replicas: 3}", "scale: 3"])
def test_b26_every_way_of_asking_for_replicas_is_checked(tmp_path: Path, scaled: str) -> None:
    """B26: compose's own deploy.replicas and scale count as replicas too."""
    _, diags = failures(tmp_path, B26.replace("replicas: 2", scaled))
    diag = only(diags, "services.backend.container_name")
    assert "cannot be combined with replicas: 3" in diag.message


def test_b26_single_replica_keeps_container_name(tmp_path: Path) -> None:
    """B26: with replicas: 1 the container_name may stay."""
    rendered = render(tmp_path, B26.replace("replicas: 2", "replicas: 1"))
    backend = rendered.data["services"]["backend"]
    assert backend["container_name"] == "backend"
    assert backend["deploy"] == {"replicas": 1}


# --------------------------------------------------------------------------------------------
# K7: Kafka and stack topology


B29 = report_text("B29")


def test_b29_in_stack_client_on_localhost_is_refused(tmp_path: Path) -> None:
    """B29: in-stack clients must use the internal listener; a localhost address is an error."""
    path, diags = failures(tmp_path, B29)
    assert len(diags) == 1
    diag = only(diags, "services.backend.environment.KAFKA_SERVERS")
    assert (diag.file, diag.line, diag.col) == (str(path), *at(B29, "KAFKA_SERVERS"))
    assert "points at localhost:9092" in diag.message
    assert "localhost is backend itself" in diag.message
    assert "kafka:29092" in diag.message and "internal listener" in diag.message


def test_b29_two_listeners_internal_on_the_service_name(tmp_path: Path) -> None:
    """B29: an internal listener advertised as the service name, an external one as the
    public host; only the external port is published; clients get the internal one."""
    fixed = B29.replace(
        "    environment:\n      KAFKA_SERVERS: localhost:9092\n", "    depends_on: [kafka]\n"
    )
    rendered = render(tmp_path, fixed)
    kafka = rendered.data["services"]["kafka"]
    assert kafka["ports"] == ["9092:9092"]
    assert "29092" not in " ".join(kafka["ports"])
    env = kafka["environment"]
    assert env["KAFKA_LISTENERS"] == "INTERNAL://0.0.0.0:29092,EXTERNAL://0.0.0.0:9092"
    assert env["KAFKA_ADVERTISED_LISTENERS"] == (
        "INTERNAL://kafka:29092,EXTERNAL://kafka.example.test:9092"
    )
    assert env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"] == "INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT"
    assert env["KAFKA_INTER_BROKER_LISTENER_NAME"] == "INTERNAL"
    backend = rendered.data["services"]["backend"]
    assert backend["environment"]["KAFKA_SERVERS"] == "kafka:29092"
    assert backend["depends_on"] == {"kafka": {"condition": "service_healthy"}}


def test_b29_explicit_internal_address_is_accepted(tmp_path: Path) -> None:
    """B29: a client env naming the internal listener renders as written."""
    rendered = render(tmp_path, B29.replace("localhost:9092", "kafka:29092"))
    assert rendered.data["services"]["backend"]["environment"]["KAFKA_SERVERS"] == "kafka:29092"


B31 = report_text("B31")


def test_b31_segment_larger_than_retention_is_refused(tmp_path: Path) -> None:
    """B31: reject a segment size larger than the per-partition retention size."""
    path, diags = failures(tmp_path, B31)
    assert len(diags) == 1
    diag = only(diags, "retention.kafka.segment_bytes")
    assert (diag.file, diag.line, diag.col) == (str(path), *at(B31, "hours: 1", "segment_bytes"))
    assert "segment_bytes 256m > bytes_per_partition 100m" in diag.message
    assert "only deletes closed segments" in diag.message
    assert "never trigger" in diag.message


def test_b31_retention_renders_as_kafka_env_strings(tmp_path: Path) -> None:
    """B31: retention and segment settings render as strings from one profile block."""
    rendered = render(tmp_path, B31.replace("segment_bytes: 256Mi", "segment_bytes: 64Mi"))
    env = yaml.safe_load(rendered.text)["services"]["kafka"]["environment"]
    assert env["KAFKA_LOG_RETENTION_HOURS"] == "1"
    assert env["KAFKA_LOG_RETENTION_BYTES"] == "104857600"
    assert env["KAFKA_LOG_SEGMENT_BYTES"] == "67108864"
    assert 'KAFKA_LOG_RETENTION_BYTES: "104857600"' in rendered.text


KAFKA_WITHOUT_ZK = """
name: kafka-zk
services:
  zk: {kind: zookeeper}
  kafka:
    kind: kafka
  broker:
    image: apache/kafka:3.7.0
    ports: ["9093:9092"]
    depends_on: [backend]
  backend:
    image: ghcr.io/example/backend:1.0
"""


def _needs_zookeeper(hint: str) -> str:
    return (
        f"the kafka broker needs a zookeeper service in depends_on ({hint}), or set "
        "KAFKA_ZOOKEEPER_CONNECT / KAFKA_PROCESS_ROLES (KRaft) in its environment"
    )


def test_kafka_broker_without_zookeeper_is_refused(tmp_path: Path) -> None:
    """The catalogue broker runs in ZooKeeper mode: a kafka service (by kind or by a Kafka
    image) that depends on no zookeeper service is refused, at its depends_on when it has one
    and at the service otherwise, naming the zookeeper service to add when the stack has one."""
    path, diags = failures(tmp_path, KAFKA_WITHOUT_ZK)
    assert len(diags) == 2
    kafka = only(diags, "services.kafka")
    assert (kafka.file, kafka.line, kafka.col) == (
        str(path),
        *at(KAFKA_WITHOUT_ZK, "  kafka:", "kafka"),
    )
    assert kafka.message == _needs_zookeeper("add depends_on: [zk]")
    broker = only(diags, "services.broker.depends_on")
    assert (broker.line, broker.col) == at(KAFKA_WITHOUT_ZK, "depends_on: [backend]", "depends_on")
    assert broker.message == _needs_zookeeper("add depends_on: [zk]")
    # no zookeeper in the stack at all: the hint is to add one
    alone = KAFKA_WITHOUT_ZK.replace("  zk: {kind: zookeeper}\n", "")
    _, diags = failures(tmp_path, alone)
    assert only(diags, "services.kafka").message == _needs_zookeeper("add a zookeeper service")
    assert only(diags, "services.broker.depends_on").message == _needs_zookeeper(
        "add a zookeeper service"
    )


def test_relative_config_file_target_is_refused(tmp_path: Path) -> None:
    """config_files keys are the absolute container paths the files are mounted at."""
    text = B21.replace("/etc/otel.yaml: |", "otel.yaml: |")
    path, diags = failures(tmp_path, text)
    assert len(diags) == 1
    diag = only(diags, "services.collector.config_files.otel.yaml")
    assert (diag.file, diag.line, diag.col) == (str(path), *at(text, "otel.yaml: |", "otel.yaml"))
    assert diag.message == "must be an absolute container path, got 'otel.yaml'"


def test_b21_config_files_whose_names_sanitise_alike_keep_their_own_text(tmp_path: Path) -> None:
    """B21: every config file comes back with its own text, even when two file names (or a
    service and file name) sanitise to the same compose config name."""
    rendered = render(
        tmp_path,
        """
name: b21
services:
  collector:
    image: otel/x:1
    config_files:
      /etc/a b.yaml: "one"
      /etc/a_b.yaml: "two"
  collector_etc:
    image: otel/x:1
    config_files:
      /a_b.yaml: "three"
""",
    )
    configs = rendered.data["configs"]
    got = {
        (name, m["target"]): configs[m["source"]]["content"]
        for name, body in rendered.data["services"].items()
        for m in body["configs"]
    }
    assert got == {
        ("collector", "/etc/a b.yaml"): "one",
        ("collector", "/etc/a_b.yaml"): "two",
        ("collector_etc", "/a_b.yaml"): "three",
    }


def test_b08_probe_on_an_unknown_image_is_rendered_with_a_warning(tmp_path: Path) -> None:
    """B08: for an image not in the catalogue with a user-given probe, stackgen renders it but
    warns that the probe's tool cannot be verified; catalogue images and shorthands do not."""
    rendered = render(
        tmp_path,
        """
name: b08u
services:
  api:
    image: registry.example.test/unknown:1.0
    healthcheck:
      command: "mytool --check && echo ok"
  web:
    image: registry.example.test/web:1.0
    healthcheck: {http: "http://127.0.0.1:8080/"}
  db:
    image: postgres:16
    healthcheck:
      test: ["CMD", "pg_isready", "-h", "127.0.0.1"]
""",
    )
    assert [(w.path, w.message) for w in rendered.warnings] == [
        (
            "services.api.healthcheck.command",
            "cannot verify that mytool exists in registry.example.test/unknown:1.0",
        )
    ]


@pytest.mark.xfail(
    strict=True,
    reason="B32: stackgen has no rule yet that checks Highlight's URI variables against the "
    "profile's domains (tests/cases/reports/B32-highlight-uri-consistency/case.md)",
)
def test_b32_uri_variable_on_localhost_while_the_domain_is_public_is_refused(
    tmp_path: Path,
) -> None:
    """B32: REACT_APP_PUBLIC_GRAPH_URI names localhost while the stack is served on
    highlight.example.test: refused at the variable (strict xfail: passes the day a rule
    exists, and must then lose its mark)."""
    path, diags = failures(tmp_path, report_text("B32"))
    diag = only(diags, "services.frontend.environment.REACT_APP_PUBLIC_GRAPH_URI")
    assert diag.file == str(path)

"""startup-budget and the worst-case timeline.

Stacks from WordPress/wordpress-develop#12753 (MySQL's first start outlasting
``interval × retries``: "dependency failed to start: container … is unhealthy") and
truenas/apps#514 (a first start longer than 30 s + 5 × 10 s): a probe budget shorter than the
first start it has to wait for.
"""

from __future__ import annotations

from pathlib import Path

from rules.rulestools import refused, rendered

from helpers import REPO, run_stackgen
from stackgen.api import timeline_of
from stackgen.timeline import Probe

# clickhouse's first start: 60 s (catalog default); the app waits only for it to *start*
CHAIN = """\
name: chain
services:
  clickhouse: {kind: clickhouse, image: "clickhouse/clickhouse-server:24.3.15.72-alpine"}
  app:
    image: ghcr.io/example/app:1.0.0
    depends_on: {clickhouse: {condition: service_started}}
    healthcheck: {http: "http://127.0.0.1:8080/health", interval: 5s, timeout: 3s, retries: 3}
"""


def test_budget_is_start_period_plus_retries_times_interval_and_timeout() -> None:
    assert Probe(interval=10, timeout=5, retries=10, start_period=30).budget == 180


def test_a_chain_whose_first_start_outlasts_the_dependant_probe_is_refused(
    tmp_path: Path,
) -> None:
    (problem,) = refused(tmp_path, CHAIN)
    # no start_period key: the finding stands at the healthcheck
    assert (problem.line, problem.path) == (7, "services.app.healthcheck.start_period")
    # need: clickhouse serves 60 s after it starts, and app started with it;
    # budget: 0 + 3 × (5 + 3) = 24 s; start_period must cover 60 - 24 = 36 s
    assert problem.message == (
        "app may need 60s to serve on a first start (60s until clickhouse serves (it waits "
        "only for clickhouse to start) then its own first start 0s (not declared)), but its "
        "healthcheck gives up after 24s (start_period 0s + retries 3 × (interval 5s + "
        "timeout 3s)); fix: raise healthcheck.start_period to at least 36s (not retries: "
        "they would also delay noticing a crash later), or wait for clickhouse with "
        "condition: service_healthy (startup-budget)"
    )


def test_the_raised_start_period_renders(tmp_path: Path) -> None:
    fixed = CHAIN.replace("retries: 3}", "retries: 3, start_period: 40s}")
    app = rendered(tmp_path, fixed).data["services"]["app"]
    assert app["healthcheck"]["start_period"] == "40s"


def test_a_declared_first_start_longer_than_the_budget_names_both_numbers(
    tmp_path: Path,
) -> None:
    own = CHAIN.replace("condition: service_started", "condition: service_healthy").replace(
        "    image: ghcr.io/example/app:1.0.0\n",
        "    image: ghcr.io/example/app:1.0.0\n    first_start: 90s\n",
    )
    (problem,) = refused(tmp_path, own)
    assert problem.message.startswith(
        "app may need 90s to serve on a first start (its own first start 90s "
        "(services.app.first_start)), but its healthcheck gives up after 24s"
    )
    assert "raise healthcheck.start_period to at least 66s" in problem.message


def test_highlight_hobby_worst_case_timeline() -> None:
    line, _ = timeline_of([REPO / "profiles" / "highlight-hobby.yml"])
    got = {e.name: (e.start, e.ready, e.healthy) for e in line.entries}
    # zookeeper: F 30, probe 10 + 10 × (10 + 5) = 160 s, healthy by 30 + 10 + 5
    # kafka: after zookeeper (45), F 90 → 135, healthy by 45 + min(230, 90 + 10 + 10) = 155
    # collector: after kafka healthy (155), no probe, F 10; backend: starts with it and
    # waits for it to serve (165), healthy by 155 + min(460, 10 + 30 + 10) = 205
    # frontend: after backend (205), F 0, healthy by 205 + 10 + 5
    assert got == {
        "zookeeper": (0, 30, 45),
        "redis": (0, 10, 25),
        "postgres": (0, 30, 45),
        "clickhouse": (0, 60, 75),
        "kafka": (45, 135, 155),
        "collector": (155, 165, None),
        "backend": (155, 165, 205),
        "frontend": (205, 205, 220),
    }
    assert line.total == 220


def test_graph_timeline_prints_text_and_a_mermaid_gantt() -> None:
    profile = "profiles/highlight-hobby.yml"
    text = run_stackgen("graph", profile, "--timeline", "--format", "text")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0] == "# worst-case startup of highlight: all healthy by 220s"
    assert lines[6].split()[:5] == ["kafka", "45s", "135s", "155s", "230s"]
    gantt = run_stackgen("graph", profile, "--timeline")
    assert gantt.returncode == 0, gantt.stderr
    chart = gantt.stdout.splitlines()
    assert chart[0] == "gantt"
    assert "    dateFormat X" in chart
    at = chart.index("    section kafka")
    assert chart[at + 1 : at + 3] == ["    starting : 45, 135", "    probe : 135, 155"]
    refused_dot = run_stackgen("graph", profile, "--timeline", "--format", "dot")
    assert refused_dot.returncode == 2

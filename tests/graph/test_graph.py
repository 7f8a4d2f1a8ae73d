"""``stackgen graph``: the startup graph (waves, conditions, healthchecks) as Mermaid and DOT,
from profiles and compose files, and embedded in the markdown diff report."""

from __future__ import annotations

from pathlib import Path

import pydot
import pytest

from helpers import REAL, REPO, run_stackgen
from stackgen.api import graph_of
from stackgen.diff.normalise import normalise
from stackgen.errors import InputError
from stackgen.graph import Edge, StartupGraph, render_graph, startup_graph, to_dot, to_mermaid

SHOP = """\
name: shop
services:
  web:
    image: nginx:1.27
    depends_on:
      api: {condition: service_healthy, restart: true}
      cache: {condition: service_started, required: false}
  api:
    image: shop/api:1
    depends_on: [db]
    healthcheck: {test: [CMD, /health]}
  db:
    image: postgres:16
    healthcheck: {test: pg_isready}
  cache:
    image: redis:7
    healthcheck: {disable: true}
"""

SHOP_MERMAID = """\
flowchart TD
    %% stackgen graph: startup order of shop
    %% wave 1: db, cache
    %% wave 2: api
    %% wave 3: web
    s_db(["db (healthcheck)"]):::healthcheck
    s_cache["cache"]
    s_api(["api (healthcheck)"]):::healthcheck
    s_web["web"]
    s_db -->|"service_started"| s_api
    s_api -->|"service_healthy, restart"| s_web
    s_cache -->|"service_started, optional"| s_web
    classDef healthcheck stroke-width:3px
    classDef undefined stroke-dasharray:5 5
"""

SHOP_DOT = """\
digraph "shop" {
  // wave 1: db, cache
  // wave 2: api
  // wave 3: web
  rankdir=TB;
  node [shape=box];
  "db" [label="db\\n(healthcheck)", style="rounded,bold"];
  "cache";
  "api" [label="api\\n(healthcheck)", style="rounded,bold"];
  "web";
  "db" -> "api" [label="service_started"];
  "api" -> "web" [label="service_healthy, restart"];
  "cache" -> "web" [label="service_started, optional"];
}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_compose_file_as_mermaid_and_dot(tmp_path: Path) -> None:
    # list-form depends_on means service_started (compose spec), whatever the target has;
    # `disable: true` is no healthcheck
    compose = write(tmp_path, "compose.yml", SHOP)
    mermaid = run_stackgen("graph", str(compose))
    assert mermaid.returncode == 0, mermaid.stderr
    assert mermaid.stdout == SHOP_MERMAID
    dot = run_stackgen("graph", str(compose), "--format", "dot")
    assert dot.returncode == 0, dot.stderr
    assert dot.stdout == SHOP_DOT


def test_dot_parses_with_a_dot_parser() -> None:
    (parsed,) = pydot.graph_from_dot_data(SHOP_DOT)
    edges = {(e.get_source(), e.get_destination(), e.get("label")) for e in parsed.get_edges()}
    assert edges == {
        ('"db"', '"api"', '"service_started"'),
        ('"api"', '"web"', '"service_healthy, restart"'),
        ('"cache"', '"web"', '"service_started, optional"'),
    }
    assert parsed.get_node('"db"')[0].get("style") == '"rounded,bold"'


def test_highlight_profile_waits_for_healthy_infrastructure() -> None:
    graph, warnings = graph_of([REPO / "profiles" / "highlight-hobby.yml"])
    assert warnings == ()
    assert graph.name == "highlight"
    assert graph.waves() == [
        ["zookeeper", "redis", "postgres", "clickhouse"],
        ["kafka"],
        ["collector"],
        ["backend"],
        ["frontend"],
    ]
    edges = {(e.dependency, e.dependent): e.condition for e in graph.edges}
    assert edges == {
        ("zookeeper", "kafka"): "service_healthy",
        ("kafka", "collector"): "service_healthy",
        ("clickhouse", "collector"): "service_healthy",
        ("postgres", "backend"): "service_healthy",
        ("redis", "backend"): "service_healthy",
        ("clickhouse", "backend"): "service_healthy",
        ("kafka", "backend"): "service_healthy",
        # the collector image has no shell tool to probe with: no healthcheck, so started
        ("collector", "backend"): "service_started",
        ("backend", "frontend"): "service_healthy",
    }
    unhealthy = {n.name for n in graph.nodes if not n.healthcheck}
    assert unhealthy == {"collector"}


@pytest.mark.fixtures
def test_upstream_highlight_files_merged_like_compose_f() -> None:
    real = REAL / "highlight"
    proc = run_stackgen(
        "graph", str(real / "compose.yml"), str(real / "compose.hobby.yml"), "--format", "dot"
    )
    assert proc.returncode == 0, proc.stderr
    (parsed,) = pydot.graph_from_dot_data(proc.stdout)
    edges = {(e.get_source(), e.get_destination(), e.get("label")) for e in parsed.get_edges()}
    # upstream: kafka lists zookeeper in short form, nothing else waits for anything
    assert edges == {('"zookeeper"', '"kafka"', '"service_started"')}
    assert '"postgres" [label="postgres\\n(healthcheck)"' in proc.stdout
    assert '"backend";' in proc.stdout and '"frontend";' in proc.stdout


@pytest.mark.fixtures
def test_every_real_fixture_draws() -> None:
    files = sorted((REAL).glob("*/*.y*ml"))
    assert len(files) >= 10
    for path in files:
        graph, _ = graph_of([path])
        (parsed,) = pydot.graph_from_dot_data(to_dot(graph))
        assert len(parsed.get_edges()) == len(graph.edges), path
        assert not graph.cycle, path


def test_cycle_is_drawn_and_named(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        "c.yml",
        "services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, depends_on: [a]}\n"
        "  c: {image: x}\n",
    )
    proc = run_stackgen("graph", str(compose))
    assert proc.returncode == 0, proc.stderr
    assert "dependency cycle: a -> b -> a (docker compose refuses it)" in proc.stderr
    assert "    %% wave 1: c\n" in proc.stdout
    assert "    %% dependency cycle: a -> b -> a\n" in proc.stdout
    assert '    s_b -->|"service_started"| s_a\n' in proc.stdout
    assert '    s_a -->|"service_started"| s_b\n' in proc.stdout


def test_undefined_target_and_awkward_names() -> None:
    data = normalise(
        {
            "services": {
                "end": {"image": "x", "depends_on": ["ghost"]},
                "a-b": {"image": "x"},
                "a.b": {"image": "x", "depends_on": {"a-b": {"condition": "service_started"}}},
            }
        }
    ).data
    graph = startup_graph(data)
    assert [(n.name, n.wave, n.defined) for n in graph.nodes] == [
        ("end", 1, True),
        ("a-b", 1, True),
        ("a.b", 2, True),
        ("ghost", 0, False),
    ]
    text = to_mermaid(graph)
    # Mermaid's `end` keyword and the `-`/`.` clash are kept out of the ids
    assert '    s_end["end"]\n' in text
    assert '    s_a_b["a-b"]\n' in text
    assert '    s_a_b_2["a.b"]\n' in text
    assert '    s_ghost["ghost (not defined)"]:::undefined\n' in text
    assert '    s_ghost -->|"service_started"| s_end\n' in text
    assert '    s_a_b -->|"service_started"| s_a_b_2\n' in text


def test_quotes_are_escaped() -> None:
    graph = StartupGraph('say "hi"', (), (Edge("a", "b", 'odd "label"'),))
    dot = to_dot(StartupGraph('say "hi"', (), ()))
    assert dot.startswith('digraph "say \\"hi\\"" {\n')
    assert pydot.graph_from_dot_data(dot)
    assert Edge("a", "b", 'odd "label"').label == 'odd "label"'
    assert graph.waves() == []


def test_unknown_format_is_bad_input() -> None:
    with pytest.raises(InputError):
        render_graph(StartupGraph(None, (), ()), "svg")
    proc = run_stackgen("graph", "profiles/minimal.yml", "--format", "svg")
    assert proc.returncode == 2
    assert "'svg' is not one of mermaid, dot" in proc.stderr


def test_bad_input_exits_2_with_position(tmp_path: Path) -> None:
    bad = write(tmp_path, "c.yml", "services:\n  a:\n    image: x\n    image: y\n")
    proc = run_stackgen("graph", str(bad))
    assert proc.returncode == 2
    assert f"{bad}:4:5: services.a.image: duplicate key" in proc.stderr
    assert "Traceback" not in proc.stderr
    profile = REPO / "profiles" / "minimal.yml"
    two = run_stackgen("graph", str(profile), str(profile))
    assert two.returncode == 2
    assert (
        "looks like a stackgen profile" in two.stderr and "give a profile on its own" in two.stderr
    )


def test_profile_set_overrides_apply() -> None:
    proc = run_stackgen(
        "graph",
        "profiles/minimal.yml",
        "--set",
        "services.web.depends_on.db.condition=service_started",
    )
    assert proc.returncode == 0, proc.stderr
    assert '    s_db -->|"service_started"| s_web\n' in proc.stdout
    default = run_stackgen("graph", "profiles/minimal.yml")
    assert '    s_db -->|"service_healthy"| s_web\n' in default.stdout


def test_markdown_diff_embeds_the_graph_of_the_chosen_side(tmp_path: Path) -> None:
    left = REPO / "profiles" / "minimal.yml"
    right = write(
        tmp_path,
        "compose.yml",
        (REPO / "out" / "minimal" / "compose.yml")
        .read_text()
        .replace("service_healthy", "service_started"),
    )
    proc = run_stackgen("diff", str(left), str(right), "--format", "markdown", "--graph", "right")
    assert proc.returncode == 1, proc.stderr
    head, _, drawing = proc.stdout.partition(
        f"\n#### Startup order (right: {right})\n\n```mermaid\n"
    )
    assert head.startswith("**stackgen diff**: 1 change in 1 service")
    assert drawing.endswith("```\n")
    assert '    s_db -->|"service_started"| s_web\n' in drawing
    left_side = run_stackgen(
        "diff", str(left), str(right), "--format", "markdown", "--graph", "left"
    )
    assert '    s_db -->|"service_healthy"| s_web\n' in left_side.stdout
    assert f"#### Startup order (left: {left})" in left_side.stdout
    text = run_stackgen("diff", str(left), str(right), "--graph", "right")
    assert text.returncode == 2
    assert "goes with --format markdown" in text.stderr


def test_docs_show_the_real_highlight_drawing() -> None:
    proc = run_stackgen("graph", "profiles/highlight-hobby.yml")
    assert proc.returncode == 0, proc.stderr
    docs = (REPO / "docs" / "graph.md").read_text(encoding="utf-8")
    assert f"```mermaid\n{proc.stdout}```\n" in docs


def test_rendered_file_draws_like_its_profile() -> None:
    profile = run_stackgen("graph", "profiles/highlight-hobby.yml")
    rendered = run_stackgen("graph", "out/highlight-hobby/compose.yml", "--input-type", "compose")
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stdout == profile.stdout
    bad = run_stackgen("graph", "profiles/minimal.yml", "--input-type", "yaml")
    assert bad.returncode == 2

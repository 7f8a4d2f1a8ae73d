"""Issue 18: diff anything against anything, and changes at the level a reviewer thinks in
(a route, not its labels; replicas, probes, dependencies in their own categories)."""

from __future__ import annotations

import json
from pathlib import Path

from diff.difftools import run_diff, write_text

from helpers import REPO, run_stackgen
from stackgen.diff.graphs import graph_blocks, graph_changed
from stackgen.diff.routes import service_routes

HOBBY = REPO / "profiles" / "highlight-hobby.yml"
STAGING = REPO / "profiles" / "highlight-staging.yml"


def test_two_profiles_renamed_domains_are_route_changes_not_label_rows() -> None:
    result = run_diff(HOBBY, STAGING)
    routes = {c.path: (c.kind, c.left, c.right) for c in result.changes if c.category == "routes"}
    # staging renames all four domains (highlight-staging.yml `domains:`), same targets
    assert routes == {
        "services.backend.routes[api.example.test]": (
            "changed",
            "api.example.test → backend:8082",
            "api.staging.example.test → backend:8082",
        ),
        "services.frontend.routes[app.example.test]": (
            "changed",
            "app.example.test → frontend:3001",
            "app.staging.example.test → frontend:3001",
        ),
        "services.frontend.routes[pub.example.test]": (
            "changed",
            "pub.example.test → frontend:8081",
            "pub.staging.example.test → frontend:8081",
        ),
        "services.frontend.routes[storybook.example.test]": (
            "changed",
            "storybook.example.test → frontend:6006",
            "storybook.staging.example.test → frontend:6006",
        ),
    }
    assert not [c for c in result.changes if ".labels" in c.path]
    memory = [c for c in result.changes if c.path.endswith("limits.memory")]
    assert {(c.service, c.right, c.category) for c in memory} == {
        ("backend", "8g", "resources"),
        ("clickhouse", "8g", "resources"),
    }
    assert result.right_type == "profile" and result.left_type == "profile"


def test_route_label_forms() -> None:
    labels = {
        "traefik.http.routers.a.rule": "Host(`a.test`) || Host(`b.test`, `c.test`)",
        "traefik.http.routers.a.service": "s",
        "traefik.http.services.s.loadbalancer.server.port": "80",
        "traefik.http.routers.p.rule": "Host(`a.test`) && PathPrefix(`/api`)",
        "traefik.http.routers.p.service": "api@internal",
    }
    found = {(r.host, r.target) for r in service_routes("web", {"labels": labels})}
    assert found == {
        ("a.test", "web:80"),
        ("b.test", "web:80"),
        ("c.test", "web:80"),
        ("Host(`a.test`) && PathPrefix(`/api`)", "api@internal"),
    }
    # one Traefik service on the container: a router without a service label uses it
    lone = {"traefik.http.routers.x.rule": "Host(`x.test`)"}
    lone["traefik.http.services.only.loadbalancer.server.port"] = "3000"
    assert [r.target for r in service_routes("app", {"labels": lone})] == ["app:3000"]
    # no port label: Traefik picks the port itself
    bare = {"traefik.http.routers.x.rule": "Host(`x.test`)"}
    assert [r.target for r in service_routes("app", {"labels": bare})] == ["app:?"]
    # disabled: no routes at all
    off = {**labels, "traefik.enable": "false"}
    assert service_routes("web", {"labels": off}) == []


COMPOSE = """\
services:
  web:
    image: nginx:1.27
    labels:
      traefik.enable: "true"
      traefik.http.routers.w.rule: Host(`{host}`)
      traefik.http.routers.w.service: w
      traefik.http.services.w.loadbalancer.server.port: "{port}"
      com.example.team: {team}
    deploy:
      replicas: {replicas}
    depends_on: [db]
    healthcheck:
      test: [CMD, nginx, -t]
      interval: {interval}
  db:
    image: postgres:16
"""


def _compose(tmp: Path, name: str, **values: object) -> Path:
    base = {"host": "a.test", "port": 80, "team": "web", "replicas": 2, "interval": "10s"}
    return write_text(tmp, name, COMPOSE.format(**{**base, **values}))


def test_categories_and_a_route_that_changes_port(tmp_path: Path) -> None:
    left = _compose(tmp_path, "left.yml")
    right = _compose(tmp_path, "right.yml", port=8080, team="ops", replicas=3, interval="5s")
    found = {(c.path, c.category, c.left, c.right) for c in run_diff(left, right).changes}
    assert found == {
        ("services.web.routes[a.test]", "routes", "a.test → web:80", "a.test → web:8080"),
        ("services.web.labels.com.example.team", "other", "web", "ops"),
        ("services.web.deploy.replicas", "replicas", 2, 3),
        ("services.web.healthcheck.interval", "probes", "10s", "5s"),
    }
    # readiness still names probes and dependencies together
    assert run_diff(left, right, fail_on=["readiness"]).exit_code == 1
    assert run_diff(left, right, fail_on=["network"]).exit_code == 0


def test_a_new_file_against_dev_null_is_all_additions_by_category(tmp_path: Path) -> None:
    right = _compose(tmp_path, "compose.yml")
    result = run_diff(Path("/dev/null"), right)
    assert result.left_type == "empty"
    found = {(c.path, c.kind, c.category) for c in result.changes}
    assert found == {
        ("services.web.image", "added", "image"),
        ("services.web.deploy.replicas", "added", "replicas"),
        ("services.web.depends_on", "added", "dependencies"),
        ("services.web.healthcheck", "added", "probes"),
        # the labels less the route labels
        ("services.web.labels", "added", "other"),
        ("services.web.routes[a.test]", "added", "routes"),
        ("services.db.image", "added", "image"),
    }
    labels = next(c for c in result.changes if c.path == "services.web.labels")
    assert labels.right == {"com.example.team": "web"}
    replicas = next(c for c in result.changes if c.path == "services.web.deploy.replicas")
    assert (replicas.file, replicas.line) == (str(right), 11)
    # the other way round: everything removed
    gone = run_diff(right, Path("/dev/null"))
    assert {c.kind for c in gone.changes} == {"removed"}
    assert len(gone.changes) == 7


def test_a_side_of_several_files_on_the_left(tmp_path: Path) -> None:
    base = _compose(tmp_path, "compose.yml")
    over = write_text(
        tmp_path, "compose.prod.yml", "services:\n  web:\n    deploy: {replicas: 5}\n"
    )
    right = _compose(tmp_path, "other.yml", replicas=5)
    proc = run_stackgen("diff", "--left", str(base), "--left", str(over), str(right))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{base} + {over} vs {right}: no drift" in proc.stdout
    # and on the right: a profile first, then a compose override merged on top of it
    prod = write_text(tmp_path, "over.yml", "services:\n  backend:\n    deploy: {replicas: 1}\n")
    proc = run_stackgen("diff", str(HOBBY), str(HOBBY), str(prod), "--format", "json")
    assert (proc.returncode, json.loads(proc.stdout)["changes"]) == (0, []), proc.stderr


def test_graph_before_after_only_when_the_dependency_graph_changed(tmp_path: Path) -> None:
    left = _compose(tmp_path, "left.yml")
    same_graph = _compose(tmp_path, "right.yml", replicas=4)
    a, b = run_diff(left, same_graph), None
    assert not graph_changed(a.left_stack, a.right_stack)
    assert graph_blocks("changed", a.left_stack, a.right_stack, "l", "r") == []
    text = COMPOSE.format(host="a.test", port=80, team="x", replicas=2, interval="1s")
    other = write_text(tmp_path, "other.yml", text.replace("depends_on: [db]", "depends_on: []"))
    b = run_diff(left, other)
    assert graph_changed(b.left_stack, b.right_stack)
    blocks = graph_blocks("changed", b.left_stack, b.right_stack, "l.yml", "r.yml")
    assert [title for title, _ in blocks] == [
        "Startup order before (l.yml)",
        "Startup order after (r.yml)",
    ]
    assert "s_db -->" in blocks[0][1] and "s_db -->" not in blocks[1][1]
    proc = run_stackgen(
        "diff", str(left), str(same_graph), "--format", "markdown", "--graph", "changed"
    )
    assert proc.returncode == 1 and "mermaid" not in proc.stdout

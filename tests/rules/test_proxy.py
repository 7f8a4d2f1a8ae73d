"""proxy-static-upstream and proxy-upstream-restart: proxies that keep forwarding to the
address a restarted service had.

From langgenius/dify#40448 and er0080/vllm-benchmarking#62 (a literal ``proxy_pass`` resolved
once: 502 after the upstream is recreated), getsentry/self-hosted#4492 (the same with an
``upstream`` block) and docker/compose#13211 (nginx in front of a recreated service).
"""

from __future__ import annotations

from pathlib import Path

from rules.rulestools import refused, rendered, services

NGINX = """\
name: edge
services:
  backend:
    image: ghcr.io/example/backend:1.4.0
    healthcheck: {http: "http://127.0.0.1:8082/health"}
  proxy:
    image: nginx:1.27-alpine
    ports: ["8080:80"]
    depends_on: [backend]
    config_files:
      /etc/nginx/conf.d/default.conf: |
        server {
          listen 80;
          location / {
            proxy_pass http://backend:8082;
          }
        }
"""
RESOLVING = NGINX.replace(
    "          listen 80;\n", "          listen 80;\n          resolver 127.0.0.11 valid=10s;\n"
).replace(
    "            proxy_pass http://backend:8082;\n",
    "            set $backend_upstream http://backend:8082;\n"
    "            proxy_pass $backend_upstream;\n",
)
HAPROXY = """\
name: edge
services:
  backend:
    image: ghcr.io/example/backend:1.4.0
    healthcheck: {http: "http://127.0.0.1:8082/health"}
  db: {kind: postgres, image: "postgres:16"}
  lb:
    image: haproxy:3.0
    depends_on: [backend, db]
"""


def test_a_static_nginx_proxy_pass_is_refused_with_the_fix(tmp_path: Path) -> None:
    (problem,) = refused(tmp_path, NGINX)
    assert (problem.line, problem.path) == (
        11,
        "services.proxy.config_files./etc/nginx/conf.d/default.conf",
    )
    assert problem.message == (
        "proxy: proxy_pass http://backend:8082 is resolved once, when nginx starts; after "
        "backend restarts with a new address every request gets 502 until proxy restarts; "
        "fix: resolver 127.0.0.11 valid=10s; set $backend_upstream http://backend:8082; "
        "proxy_pass $backend_upstream; (a variable makes nginx resolve backend per request "
        "through Docker's DNS) (proxy-static-upstream)"
    )


def test_the_resolver_and_variable_fix_renders(tmp_path: Path) -> None:
    result = rendered(tmp_path, RESOLVING)
    (config,) = result.data["configs"].values()
    # a literal `$` in config content is written `$$` for compose
    assert "proxy_pass $$backend_upstream;" in config["content"]
    assert "restart" not in services(result)["proxy"]["depends_on"]["backend"]


def test_an_upstream_block_is_resolved_once_too(tmp_path: Path) -> None:
    text = NGINX.replace(
        "        server {\n",
        "        upstream api { server backend:8082 max_fails=3; }\n        server {\n",
    ).replace("proxy_pass http://backend:8082;", "proxy_pass http://api;")
    (problem,) = refused(tmp_path, text)
    assert problem.message.startswith(
        "proxy: proxy_pass http://api (upstream api: server backend:8082) is resolved once"
    )
    assert "set $backend_upstream http://backend:8082;" in problem.message


def test_a_variable_without_resolver_cannot_resolve_at_all(tmp_path: Path) -> None:
    text = RESOLVING.replace("          resolver 127.0.0.11 valid=10s;\n", "")
    (problem,) = refused(tmp_path, text)
    assert problem.message.startswith(
        "proxy: proxy_pass $backend_upstream uses a variable but no resolver 127.0.0.11"
    )


def test_other_proxies_restart_with_their_application_upstreams(tmp_path: Path) -> None:
    (problem,) = refused(tmp_path, HAPROXY)
    # the database is not an upstream; the list entry's own position
    assert (problem.line, problem.col, problem.path) == (9, 18, "services.lb.depends_on.backend")
    assert problem.message == (
        "lb is an HAProxy reverse proxy forwarding to backend, and nothing restarts it when "
        "backend restarts with a new address: requests get 502 until lb restarts; fix: "
        "depends_on: {backend: {condition: service_healthy, restart: true}} "
        "(proxy-upstream-restart)"
    )
    fixed = HAPROXY.replace(
        "    depends_on: [backend, db]\n",
        "    depends_on:\n      backend: {condition: service_healthy, restart: true}\n"
        "      db: {condition: service_healthy}\n",
    )
    assert services(rendered(tmp_path, fixed))["lb"]["depends_on"]["backend"] == {
        "condition": "service_healthy",
        "restart": True,
    }


def test_traefik_follows_containers_and_proxy_false_opts_out(tmp_path: Path) -> None:
    traefik = HAPROXY.replace("haproxy:3.0", "traefik:v3.1")
    assert "lb" in services(rendered(tmp_path, traefik))
    declined = HAPROXY.replace(
        "    image: haproxy:3.0\n", "    image: haproxy:3.0\n    proxy: false\n"
    )
    assert "lb" in services(rendered(tmp_path, declined))
    declared = HAPROXY.replace("haproxy:3.0", "ghcr.io/example/edge:1.0.0").replace(
        "    depends_on: [backend, db]\n", "    proxy: true\n    depends_on: [backend, db]\n"
    )
    (problem,) = refused(tmp_path, declared)
    assert problem.message.startswith("lb is a reverse proxy (proxy: true) forwarding to backend")

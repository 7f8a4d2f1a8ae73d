"""Mapping rules on small profiles, in process (docs/kubernetes.md, key by key)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from stackgen.api import render_targets
from stackgen.errors import InputError


def _render(tmp_path: Path, text: str) -> tuple[dict[tuple[str, str], dict[str, Any]], Any]:
    path = tmp_path / "p.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    (out,) = render_targets(path, target="kubernetes")
    docs = {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(out.text) if d}
    return docs, out.report


def _container(doc: dict[str, Any]) -> dict[str, Any]:
    (c,) = doc["spec"]["template"]["spec"]["containers"]
    return dict(c)


def test_command_entrypoint_user_workdir_resources(tmp_path: Path) -> None:
    docs, _ = _render(
        tmp_path,
        """\
        name: shop
        services:
          web:
            image: shop/web:1
            entrypoint: [/bin/app]
            command: [serve, --port, "8080"]
            working_dir: /srv
            user: "1000:2000"
            replicas: 3
            resources: {memory: 1536MiB, cpus: 1.5, reservations: {memory: 512MiB, cpus: 0.25}}
        """,
    )
    web = docs[("Deployment", "web")]
    c = _container(web)
    assert c["command"] == ["/bin/app"]
    assert c["args"] == ["serve", "--port", "8080"]
    assert c["workingDir"] == "/srv"
    assert c["securityContext"] == {"runAsUser": 1000, "runAsGroup": 2000}
    assert c["resources"] == {
        "limits": {"cpu": "1500m", "memory": "1536Mi"},
        "requests": {"cpu": "250m", "memory": "512Mi"},
    }
    assert web["spec"]["replicas"] == 3
    labels = {"app.kubernetes.io/name": "web", "app.kubernetes.io/part-of": "shop"}
    assert web["spec"]["selector"]["matchLabels"] == labels
    assert web["spec"]["template"]["metadata"]["labels"] == labels
    assert ("Service", "web") not in docs  # listens on no port


def test_volume_names_claims_and_config_files(tmp_path: Path) -> None:
    docs, report = _render(
        tmp_path,
        """\
        name: shop
        kubernetes: {storage_class: fast, volume_sizes: {pg_data: 20GiB}}
        services:
          db:
            kind: postgres
            volumes: ["pg_data:/var/lib/postgresql/data", {type: tmpfs, target: /tmp}]
            config_files:
              /etc/postgresql/extra.conf: "max_connections = 50\\n"
        """,
    )
    db = docs[("StatefulSet", "db")]
    (claim,) = db["spec"]["volumeClaimTemplates"]
    assert claim["metadata"]["name"] == "pg-data"
    assert claim["spec"] == {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": "20Gi"}},
        "storageClassName": "fast",
    }
    mounts = {m["mountPath"]: m for m in _container(db)["volumeMounts"]}
    assert mounts["/var/lib/postgresql/data"]["name"] == "pg-data"
    assert mounts["/etc/postgresql/extra.conf"] == {
        "name": "stackgen-config",
        "mountPath": "/etc/postgresql/extra.conf",
        "subPath": "etc_postgresql_extra.conf",
        "readOnly": True,
    }
    volumes = {v["name"]: v for v in db["spec"]["template"]["spec"]["volumes"]}
    assert volumes["tmpfs-1"] == {"name": "tmpfs-1", "emptyDir": {"medium": "Memory"}}
    assert volumes["stackgen-config"]["configMap"] == {"name": "db-files"}
    cm = docs[("ConfigMap", "db-files")]
    assert cm["data"] == {"etc_postgresql_extra.conf": "max_connections = 50\n"}
    assert any("claim pg-data (volume pg_data)" in n.detail for n in report.notes)


def test_service_type_for_published_ports(tmp_path: Path) -> None:
    docs, _ = _render(
        tmp_path,
        """\
        name: shop
        kubernetes: {service_type: LoadBalancer}
        services:
          web: {image: shop/web:1, ports: ["80:8080", "127.0.0.1:9090:9090"]}
          db: {kind: postgres, ports: ["5432:5432"]}
        """,
    )
    assert docs[("Service", "web")]["spec"]["type"] == "LoadBalancer"
    assert [p["port"] for p in docs[("Service", "web")]["spec"]["ports"]] == [8080, 9090]
    # a StatefulSet keeps its headless Service and gets a public one for published ports
    assert docs[("Service", "db")]["spec"]["clusterIP"] == "None"
    public = docs[("Service", "db-public")]["spec"]
    assert public["type"] == "LoadBalancer"
    assert public["ports"] == [{"name": "tcp-5432", "port": 5432, "targetPort": "tcp-5432"}]


def test_service_started_waits_for_the_port(tmp_path: Path) -> None:
    docs, _ = _render(
        tmp_path,
        """\
        name: shop
        services:
          api: {image: shop/api:1, expose: [9000]}
          web: {image: shop/web:1, depends_on: [api]}
        """,
    )
    (init,) = docs[("Deployment", "web")]["spec"]["template"]["spec"]["initContainers"]
    assert init["name"] == "wait-api" and init["image"] == "busybox:1.37"
    assert "until nc -z -w 2 api 9000; do" in init["command"][2]


def test_shell_probe_reads_the_dependency_env(tmp_path: Path) -> None:
    docs, _ = _render(
        tmp_path,
        """\
        name: shop
        sensitive: [DB_USER]
        services:
          db:
            image: postgres:16
            environment: {DB_USER: app}
            healthcheck: {command: "pg_isready -h localhost -U $DB_USER", interval: 2s, retries: 3}
          web:
            image: shop/web:1
            depends_on: [db]
        """,
    )
    (init,) = docs[("Deployment", "web")]["spec"]["template"]["spec"]["initContainers"]
    assert "until ( pg_isready -h db -U $DB_USER ); do" in init["command"][2]
    # DB_USER is sensitive: the wait reads it from the Secret, as the db container does
    assert init["env"] == [
        {"name": "DB_USER", "valueFrom": {"secretKeyRef": {"name": "shop-env", "key": "DB_USER"}}}
    ]
    probe = _container(docs[("StatefulSet", "db")])["readinessProbe"]  # postgres:16: kind postgres
    assert probe["exec"] == {"command": ["sh", "-c", "pg_isready -h 127.0.0.1 -U $DB_USER"]}
    assert (probe["periodSeconds"], probe["failureThreshold"]) == (2, 3)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("  web: {image: '${IMG}'}\n", "services.web.image"),
        ("  web: {image: x, volumes: ['/srv/data:/data']}\n", "services.web.volumes[0]"),
    ],
)
def test_refusals_name_the_key(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "p.yml"
    path.write_text("name: shop\nservices:\n" + text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        render_targets(path, target="kubernetes")
    (diag,) = caught.value.diagnostics
    assert diag.path == where and diag.line == 3

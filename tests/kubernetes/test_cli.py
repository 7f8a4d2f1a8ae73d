"""``stackgen render --target kubernetes`` end to end: streams, exit codes, errors at their
profile positions, nothing written on failure, no secret value in any output."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import yaml

from helpers import run_stackgen

BASE = """\
name: shop
targets: [kubernetes]
kubernetes: {namespace: shop}
services:
  db:
    kind: postgres
    environment: {POSTGRES_PASSWORD: s3cret-Value-42}
  web:
    image: nginx:1.27
    ports: [8080]
    depends_on: [db]
    healthcheck: {http: "http://localhost:8080/"}
    environment:
      DATABASE_URL: "postgres://app:${DB_PASS}@db/shop"
      GREETING: "cost $(5)"
domains:
  shop.example.test: web:8080
"""


def _profile(tmp_path: Path, text: str = BASE, name: str = "shop.yml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_stdout_and_default_path(tmp_path: Path) -> None:
    profile = _profile(tmp_path)
    out = run_stackgen("render", str(profile), "-o", "-", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    docs = list(yaml.safe_load_all(out.stdout))
    kinds = [(d["kind"], d["metadata"]["name"]) for d in docs]
    assert kinds == [
        ("Namespace", "shop"),
        ("Service", "db"),
        ("StatefulSet", "db"),
        ("Service", "web"),
        ("Deployment", "web"),
        ("Ingress", "shop"),
    ]
    wrote = run_stackgen("render", str(profile), cwd=tmp_path)
    assert wrote.returncode == 0, wrote.stderr
    assert wrote.stderr.strip() == "wrote out/shop/kubernetes.yml"
    assert (tmp_path / "out/shop/kubernetes.yml").read_text() == out.stdout
    assert not (tmp_path / "out/shop/compose.yml").exists()  # targets: [kubernetes]
    again = run_stackgen("render", str(profile), "-o", "-", cwd=tmp_path)
    assert again.stdout == out.stdout  # byte-identical for the same input
    assert run_stackgen("render", "--check", str(profile), cwd=tmp_path).returncode == 0


def test_no_secret_value_in_manifests_or_report(tmp_path: Path) -> None:
    profile = _profile(tmp_path)
    out = run_stackgen("render", str(profile), "-o", "-", "--report", "json", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "s3cret-Value-42" not in out.stdout + out.stderr
    report = json.loads(out.stderr)  # -o - owns stdout: the report goes to stderr
    assert report["secret"]["keys"] == {
        "POSTGRES_PASSWORD": ["db: POSTGRES_PASSWORD (secret name)"],
        "DB_PASS": ["web: DATABASE_URL reads ${DB_PASS}"],
    }
    assert report["secret"]["create"] == (
        "kubectl create secret generic shop-env --namespace shop --from-env-file=.env"
    )
    web = next(d for d in yaml.safe_load_all(out.stdout) if d["kind"] == "Deployment")
    env = {e["name"]: e for e in web["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["DATABASE_URL"]["value"] == "postgres://app:$(DB_PASS)@db/shop"
    assert env["GREETING"]["value"] == "cost $$(5)"  # the container gets "cost $(5)"
    assert env["DB_PASS"]["valueFrom"]["secretKeyRef"] == {"name": "shop-env", "key": "DB_PASS"}


def test_report_formats(tmp_path: Path) -> None:
    profile = _profile(tmp_path)
    text = run_stackgen("render", str(profile), "--report", "text", cwd=tmp_path)
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith(
        "Kubernetes translation of shop (Kubernetes 1.37, namespace shop)"
    )
    assert "  mapped       depends_on.db: init container wait-db" in text.stdout
    md = run_stackgen("render", str(profile), "--report", "markdown", "--check", cwd=tmp_path)
    assert md.stdout.startswith("## Kubernetes translation of `shop`")
    assert "| web | `domains.shop.example.test` | mapped |" in md.stdout
    bad = run_stackgen("render", str(profile), "--report", "yaml", cwd=tmp_path)
    assert bad.returncode == 2


def _fails(tmp_path: Path, text: str) -> str:
    profile = _profile(tmp_path, text)
    out = run_stackgen("render", str(profile), "--target", "kubernetes", cwd=tmp_path)
    assert out.returncode == 2, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "out").exists()  # nothing written
    return out.stderr


def test_build_without_image_is_an_error_naming_service_and_key(tmp_path: Path) -> None:
    err = _fails(
        tmp_path,
        """\
        name: shop
        services:
          worker:
            build: {context: .}
        """,
    )
    assert err.startswith(
        f"{tmp_path / 'shop.yml'}:4:5: services.worker.build: is built by compose"
    )
    assert "kubernetes.drop.worker: [build]" in err


def test_build_dropped_by_the_profile(tmp_path: Path) -> None:
    profile = _profile(
        tmp_path,
        """\
        name: shop
        kubernetes: {drop: {worker: [build]}}
        services:
          worker:
            build: {context: .}
          web: {image: nginx:1.27, ports: [80], depends_on: [worker], proxy: false}
        """,
    )
    # proxy: false: this nginx serves files; as a proxy of worker it would need restart: true
    # on the dependency (proxy-upstream-restart, docs/check.md)
    out = run_stackgen(
        "render",
        str(profile),
        "--target",
        "kubernetes",
        "-o",
        "-",
        "--report",
        "text",
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert "worker" not in out.stdout
    assert "dropped      build: compose builds this service" in out.stderr
    assert "dropped      depends_on.worker: worker is left out" in out.stderr


def test_bind_mount_of_a_directory_is_an_error_unless_dropped(tmp_path: Path) -> None:
    text = """\
        name: shop
        services:
          db:
            kind: postgres
            volumes: ["./pgdata:/var/lib/postgresql/data", "./init.sql:/docker-entrypoint-initdb.d/init.sql"]
        """
    err = _fails(tmp_path, text)
    # the source as the compose file written to out/shop/ names it
    assert "services.db.volumes[0]: bind mount of host directory ../../pgdata at" in err
    assert "volumes[1]" not in err  # a file: dropped with a report line, not an error
    dropped = _profile(
        tmp_path,
        text.replace("name: shop", "name: shop\n        kubernetes: {drop: {db: [volumes]}}"),
    )
    out = run_stackgen("render", str(dropped), "--target", "kubernetes", "-o", "-", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    db = next(d for d in yaml.safe_load_all(out.stdout) if d["kind"] == "Deployment")
    assert "volumeMounts" not in db["spec"]["template"]["spec"]["containers"][0]


def test_names_kubernetes_refuses(tmp_path: Path) -> None:
    err = _fails(
        tmp_path,
        """\
        name: shop
        services:
          My_Web: {image: nginx:1.27}
        """,
    )
    assert (
        "services.My_Web: cannot name a Kubernetes Service and workload: 'My_Web' is not a DNS-1123 label"
        in err
    )


def test_shared_named_volume(tmp_path: Path) -> None:
    err = _fails(
        tmp_path,
        """\
        name: shop
        services:
          a: {image: busybox:1.37, volumes: ["data:/data"]}
          b: {image: busybox:1.37, volumes: ["data:/data"]}
        """,
    )
    assert "services.b.volumes: named volume 'data' is shared by a, b" in err


def test_unsupported_version_and_bad_namespace(tmp_path: Path) -> None:
    err = _fails(
        tmp_path,
        """\
        name: shop
        kubernetes: {version: "1.20"}
        services:
          web: {image: nginx:1.27}
        """,
    )
    assert (
        ":2:14: kubernetes.version: '1.20' is not a Kubernetes version with strict schemas" in err
    )
    err = _fails(
        tmp_path,
        """\
        name: shop
        kubernetes: {namespace: Shop_NS}
        services:
          web: {image: nginx:1.27}
        """,
    )
    assert "kubernetes.namespace" in err and "DNS-1123 label" in err


def test_one_shot_job_is_waited_for_with_a_namespaced_role(tmp_path: Path) -> None:
    profile = _profile(
        tmp_path,
        """\
        name: shop
        kubernetes: {namespace: shop}
        services:
          migrate: {image: shop/migrate:1, restart: "no"}
          web:
            image: nginx:1.27
            depends_on: {migrate: {condition: service_completed_successfully}}
        """,
    )
    out = run_stackgen("render", str(profile), "--target", "kubernetes", "-o", "-", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    docs = {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(out.stdout)}
    job = docs[("Job", "migrate")]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "OnFailure"
    role = docs[("Role", "stackgen-wait")]
    assert role["rules"] == [
        {"apiGroups": ["batch"], "resources": ["jobs"], "verbs": ["get", "list", "watch"]}
    ]
    assert not [k for k in docs if k[0].startswith("Cluster")]  # no cluster-wide permission
    web = docs[("Deployment", "web")]["spec"]["template"]["spec"]
    assert web["serviceAccountName"] == "stackgen-wait"
    assert web["initContainers"][0]["command"] == [
        "kubectl",
        "wait",
        "--namespace",
        "shop",
        "--for=condition=complete",
        "job/migrate",
        "--timeout=600s",
    ]


def test_compose_target_unchanged_and_o_takes_the_first_target(tmp_path: Path) -> None:
    profile = _profile(
        tmp_path, BASE.replace("targets: [kubernetes]", "targets: [compose, kubernetes]")
    )
    out = run_stackgen("render", str(profile), "-o", "-", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "services:" in out.stdout and "apiVersion" not in out.stdout
    both = run_stackgen("render", str(profile), cwd=tmp_path)
    assert both.stderr.splitlines() == [
        "wrote out/shop/compose.yml",
        "wrote out/shop/kubernetes.yml",
    ]
    (tmp_path / "out/shop/kubernetes.yml").unlink()
    check = run_stackgen("render", "--check", str(profile), cwd=tmp_path)
    assert check.returncode == 1
    assert "missing: out/shop/kubernetes.yml" in check.stderr


def test_init_offers_the_target(tmp_path: Path) -> None:
    out = run_stackgen(
        "init", "shop", "--target", "compose", "--target", "kubernetes", "-o", "-", cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[1:3] == ["name: shop", "targets: [compose, kubernetes]"]
    (tmp_path / "shop.yml").write_text(out.stdout)
    both = run_stackgen("render", "shop.yml", cwd=tmp_path)
    assert both.returncode == 0, both.stderr
    assert (tmp_path / "out/shop/kubernetes.yml").is_file()
    hobby = run_stackgen("init", "obs", "--from", "highlight-hobby", "-o", "-", cwd=tmp_path)
    assert "\n  namespace: obs\n" in hobby.stdout  # not the example's namespace
    bad = run_stackgen("init", "x", "--target", "helm", "-o", "-", cwd=tmp_path)
    assert bad.returncode == 2


def test_graph_and_check_read_a_kubernetes_profile(tmp_path: Path) -> None:
    profile = _profile(tmp_path)
    graph = run_stackgen("graph", str(profile), cwd=tmp_path)
    assert graph.returncode == 0, graph.stderr
    assert 's_db -->|"service_healthy"| s_web' in graph.stdout
    check = run_stackgen("check", str(profile), cwd=tmp_path)
    assert check.returncode in (0, 1), check.stderr  # findings, never a refusal of the keys
    assert "kubernetes" not in check.stdout + check.stderr


def test_a_reference_in_a_typed_field_is_an_input_error_at_its_key(tmp_path: Path) -> None:
    # found by a new-user trial: sentry's imported `interval: $HEALTHCHECK_INTERVAL` (kept
    # verbatim for compose, which interpolates it) crashed the kubernetes target with exit 3;
    # manifests have no interpolation, so it is the profile's to give a value
    profile = _profile(
        tmp_path,
        """\
        name: hc
        targets: [kubernetes]
        policies: {catalog: false}
        services:
          cache:
            image: memcached:1.6
            verbatim:
              healthcheck:
                test: [CMD-SHELL, "true"]
                interval: $HEALTHCHECK_INTERVAL
        """,
    )
    out = run_stackgen("render", str(profile), "-o", "-", cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    assert out.stdout == ""
    (line,) = out.stderr.strip().splitlines()
    assert line.startswith(f"{profile}:8:7: services.cache.verbatim.healthcheck: not a duration: ")
    assert "'$HEALTHCHECK_INTERVAL'" in line
    assert "the kubernetes target needs a literal value here" in line

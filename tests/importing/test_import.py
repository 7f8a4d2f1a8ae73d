"""``stackgen import``: what becomes what, the ``$`` rules, errors, and the CLI contract."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from importing.test_roundtrip_real import cli

from engines import compose_config
from helpers import REAL, run_stackgen
from stackgen.errors import InputError
from stackgen.importing.importer import import_compose
from stackgen.importing.text import profile_text
from stackgen.yamlio.loader import load_text


def compose(tmp_path: Path, text: str, name: str = "compose.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("written", "container_side", "expected"),
    [
        ("plain", False, "plain"),
        ("a$$b", False, "a$b"),  # literal $: the profile writes it once
        ("${VAR:-x}", False, "${VAR:-x}"),  # compose's reference: kept
        ("https://$DOMAIN/", False, "https://${DOMAIN}/"),  # same reference, braced
        ("cost: 5$", False, "cost: 5$"),  # a lone $ is literal to compose too
        ("$${HOME}", False, None),  # a literal ${HOME}: the profile would interpolate it
        ("echo $$HOME $${PWD}", True, "echo $HOME ${PWD}"),
        ("chown ${UID} /data", True, None),  # compose interpolates: not container-side text
        ("echo $HOME", True, None),
    ],
)
def test_profile_text(written: str, container_side: bool, expected: str | None) -> None:
    assert profile_text(written, container_side=container_side) == expected


def test_known_images_get_their_kind(tmp_path: Path) -> None:
    path = compose(
        tmp_path,
        """
services:
  pg: {image: "postgres:16-alpine"}
  cache: {image: "docker.io/library/redis:7"}
  zk: {image: "confluentinc/cp-zookeeper:7.5.0"}
  broker: {image: "confluentinc/cp-kafka:7.5.0", depends_on: [zk]}
  kraft:
    image: "bitnami/kafka:3.7"
    environment: [KAFKA_CFG_PROCESS_ROLES=broker,controller]
  ch: {image: "clickhouse/clickhouse-server:24.3"}
  otel: {image: "otel/opentelemetry-collector-contrib:0.98.0"}
  web: {image: "nginx:1.27"}
  env_image: {image: "${PG_IMAGE}"}
""",
    )
    (tmp_path / ".env").write_text("PG_IMAGE=postgres:15\n")
    data = import_compose([path]).data
    kinds = {name: spec.get("kind") for name, spec in data["services"].items()}
    assert kinds == {
        "pg": "postgres",
        "cache": "redis",
        "zk": "zookeeper",
        "broker": "kafka",
        "kraft": "kafka",
        "ch": "clickhouse",
        "otel": "otel-collector",
        "web": None,
        "env_image": "postgres",  # through the project .env, whose value the profile takes
    }
    assert data["services"]["env_image"]["image"] == "postgres:15"
    assert data["policies"] == {"catalog": False}


def test_values_in_profile_terms(tmp_path: Path) -> None:
    path = compose(
        tmp_path,
        """
services:
  web:
    image: web:1
    ports: [8080, "127.0.0.1:9000:9000"]
    environment: [A=1, B, C=$$literal, D=$REF]
    labels: [traefik.enable=true]
    command: sh -c 'echo $$HOME'
    entrypoint: ["sh", "-c", "chown ${UID}:0 /x"]
    healthcheck: {test: "curl -f http://127.0.0.1/ || exit 1", interval: 10s}
    depends_on: {db: {condition: service_healthy, restart: true}}
  db: {image: "postgres:16", healthcheck: {test: ["CMD", "pg_isready"]}}
""",
    )
    web = import_compose([path], as_is=True).data["services"]["web"]
    # an int is the container port in compose, N:N in a profile: written as compose text
    assert web["ports"] == ["8080", "127.0.0.1:9000:9000"]
    assert web["environment"] == {"A": "1", "B": None, "C": "$literal", "D": "${REF}"}
    assert web["labels"] == {"traefik.enable": "true"}
    assert web["command"] == "sh -c 'echo $HOME'"
    # compose interpolates ${UID} here, which profile text cannot say: carried verbatim
    assert web["verbatim"] == {"entrypoint": ["sh", "-c", "chown ${UID}:0 /x"]}
    assert "entrypoint" not in web
    assert web["healthcheck"] == {"test": "curl -f http://127.0.0.1/ || exit 1", "interval": "10s"}
    assert web["depends_on"] == {"db": {"condition": "service_healthy", "restart": True}}


def test_as_is_policies_and_project_name(tmp_path: Path) -> None:
    plain = compose(tmp_path, "services:\n  web: {image: 'web:1'}\n")
    data = import_compose([plain], as_is=True).data
    assert data["name"] == tmp_path.name.lower().replace(".", "")
    assert data["policies"] == {
        "restart": False,
        "healthchecks": False,
        "conditions": False,
        "catalog": False,
        "probes": False,
        "project_name": False,
    }
    named = compose(tmp_path, "name: My.App\nservices:\n  web: {image: 'web:1'}\n", "n.yml")
    data = import_compose([named], as_is=True).data
    # the original states its name: so does the render
    assert (data["name"], data["policies"]["project_name"]) == ("myapp", True)
    assert import_compose([named], name="other").data["name"] == "other"


def test_plan_errors_point_at_the_compose_file(tmp_path: Path) -> None:
    path = compose(
        tmp_path,
        """services:
  a:
    image: a:1
    ports: ["8080:80"]
  b:
    image: b:1
    ports: ["8080:81"]
""",
    )
    with pytest.raises(InputError) as err:
        import_compose([path])
    assert [str(d) for d in err.value.diagnostics] == [
        f"{path}:7:13: services.b.ports[0]: cannot import: host port 8080/tcp is already "
        "published by services.a.ports[0]"
    ]


def test_top_level_include_is_carried_by_what_it_brings(tmp_path: Path) -> None:
    # include was refused ("cannot be carried by a profile"); compose brings the included
    # services in, and so does import now (tests/check/test_include.py: the engine's view)
    (tmp_path / "other.yml").write_text("services:\n  db: {image: 'db:1'}\n", encoding="utf-8")
    path = compose(tmp_path, "include: [other.yml]\nservices:\n  web: {image: 'web:1'}\n")
    data = import_compose([path]).data
    assert "include" not in data
    assert {n: s["image"] for n, s in data["services"].items()} == {"web": "web:1", "db": "db:1"}


def test_top_level_keys_a_profile_cannot_hold(tmp_path: Path) -> None:
    path = compose(tmp_path, "models: {m: {model: ai/x}}\nservices:\n  web: {image: 'web:1'}\n")
    with pytest.raises(InputError, match="top-level 'models' cannot be carried by a profile"):
        import_compose([path])


def test_secrets_and_configs_carried_paths_kept_reaching_the_same_files(tmp_path: Path) -> None:
    """Top-level secrets and configs become the profile's; their files, relative to the
    compose file's folder, are written relative to the profile's folder (issue 14 point 2)."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "token").write_text("t", encoding="utf-8")
    path = compose(
        tmp_path / "app",
        "services:\n  web:\n    image: 'web:1'\n    secrets: [token]\n    configs: [c]\n"
        "secrets:\n  token: {file: ./token}\n  api: {environment: API_KEY}\n"
        "configs:\n  c: {content: hello}\n",
    )
    result = import_compose([path], output="profiles/app.yml", output_dir=tmp_path / "profiles")
    assert result.data["secrets"] == {
        "token": {"file": "../app/token"},
        "api": {"environment": "API_KEY"},
    }
    assert result.data["configs"] == {"c": {"content": "hello"}}


def test_import_pauses_the_garbage_collector_and_restores_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # import pauses the cyclic collector while it builds its graphs (stackgen.gcpause); a
    # caller's setting must survive both a successful import and one that raises
    import stackgen.importing.importer as importing

    seen: list[bool] = []
    read = importing.read_sources

    def spy(paths: list[Path]) -> object:
        seen.append(gc.isenabled())
        return read(paths)

    monkeypatch.setattr(importing, "read_sources", spy)
    good = compose(tmp_path, "services:\n  web: {image: 'web:1'}\n")
    bad = tmp_path / "bad.yml"
    bad.write_text("services:\n  web: {image: 'web:1'}\ninclude: [x.yml]\n", encoding="utf-8")
    assert gc.isenabled()
    try:
        assert import_compose([good]).data["services"] == {"web": {"image": "web:1"}}
        assert gc.isenabled()
        with pytest.raises(InputError):
            import_compose([bad])
        assert gc.isenabled()
        gc.disable()
        import_compose([good])
        assert not gc.isenabled()
        assert seen == [False, False, False]
    finally:
        gc.enable()


def test_output_is_a_valid_profile_with_one_header(tmp_path: Path) -> None:
    path = compose(tmp_path, "services:\n  web: {image: 'web:1', restart: 'no'}\n")
    text = import_compose([path]).text
    lines = text.splitlines()
    assert lines[0] == f"# Imported by stackgen import from {path}; see docs/import.md"
    assert not lines[1].startswith("#")
    # YAML 1.1 readers take a plain no for false: the profile quotes it
    assert '    restart: "no"' in lines
    assert load_text(text, "p.yml").data["services"]["web"]["restart"] == "no"


@pytest.mark.fixtures
def test_cli_writes_atomically_and_deterministically(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [str(REAL / "highlight" / "compose.yml"), str(REAL / "highlight" / "compose.hobby.yml")]
    first, second = tmp_path / "a.yml", tmp_path / "b.yml"
    assert cli("import", *files, "-o", str(first))[0] == 0
    assert cli("import", *files, "-o", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()
    # stdout is read from the working directory: relative paths are written for it
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("import", *files, "-o", "-")
    assert code == 0 and out == first.read_text()
    # nothing but the two outputs: no temporary file left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yml", "b.yml"]


@pytest.mark.fixtures
def test_cli_refuses_to_replace_an_existing_file_without_force(tmp_path: Path) -> None:
    files = [str(REAL / "highlight" / "compose.yml"), str(REAL / "highlight" / "compose.hobby.yml")]
    target = tmp_path / "p.yml"
    target.write_text("name: mine\n", encoding="utf-8")
    code, _, err = cli("import", *files, "-o", str(target))
    assert code == 2
    assert err.endswith(
        f"{target.as_posix()}: already exists; use --force to replace it (the old file is "
        f"then kept as {target.as_posix()}.bak)\n"
    )
    assert "FILE.bak" not in err
    assert target.read_text() == "name: mine\n"
    code, _, err = cli("import", *files, "-o", str(target), "--force")
    assert code == 0
    assert err.endswith(
        f"wrote {target.as_posix()} (kept the old file as {target.as_posix()}.bak)\n"
    )
    assert target.read_text().startswith("# Imported by stackgen import from ")
    assert (tmp_path / "p.yml.bak").read_text() == "name: mine\n"


def test_cli_errors_exit_2(tmp_path: Path) -> None:
    proc = run_stackgen("import", str(tmp_path / "missing.yml"), "-o", str(tmp_path / "p.yml"))
    assert proc.returncode == 2
    assert "missing.yml: cannot read file" in proc.stderr
    assert "Traceback" not in proc.stderr
    # a profile is not a compose file to import
    proc = run_stackgen("import", "profiles/minimal.yml", "-o", str(tmp_path / "p.yml"))
    assert proc.returncode == 2
    assert "already a stackgen profile" in proc.stderr
    assert not (tmp_path / "p.yml").exists()
    # -o is required
    assert run_stackgen("import", "profiles/minimal.yml").returncode == 2


def test_as_is_keeps_a_broken_healthy_condition_an_error(tmp_path: Path) -> None:
    # docker compose refuses service_healthy towards a service without healthcheck too
    path = compose(
        tmp_path,
        "services:\n  web:\n    image: web:1\n    depends_on: {db: {condition: service_healthy}}\n"
        "  db: {image: 'postgres:16'}\n",
    )
    with pytest.raises(InputError, match=r"db has no healthcheck \(policies.healthchecks is off\)"):
        import_compose([path], as_is=True)
    # plain import: the catalog's postgres probe makes the condition hold
    assert import_compose([path]).data["services"]["db"] == {
        "kind": "postgres",
        "image": "postgres:16",
    }


@pytest.mark.parametrize(
    ("broker", "port"),
    [
        # KAFKA_LISTENERS first; a CONTROLLER listener is no client port
        (
            "environment: {KAFKA_LISTENERS: 'CONTROLLER://:9093,PLAINTEXT://0.0.0.0:19092'}",
            19092,
        ),
        ("environment: [KAFKA_CFG_LISTENERS=PLAINTEXT://:9094]", 9094),
        # Confluent's image listens where it advertises; ${VAR} from the project .env
        ("environment: {KAFKA_ADVERTISED_LISTENERS: '${ADV}'}", 39092),
        # else the one container port it publishes
        ("ports: ['0.0.0.0:9092:9092']", 9092),
        # nothing known: the profile's default (29092) stays
        ("environment: {A: b}", None),
    ],
)
def test_kafka_probe_port_follows_the_brokers_listener(
    tmp_path: Path, broker: str, port: int | None
) -> None:
    path = compose(
        tmp_path,
        "services:\n  kafka:\n    image: confluentinc/cp-kafka:7.7.0\n"
        f"    {broker}\n    depends_on: [zk]\n  zk: {{image: 'zookeeper:3.9'}}\n",
    )
    (tmp_path / ".env").write_text("ADV=PLAINTEXT://kafka:39092\n")
    data = import_compose([path]).data
    assert data.get("kafka") == (None if port is None else {"listeners": {"internal_port": port}})
    # --as-is adds no probe, so it needs no port
    assert "kafka" not in import_compose([path], as_is=True).data


@pytest.mark.parametrize(
    ("service", "message"),
    [
        ("labels: [FOO]", "services.web.labels.FOO: a label without a value cannot be written"),
        (
            "environment: {A: '$${HOME}'}",
            "services.web.environment.A: '$${HOME}': a literal ${…} here cannot be written",
        ),
        # a profile's own key: the file is taken for a profile
        ("replicas: 2", "services.web.replicas: already a stackgen profile"),
        (
            "foo: 1",
            "services.web: Unevaluated properties are not allowed ('foo' was unexpected) "
            "(docker compose rejects this and stackgen renders only valid compose",
        ),
    ],
)
def test_values_a_profile_cannot_say_are_exit_2_errors(
    tmp_path: Path, service: str, message: str
) -> None:
    path = compose(tmp_path, f"services:\n  web:\n    image: web:1\n    {service}\n")
    with pytest.raises(InputError) as err:
        import_compose([path])
    assert message in str(err.value)


def test_references_in_ports_and_expose_become_braced(tmp_path: Path) -> None:
    """A profile's `$NAME` is a literal dollar (README "Values and $"); compose's unbraced
    reference in a port must reach the profile as `${NAME}` to keep meaning the variable."""
    path = compose(
        tmp_path,
        'services:\n  web:\n    image: nginx\n    ports: ["$BIND:80/tcp", "${P:-8080}:8080"]\n'
        '    expose: ["$EXPOSED"]\n',
    )
    result = import_compose([path], as_is=True, name="t", env_file=None, output="p.yml")
    web = load_text(result.text, "p.yml").data["services"]["web"]
    assert web["ports"] == ["${BIND}:80/tcp", "${P:-8080}:8080"]
    assert web["expose"] == ["${EXPOSED}"]


@pytest.mark.parametrize(("name", "accepted"), [("My Project", False), ("my_project-2", True)])
def test_a_given_name_compose_refuses_is_refused(tmp_path: Path, name: str, accepted: bool) -> None:
    # found by a new-user trial: --name "My Project" became "myproject" without a word, while
    # `docker compose -p "My Project"` refuses the name (the verdict is the real loader's)
    (tmp_path / "compose.yml").write_text("services:\n  a: {image: 'nginx:1.27'}\n")
    verdict = compose_config("compose.yml", cwd=tmp_path, project_name=name, quiet=True)
    assert (verdict.returncode == 0) is accepted
    out = run_stackgen("import", "compose.yml", "--name", name, "-o", "-", cwd=tmp_path)
    if accepted:
        assert out.returncode == 0, out.stderr
        assert f"\nname: {name}\n" in out.stdout
    else:
        assert out.returncode == 2
        assert out.stderr.startswith(f"<--name>: name: {name!r} is not a project name")

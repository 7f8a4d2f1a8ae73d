"""The planner's output is the target-neutral model (stackgen.plan.model): typed values a
second target can read, and the compose target writes the same file from it."""

from __future__ import annotations

from pathlib import Path

from stackgen.plan.model import (
    Command,
    Condition,
    Dependency,
    Duration,
    FromHost,
    Port,
    Resources,
    ResourceSet,
    Restart,
    Route,
    SecretRef,
    Stack,
    Template,
    Text,
    VariableRef,
    VolumeType,
)
from stackgen.plan.planner import plan
from stackgen.profile.load import load_profile
from stackgen.targets.compose.emit import emit

PROFILE = """\
name: shop
services:
  db:
    kind: postgres
    environment:
      POSTGRES_PASSWORD: null
  migrate:
    image: shop/migrate:1
    depends_on: [db]
    restart: "no"
  web:
    image: shop/web:1
    command: ["serve", "--port", "8080"]
    ports: [8080, "127.0.0.1:9000:9000/udp"]
    environment:
      MODE: prod
      DB_URL: "postgres://${DB_USER:-app}@db/shop"
      TOKEN: "${API_TOKEN}"
      PRICE: "5$"
      HOME_DIR: null
    depends_on:
      migrate: {condition: service_completed_successfully}
      db: {condition: service_healthy}
    healthcheck: {tcp: 8080, interval: 1m30s}
    resources: {memory: 512MiB, cpus: 0.5}
domains:
  shop.example: web:8080
"""


def _stack(tmp_path: Path) -> Stack:
    path = tmp_path / "shop.yml"
    path.write_text(PROFILE)
    return plan(load_profile(path), source="shop.yml")


def test_services_in_start_order_and_the_job_apart(tmp_path: Path) -> None:
    stack = _stack(tmp_path)
    # db first (migrate and web wait for it), then migrate (web waits for it to finish)
    assert stack.start_order == ("db", "migrate", "web")
    assert [s.name for s in stack.jobs] == ["migrate"]
    migrate = stack.service("migrate")
    # list form towards a service with a probe: wait until it is healthy
    assert migrate.depends_on == (Dependency("db", Condition.HEALTHY),)
    assert migrate.restart == Restart("no")
    assert stack.service("web").depends_on == (
        Dependency("migrate", Condition.COMPLETED),
        Dependency("db", Condition.HEALTHY),
    )


def test_catalog_kind_gives_typed_probe_and_data_volume(tmp_path: Path) -> None:
    db = _stack(tmp_path).service("db")
    assert db.kind == "postgres"
    assert db.image == "postgres:16"
    assert db.probe is not None
    assert db.probe.argv == (
        "pg_isready", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres", "-d", "postgres"
    )  # fmt: skip
    assert db.probe.shell is None
    assert db.probe.start_period == Duration(10.0, "10s")
    [volume] = db.volumes
    assert (volume.type, volume.source, volume.target) == (
        VolumeType.NAMED,
        "db-data",
        "/var/lib/postgresql/data",
    )
    # a secret name without a value: taken from the host, never written
    assert db.env("POSTGRES_PASSWORD") == SecretRef("POSTGRES_PASSWORD")


def test_environment_values_are_typed(tmp_path: Path) -> None:
    web = _stack(tmp_path).service("web")
    assert web.env("MODE") == Text("prod")
    assert web.env("DB_URL") == Template(
        (Text("postgres://"), VariableRef("DB_USER", ":-", "app"), Text("@db/shop"))
    )
    assert web.env("TOKEN") == VariableRef("API_TOKEN")
    assert web.env("PRICE") == Text("5$")  # a lone $ is literal text
    assert web.env("HOME_DIR") == FromHost()
    secret = {e.name for e in web.environment if e.secret}
    assert secret == {"TOKEN"}


def test_ports_probe_resources_routes_as_records(tmp_path: Path) -> None:
    stack = _stack(tmp_path)
    web = stack.service("web")
    assert web.command == Command(argv=("serve", "--port", "8080"))
    assert web.ports == (
        Port(container=8080, host_port=8080),
        Port(
            container=9000,
            protocol="udp",
            host_port=9000,
            host_ip="127.0.0.1",
            text="127.0.0.1:9000:9000/udp",
        ),
    )
    assert web.probe is not None
    assert web.probe.argv == ("nc", "-z", "127.0.0.1", "8080")
    assert web.probe.interval == Duration(90.0, "1m30s")
    # 512 MiB = 512 * 1024 * 1024 bytes; half a core
    assert web.resources == Resources(limits=ResourceSet(memory=536_870_912, cpus=0.5))
    assert stack.routes == (Route("shop.example", "web", 8080),)


def test_compose_target_writes_the_compose_syntax(tmp_path: Path) -> None:
    web = emit(_stack(tmp_path)).to_compose()["services"]["web"]
    assert web["ports"] == ["8080:8080", "127.0.0.1:9000:9000/udp"]
    assert web["environment"] == {
        "MODE": "prod",
        "DB_URL": "postgres://${DB_USER:-app}@db/shop",
        "TOKEN": "${API_TOKEN}",
        "PRICE": "5$$",
        "HOME_DIR": None,
    }
    assert web["labels"] == {
        "traefik.enable": "true",
        "traefik.http.routers.shop-example.rule": "Host(`shop.example`)",
        "traefik.http.routers.shop-example.service": "shop-example",
        "traefik.http.services.shop-example.loadbalancer.server.port": "8080",
    }
    assert web["deploy"] == {"resources": {"limits": {"memory": "512m", "cpus": 0.5}}}
    assert web["healthcheck"]["interval"] == "1m30s"


def test_catalog_kinds_are_typed_for_any_target() -> None:
    from stackgen.catalog.kinds import data_volume, kind_defaults
    from stackgen.profile.settings import KafkaSettings

    kd = kind_defaults(
        "postgres", name="db", image=None, env={}, kafka=KafkaSettings(), zookeeper=None
    )
    assert kd.listens == (5432,)
    assert kd.probe is not None
    assert kd.probe.argv is not None and kd.probe.argv[0] == "pg_isready"
    assert kd.probe.start_period == Duration(10.0, "10s")
    volume = data_volume(kd)
    assert volume is not None
    assert (volume.type, volume.source, volume.target) == (
        VolumeType.NAMED,
        "db-data",
        "/var/lib/postgresql/data",
    )


SHARED = """\
name: shared
sensitive: [MODE]
interpolation: {mode}
services:
  a:
    image: a:1
    environment: {{MODE: prod, URL: "http://${{HOST:-b}}", TOKEN: null, PLAIN: x}}
  b:
    image: b:1
    environment: {{MODE: prod, URL: "http://${{HOST:-b}}", TOKEN: null, PLAIN: y}}
"""


def test_entries_repeated_across_services_get_the_values_of_each_alone(tmp_path: Path) -> None:
    # the planner keeps an entry's EnvVar for the services after it: each equals the value
    # the entry gets on its own (a sensitive name, a secret from the host, a reference)
    from stackgen.output.secret_rule import is_secret_key
    from stackgen.plan.environment import env_value
    from stackgen.plan.model import EnvVar

    for mode in ("braced", "verbatim", "none"):
        path = tmp_path / f"{mode}.yml"
        path.write_text(SHARED.format(mode=mode))
        loaded = load_profile(path)
        stack = plan(loaded, source=path.name)
        for name in ("a", "b"):
            given = loaded.profile.services[name].environment
            expected = tuple(
                EnvVar(k, env_value(v, name=k, mode=mode, secret=s), secret=s)
                for k, v in given.items()
                for s in (is_secret_key(k, ["MODE"]),)
            )
            assert stack.service(name).environment == expected
        a, b = stack.service("a").environment, stack.service("b").environment
        assert a[0].secret and a[2].secret and not a[1].secret  # MODE (sensitive), TOKEN
        assert a[2].value == SecretRef("TOKEN")
        assert a[3].value != b[3].value  # PLAIN differs: x, y

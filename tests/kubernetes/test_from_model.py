"""The typed stack model (plan.model) read by the Kubernetes target: the same view as the
planned compose mapping gives, value for value."""

from __future__ import annotations

from stackgen.plan import model
from stackgen.profile.load import load_profile_text
from stackgen.targets.kubernetes.from_model import container_text, env_value, read_model, value_text
from stackgen.targets.kubernetes.view import Port, Ref


def _stack() -> model.Stack:
    d = model.Duration
    db = model.Service(
        name="db",
        kind="postgres",
        image="postgres:16",
        environment=(
            model.EnvVar("POSTGRES_PASSWORD", model.SecretRef("POSTGRES_PASSWORD"), secret=True),
        ),
        probe=model.Probe(
            argv=(
                "pg_isready",
                "-h",
                "127.0.0.1",
                "-p",
                "5432",
                "-U",
                "postgres",
                "-d",
                "postgres",
            ),
            interval=d(10, "10s"),
            timeout=d(5, "5s"),
            start_period=d(10, "10s"),
            retries=10,
        ),
        volumes=(model.Volume(model.VolumeType.NAMED, "db-data", "/var/lib/postgresql/data"),),
        ports=(model.Port(5432, host_port=5432, host_ip="127.0.0.1"),),
    )
    web = model.Service(
        name="web",
        image="${WEB_IMAGE-shop/web:1}",
        command=model.Command(line="serve --port 8080"),
        environment=(
            model.EnvVar(
                "DSN",
                model.Template((model.Text("pg://"), model.VariableRef("U"), model.Text("@db"))),
            ),
            model.EnvVar("PRICE", model.Text("5$")),
        ),
        ports=(model.Port(8080, host_port=8080),),
        probe=model.Probe(
            argv=("wget", "-q", "--spider", "http://127.0.0.1:8080/"), interval=d(30, "30s")
        ),
        depends_on=(model.Dependency("db", model.Condition.HEALTHY),),
        resources=model.Resources(limits=model.ResourceSet(memory=1024**3, cpus=0.5)),
        compose_extras=model.frozen_map({"env_file": [".env"], "logging": {"driver": "local"}}),
        restart=model.Restart("unless-stopped"),
    )
    return model.Stack(
        name="shop",
        source="shop.yml",
        services=(db, web),
        routes=(model.Route("shop.example.test", "web", 8080),),
    )


def test_text_rules() -> None:
    assert value_text("${A-x}/$B", "braced") == (Ref("A", "x"), "/$B")
    assert value_text("${A}", "none") == ("${A}",)
    assert value_text("$$x ${A}", "verbatim") == ("$x ", Ref("A"))
    assert container_text("echo $HOME", "braced") == ("echo $HOME",)
    assert env_value(model.FromHost(), "braced") is None
    assert env_value(model.VariableRef("P", ":?", "needed"), "braced") == (Ref("P"),)


def test_read_model() -> None:
    profile = load_profile_text(
        "name: shop\nservices: {db: {kind: postgres}, web: {image: x}}\n", "shop.yml"
    ).profile
    view = read_model(_stack(), profile)
    db, web = view.services
    assert db.probe is not None and db.probe.argv is not None and db.probe.argv[0] == "pg_isready"
    assert (db.probe.interval, db.probe.timeout, db.probe.retries, db.probe.start_period) == (
        10,
        5,
        10,
        10,
    )
    assert db.ports == (Port(5432, "TCP", 5432, "127.0.0.1"),)
    assert db.env[0].secret and db.env[0].value is None
    assert db.claim_size == 8 * 1024**3  # the postgres kind's catalog size
    assert web.image == (Ref("WEB_IMAGE", "shop/web:1"),)
    assert web.command == (("serve",), ("--port",), ("8080",))
    assert web.env[0].value == ("pg://", Ref("U"), "@db")
    assert web.env[1].value == ("5$",)
    assert web.probe is not None and web.probe.http_url == "http://127.0.0.1:8080/"
    assert web.env_files == (".env",)
    assert dict(web.unmapped) == {"restart": "unless-stopped", "logging": "driver: local"}
    assert (web.resources.memory, web.resources.cpus) == (1024**3, 0.5)
    assert view.routes[0].port == 8080


def test_model_translates_and_validates() -> None:
    from stackgen.profile.kubernetes import KubernetesSettings
    from stackgen.targets.kubernetes.prove import problems
    from stackgen.targets.kubernetes.translate import translate

    profile = load_profile_text(
        "name: shop\nservices: {db: {kind: postgres}, web: {image: x}}\n", "shop.yml"
    ).profile
    docs, report = translate(
        read_model(_stack(), profile),
        KubernetesSettings(),
        "1.37",
        lambda p, msg: None,  # type: ignore[arg-type,return-value]
    )
    assert problems(docs, "1.37") == []
    kinds = [(d["kind"], d["metadata"]["name"]) for d in docs]
    assert ("StatefulSet", "db") in kinds and ("Deployment", "web") in kinds
    assert dict(report.secret_keys).keys() == {"POSTGRES_PASSWORD", "U"}

"""The service catalog: what each ``kind`` brings (image, ports, data volume, env, probe).

Each kind is one Jinja partial ``templates/kinds/_<kind>.yml.j2`` that renders a small YAML
mapping; the partial's header comment names the documentation its defaults come from. This
module renders the partial and reads the result back into a typed :class:`KindDefaults`; a key
the partial leaves out is empty. Stackgen's own partials are read back once per service, so
they write no empty key, and quote their sizes and durations (``"8Gi"``, ``"10s"``: text
either way, but a plain scalar is resolved on every read).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..compose.units import parse_duration
from ..compose.values import parse_volume
from ..errors import InputError, TemplateError
from ..plan import model
from ..plan.records import Duration, Probe, Text, Volume, VolumeType
from ..profile.models import Service as ProfileService
from ..profile.settings import KafkaSettings
from ..targets.compose.templating import render_template, rendered_text_problems, user_files
from ..yamlio.loader import load_text
from .families import infer_kind as infer_kind  # re-exported: the planner asks it here
from .kind_shape import check_kind_mapping
from .own_ports import own_ports, zookeeper_flavour


@dataclass(frozen=True)
class KindDefaults:
    """Defaults of one catalog kind, for one service.

    Attributes:
        image: default image reference (None for ``app``: the profile must give one).
        listens: container ports the default image listens on.
        ports: ports published by default (compose short syntax strings).
        volumes: default mounts (``volume:/path`` strings).
        environment: default env (strings).
        probe: the kind's probe (argv or shell, timing in seconds), or None.
        probe_environment: env the healthcheck needs to work (a subset of ``environment``),
            added with the probe when the kind's other defaults are off.
        volume_size: Kubernetes claim size of a named volume (``"8Gi"``), or None.
        client_port: the port other containers connect to (the service's own setting when it
            sets one: :mod:`stackgen.catalog.own_ports`), None for a kind without one.
    """

    image: str | None
    listens: tuple[int, ...] = ()
    ports: tuple[str, ...] = ()
    volumes: tuple[str, ...] = ()
    environment: dict[str, str] = field(default_factory=dict)
    probe: Probe | None = None
    probe_environment: dict[str, str] = field(default_factory=dict)
    volume_size: str | None = None
    client_port: int | None = None


def kind_defaults(
    kind: str,
    *,
    name: str,
    image: str | None,
    env: dict[str, str | None],
    kafka: KafkaSettings,
    zookeeper: str | None,
    zookeeper_port: int | None = None,
    templates: Path | None = None,
    env_file: bool = False,
    args: Sequence[str] = (),
) -> KindDefaults:
    """Render the partial of ``kind`` for service ``name``.

    Args:
        kind: catalog kind (see ``stackgen.profile.models.KINDS``).
        name: the service name (names volumes, advertised listeners).
        image: the profile's image, or None for the kind's default.
        env: the profile's environment for the service (POSTGRES_USER and the like).
        kafka: the profile's Kafka settings (listeners).
        zookeeper: the ZooKeeper service a Kafka broker depends on, if any.
        zookeeper_port: that service's client port (None: ZooKeeper's default, 2181).
        templates: a user template directory looked up before stackgen's own.
        env_file: the service reads an ``env_file`` (variables the profile cannot see).
        args: the service's ``command`` split into words (``--requirepass`` and the like).

    The partial gets ``ports`` (role → port, :func:`~stackgen.catalog.own_ports.own_ports`:
    the ports the service itself sets, else the kind's) and, for ``zookeeper``, ``flavour``
    (``official``, ``bitnami`` or ``confluent``), so its probe, ports and client addresses
    follow what the service sets.

    Raises:
        TemplateError: the partial failed or did not produce a mapping.
    """
    template = f"kinds/_{kind}.yml.j2"
    ports = own_ports(kind, image or "", env, args, kafka)
    text = render_template(
        template,
        {
            "name": name,
            "image": image,
            "env": env,
            "kafka": kafka,
            "zookeeper": zookeeper,
            "zookeeper_port": zookeeper_port or 2181,
            "env_file": env_file,
            "args": list(args),
            "ports": ports,
            "flavour": zookeeper_flavour(image or "") if kind == "zookeeper" else None,
        },
        templates,
    )
    mine = user_files([template], templates)
    try:
        # stackgen's own templates are trusted: the input limits only guard a user's
        # templates, and positions only serve a user's (a failed parse has its own)
        data = load_text(text, template, limits=bool(mine), positions=bool(mine)).data or {}
    except InputError as exc:
        if not mine:
            raise TemplateError(f"{template}: renders text that is not YAML: {exc}") from exc
        raise rendered_text_problems(exc, mine) from exc
    if not isinstance(data, dict):
        if mine:
            raise InputError.single(mine[0], 0, 0, "", "must render a YAML mapping")
        raise TemplateError(f"{template}: must render a mapping")
    if mine:
        check_kind_mapping(data, mine[0])
    hc = data.get("healthcheck")
    return KindDefaults(
        image=data.get("image"),
        listens=tuple(int(p) for p in data.get("listens") or ()),
        ports=tuple(str(p) for p in data.get("ports") or ()),
        volumes=tuple(str(v) for v in data.get("volumes") or ()),
        environment={str(k): str(v) for k, v in (data.get("environment") or {}).items()},
        probe=_probe(hc) if isinstance(hc, dict) else None,
        probe_environment={
            str(k): str(v) for k, v in (data.get("probe_environment") or {}).items()
        },
        volume_size=str(data["volume_size"]) if data.get("volume_size") else None,
        client_port=ports.get("client"),
    )


def _duration(text: Any) -> Duration | None:
    return None if text is None else Duration(parse_duration(text), str(text))


def _probe(hc: dict[str, Any]) -> Probe:
    """A partial's ``healthcheck`` (compose form: ``test`` list plus timing) as a probe."""
    test = [str(word) for word in hc.get("test") or ()]
    return Probe(
        argv=tuple(test[1:]) if test[:1] == ["CMD"] else None,
        shell=test[1] if test[:1] == ["CMD-SHELL"] and len(test) == 2 else None,
        interval=_duration(hc.get("interval")),
        timeout=_duration(hc.get("timeout")),
        start_period=_duration(hc.get("start_period")),
        start_interval=_duration(hc.get("start_interval")),
        retries=hc.get("retries"),
    )


def data_volume(defaults: KindDefaults) -> Volume | None:
    """The volume a kind keeps its data in (its first default mount), None when it has none."""
    if not defaults.volumes:
        return None
    entry = parse_volume(defaults.volumes[0])
    return Volume(
        type=VolumeType.BIND if entry.get("type") == "bind" else VolumeType.NAMED,
        source=entry.get("source"),
        target=str(entry.get("target", "")),
        read_only=bool(entry.get("read_only", False)),
        text=defaults.volumes[0],
    )


def command_words(command: Any) -> list[str]:
    """A compose ``command`` (a string or a list of strings) as words split at white space
    (``["redis-server", "--port 6380"]`` → ``redis-server``, ``--port``, ``6380``)."""
    items = [command] if isinstance(command, str) else command if isinstance(command, list) else []
    return [word for item in items for word in str(item).split()]


def profile_client_port(kind: str, svc: ProfileService, kafka: KafkaSettings) -> int | None:
    """The port other containers reach service ``svc`` of ``kind`` on: its own setting
    (:mod:`stackgen.catalog.own_ports`) or the kind's default; None for a kind without one.
    The planner gives it to a Kafka broker for the ZooKeeper service it connects to."""
    env = {k: v for k, v in svc.environment.items() if isinstance(v, str)}
    args = command_words(svc.passthrough.get("command", svc.verbatim.get("command")))
    return own_ports(kind, svc.image or "", env, args, kafka).get("client")


def model_settings(svc: model.Service) -> tuple[dict[str, str | None], list[str]]:
    """The literal environment and the command words of a planned service: what
    :func:`kind_defaults` reads its own ports from, for a target that starts from the model
    (``env, args = model_settings(svc)``)."""
    env: dict[str, str | None] = {
        e.name: e.value.text for e in svc.environment if isinstance(e.value, Text)
    }
    command = svc.command
    if command is None:
        return env, []
    return env, command_words(
        command.line if command.line is not None else list(command.argv or ())
    )

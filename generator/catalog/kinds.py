"""The service catalog: what each ``kind`` brings (image, ports, data volume, env, probe).

Each kind is one Jinja partial ``templates/kinds/_<kind>.yml.j2`` that renders a small YAML
mapping; the partial's header comment names the documentation its defaults come from. This
module renders the partial and reads the result back into a typed :class:`KindDefaults`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..compose.units import parse_duration
from ..compose.values import parse_volume
from ..errors import InputError, TemplateError
from ..plan.records import Duration, Probe, Volume, VolumeType
from ..profile.settings import KafkaSettings
from ..targets.compose.templating import render_template, rendered_text_problems, user_files
from ..yamlio.loader import load_text
from .families import infer_kind as infer_kind  # re-exported: the planner asks it here
from .kind_shape import check_kind_mapping


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
    """

    image: str | None
    listens: tuple[int, ...] = ()
    ports: tuple[str, ...] = ()
    volumes: tuple[str, ...] = ()
    environment: dict[str, str] = field(default_factory=dict)
    probe: Probe | None = None
    probe_environment: dict[str, str] = field(default_factory=dict)
    volume_size: str | None = None


def kind_defaults(
    kind: str,
    *,
    name: str,
    image: str | None,
    env: dict[str, str | None],
    kafka: KafkaSettings,
    zookeeper: str | None,
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
        templates: a user template directory looked up before stackgen's own.
        env_file: the service reads an ``env_file`` (variables the profile cannot see).
        args: the service's ``command`` split into words (``--requirepass`` and the like).

    Raises:
        TemplateError: the partial failed or did not produce a mapping.
    """
    template = f"kinds/_{kind}.yml.j2"
    text = render_template(
        template,
        {
            "name": name,
            "image": image,
            "env": env,
            "kafka": kafka,
            "zookeeper": zookeeper,
            "env_file": env_file,
            "args": list(args),
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

"""The service catalog: what each ``kind`` brings (image, ports, data volume, env, probe).

Each kind is one Jinja partial ``templates/kinds/_<kind>.yml.j2`` that renders a small YAML
mapping; the partial's header comment names the documentation its defaults come from. This
module renders the partial and reads the result back into a typed :class:`KindDefaults`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import TemplateError
from .loader import load_text
from .profile import KafkaSettings
from .templating import render_template


@dataclass(frozen=True)
class KindDefaults:
    """Defaults of one catalog kind, for one service.

    Attributes:
        image: default image reference (None for ``app``: the profile must give one).
        listens: container ports the default image listens on.
        ports: ports published by default (compose short syntax strings).
        volumes: default mounts (``volume:/path`` strings).
        named_volumes: named volumes those mounts need, declared top-level.
        environment: default env (strings).
        healthcheck: compose healthcheck mapping (``test`` list plus timing), or None.
    """

    image: str | None
    listens: tuple[int, ...] = ()
    ports: tuple[str, ...] = ()
    volumes: tuple[str, ...] = ()
    named_volumes: tuple[str, ...] = ()
    environment: dict[str, str] = field(default_factory=dict)
    healthcheck: dict[str, Any] | None = None


def kind_defaults(
    kind: str,
    *,
    name: str,
    image: str | None,
    env: dict[str, str | None],
    kafka: KafkaSettings,
    zookeeper: str | None,
    templates: Path | None = None,
) -> KindDefaults:
    """Render the partial of ``kind`` for service ``name``.

    Args:
        kind: catalog kind (see ``stackgen.profile.KINDS``).
        name: the service name (names volumes, advertised listeners).
        image: the profile's image, or None for the kind's default.
        env: the profile's environment for the service (POSTGRES_USER and the like).
        kafka: the profile's Kafka settings (listeners).
        zookeeper: the ZooKeeper service a Kafka broker depends on, if any.
        templates: a user template directory looked up before stackgen's own.

    Raises:
        TemplateError: the partial failed or did not produce a mapping.
    """
    template = f"kinds/_{kind}.yml.j2"
    text = render_template(
        template,
        {"name": name, "image": image, "env": env, "kafka": kafka, "zookeeper": zookeeper},
        templates,
    )
    data = load_text(text, template).data or {}
    if not isinstance(data, dict):
        raise TemplateError(f"{template}: must render a mapping")
    hc = data.get("healthcheck")
    return KindDefaults(
        image=data.get("image"),
        listens=tuple(int(p) for p in data.get("listens") or ()),
        ports=tuple(str(p) for p in data.get("ports") or ()),
        volumes=tuple(str(v) for v in data.get("volumes") or ()),
        named_volumes=tuple(str(v) for v in data.get("named_volumes") or ()),
        environment={str(k): str(v) for k, v in (data.get("environment") or {}).items()},
        healthcheck=dict(hc) if isinstance(hc, dict) else None,
    )

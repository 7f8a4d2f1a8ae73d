"""The service catalog: what each ``kind`` brings (image, ports, data volume, env, probe).

Each kind is one Jinja partial ``templates/kinds/_<kind>.yml.j2`` that renders a small YAML
mapping; the partial's header comment names the documentation its defaults come from. This
module renders the partial and reads the result back into a typed :class:`KindDefaults`.

A partial's output is decided by the values of the context variables it reads (its source
fixed), so stackgen's own partials are rendered once per process for the values they read:
two services whose partial reads the same values get the same (read-only) defaults. Which
names a partial reads is Jinja's analysis of its source
(:func:`stackgen.targets.compose.templating.template_reads`); running it costs a template
parse (milliseconds a partial, more than a small render spends on its partials), so the
answers are kept in :data:`OWN_READS`, each with the SHA-256 of the source it was made from:
a partial whose source differs, or that is not listed, is not memoised
(``tests/render/test_kind_memo.py`` checks the table against every partial). A user's
``--templates`` partial is never memoised: its file may change between renders of one
process, and its errors name its own lines, which only a render can find.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel

from ..compose.units import parse_duration
from ..compose.values import parse_volume
from ..errors import InputError, TemplateError
from ..plan.records import Duration, Probe, Volume, VolumeType
from ..profile.settings import KafkaSettings
from ..targets.compose.templating import (
    own_source,
    render_template,
    rendered_text_problems,
    user_files,
)
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
        environment: default env (strings; read-only: one value may serve many services).
        probe: the kind's probe (argv or shell, timing in seconds), or None.
        probe_environment: env the healthcheck needs to work (a subset of ``environment``),
            added with the probe when the kind's other defaults are off (read-only).
        volume_size: Kubernetes claim size of a named volume (``"8Gi"``), or None.
    """

    image: str | None
    listens: tuple[int, ...] = ()
    ports: tuple[str, ...] = ()
    volumes: tuple[str, ...] = ()
    environment: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    probe: Probe | None = None
    probe_environment: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
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

    Returns:
        The kind's defaults for the service. stackgen's own partials are rendered once per
        process for the values they read (module doc): the result may be the one another
        service got, so it is read-only throughout.

    Raises:
        TemplateError: the partial failed or did not produce a mapping.
        InputError: a user's partial failed, did not render a YAML mapping of the documented
            shape (README "Your own templates").
    """
    template = f"kinds/_{kind}.yml.j2"
    context = {
        "name": name,
        "image": image,
        "env": env,
        "kafka": kafka,
        "zookeeper": zookeeper,
        "env_file": env_file,
        "args": list(args),
    }
    mine = user_files([template], templates)
    # stackgen's own partial with values seen before: the same defaults
    key = None if mine else memo_key(template, context)
    if key is not None:
        known: KindDefaults | None = _MEMO.get(key)
        if known is not None:
            return known
    found = _render_defaults(template, context, templates, mine)
    if key is not None:
        remember(_MEMO, key, found)
    return found


#: defaults of stackgen's own partials by what they read (memo_key)
_MEMO: dict[tuple[Any, ...], KindDefaults] = {}


#: stackgen's own partial → (SHA-256 of its source, the names it reads: the context names
#: of :func:`stackgen.targets.compose.templating.template_reads`); kept by the tests, and
#: only an optimisation: a stale entry turns the memo off for its partial
OWN_READS: dict[str, tuple[str, frozenset[str]]] = {
    "kinds/_app.yml.j2": (
        "cb8c3e1c4536db00eb32afe495fafbd2b4536b3a1b27ab54c0fa4afeeaee9188",
        frozenset({"image"}),
    ),
    "kinds/_clickhouse.yml.j2": (
        "8d32af0d10c47cff607838fe7d7d03e0e437cd44d5010a7047737067d0ae205e",
        frozenset({"image", "name"}),
    ),
    "kinds/_kafka.yml.j2": (
        "dd456c2e94e3c4c98ead83faa6d62f85bca9d071c25e21d71cf6ae46926f6f4d",
        frozenset({"image", "kafka", "name", "tool", "zookeeper"}),
    ),
    "kinds/_otel-collector.yml.j2": (
        "935cefdab2302f1dbf04f7c81e90615f8612fca2799f6e2e55bc9581732339c7",
        frozenset({"image"}),
    ),
    "kinds/_postgres.yml.j2": (
        "75b3db6daddfc5a48df27d4e422f2c60cea3ad5658d00b0c3191026f17a11348",
        frozenset({"d", "env", "env_file", "image", "name", "u"}),
    ),
    "kinds/_redis.yml.j2": (
        "21f5e719df0866aee0de003db34c31c53b39a84026b8bab196d13a9009d2a5a3",
        frozenset({"args", "env", "image", "name", "namespace"}),
    ),
    "kinds/_zookeeper.yml.j2": (
        "d22f3e25b954e9bedd9a16d851e54fecaf8b1e64b6e009068bbe0d396fda6536",
        frozenset({"image", "name"}),
    ),
}

#: entries kept at most (the project's cache size); the oldest goes first
MAX_ENTRIES = 1 << 16


def source_hash(source: str) -> str:
    """SHA-256 (hex) of a template's source, as :data:`OWN_READS` records it."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


@cache
def own_reads(template: str) -> tuple[str, ...] | None:
    """The names stackgen's own ``template`` reads, sorted; None when it is not memoised (not
    in :data:`OWN_READS`, or its source is not the one the table was made from)."""
    entry = OWN_READS.get(template)
    source = own_source(template) if entry is not None else None
    if entry is None or source is None or source_hash(source) != entry[0]:
        return None
    return tuple(sorted(entry[1]))


#: a key's part for a name the template reads that the context lacks (it then resolves to a
#: global or to undefined, alike on every render)
_ABSENT = object()


def freeze(value: Any) -> Any:
    """An exact hashable form of ``value``: equal forms only for values a template cannot
    tell apart. Text and None stand for themselves (neither equals anything else a form can
    be); every other scalar is paired with its type (``True == 1 == 1.0`` in Python, not in
    a template's output), a float with its ``repr`` (``0.0 == -0.0``); a dict keeps its
    order, a pydantic model its class, every field, its extras and which fields were set; any
    other type raises :class:`TypeError`.
    """
    kind = type(value)
    if kind is str or value is None:
        return value
    if kind is int or kind is bool:
        return (kind, value)
    if kind is float:
        return (kind, repr(value))
    if kind is dict:
        return (kind, tuple((freeze(k), freeze(v)) for k, v in value.items()))
    if kind is list or kind is tuple:
        return (kind, tuple(freeze(v) for v in value))
    if isinstance(value, BaseModel) and not value.__pydantic_private__:
        fields = tuple((name, freeze(getattr(value, name))) for name in kind.model_fields)
        extra = freeze(dict(value.__pydantic_extra__ or {}))
        return (kind, fields, extra, frozenset(value.model_fields_set))
    raise TypeError(f"no exact key for a {kind.__name__}")


def memo_key(template: str, context: dict[str, Any]) -> tuple[Any, ...] | None:
    """The memo key of rendering stackgen's own ``template`` with ``context``: the template
    and the frozen value of each name it reads (:func:`own_reads`: one place a name);
    None when it is not memoised."""
    names = own_reads(template)
    if names is None:
        return None
    try:
        return (template, *[freeze(context[n]) if n in context else _ABSENT for n in names])
    except TypeError:  # a value freeze has no form for
        return None


def remember(memo: dict[tuple[Any, ...], Any], key: tuple[Any, ...], value: Any) -> None:
    """Put ``value`` under ``key`` in ``memo``, which keeps at most :data:`MAX_ENTRIES`
    entries (the oldest goes first)."""
    if len(memo) >= MAX_ENTRIES:
        del memo[next(iter(memo))]
    memo[key] = value


def _render_defaults(
    template: str, context: dict[str, Any], templates: Path | None, mine: list[str]
) -> KindDefaults:
    """Render ``template`` and read its mapping (``mine``: the user's file of it, if any)."""
    text = render_template(template, context, templates)
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
        environment=MappingProxyType(
            {str(k): str(v) for k, v in (data.get("environment") or {}).items()}
        ),
        probe=_probe(hc) if isinstance(hc, dict) else None,
        probe_environment=MappingProxyType(
            {str(k): str(v) for k, v in (data.get("probe_environment") or {}).items()}
        ),
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

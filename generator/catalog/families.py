"""What kind of server an image runs: its catalog kind (:func:`infer_kind`) and, beyond the
catalog's kinds, its family; one table for the planner and the rules
(``stackgen.lint.model.infra_family`` reads it too). Plain data and regular expressions, so
``stackgen check`` of a compose file reads it without the catalog's templates.

A *family* is a database, cache, broker or coordinator (``postgres``, ``mysql``, ``kafka`` …);
:data:`DATABASES` are the families that hold a schema an application sets up on start.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

# Image repositories (registry and tag stripped) whose kind is known without `kind:`.
_IMAGE_KINDS: tuple[tuple[str, str], ...] = (
    (r"(?:library/)?postgres|postgis/postgis|ankane/pgvector|pgvector/pgvector", "postgres"),
    (r"(?:library/)?redis|redis/redis-stack(?:-server)?", "redis"),
    (r"confluentinc/cp-zookeeper|(?:library/)?zookeeper|bitnami/zookeeper", "zookeeper"),
    (r"confluentinc/cp-kafka|apache/kafka|bitnami/kafka", "kafka"),
    (r"clickhouse/clickhouse-server|yandex/clickhouse-server", "clickhouse"),
    (r"otel/opentelemetry-collector(?:-contrib|-k8s)?", "otel-collector"),
)


@lru_cache(maxsize=1 << 16)  # asked of every service (10,000 fit), by the planner and rules
def infer_kind(image: str | None) -> str:
    """The catalog kind an image belongs to, or ``app`` when it is not in the catalog.

    Args:
        image: an image reference such as ``docker.io/library/postgres:16`` or
            ``ankane/pgvector:v0.5.1``; None gives ``app``.
    """
    if not image:
        return "app"
    repo = image.split("@", 1)[0]
    last = repo.rsplit("/", 1)[-1]
    if ":" in last:
        repo = repo[: len(repo) - len(last)] + last.split(":", 1)[0]
    first, _, rest = repo.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        repo = rest  # drop the registry host
    m = _kinds_pattern().fullmatch(repo)
    return _IMAGE_KINDS[int(m.lastgroup[1:])][1] if m and m.lastgroup else "app"


def _one_pattern(table: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    """The patterns of ``table`` as one expression, pattern ``i`` as group ``gI``: its full
    match is the first pattern that fully matches (alternatives are tried in order), in one
    search instead of one per pattern."""
    return re.compile("|".join(f"(?P<g{i}>{pattern})" for i, (pattern, _) in enumerate(table)))


@cache  # compiled at first use, not on import
def _kinds_pattern() -> re.Pattern[str]:
    return _one_pattern(_IMAGE_KINDS)


@cache
def _infra_pattern() -> re.Pattern[str]:
    return _one_pattern(_INFRA_IMAGES)


#: image repositories (registry and tag stripped) of servers no browser or outside client
#: should reach directly, beyond the catalog's kinds
_INFRA_IMAGES: tuple[tuple[str, str], ...] = (
    (r"(?:.*/)?(?:mysql|mariadb|percona)(?:-server)?", "mysql"),
    (r"(?:.*/)?mongo(?:db)?(?:-community-server)?", "mongo"),
    (r"(?:.*/)?memcached", "memcached"),
    (r"(?:.*/)?rabbitmq", "rabbitmq"),
    (r"(?:.*/)?(?:elasticsearch|opensearch)(?:/(?:elasticsearch|opensearch))?", "elasticsearch"),
    (r"(?:.*/)?cassandra", "cassandra"),
    (r"(?:.*/)?etcd", "etcd"),
    (r"(?:.*/)?(?:valkey|keydb|dragonfly)", "redis"),
)
#: the catalog kinds that are infrastructure (not ``app`` or ``otel-collector``)
INFRA_KINDS = ("postgres", "redis", "zookeeper", "kafka", "clickhouse")
#: families whose schema applications create or migrate on start
DATABASES = frozenset({"postgres", "clickhouse", "mysql", "mongo", "cassandra"})


def repository(image: str) -> str:
    """The repository of an image reference, tag and digest stripped (registry kept)."""
    repo = image.split("@", 1)[0]
    last = repo.rsplit("/", 1)[-1]
    return repo[: len(repo) - len(last)] + last.split(":", 1)[0]


# the rules ask it of every service several times
@lru_cache(maxsize=1 << 16)  # room for every image of a 10,000-service stack
def image_family(image: str | None, kind: str | None = None) -> str | None:
    """The infrastructure family of a service from its catalog ``kind`` (when given) or its
    image, or None for anything else (an application, the collector, an unknown image)."""
    kind = kind or infer_kind(image)
    if kind in INFRA_KINDS:
        return kind
    if image:
        m = _infra_pattern().fullmatch(repository(image))
        if m and m.lastgroup:
            return _INFRA_IMAGES[int(m.lastgroup[1:])][1]
    return None

"""What kind of server an image runs, beyond the catalog's kinds: one table for the planner
and the rules (``stackgen.lint.model.infra_family`` reads it too).

A *family* is a database, cache, broker or coordinator (``postgres``, ``mysql``, ``kafka`` …);
:data:`DATABASES` are the families that hold a schema an application sets up on start.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .kinds import infer_kind

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
        repo = repository(image)
        for pattern, family in _INFRA_IMAGES:
            if re.fullmatch(pattern, repo):
                return family
    return None

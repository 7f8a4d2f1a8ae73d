"""catalog.families reads an image's kind and family with one expression per table: the same
answer as trying the table's patterns one by one, the first that fully matches winning."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from stackgen.catalog.families import (
    _IMAGE_KINDS,
    _INFRA_IMAGES,
    _infra_pattern,
    _kinds_pattern,
    image_family,
    infer_kind,
)

_parts = st.sampled_from(
    [
        "postgres",
        "library/",
        "redis",
        "redis/redis-stack",
        "-server",
        "bitnami/",
        "kafka",
        "zookeeper",
        "apache/kafka",
        "confluentinc/cp-",
        "clickhouse/clickhouse-server",
        "otel/",
        "opentelemetry-collector",
        "-contrib",
        "mysql",
        "mariadb",
        "mongo",
        "db",
        "memcached",
        "rabbitmq",
        "elasticsearch/",
        "opensearch",
        "cassandra",
        "etcd",
        "valkey",
        "keydb",
        "/",
        "x",
        "ankane/pgvector",
        "pgvector/pgvector",
        "postgis/postgis",
        "-community-server",
    ]
)
_repos = st.lists(_parts, max_size=5).map("".join) | st.text(max_size=12)


def _one_by_one(table: tuple[tuple[str, str], ...], repo: str) -> str | None:
    return next((name for pattern, name in table if re.fullmatch(pattern, repo)), None)


def _first(pattern: re.Pattern[str], table: tuple[tuple[str, str], ...], repo: str) -> str | None:
    m = pattern.fullmatch(repo)
    return table[int(m.lastgroup[1:])][1] if m and m.lastgroup else None


@given(_repos)
@example("redis/redis-stack-server")
@example("bitnami/kafka")
@example("x/valkey")
def test_one_expression_answers_as_the_patterns_one_by_one(repo: str) -> None:
    assert _first(_kinds_pattern(), _IMAGE_KINDS, repo) == _one_by_one(_IMAGE_KINDS, repo)
    assert _first(_infra_pattern(), _INFRA_IMAGES, repo) == _one_by_one(_INFRA_IMAGES, repo)


def test_kinds_and_families_of_known_images() -> None:
    assert infer_kind("docker.io/library/postgres:16") == "postgres"
    assert infer_kind("registry.example.test/a/api:1") == "app"
    assert image_family("mariadb:11") == "mysql"
    assert image_family("bitnami/kafka:3.7") == "kafka"
    assert image_family("registry.example.test/a/api:1") is None

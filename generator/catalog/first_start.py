"""How long each catalog kind's first start can take, in seconds: a worst case on an empty
volume, for a profile to override per service with ``first_start``
(:mod:`stackgen.timeline` reads it).

* postgres 30 s: ``initdb``, the ``/docker-entrypoint-initdb.d`` scripts on a temporary
  server, then the real server (docker-library/postgres#256);
* redis 10 s: loads its dump or AOF;
* zookeeper 30 s: JVM start and snapshot load;
* kafka 90 s: JVM start, ZooKeeper session and broker registration (a stale registration
  holds it for ``zookeeper.session.timeout.ms``, 18 s) and log recovery;
* clickhouse 60 s: system tables and databases created on an empty data directory;
* otel-collector 10 s: a Go binary reading its configuration.
"""

from __future__ import annotations

FIRST_START: dict[str, float] = {
    "postgres": 30.0,
    "redis": 10.0,
    "zookeeper": 30.0,
    "kafka": 90.0,
    "clickhouse": 60.0,
    "otel-collector": 10.0,
}

"""The ports a catalog service really listens on: the kind's default, unless the service sets
its own through the image's documented settings. The catalog's probe, the ports it lists
(Kubernetes container and Service ports, ``domains`` checks) and the addresses it writes for
clients (``KAFKA_ZOOKEEPER_CONNECT``, ``KAFKA_SERVERS``) all follow these ports.

Where each rule comes from:

* postgres: the server's ``-p PORT`` / ``-c port=PORT`` options, else ``PGPORT`` (PostgreSQL
  docs, "postgres": "-p port … defaults to the value of the PGPORT environment variable");
  the official image's entrypoint starts its init server on ``${PGPORT:-5432}`` too.
* redis: ``--port N`` on the ``redis-server`` command line (redis.io, "Redis configuration":
  command-line arguments set configuration directives); Bitnami's image reads
  ``REDIS_PORT_NUMBER`` (bitnami/containers, redis README).
* zookeeper: Confluent's ``ZOOKEEPER_CLIENT_PORT`` (Confluent image configuration
  reference); the official ``zookeeper`` image writes ``zoo.cfg`` from ``ZOO_SERVERS``, whose
  own server entry ``server.ID=…;PORT`` gives the client port (default
  ``server.1=localhost:2888:3888;2181``, ``ZOO_MY_ID`` default 1), else a ``clientPort=``
  entry of ``ZOO_CFG_EXTRA`` (its ``docker-entrypoint.sh``, github.com/31z4/zookeeper-docker);
  Bitnami's image reads ``ZOO_PORT_NUMBER``, default 2181 (bitnami/containers, zookeeper
  ``libzookeeper.sh``).
* kafka: the broker's ``KAFKA_LISTENERS`` (``KAFKA_CFG_LISTENERS`` for Bitnami) as the
  service sets it, else the catalog's from the profile's ``kafka.listeners``; clients inside
  the stack and the probe use the inter-broker listener (``KAFKA_INTER_BROKER_LISTENER_NAME``,
  else the catalog's ``INTERNAL``, else the first one not named in
  ``KAFKA_CONTROLLER_LISTENER_NAMES``).
* clickhouse: ``--http_port`` / ``--tcp_port`` after ``--`` in the command, which the image's
  entrypoint passes to ``clickhouse-server`` as configuration overrides (ClickHouse docs,
  "clickhouse-server": ``-- --key=value``).

A value stackgen cannot read as a port (``${PORT}``, filled in by compose) keeps the default.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ..profile.settings import KafkaSettings

#: the catalog's listener names (templates/kinds/_kafka.yml.j2)
_INTERNAL, _EXTERNAL = "INTERNAL", "EXTERNAL"


_NUMBER = re.compile(r"[0-9]{1,5}")


def _port(text: str | None) -> int | None:
    """``text`` as a TCP port, None when it is not a literal number 1-65535 (ASCII digits:
    ``str.isdigit`` takes other scripts' digits)."""
    if text is None or not _NUMBER.fullmatch(text.strip()):
        return None
    number = int(text)
    return number if 0 < number < 65536 else None


def _option(args: Sequence[str], name: str) -> int | None:
    """The last port option ``name`` gives (``--port 6380`` or ``--port=6380``): the last one
    wins, as each program reads its options in order."""
    found: int | None = None
    for i, word in enumerate(args):
        if word == name and i + 1 < len(args):
            found = _port(args[i + 1]) or found
        elif word.startswith(name + "="):
            found = _port(word[len(name) + 1 :]) or found
    return found


def _postgres(env: Mapping[str, str | None], args: Sequence[str]) -> dict[str, int]:
    port = _port(env.get("PGPORT")) or 5432
    for i, word in enumerate(args):
        after = args[i + 1] if i + 1 < len(args) else ""
        value: str | None = None
        if word == "-p":
            value = after
        elif word.startswith("-p"):
            value = word[2:]  # -p5433
        elif word == "-c" and after.startswith("port="):
            value = after[5:]
        elif word.startswith(("-cport=", "--port=")):
            value = word.split("=", 1)[1]
        port = _port(value) or port
    return {"client": port}


def _redis(image: str, env: Mapping[str, str | None], args: Sequence[str]) -> dict[str, int]:
    default = _port(env.get("REDIS_PORT_NUMBER")) if "bitnami/" in image else None
    return {"client": _option(args, "--port") or default or 6379}


def zookeeper_flavour(image: str) -> str:
    """Which image a ``zookeeper`` service runs: ``official`` (Docker Hub ``zookeeper``),
    ``bitnami`` or ``confluent`` (Confluent's cp-zookeeper, and any other image: the
    catalog's own default)."""
    repo = image.split("@", 1)[0]
    last = repo.rsplit("/", 1)[-1]
    repo = repo[: len(repo) - len(last)] + last.split(":", 1)[0]
    if "bitnami/" in repo:
        return "bitnami"
    first, _, rest = repo.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        repo = rest  # a registry host
    return "official" if repo in ("zookeeper", "library/zookeeper") else "confluent"


def _zookeeper(image: str, env: Mapping[str, str | None]) -> dict[str, int]:
    flavour = zookeeper_flavour(image)
    if flavour == "bitnami":
        return {"client": _port(env.get("ZOO_PORT_NUMBER")) or 2181}
    if flavour == "confluent":
        return {"client": _port(env.get("ZOOKEEPER_CLIENT_PORT")) or 2181}
    own = f"server.{(env.get('ZOO_MY_ID') or '1').strip()}="
    for entry in (env.get("ZOO_SERVERS") or "").split():
        if entry.startswith(own) and ";" in entry:
            return {"client": _port(entry.rsplit(";", 1)[1].rsplit(":", 1)[-1]) or 2181}
    extra = [e for e in (env.get("ZOO_CFG_EXTRA") or "").split() if e.startswith("clientPort=")]
    return {"client": (_port(extra[-1].split("=", 1)[1]) if extra else None) or 2181}


def kafka_listeners(env: Mapping[str, str | None], kafka: KafkaSettings) -> dict[str, int]:
    """The broker's listeners, name → port: the service's ``KAFKA_LISTENERS`` (or Bitnami's
    ``KAFKA_CFG_LISTENERS``) when it sets a readable one, else the catalog's from
    ``kafka.listeners``; plus ``client``, the port of the inter-broker listener."""
    text = env.get("KAFKA_LISTENERS") or env.get("KAFKA_CFG_LISTENERS")
    found: dict[str, int] = {}
    for item in (text or "").split(","):
        name, sep, address = item.strip().partition("://")
        port = _port(address.rsplit(":", 1)[-1]) if sep and ":" in address else None
        if port is not None:
            found[name.upper()] = port
    if not found:
        found = {_INTERNAL: kafka.listeners.internal_port, _EXTERNAL: kafka.listeners.external_port}
    inter = env.get("KAFKA_INTER_BROKER_LISTENER_NAME") or env.get(
        "KAFKA_CFG_INTER_BROKER_LISTENER_NAME"
    )
    # a KRaft controller listener answers controllers, not clients (Kafka docs,
    # controller.listener.names)
    controllers = env.get("KAFKA_CONTROLLER_LISTENER_NAMES") or env.get(
        "KAFKA_CFG_CONTROLLER_LISTENER_NAMES"
    )
    skip = {n.strip().upper() for n in (controllers or "CONTROLLER").split(",")}
    clients = [port for name, port in found.items() if name not in skip] or list(found.values())
    return {"client": found.get((inter or _INTERNAL).upper(), clients[0]), **found}


def _clickhouse(args: Sequence[str]) -> dict[str, int]:
    overrides = args[list(args).index("--") + 1 :] if "--" in args else ()
    return {
        "http": _option(overrides, "--http_port") or 8123,
        "client": _option(overrides, "--tcp_port") or 9000,
    }


def own_ports(
    kind: str,
    image: str,
    env: Mapping[str, str | None],
    args: Sequence[str],
    kafka: KafkaSettings,
) -> dict[str, int]:
    """The ports a service of ``kind`` listens on, by role; ``client`` is the one other
    containers and the probe connect to. Empty for ``app`` and ``otel-collector`` (the
    collector's endpoints are in its configuration file, which stackgen does not read).

    Args:
        kind: the catalog kind.
        image: the image the service runs (the kind's default when the profile gives none).
        env: the service's own environment (values that are not text are left out).
        args: its ``command`` split into words.
        kafka: the profile's Kafka settings (the catalog's listeners).
    """
    if kind == "postgres":
        return _postgres(env, args)
    if kind == "redis":
        return _redis(image, env, args)
    if kind == "zookeeper":
        return _zookeeper(image, env)
    if kind == "kafka":
        return kafka_listeners(env, kafka)
    if kind == "clickhouse":
        return _clickhouse(args)
    return {}

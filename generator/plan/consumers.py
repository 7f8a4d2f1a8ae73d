"""Kafka consumer settings of the consuming services (``kafka.consumers``), expanded before
planning: each setting a consumer maps to an environment name (``env``) is written into that
service's ``environment`` (the given value, else Kafka's client default), so the application
reads what the rules checked (``kafka-consumer-timing`` in ``docs/check.md``).
"""

from __future__ import annotations

import difflib

from ..errors import Diagnostic, InputError
from ..profile.load import LoadedProfile
from ..profile.settings import Consumer
from ..yamlio.nodes import dotted

#: Kafka's consumer defaults (Kafka documentation, "Consumer Configs"), milliseconds
CLIENT_DEFAULTS = {
    "session_timeout_ms": 45_000,
    "heartbeat_interval_ms": 3000,
    "max_poll_interval_ms": 300_000,
}


def setting(consumer: Consumer, key: str) -> tuple[int, bool]:
    """``(value, given)``: the consumer's setting ``key``, or Kafka's default (given False)."""
    value = getattr(consumer, key)
    return (value, True) if value is not None else (CLIENT_DEFAULTS[key], False)


def expand(loaded: LoadedProfile) -> LoadedProfile:
    """``loaded`` with each mapped consumer setting in its service's environment.

    Raises:
        InputError: a consumer that is not a service of the profile, or a mapped name the
            service's own ``environment`` sets to another value (two sources for one setting).
    """
    consumers = loaded.profile.kafka.consumers
    if not consumers:
        return loaded
    services = dict(loaded.profile.services)
    problems: list[Diagnostic] = []
    for name, consumer in consumers.items():
        at = ("kafka", "consumers", name)
        svc = services.get(name)
        if svc is None:
            close = difflib.get_close_matches(name, sorted(services), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            mark = loaded.source.mark(at)
            problems.append(
                Diagnostic(mark.file, mark.line, mark.col, dotted(at), f"no service {name!r}{hint}")
            )
            continue
        env = dict(svc.environment)
        for key in CLIENT_DEFAULTS:
            var = getattr(consumer.env, key)
            if var is None:
                continue
            value = str(setting(consumer, key)[0])
            own = env.get(var)
            if var in svc.environment and own != value:
                where = ("services", name, "environment", var)
                mark = loaded.source.mark(where)
                problems.append(
                    Diagnostic(
                        mark.file,
                        mark.line,
                        mark.col,
                        dotted(where),
                        f"{var} is kafka.consumers.{name}.env.{key}, which renders "
                        f"{key} ({value}) here; set the value in kafka.consumers.{name} only",
                    )
                )
                continue
            env[var] = value
        services[name] = svc.model_copy(update={"environment": env})
    if problems:
        raise InputError(problems)
    profile = loaded.profile.model_copy(update={"services": services})
    return type(loaded)(profile=profile, source=loaded.source, path=loaded.path)

"""What a Docker Engine version can run of a compose file.

``healthcheck.start_interval`` needs Docker Engine 25.0 (API 1.44); docker compose refuses a
file that sets it on an older engine: "can't set healthcheck.start_interval as feature require
Docker Engine v25 or later" (docker/compose#11360, docker-library/docker#473).
"""

from __future__ import annotations

#: the first Docker Engine version that runs ``healthcheck.start_interval``
START_INTERVAL_ENGINE = (25,)
#: compose/Docker default healthcheck interval (Dockerfile reference, HEALTHCHECK --interval)
DEFAULT_INTERVAL = "30s"


def supports_start_interval(engine: tuple[int, ...] | None) -> bool:
    """True when an engine of version ``engine`` (``(24, 0, 7)``) runs ``start_interval``;
    None (no engine declared) means a current engine."""
    return engine is None or engine >= START_INTERVAL_ENGINE

"""The engine restart policy a swarm ``restart_policy`` means to docker compose.

``condition`` none → ``no``, any (the default) → ``always``, on-failure → ``on-failure``, or
``on-failure:N`` with ``max_attempts: N`` above 0; ``delay`` and ``window`` are swarm-only.
Source: compose spec "deploy.restart_policy"; docker compose ``getRestartPolicy`` (compose uses
``deploy.restart_policy`` over ``restart`` when both are set). The planner, the diff's
canonical form and ``check`` all map a policy with this one function.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_RESTART_OF_CONDITION = {"none": "no", "any": "always", "on-failure": "on-failure", "": "always"}


def engine_restart(policy: Mapping[str, Any]) -> str:
    """The ``restart`` value a ``restart_policy`` mapping (``condition``, ``max_attempts``)
    means; an unknown condition is returned as written."""
    condition = str(policy.get("condition") or "")
    name = _RESTART_OF_CONDITION.get(condition, condition)
    attempts = policy.get("max_attempts")
    if isinstance(attempts, str) and attempts.strip().isdigit():
        attempts = int(attempts)
    if name == "on-failure" and isinstance(attempts, int) and attempts > 0:
        return f"on-failure:{attempts}"
    return name

"""Prove the manifests before anything is written: the text reads back as the manifests, they
pass the official strict schemas of the target Kubernetes version (:mod:`.schemas`), and
stackgen's API-server rules (:mod:`.rules`). Every problem is collected.
"""

from __future__ import annotations

from typing import Any

from ...errors import InternalError
from ...yamlio.loader import load_multi
from .rules import violations
from .schemas import schema_errors


def problems(manifests: list[dict[str, Any]], version: str) -> list[str]:
    """Every schema error and API-server rule violation of ``manifests`` at ``version``, one
    line each (empty when the manifests would be accepted).

    Raises:
        UnsupportedVersion: ``version`` is not shipped by ``kubernetes-validate``.
    """
    found = [f"schema {version}: {e}" for e in schema_errors(manifests, version)]
    found += [f"API server: {v}" for v in violations(manifests, version)]
    return found


def prove(text: str, manifests: list[dict[str, Any]], version: str) -> None:
    """Check that ``text`` parses back to exactly ``manifests`` and that they validate.

    Args:
        text: the emitted file.
        manifests: what it must hold.
        version: Kubernetes ``MAJOR.MINOR``.

    Raises:
        InternalError: the read-back differs, or any schema or rule problem (all listed):
            stackgen built the manifests, so a failure here is stackgen's own fault (exit 3);
            input a manifest cannot carry is refused earlier, with its profile position.
    """
    docs = [d.data for d in load_multi(text, "<rendered kubernetes>")]
    if docs != manifests:
        raise InternalError("rendered Kubernetes text reads back differently from its manifests")
    found = problems(manifests, version)
    if found:
        raise InternalError(
            f"rendered manifests fail validation ({len(found)} problems):\n  " + "\n  ".join(found)
        )

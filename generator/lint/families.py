"""The rule set: every rule family, in report order within a position.

``stackgen check`` runs them on compose files and planned profiles; ``stackgen render`` runs
them on the stack it is about to write (:mod:`stackgen.lint.gate`). One list, two gates.
"""

from __future__ import annotations

from collections.abc import Callable

from . import (
    concurrency,
    consistency,
    consumers,
    deploy,
    exposure,
    files,
    kafka,
    probe_rules,
    proxy,
    readiness,
    references,
    startup,
)
from .model import Subject

#: every rule family, in report order within a position
FAMILIES: tuple[Callable[[Subject], None], ...] = (
    files.check,
    references.check,
    consistency.check,
    readiness.check,
    probe_rules.check,
    kafka.check,
    deploy.check,
    exposure.check,
)

#: rules that need what a profile declares beyond compose (or that ``check`` on a compose
#: file does not run, so its findings there stay as they were): run on planned profiles
PROFILE_FAMILIES: tuple[Callable[[Subject], None], ...] = (
    concurrency.check,
    startup.check,
    proxy.check,
    consumers.check,
)

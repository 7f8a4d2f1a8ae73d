"""Profile values that would make manifests Kubernetes refuses, found before translating.

The manifests are proved against the API server's rules after they are built
(:mod:`.prove`), but a failure there is stackgen's fault (exit 3). A profile that asks for
something Kubernetes cannot hold — a project name too long for a label, a service name too
long for the names stackgen derives from it, an environment variable name the target
version refuses, probe timings beyond the API's 32-bit fields — is the user's to fix: each
is reported here at its profile key (exit 2).
"""

from __future__ import annotations

from collections.abc import Callable

from . import manifests as m
from .rules import LABEL_MAX, env_name_problem, label_value_problem
from .view import Stack

#: ``wait-<dependency>``: the init container that waits for a dependency (.waits)
WAIT_PREFIX = "wait-"
#: ``<service>-public``: the extra Service of a StatefulSet's published ports (.network)
PUBLIC_SUFFIX = "-public"
#: a StatefulSet's pods carry ``controller-revision-hash: <name>-<hash of 10>``, a label
#: value (at most 63): a longer name makes the controller fail to create any pod
#: (kubernetes/kubernetes#64023), so its name may have at most 63 - 11 characters
STATEFULSET_MAX = LABEL_MAX - 11

#: the API's probe fields (periodSeconds, timeoutSeconds, failureThreshold) are int32
INT32_MAX = 2**31 - 1

Error = Callable[[tuple[str | int, ...], str], None]


def check_names(stack: Stack, version: str, error: Error) -> None:
    """Report each name Kubernetes would refuse through ``error(path, message)``.

    Args:
        stack: the stack as the target reads it (``name``, each service's environment).
        version: the target Kubernetes ``MAJOR.MINOR`` (environment names depend on it).
        error: collects a problem at a profile path.
    """
    problem = label_value_problem(stack.name)
    if problem:
        error(("name",), f"labels every object (app.kubernetes.io/part-of): {problem}")
    for svc in stack.services:
        for var in svc.env:
            problem = env_name_problem(var.name, version)
            if problem:
                where = ("services", svc.name, "environment", var.name)
                error(where, f"{problem} (kubernetes.version)")


def probe_problems(
    readiness: m.Probe, liveness: m.Probe, startup: m.Probe | None
) -> list[tuple[str, str]]:
    """``(healthcheck key, message)`` for each probe number beyond the API's int32 fields
    (``periodSeconds`` from ``interval``, ``timeoutSeconds`` from ``timeout``, the
    liveness ``failureThreshold`` from ``retries``, the startup one from ``start_period``)."""
    numbers = [
        ("interval", readiness.period, "seconds"),
        ("timeout", readiness.timeout, "seconds"),
        ("retries", liveness.failure_threshold, "as the liveness failureThreshold"),
        ("start_period", startup.failure_threshold if startup else None, "failures to start"),
    ]
    return [
        (key, f"{value} {what} is more than a Kubernetes probe field holds (int32)")
        for key, value, what in numbers
        if value is not None and value > INT32_MAX
    ]


def wait_name_problem(dependency: str) -> str | None:
    """Why the init container ``wait-<dependency>`` cannot be named so (a DNS-1123 label:
    at most 63 characters), or None."""
    if len(WAIT_PREFIX) + len(dependency) > LABEL_MAX:
        return (
            f"waits for {dependency} in an init container {WAIT_PREFIX}{dependency}, longer than "
            f"{LABEL_MAX} characters: name the service with at most "
            f"{LABEL_MAX - len(WAIT_PREFIX)}"
        )
    return None


def statefulset_name_problem(name: str) -> str | None:
    """Why a StatefulSet cannot be named ``name`` (see :data:`STATEFULSET_MAX`), or None."""
    if len(name) > STATEFULSET_MAX:
        return (
            "names a StatefulSet (it keeps data in a named volume), whose pods' "
            "controller-revision-hash label would pass 63 characters, so Kubernetes creates "
            f"none: use at most {STATEFULSET_MAX} characters"
        )
    return None


def public_name_problem(name: str) -> str | None:
    """Why ``<name>-public`` cannot name a Service (over 63 characters), or None."""
    if len(name) + len(PUBLIC_SUFFIX) > LABEL_MAX:
        return (
            f"its published ports need a Service {name}{PUBLIC_SUFFIX}, longer than "
            f"{LABEL_MAX} characters: use at most {LABEL_MAX - len(PUBLIC_SUFFIX)}"
        )
    return None

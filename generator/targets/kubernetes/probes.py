"""Healthchecks → container probes, and ``depends_on`` → init containers that wait.

Probes (Kubernetes "Configure Liveness, Readiness and Startup Probes"):

* ``readinessProbe``: the healthcheck as compose runs it — ``periodSeconds`` = interval,
  ``timeoutSeconds`` = timeout, ``failureThreshold`` = retries; ``exec`` for an argv or shell
  probe (``sh -c TEXT``), ``httpGet``/``tcpSocket`` for the ``http:``/``tcp:`` shorthands
  (the kubelet connects to the pod IP, so a ``127.0.0.1``/``localhost`` host is left out).
* ``livenessProbe``: the same check, twice as many failures allowed (at least 3), so a slow
  moment takes the pod out of its Service before the kubelet restarts it.
* ``startupProbe`` (when ``start_period`` > 0): period ``min(interval, 10)`` seconds and
  ``failureThreshold`` = ``ceil(start_period / period) + retries``, so
  ``failureThreshold × periodSeconds`` ≥ ``start_period``; liveness and readiness start
  after it succeeds.

Waits (one init container per dependency, in ``depends_on`` order; bounded loops, the kubelet
restarts a failed init container with back-off, so the pod keeps waiting without a busy loop):

* ``service_healthy``: the dependency's own check run in the dependency's image against its
  Service name (``127.0.0.1``/``localhost`` replaced by it), retried every interval up to
  ``ceil(start_period / interval) + retries`` times;
* ``service_started``: a TCP connect to the dependency's first Service port
  (``nc -z`` in :data:`WAIT_IMAGE`), every 2 s, 150 times;
* ``service_completed_successfully`` (a one-shot Job): ``kubectl wait --for=condition=complete``
  in :data:`kubectl_image`, under a ServiceAccount whose Role may only read Jobs in the
  namespace (no cluster-wide permission).
"""

from __future__ import annotations

import math
import re
import shlex
from typing import Literal
from urllib.parse import urlsplit

from . import manifests as m
from .envmap import escape
from .view import Probe

#: the image of ``service_started`` waits: busybox ships ``nc`` and ``sh`` (docker.io/busybox)
WAIT_IMAGE = "busybox:1.37"
#: service account of ``service_completed_successfully`` waits
WAITER = "stackgen-wait"
_LOCAL = re.compile(r"(?<![\w.-])(?:127\.0\.0\.1|localhost)(?![\w-]|\.\w)", re.IGNORECASE)


def kubectl_image(version: str) -> str:
    """The kubectl image of the target version (SIG Release publishes it to registry.k8s.io)."""
    return f"registry.k8s.io/kubectl:v{version}.0"


def _seconds(value: float) -> int:
    return max(1, math.ceil(value))


def _handler(probe: Probe) -> m.Probe:
    if probe.http_url is not None:
        url = urlsplit(probe.http_url)
        scheme: Literal["HTTP", "HTTPS"] = "HTTPS" if url.scheme == "https" else "HTTP"
        if url.hostname is None or _LOCAL.fullmatch(url.hostname):
            path = url.path or "/"
            if url.query:
                path += f"?{url.query}"
            port = url.port or (443 if scheme == "HTTPS" else 80)
            return m.Probe(http_path=path, http_port=port, http_scheme=scheme)
    if probe.tcp_port is not None:
        return m.Probe(tcp_port=probe.tcp_port)
    # the kubelet expands $(VAR) and $$ in an exec probe's command as in a container's
    # (prober.go: ExpandContainerCommandOnlyStatic): literal text is escaped
    if probe.shell is not None:
        return m.Probe(exec_command=("sh", "-c", escape(probe.shell)))
    return m.Probe(exec_command=tuple(escape(word) for word in probe.argv or ()))


def container_probes(probe: Probe) -> tuple[m.Probe, m.Probe, m.Probe | None]:
    """``(readiness, liveness, startup)`` for a healthcheck (startup None without a
    start period); rules in the module docstring."""
    base = _handler(probe)
    period, timeout = _seconds(probe.interval), _seconds(probe.timeout)
    retries = max(1, probe.retries)

    def timed(p: int, failures: int) -> m.Probe:
        return m.Probe(
            exec_command=base.exec_command,
            http_path=base.http_path,
            http_port=base.http_port,
            http_scheme=base.http_scheme,
            tcp_port=base.tcp_port,
            period=p,
            timeout=timeout,
            failure_threshold=failures,
        )

    readiness = timed(period, retries)
    liveness = timed(period, max(3, 2 * retries))
    startup = None
    if probe.start_period > 0:
        step = min(period, 10)
        startup = timed(step, math.ceil(probe.start_period / step) + retries)
    return readiness, liveness, startup


def check_command(probe: Probe, host: str) -> str:
    """The dependency's check as one shell command aimed at ``host`` (its Service name)."""
    if probe.shell is not None:
        return f"( {_LOCAL.sub(host, probe.shell)} )"
    if probe.http_url is not None and probe.argv:
        return shlex.join(_LOCAL.sub(host, a) for a in probe.argv)
    if probe.tcp_port is not None:
        return shlex.join(["nc", "-z", "-w", "2", host, str(probe.tcp_port)])
    return shlex.join(_LOCAL.sub(host, a) for a in probe.argv or ())


def _loop(check: str, what: str, attempts: int, pause: int) -> str:
    return (
        f"i=0\nuntil {check}; do\n"
        f"  i=$((i + 1))\n"
        f'  if [ "$i" -ge {attempts} ]; then echo "{what}" >&2; exit 1; fi\n'
        f"  sleep {pause}\ndone\n"
    )


def wait_healthy(
    dependency: str,
    image: str,
    probe: Probe,
    env: tuple[m.EnvVar, ...],
    env_from: str | None = None,
) -> m.Container:
    """An init container running ``dependency``'s own check against its Service name.

    Args:
        dependency: the dependency's name (its Service).
        image: the dependency's image (its check's tools are there).
        probe: the dependency's healthcheck.
        env: the dependency's environment (the check reads ``$POSTGRES_USER``,
            ``REDISCLI_AUTH``… as it does in the dependency's container).
        env_from: the Secret the dependency reads its ``env_file`` from, or None.
    """
    pause = _seconds(probe.interval)
    attempts = math.ceil(probe.start_period / pause) + max(1, probe.retries)
    script = _loop(
        check_command(probe, dependency),
        f"{dependency} is not healthy after {attempts} checks",
        attempts,
        pause,
    )
    return m.Container(
        name=f"wait-{dependency}",
        image=image,
        command=("sh", "-c", escape(script)),
        env=env,
        env_from_secret=env_from,
    )


def wait_started(dependency: str, port: int) -> m.Container:
    """An init container waiting until ``dependency``'s Service accepts TCP on ``port``."""
    check = shlex.join(["nc", "-z", "-w", "2", dependency, str(port)])
    script = _loop(check, f"{dependency}:{port} does not accept connections", 150, 2)
    return m.Container(
        name=f"wait-{dependency}", image=WAIT_IMAGE, command=("sh", "-c", escape(script))
    )


def wait_completed(dependency: str, version: str, namespace: str | None) -> m.Container:
    """An init container waiting until the Job ``dependency`` has completed."""
    argv = ["kubectl", "wait", "--for=condition=complete", f"job/{dependency}", "--timeout=600s"]
    if namespace is not None:
        argv[2:2] = ["--namespace", namespace]
    return m.Container(name=f"wait-{dependency}", image=kubectl_image(version), command=tuple(argv))

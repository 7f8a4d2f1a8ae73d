"""Worst-case startup timeline: when each service can start and when it is healthy at the
latest, computed along the dependency graph from the probes and the declared first starts.

Terms (all in seconds from ``docker compose up``):

* **first start** ``F``: how long the service can take, on its first start (empty volumes),
  until it serves: ``first_start`` in the profile, else its catalog kind's default
  (:data:`stackgen.catalog.first_start.FIRST_START`), else 0 (not declared).
* **probe budget** ``B = start_period + retries × (interval + timeout)``: the probe's failures
  count only after ``start_period``, the engine runs the next probe ``interval`` after the last
  one ended and a probe counts as failed after ``timeout``, so ``retries`` failures in a row
  after ``start_period`` mark the container unhealthy no later than ``B`` (Docker reference,
  HEALTHCHECK; unset keys take Docker's defaults: interval 30 s, timeout 30 s, retries 3,
  start period 0). After ``B`` a dependant waiting for ``service_healthy`` fails
  ("dependency failed to start: container … is unhealthy") and the service restarts.
* **start** ``S``: the latest moment compose starts the service: every dependency met its
  condition: ``service_started`` at the dependency's start, ``service_healthy`` at its
  healthy-by time, ``service_completed_successfully`` at its ready time (a job exits then).
* **need** ``N``: time from ``S`` until the service serves: ``F``, after the latest ready time
  of the dependencies it waits for only to *start* (it starts before they serve, and its own
  first start cannot finish before theirs).
* **ready** ``R = S + N``; **healthy by** ``H = S + min(B, N + interval + timeout)`` (the next
  probe after ``R`` sees it), or None without a probe.

``N > B`` is the fault ``startup-budget`` reports: the probe gives up before the first start
can finish.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from .catalog.families import infer_kind
from .catalog.first_start import FIRST_START
from .compose.units import parse_duration

if TYPE_CHECKING:
    from .profile.models import Profile

#: Docker's defaults for unset healthcheck keys (Dockerfile reference, HEALTHCHECK)
PROBE_DEFAULTS = {"interval": 30.0, "timeout": 30.0, "retries": 3, "start_period": 0.0}

# The records below are named tuples, not dataclasses: ``check`` imports this module, and a
# frozen dataclass costs about a millisecond to build at import (its methods are compiled).


class Probe(NamedTuple):
    """A healthcheck's timing, seconds (Docker's defaults filled in)."""

    interval: float
    timeout: float
    retries: int
    start_period: float

    @property
    def budget(self) -> float:
        """``start_period + retries × (interval + timeout)``: unhealthy no later than this."""
        return self.start_period + self.retries * (self.interval + self.timeout)

    def describe(self) -> str:
        """The budget's terms, as a sentence fragment."""
        return (
            f"start_period {secs(self.start_period)} + retries {self.retries} × (interval "
            f"{secs(self.interval)} + timeout {secs(self.timeout)})"
        )


class FirstStart(NamedTuple):
    """A service's first start and where the number comes from (``services.x.first_start``,
    ``catalog default of kind kafka``, or ``not declared``)."""

    seconds: float
    source: str


class Entry(NamedTuple):
    """One service on the timeline (seconds from ``up``; see the module docstring).

    Attributes:
        name: the service.
        start: latest start ``S``.
        ready: latest ready ``R``.
        healthy: latest healthy ``H``, None without a probe.
        need: ``N``, from start to ready.
        first_start: the service's own first start.
        probe: its probe timing, None without a probe.
        waits_for: the ``service_started`` dependency whose readiness ``N`` waits for, or None.
        after: the dependency (and its condition) that sets ``S``, or None at 0.
    """

    name: str
    start: float
    ready: float
    healthy: float | None
    need: float
    first_start: FirstStart
    probe: Probe | None
    waits_for: str | None = None
    after: tuple[str, str] | None = None


class Timeline(NamedTuple):
    """The worst-case startup of one stack: entries in start order (then by name order in the
    file); services in or behind a dependency cycle are left out (they never start)."""

    name: str | None
    entries: tuple[Entry, ...]

    @property
    def total(self) -> float:
        """When the last service is healthy (or ready, without a probe) at the latest."""
        return max(
            (e.healthy if e.healthy is not None else e.ready for e in self.entries), default=0
        )


def secs(value: float) -> str:
    """``90s``, ``2.5s``: seconds as compose-like text."""
    return f"{int(value)}s" if float(value).is_integer() else f"{value:.1f}s"


def _seconds(value: Any, default: float) -> float:
    if value is None:
        return default
    try:
        return parse_duration(value)
    except ValueError:
        return default


def probe_of(service: Mapping[str, Any]) -> Probe | None:
    """The probe timing of a compose service, or None when it declares no enabled probe."""
    hc = service.get("healthcheck")
    # a dict told by its type (the abstract check is slow, and asked of every service)
    if not (type(hc) is dict or isinstance(hc, Mapping)) or hc.get("disable") is True:
        return None
    test = hc.get("test")
    if test is None or test == ["NONE"] or test == "NONE":
        return None
    retries = hc.get("retries")
    return Probe(
        interval=_seconds(hc.get("interval"), PROBE_DEFAULTS["interval"]),
        timeout=_seconds(hc.get("timeout"), PROBE_DEFAULTS["timeout"]),
        retries=retries if isinstance(retries, int) and not isinstance(retries, bool) else 3,
        start_period=_seconds(hc.get("start_period"), PROBE_DEFAULTS["start_period"]),
    )


def profile_first_starts(profile: Profile) -> dict[str, FirstStart]:
    """Each service's first start: its ``first_start``, else its kind's default, else 0."""
    out: dict[str, FirstStart] = {}
    for name, svc in profile.services.items():
        if svc.first_start is not None:
            out[name] = FirstStart(parse_duration(svc.first_start), f"services.{name}.first_start")
        else:
            out[name] = _kind_default(svc.kind or infer_kind(svc.image))
    return out


def compose_first_starts(compose: Mapping[str, Any]) -> dict[str, FirstStart]:
    """Each compose service's first start, from the catalog kind of its image."""
    services = compose.get("services")
    out: dict[str, FirstStart] = {}
    if isinstance(services, Mapping):
        for name, spec in services.items():
            image = spec.get("image") if isinstance(spec, Mapping) else None
            out[str(name)] = _kind_default(infer_kind(image if isinstance(image, str) else None))
    return out


def _kind_default(kind: str) -> FirstStart:
    if kind in FIRST_START:
        return FirstStart(FIRST_START[kind], f"catalog default of kind {kind}")
    return FirstStart(0.0, "not declared")


def _deps(spec: Any) -> list[tuple[str, str]]:
    deps = spec.get("depends_on") if type(spec) is dict or isinstance(spec, Mapping) else None
    if isinstance(deps, list):
        return [(str(d), "service_started") for d in deps]
    if type(deps) is dict or isinstance(deps, Mapping):
        return [
            (str(d), str((c or {}).get("condition") or "service_started"))
            if c is None or type(c) is dict or isinstance(c, Mapping)
            else (str(d), "service_started")
            for d, c in deps.items()
        ]
    return []


def timeline(compose: Mapping[str, Any], first_starts: Mapping[str, FirstStart]) -> Timeline:
    """The worst-case timeline of a compose mapping (module docstring).

    Args:
        compose: a compose mapping (planned, or read from a file).
        first_starts: service → :class:`FirstStart` (missing services: not declared, 0).
    """
    raw = compose.get("services")
    services: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    deps = {n: [(d, c) for d, c in _deps(s) if d in services] for n, s in services.items()}
    order = _start_order(deps)
    position = {n: i for i, n in enumerate(services)}
    done: dict[str, Entry] = {}
    for name in order:
        entry = _entry(name, services[name], deps[name], done, first_starts)
        done[name] = entry
    entries = sorted(done.values(), key=lambda e: (e.start, position[e.name]))
    project = compose.get("name")
    return Timeline(str(project) if project is not None else None, tuple(entries))


def _start_order(deps: Mapping[str, list[tuple[str, str]]]) -> list[str]:
    """The services each after all its dependencies; a service in or behind a dependency
    cycle is left out (it never starts). Kahn's algorithm: one visit per service and per
    dependency (the entries do not depend on which such order is taken)."""
    waiting = {name: {d for d, _ in wanted} for name, wanted in deps.items()}
    dependants: dict[str, list[str]] = {}
    for name, wanted_names in waiting.items():
        for dep in wanted_names:
            dependants.setdefault(dep, []).append(name)
    ready = [name for name, wanted_names in waiting.items() if not wanted_names]
    order: list[str] = []
    while ready:
        name = ready.pop()
        order.append(name)
        for other in dependants.get(name, ()):
            left = waiting[other]
            left.discard(name)
            if not left:
                ready.append(other)
    return order


def _entry(
    name: str,
    spec: Mapping[str, Any],
    wanted: list[tuple[str, str]],
    done: Mapping[str, Entry],
    first_starts: Mapping[str, FirstStart],
) -> Entry:
    start, after = 0.0, None
    for dep, condition in wanted:
        other = done[dep]
        if condition == "service_healthy":
            at = other.healthy if other.healthy is not None else other.ready
        elif condition == "service_completed_successfully":
            at = other.ready
        else:
            at = other.start
        if at > start:
            start, after = at, (dep, condition)
    own = first_starts.get(name, FirstStart(0.0, "not declared"))
    waits_for, waited = None, start
    for dep, condition in wanted:
        if condition == "service_started" and done[dep].ready > waited:
            waits_for, waited = dep, done[dep].ready
    need = (waited - start) + own.seconds
    probe = probe_of(spec)
    healthy = None
    if probe is not None:
        healthy = start + min(probe.budget, need + probe.interval + probe.timeout)
    return Entry(name, start, start + need, healthy, need, own, probe, waits_for, after)


def to_text(line: Timeline) -> str:
    """The timeline as aligned text: per service its latest start, ready and healthy-by
    times and what sets them (ends with a newline)."""
    title = f" of {line.name}" if line.name else ""
    rows = [("service", "start", "ready", "healthy by", "budget", "why")]
    for e in line.entries:
        why = []
        if e.after is not None:
            why.append(f"after {e.after[0]} ({e.after[1].removeprefix('service_')})")
        if e.waits_for is not None:
            why.append(f"waits for {e.waits_for} to serve")
        why.append(f"first start {secs(e.first_start.seconds)} ({e.first_start.source})")
        rows.append(
            (
                e.name,
                secs(e.start),
                secs(e.ready),
                secs(e.healthy) if e.healthy is not None else "-",
                secs(e.probe.budget) if e.probe is not None else "-",
                "; ".join(why),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    out = [f"# worst-case startup{title}: all healthy by {secs(line.total)}"]
    for r in rows:
        out.append("  ".join(c.ljust(widths[i]) for i, c in enumerate(r[:5])) + "  " + r[5])
    return "\n".join(o.rstrip() for o in out) + "\n"


def to_gantt(line: Timeline) -> str:
    """The timeline as a Mermaid Gantt chart (``dateFormat X``: seconds; ends with a newline):
    per service a bar from its start to ready, then one to its healthy-by time; the
    :func:`to_text` table heads it as ``%%`` comments, so the chart reads as text too."""
    title = f" of {line.name}" if line.name else ""
    out = [
        "gantt",
        *(f"    %% {row.removeprefix('# ')}".rstrip() for row in to_text(line).splitlines()),
        f"    title Worst-case startup{title} (seconds)",
        "    dateFormat X",
        "    axisFormat %s",
    ]
    for e in line.entries:
        out.append(f"    section {_gantt_text(e.name)}")
        if e.ready > e.start:
            out.append(f"    starting : {_t(e.start)}, {_t(e.ready)}")
        if e.healthy is not None and e.healthy > e.ready:
            out.append(f"    probe : {_t(e.ready)}, {_t(e.healthy)}")
    return "\n".join(out) + "\n"


def _t(value: float) -> str:
    return str(round(value)) if abs(value - round(value)) < 1e-6 else f"{value:.1f}"


def _gantt_text(text: str) -> str:
    # a Gantt section title ends at the line; ':' and '#' start task syntax and comments
    return text.replace(":", "_").replace("#", "_")

"""The startup graph of a compose stack: who waits for whom (``depends_on``), on which
``condition``, and which services declare a healthcheck; written as Mermaid or Graphviz DOT.

Input is a compose mapping in canonical form (:func:`stackgen.diff.normalise.normalise`:
``depends_on`` as a mapping with a ``condition``, healthcheck ``disable`` as
``test: ["NONE"]``). Edges point from a dependency to the service that waits for it, so both
drawings read top-down in startup order. Services start in *waves*: wave 1 has no
dependencies, wave n waits only for earlier waves (compose starts a service once every
dependency met its condition; compose spec ``depends_on``).

Both formats are plain text written here: DOT and Mermaid flowcharts need only quoting, and
a graph library would add a dependency without adding anything the text needs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .choices import GRAPH_FORMATS
from .compose.startorder import start_waves
from .errors import InputError

FORMATS = GRAPH_FORMATS


@dataclass(frozen=True)
class Node:
    """One service.

    Attributes:
        name: the service name.
        healthcheck: the service declares a healthcheck that is not disabled (a block with
            timings only keeps the image's own ``HEALTHCHECK``, and counts).
        wave: 1-based startup wave (0 when the service is in, or waits for, a dependency
            cycle: it never starts).
        defined: False for a ``depends_on`` target that is not a service of the stack.
    """

    name: str
    healthcheck: bool
    wave: int
    defined: bool = True


@dataclass(frozen=True)
class Edge:
    """One ``depends_on`` entry: ``dependent`` waits for ``dependency``.

    Attributes:
        dependency: the service waited for.
        dependent: the service that waits.
        condition: ``service_started``, ``service_healthy`` or
            ``service_completed_successfully``.
        restart: ``restart: true`` (restart the dependent when the dependency restarts).
        required: False for ``required: false`` (start even when the dependency is absent).
    """

    dependency: str
    dependent: str
    condition: str
    restart: bool = False
    required: bool = True

    @property
    def label(self) -> str:
        """The condition, with ``restart`` / ``optional`` when set."""
        extras = [x for x, on in (("restart", self.restart), ("optional", not self.required)) if on]
        return ", ".join([self.condition, *extras])


@dataclass(frozen=True)
class StartupGraph:
    """Services and dependencies of one stack.

    Attributes:
        name: the compose project name, or None.
        nodes: services in startup order (by wave, then as listed in the file); undefined
            ``depends_on`` targets last.
        edges: dependencies, in the order of ``nodes`` (dependent), then as listed.
        cycle: service names of a dependency cycle (first name repeated at the end), or ().
    """

    name: str | None
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    cycle: tuple[str, ...] = ()

    def waves(self) -> list[list[str]]:
        """Service names per startup wave, wave 1 first (cycle members left out)."""
        out: dict[int, list[str]] = {}
        for node in self.nodes:
            if node.defined and node.wave:
                out.setdefault(node.wave, []).append(node.name)
        return [out[k] for k in sorted(out)]


def _has_healthcheck(service: Mapping[str, Any]) -> bool:
    check = service.get("healthcheck")
    if not isinstance(check, Mapping):
        return False
    return check.get("test") != ["NONE"] and check.get("disable") is not True


def startup_graph(compose: Mapping[str, Any]) -> StartupGraph:
    """Build the startup graph of a canonical compose mapping.

    Args:
        compose: a compose mapping in canonical form (``services`` → name → service).

    Returns:
        The :class:`StartupGraph`. A dependency cycle is not an error here: the graph shows
        it and :attr:`StartupGraph.cycle` names it.
    """
    raw = compose.get("services")
    services: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    position = {name: i for i, name in enumerate(services)}
    deps: dict[str, dict[str, Any]] = {}
    for name, body in services.items():
        spec = body.get("depends_on") if isinstance(body, Mapping) else None
        deps[name] = dict(spec) if isinstance(spec, Mapping) else {}
    inside = {name: [d for d in spec if d in services] for name, spec in deps.items()}
    wave_of, cycle = start_waves(inside)  # file order within a wave
    nodes = [
        Node(name, _has_healthcheck(services[name]), wave_of.get(name, 0))
        for name in sorted(services, key=lambda n: (wave_of.get(n, 1 << 30), position[n]))
    ]
    missing = sorted({d for spec in deps.values() for d in spec if d not in services})
    nodes += [Node(name, False, 0, defined=False) for name in missing]
    edges = []
    for node in nodes:
        for dep, spec in deps.get(node.name, {}).items():
            spec = spec if isinstance(spec, Mapping) else {}
            edges.append(
                Edge(
                    dep,
                    node.name,
                    str(spec.get("condition") or "service_started"),
                    restart=spec.get("restart") is True,
                    required=spec.get("required") is not False,
                )
            )
    project = compose.get("name")
    return StartupGraph(
        str(project) if project is not None else None, tuple(nodes), tuple(edges), cycle
    )


def _mermaid_id(name: str, taken: dict[str, str]) -> str:
    # Mermaid ids are letters, digits and _; a prefix keeps keywords such as `end` out
    base = "s_" + re.sub(r"[^A-Za-z0-9_]", "_", name)
    ident, n = base, 1
    while ident in taken.values():
        n += 1
        ident = f"{base}_{n}"
    taken[name] = ident
    return ident


def _mermaid_text(text: str) -> str:
    # inside "…" labels Mermaid reads HTML entities; `"` would end the label
    return text.replace("&", "#amp;").replace('"', "#quot;")


def _order_comments(graph: StartupGraph, prefix: str) -> list[str]:
    lines = [
        f"{prefix}wave {i}: {', '.join(names)}" for i, names in enumerate(graph.waves(), start=1)
    ]
    if graph.cycle:
        lines.append(f"{prefix}dependency cycle: {' -> '.join(graph.cycle)}")
    return lines


def to_mermaid(graph: StartupGraph) -> str:
    """The graph as a Mermaid flowchart (top-down; ends with a newline).

    Services with a healthcheck are stadium-shaped, labelled ``(healthcheck)`` and in class
    ``healthcheck``; ``depends_on`` targets that are not services are in class ``undefined``;
    each edge is labelled with its condition. Comment lines (``%%``) list the startup waves.
    """
    ids: dict[str, str] = {}
    title = f" of {graph.name}" if graph.name else ""
    lines = ["flowchart TD", f"    %% stackgen graph: startup order{title}"]
    lines += _order_comments(graph, "    %% ")
    for node in graph.nodes:
        ident = _mermaid_id(node.name, ids)
        label = _mermaid_text(node.name)
        if node.healthcheck:
            lines.append(f'    {ident}(["{label} (healthcheck)"]):::healthcheck')
        elif not node.defined:
            lines.append(f'    {ident}["{label} (not defined)"]:::undefined')
        else:
            lines.append(f'    {ident}["{label}"]')
    for edge in graph.edges:
        lines.append(
            f'    {ids[edge.dependency]} -->|"{_mermaid_text(edge.label)}"| {ids[edge.dependent]}'
        )
    lines.append("    classDef healthcheck stroke-width:3px")
    lines.append("    classDef undefined stroke-dasharray:5 5")
    return "\n".join(lines) + "\n"


def _dot_id(text: str) -> str:
    # a DOT double-quoted string: only `"` and `\` need escaping
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(graph: StartupGraph) -> str:
    """The graph as Graphviz DOT (``digraph``, top-down; ends with a newline).

    Services with a healthcheck are drawn rounded and bold, labelled ``(healthcheck)``;
    undefined ``depends_on`` targets dashed; each edge is labelled with its condition.
    """
    lines = [f"digraph {_dot_id(graph.name or 'stack')} {{"]
    lines += _order_comments(graph, "  // ")
    lines += ["  rankdir=TB;", "  node [shape=box];"]
    for node in graph.nodes:
        if node.healthcheck:
            label = _dot_id(f"{node.name}\n(healthcheck)").replace("\n", "\\n")
            attrs = f'label={label}, style="rounded,bold"'
        elif not node.defined:
            label = _dot_id(f"{node.name}\n(not defined)").replace("\n", "\\n")
            attrs = f"label={label}, style=dashed"
        else:
            attrs = ""
        lines.append(f"  {_dot_id(node.name)}" + (f" [{attrs}];" if attrs else ";"))
    for edge in graph.edges:
        lines.append(
            f"  {_dot_id(edge.dependency)} -> {_dot_id(edge.dependent)} "
            f"[label={_dot_id(edge.label)}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_graph(graph: StartupGraph, fmt: str) -> str:
    """The graph in ``fmt`` (one of :data:`FORMATS`).

    Raises:
        InputError: unknown format.
    """
    if fmt == "mermaid":
        return to_mermaid(graph)
    if fmt == "dot":
        return to_dot(graph)
    raise InputError.single(
        "<--format>", 0, 0, "", f"unknown graph format {fmt!r}; use {', '.join(FORMATS)}"
    )

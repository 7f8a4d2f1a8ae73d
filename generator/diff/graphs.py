"""Startup graphs for a diff report: one side's, or before/after when the graph changed."""

from __future__ import annotations

from typing import Any

from ..graph import StartupGraph, startup_graph, to_mermaid


def _shape(graph: StartupGraph) -> tuple[frozenset[str], frozenset[Any]]:
    return frozenset(n.name for n in graph.nodes), frozenset(graph.edges)


def graph_changed(left: dict[str, Any], right: dict[str, Any]) -> bool:
    """Whether the dependency graphs of two canonical compose mappings differ: another set of
    services, or another ``depends_on`` edge (dependency, dependent, condition, ``restart``,
    ``required``)."""
    return _shape(startup_graph(left)) != _shape(startup_graph(right))


def graph_blocks(
    which: str, left: dict[str, Any], right: dict[str, Any], left_name: str, right_name: str
) -> list[tuple[str, str]]:
    """``(title, mermaid)`` blocks for ``--graph which``.

    Args:
        which: ``left``, ``right`` or ``changed`` (both, only when :func:`graph_changed`).
        left, right: the canonical compose mappings.
        left_name, right_name: how the sides are named in titles.

    Returns:
        Zero, one or two blocks.
    """
    if which == "left":
        return [(f"Startup order (left: {left_name})", to_mermaid(startup_graph(left)))]
    if which == "right":
        return [(f"Startup order (right: {right_name})", to_mermaid(startup_graph(right)))]
    if not graph_changed(left, right):
        return []
    return [
        (f"Startup order before ({left_name})", to_mermaid(startup_graph(left))),
        (f"Startup order after ({right_name})", to_mermaid(startup_graph(right))),
    ]

"""The names commands accept for their inputs and output formats.

Kept apart from the modules that implement them, so the CLI declares its options (and
answers ``--help``) without importing the planner, the diff engine or the lint rules: each
command imports what it runs when it runs.
"""

from __future__ import annotations

#: how a file given to diff, check or graph is read (``--left-type``, ``--type``)
LEFT_TYPES = ("auto", "profile", "compose")
#: ``stackgen diff --format`` (:mod:`stackgen.diff.report`)
DIFF_FORMATS = ("text", "markdown", "json", "github")
#: ``stackgen check --format`` (:mod:`stackgen.lint.formats`)
CHECK_FORMATS = ("text", "json", "github")
#: ``stackgen graph --format`` (:mod:`stackgen.graph`)
GRAPH_FORMATS = ("mermaid", "dot")
#: ``stackgen graph --timeline --format`` (:mod:`stackgen.timeline`)
TIMELINE_FORMATS = ("mermaid", "text")
#: ``stackgen render --target`` (compose file or Kubernetes manifests)
TARGETS = ("compose", "kubernetes")
#: ``stackgen render --report`` (:mod:`stackgen.targets.kubernetes.report`)
KUBERNETES_REPORT_FORMATS = ("text", "markdown", "json")
#: ``stackgen diff --graph``: one side's startup graph, or both when the dependency graph changed
GRAPH_SIDES = ("left", "right", "changed")

"""The proof of an imported profile: it loads, plans and renders, and what the rule set says.

``stackgen import`` renders the profile it wrote in memory before writing it. Its problems and
warnings are placed back in the compose files (the profile is not on disk yet). The rule set
(:mod:`stackgen.lint`) runs as ``render``'s gate does: error-level findings are what ``render``
would refuse. ``import --as-is`` promises a profile that renders back to the original, faults
and all, so it writes an ``ignore`` entry for each such finding, reason
:data:`KEPT_AS_IMPORTED` (``stackgen check`` lists them, silenced, with that reason); a plain
import warns of each instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..compose.merge import Sourced
from ..errors import Diagnostic, InputError
from ..lint.findings import Finding
from ..lint.gate import profile_findings
from ..profile.load import load_profile_text
from ..targets.compose.target import compose_document

#: the reason of an ``ignore`` entry ``import --as-is`` writes
KEPT_AS_IMPORTED = "kept as imported (stackgen import --as-is); fix it, then remove this line"


@dataclass(frozen=True)
class Proof:
    """What rendering an imported profile in memory gave.

    Attributes:
        warnings: the render's warnings, placed in the compose files.
        refused: the rule set's error-level findings, placed in the profile text.
    """

    warnings: list[Diagnostic]
    refused: list[Finding]


def back(diag: Diagnostic, output: str, source: Sourced, prefix: str = "") -> Diagnostic:
    """``diag`` placed in the compose files when it points into the profile ``output``
    (the same key path, which import keeps), its message after ``prefix``."""
    if diag.file != output:
        return diag
    path = tuple(
        int(p) if re.fullmatch(r"[0-9]+", p) else p
        for p in re.split(r"\.|\[|\]\.?", diag.path)
        if p
    )
    mark = source.mark(path)
    return Diagnostic(mark.file, mark.line, mark.col, diag.path, prefix + diag.message)


def prove(text: str, output: str, source: Sourced) -> Proof:
    """Load, plan and lint the profile text (as ``render`` would, up to its template step).

    Raises:
        InputError: the profile does not load or the plan rejects it (placed in the compose
            files, each message after ``cannot import:``).
    """
    try:
        loaded = load_profile_text(text, output, limits=False)  # written from a read input
        # planned, emitted and schema-checked; the template step is not repeated here: with
        # the built-in templates it cannot refuse what passed these (render proves its text)
        stack = compose_document(loaded, source=output)
        active, _ = profile_findings(loaded, stack)
    except InputError as exc:
        diagnostics = [back(d, output, source, "cannot import: ") for d in exc.diagnostics]
        raise InputError(diagnostics) from None
    return Proof(
        [back(w, output, source) for w in stack.warnings],
        [f for f in active if f.severity == "error"],
    )


def _service(finding: Finding) -> str | None:
    parts = finding.path.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "services" else None


def keep_as_imported(profile: dict[str, Any], refused: list[Finding]) -> list[Finding]:
    """Silence each refused finding of a service in ``profile`` (an ``ignore`` entry,
    :data:`KEPT_AS_IMPORTED`); returns the findings no service entry can silence."""
    services = profile.get("services") or {}
    left: list[Finding] = []
    for finding in refused:
        name = _service(finding)
        if name in services:
            services[name].setdefault("ignore", {})[finding.rule] = KEPT_AS_IMPORTED
        else:
            left.append(finding)
    return left


def notes(refused: list[Finding], output: str, source: Sourced, *, kept: bool) -> list[Diagnostic]:
    """A warning for each refused finding: silenced (``kept``) or still refusing."""
    what = (
        "kept as imported, silenced by an ignore entry in the profile: "
        if kept
        else "render refuses the profile until this is fixed or ignored: "
    )
    return [
        back(
            Diagnostic(f.file, f.line, f.col, f.path, f"{what}{f.message} ({f.rule})"),
            output,
            source,
        )
        for f in refused
    ]

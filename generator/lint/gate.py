"""The rule set on a planned profile, and the render gate.

:func:`profile_findings` runs every rule family (:data:`~stackgen.lint.families.FAMILIES`)
on the stack a profile plans to, places each finding at the profile key that produced the
value, and sets aside the findings a service silences with ``ignore: {rule-id: "why"}``.
:func:`gate` turns the findings into what ``stackgen render`` does with them: error-level
findings refuse the render (an :class:`~stackgen.errors.InputError`, one diagnostic each,
``message; fix: hint (rule-id)``), warnings are printed and the file is written.
"""

from __future__ import annotations

import difflib

from ..errors import Diagnostic, InputError
from ..profile.load import LoadedProfile
from ..targets.compose.document import ComposeDocument
from ..yamlio.nodes import dotted
from . import yamltext
from .families import FAMILIES, PROFILE_FAMILIES
from .findings import RULES, Finding
from .model import Subject, profile_locator


def _ignores(loaded: LoadedProfile) -> dict[str, dict[str, str]]:
    """Service → rule id → reason, each checked.

    Raises:
        InputError: an unknown rule id (with the closest known one) or an empty reason, at
            its key.
    """
    problems: list[Diagnostic] = []
    out: dict[str, dict[str, str]] = {}
    for name, svc in loaded.profile.services.items():
        for rule, reason in svc.ignore.items():
            path = ("services", name, "ignore", rule)
            mark = loaded.source.mark(path)
            if rule not in RULES or rule == "render":
                close = difflib.get_close_matches(rule, sorted(RULES), n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                problems.append(
                    Diagnostic(
                        mark.file,
                        mark.line,
                        mark.col,
                        dotted(path),
                        f"unknown rule id {rule!r}{hint} (the ids are listed in docs/check.md)",
                    )
                )
            elif not reason.strip():
                problems.append(
                    Diagnostic(
                        mark.file,
                        mark.line,
                        mark.col,
                        dotted(path),
                        "give the reason this rule does not apply to the service",
                    )
                )
            else:
                out.setdefault(name, {})[rule] = reason
    if problems:
        raise InputError(problems)
    return out


def _service_of(finding: Finding) -> str | None:
    parts = finding.path.split(".")
    if len(parts) > 1 and parts[0] == "services":
        return parts[1]
    if len(parts) > 2 and parts[:2] == ["kafka", "consumers"]:
        return parts[2]  # a consumer's settings belong to its service
    return None


def profile_findings(
    loaded: LoadedProfile, stack: ComposeDocument
) -> tuple[list[Finding], list[Finding]]:
    """Run the rule set on a planned profile.

    Args:
        loaded: the validated profile (positions, and what it declares beyond compose).
        stack: the stack it planned to.

    Returns:
        ``(active, silenced)``: the findings that count, and the ones a service's ``ignore``
        silences, each turned into an ``info`` finding that names the reason.

    Raises:
        InputError: an ``ignore`` entry names an unknown rule or gives no reason.
    """
    ignores = _ignores(loaded)
    subject = Subject(
        str(loaded.path),
        "profile",
        stack.to_compose(),
        profile_locator(loaded),
        engine=loaded.profile.target.engine,
        loaded=loaded,
    )
    for family in (*FAMILIES, *PROFILE_FAMILIES):
        family(subject)
    yamltext.profile_octals(subject, loaded)
    active: list[Finding] = []
    silenced: list[Finding] = []
    for finding in subject.findings:
        name = _service_of(finding)
        reason = ignores.get(name or "", {}).get(finding.rule)
        if reason is None:
            active.append(finding)
            continue
        silenced.append(
            finding._replace(
                severity="info",
                message=f"silenced by services.{name}.ignore ({reason}): {finding.message}",
            )
        )
    return active, silenced


def gate(findings: list[Finding]) -> tuple[Diagnostic, ...]:
    """What ``render`` does with the findings of :func:`profile_findings`.

    Returns:
        The warnings, as diagnostics (``message (rule-id)``), to print.

    Raises:
        InputError: one diagnostic per error-level finding, ``message; fix: hint (rule-id)``;
            nothing is written.
    """
    errors = [
        Diagnostic(
            f.file,
            f.line,
            f.col,
            f.path,
            f"{f.message}; fix: {f.hint} ({f.rule})",
            quotes_input=not RULES[f.rule].names_only,
        )
        for f in findings
        if f.severity == "error"
    ]
    if errors:
        raise InputError(errors)
    return tuple(
        Diagnostic(
            f.file,
            f.line,
            f.col,
            f.path,
            f"{f.message} ({f.rule})",
            quotes_input=not RULES[f.rule].names_only,
        )
        for f in findings
        if f.severity == "warning"
    )

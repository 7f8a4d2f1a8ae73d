"""``stackgen check``: read each input, run every rule family, collect the findings.

An input is a profile or a compose file, told apart as ``stackgen diff`` tells its LEFT
(:func:`stackgen.diff.pipeline.detect_left`).

* A **compose file** is read as ``docker compose`` reads it alone (merge tags, ``extends``),
  interpolated from the ``.env`` beside it when there is one (compose's project directory is
  the file's folder) or from ``env_file``; positions are the loader's marks. Its source text
  is also checked for YAML hazards, and the env files its services name (``env_file``) for
  text compose cannot read (an error at the env file's line).
* A **profile** is loaded and planned in memory; the planned compose mapping is linted, each
  finding placed at the profile key that produced the value (the service's key when the
  catalog added it). Problems the planner itself reports become ``render`` findings
  (errors and warnings), so one run shows everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from ..compose.envfile import env_file_problems, parse_env_file
from ..compose.validate import AS_WRITTEN_NOTE, read_model, rejected
from ..diff.inputs import detect_left
from ..errors import Diagnostic, InputError
from ..gcpause import paused
from ..yamlio.loader import read_text
from ..yamlio.nodes import Document
from . import yamltext
from .families import FAMILIES
from .findings import RULES, Finding, Severity
from .model import Subject, compose_locator


# a named tuple, not a dataclass: cheaper to build at import (check's start-up time)
class CheckResult(NamedTuple):
    """What ``stackgen check`` found.

    Attributes:
        inputs: the files checked, as named, with how each was read (``profile``/``compose``).
        findings: every finding, sorted by file, line, column and rule.
    """

    inputs: tuple[tuple[str, str], ...]
    findings: tuple[Finding, ...]

    @property
    def exit_code(self) -> int:
        """1 when an error-level finding exists, else 0."""
        return 1 if any(f.severity == "error" for f in self.findings) else 0


def _render_finding(diag: Diagnostic, severity: Severity) -> Finding:
    return Finding(
        file=diag.file,
        line=diag.line,
        col=diag.col,
        rule="render",
        severity=severity,
        path=diag.path,
        message=diag.message,
        hint=RULES["render"].hint,
    )


def check_profile(path: Path, parsed: Document | None = None) -> list[Finding]:
    """Lint one profile (see the module docstring); ``parsed`` is the file as already parsed
    (not read again).

    Raises:
        InputError: the profile cannot be read or does not validate (as ``stackgen render``).
        TemplateError: a catalog template failed.
    """
    # the profile pipeline (pydantic, jinja2) is imported only when a profile is checked:
    # a compose file needs none of it (start-up time, tests/cli/test_import_set.py)
    from ..plan.expand import expand
    from ..profile.load import display_name, load_profile
    from ..targets.compose.target import compose_document
    from .gate import profile_findings

    loaded = load_profile(path, parsed=parsed)
    try:
        loaded = expand(loaded)
        stack = compose_document(loaded, source=display_name(path))
    except InputError as exc:
        return [_render_finding(d, "error") for d in exc.diagnostics]
    active, silenced = profile_findings(loaded, stack)
    return [*(_render_finding(d, "warning") for d in stack.warnings), *active, *silenced]


def check_compose(
    path: Path, env_file: Path | None = None, parsed: Document | None = None
) -> list[Finding]:
    """Lint one compose file (see the module docstring).

    Args:
        path: the compose file.
        env_file: variables to interpolate with (default: ``.env`` beside the file, if any).
        parsed: the file as already parsed (not read again).

    Raises:
        InputError: unreadable, not YAML, not a compose file, or against the compose schema.
    """
    dotenv = path.parent / ".env"
    if env_file is None and dotenv.is_file():
        env_file = dotenv
    env = parse_env_file(env_file) if env_file is not None else None
    # warnings (unset variables, repeats compose accepts) are not lint findings; a value
    # compose refuses (an unknown key, a repeat where compose keeps entries unique) is
    model, warnings = read_model([path], env, side="check", parsed=parsed)
    subject = Subject(str(path), "compose", model.data, compose_locator(model.marks, str(path)))
    spec = RULES["compose-refuses"]
    subject.findings.extend(
        Finding(
            w.file,
            w.line,
            w.col,
            spec.id,
            spec.severity,
            w.path,
            w.message.replace(AS_WRITTEN_NOTE, "(docker compose refuses the file)"),
            spec.hint,
        )
        for w in warnings
        if rejected(w)
    )
    # compose reads each env_file when it loads the project: text it cannot read refuses it
    subject.findings.extend(
        Finding(
            p.file,
            p.line,
            p.col,
            spec.id,
            spec.severity,
            p.path,
            f"{p.message} (an env_file of this file: docker compose refuses the project)",
            "fix that line of the env file (a literal $ is $$; a single-quoted value is read "
            "as written)",
        )
        for p in env_file_problems(model.data, path.parent.absolute(), path.parent)
    )
    for family in FAMILIES:
        family(subject)
    yamltext.check_text(subject, read_text(path, str(path)))
    return subject.findings


@paused()  # builds large graphs that all stay alive: see gcpause
def check(
    paths: Sequence[Path], *, env_file: Path | None = None, input_type: str = "auto"
) -> CheckResult:
    """Lint profiles and compose files.

    Args:
        paths: the inputs, each a profile or a compose file.
        env_file: for compose files: interpolate from this file instead of their ``.env``.
        input_type: ``auto`` (each file detected as :func:`~stackgen.diff.pipeline.detect_left`
            does), or ``profile`` / ``compose`` for every file.

    Returns:
        The :class:`CheckResult`.

    Raises:
        InputError: no input, an unknown ``input_type``, or an input that cannot be read as
            its kind (every such input's problems together).
    """
    if not paths:
        raise InputError.single("<arguments>", 0, 0, "", "check needs at least one file")
    findings: list[Finding] = []
    inputs: list[tuple[str, str]] = []
    problems: list[Diagnostic] = []
    for path in paths:
        try:
            detected = detect_left(path, input_type)
            kind = detected.kind
            found = (
                check_profile(path, detected.doc)
                if kind == "profile"
                else check_compose(path, env_file, detected.doc)
            )
        except InputError as exc:
            problems.extend(exc.diagnostics)
            continue
        inputs.append((str(path), kind))
        findings.extend(found)
    if problems:
        raise InputError(problems)
    return CheckResult(tuple(inputs), tuple(sorted(set(findings))))

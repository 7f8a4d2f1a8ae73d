"""The translation report: per service, what the Kubernetes manifests carry over, approximate
or leave out, and why; and the Secret the cluster must hold.

Formats: ``text`` (terminal), ``markdown`` (a pull request), ``json`` (tools). Secret values are
never part of the report: it names keys only.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from typing import Literal

Outcome = Literal["mapped", "approximated", "dropped"]
FORMATS = ("text", "markdown", "json")


@dataclass(frozen=True)
class Note:
    """One line of the report.

    Attributes:
        service: the service (empty for the whole project).
        key: the profile/compose key concerned (``healthcheck``, ``volumes.1`` …).
        outcome: mapped, approximated or dropped.
        detail: what it became, or why it was left out.
    """

    service: str
    key: str
    outcome: Outcome
    detail: str


@dataclass(frozen=True)
class Report:
    """The report of one render.

    Attributes:
        project: the project name.
        version: Kubernetes version validated against.
        namespace: the namespace, or None.
        secret: the Secret name.
        secret_keys: keys the Secret must hold → the variables that read them.
        env_files: ``env_file`` paths whose variables the Secret must also hold.
        notes: in service order.
    """

    project: str
    version: str
    namespace: str | None
    secret: str
    secret_keys: tuple[tuple[str, tuple[str, ...]], ...]
    env_files: tuple[str, ...]
    notes: tuple[Note, ...]

    def create_secret_command(self) -> str | None:
        """A ``kubectl create secret generic`` line that creates the Secret from an env file,
        or None when no Secret is needed."""
        if not self.secret_keys and not self.env_files:
            return None
        argv = ["kubectl", "create", "secret", "generic", self.secret]
        if self.namespace is not None:
            argv += ["--namespace", self.namespace]
        files = self.env_files or (".env",)
        argv += [f"--from-env-file={f}" for f in files]
        return shlex.join(argv)

    def dropped(self) -> tuple[Note, ...]:
        """The notes whose outcome is ``dropped``."""
        return tuple(n for n in self.notes if n.outcome == "dropped")


def format_report(report: Report, fmt: str) -> str:
    """The report as ``text``, ``markdown`` or ``json`` (ends with a newline).

    Raises:
        ValueError: an unknown format.
    """
    if fmt == "json":
        return json.dumps(_as_json(report), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return _markdown(report)
    if fmt == "text":
        return _text(report)
    raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")


def _as_json(report: Report) -> dict[str, object]:
    return {
        "project": report.project,
        "kubernetes_version": report.version,
        "namespace": report.namespace,
        "secret": {
            "name": report.secret,
            "keys": {key: list(why) for key, why in report.secret_keys},
            "env_files": list(report.env_files),
            "create": report.create_secret_command(),
        },
        "notes": [
            {"service": n.service, "key": n.key, "outcome": n.outcome, "detail": n.detail}
            for n in report.notes
        ],
    }


def _secret_lines(report: Report) -> list[str]:
    command = report.create_secret_command()
    if command is None:
        return ["No Secret is needed."]
    lines = [f"Secret {report.secret} must exist before the pods start, holding:"]
    lines += [f"  {key}  ({'; '.join(why)})" for key, why in report.secret_keys]
    if report.env_files:
        lines.append(f"  and every variable of {', '.join(report.env_files)} (env_file)")
    lines.append(f"Create it from an env file with: {command}")
    return lines


def _text(report: Report) -> str:
    ns = f", namespace {report.namespace}" if report.namespace else ""
    out = [f"Kubernetes translation of {report.project} (Kubernetes {report.version}{ns})"]
    current = None
    for note in report.notes:
        if note.service != current:
            current = note.service
            out.append(f"{current or '(project)'}:")
        out.append(f"  {note.outcome:<12} {note.key}: {note.detail}")
    out += _secret_lines(report)
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(report: Report) -> str:
    ns = f", namespace `{report.namespace}`" if report.namespace else ""
    out = [
        f"## Kubernetes translation of `{report.project}` (Kubernetes {report.version}{ns})",
        "",
        "| service | key | outcome | detail |",
        "| --- | --- | --- | --- |",
    ]
    out += [
        f"| {_cell(n.service or '(project)')} | `{_cell(n.key)}` | {n.outcome} | {_cell(n.detail)} |"
        for n in report.notes
    ]
    out += ["", "### Secret", ""]
    command = report.create_secret_command()
    if command is None:
        out.append("No Secret is needed.")
    else:
        out.append(f"`{report.secret}` must exist before the pods start, holding:")
        out.append("")
        out += [f"- `{key}` ({_cell('; '.join(why))})" for key, why in report.secret_keys]
        if report.env_files:
            out.append(f"- every variable of {', '.join(report.env_files)} (env_file)")
        out += ["", "```sh", command, "```"]
    return "\n".join(out) + "\n"

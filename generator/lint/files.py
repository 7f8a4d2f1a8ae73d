"""What a compose file needs besides itself: an image or build for each service, and the host
paths it names.

``docker compose config`` refuses a service with neither ``image`` nor ``build`` (``service
"web" has neither an image nor a build context specified``; an override file checked alone
is refused so too) and a missing ``env_file`` unless it is ``required: false`` (``env file …
not found``). A missing bind source, build context or config/secret file at a relative path is a
warning: it may be created before ``docker compose up`` (an absolute path names a file of the
host the stack is deployed on, which need not be the one checking it). Relative paths resolve against the file's folder, the
project directory compose uses for a file given alone.

These rules need a compose file on disk; a profile's paths are checked by its planner
(:mod:`stackgen.plan.paths`) and reported as render findings.
"""

from __future__ import annotations

from pathlib import Path

from ..compose.paths import PATH_KIND_NAMES, is_relative, missing, path_refs, resolve
from .model import Subject


def check(subject: Subject) -> None:
    """Add ``no-image``, ``missing-env-file`` and ``missing-path`` findings to a compose
    file's subject (a profile's subject is left alone)."""
    if subject.kind != "compose":
        return
    for name, spec in subject.services():
        if "image" not in spec and "build" not in spec:
            subject.report(
                "no-image",
                ("services", name),
                f"{name} has neither image nor build (docker compose refuses the file; an "
                "override file is checked with the file it completes: docker compose -f "
                "base.yml -f override.yml config)",
            )
    folder = Path(subject.file).parent
    for ref in path_refs(subject.data):
        if not missing(ref, folder):
            continue
        shown = f"{ref.text} ({resolve(ref.text, folder)})"
        if ref.kind == "env_file":
            if ref.required:
                subject.report(
                    "missing-env-file",
                    ref.where,
                    f"env file {shown} not found: docker compose refuses a missing env_file",
                )
        elif is_relative(ref.text):  # an absolute path names the deploy host's, not this one's
            subject.report(
                "missing-path", ref.where, f"{PATH_KIND_NAMES[ref.kind]} {shown} does not exist"
            )

"""The Kubernetes target: a planned profile → the proved text of ``kubernetes.yml`` and its
translation report. Nothing is written here (see :mod:`stackgen.api`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...errors import Diagnostic, InputError
from ...plan import model
from ...profile.load import LoadedProfile
from ...yamlio.nodes import Path_, dotted
from .compose_values import UnmappableValue
from .emit import emit
from .from_model import read_model
from .prove import prove
from .report import Report
from .schemas import DEFAULT_VERSION, UnsupportedVersion, major_minor
from .translate import translate


@dataclass(frozen=True)
class KubernetesOutput:
    """A rendered Kubernetes target.

    Attributes:
        text: the multi-document file.
        manifests: the documents it holds, in order.
        report: the translation report.
        version: the Kubernetes version it was validated for.
    """

    text: str
    manifests: list[dict[str, Any]]
    report: Report
    version: str


def render_kubernetes(loaded: LoadedProfile, stack: model.Stack) -> KubernetesOutput:
    """Translate, emit and prove one planned profile.

    Args:
        loaded: the validated profile with its positions.
        stack: its plan (:func:`stackgen.plan.planner.plan`).

    Raises:
        InputError: what the profile asks cannot be carried over (all problems, positioned),
            or ``kubernetes.version`` is not shipped by kubernetes-validate.
        InternalError: the manifests fail the strict schemas or API-server rules (a bug).
    """
    settings = loaded.profile.kubernetes

    def locate(path: Path_, message: str) -> Diagnostic:
        mark = loaded.source.mark(path)
        return Diagnostic(mark.file, mark.line, mark.col, dotted(path), message)

    try:
        version = major_minor(settings.version or DEFAULT_VERSION)
    except UnsupportedVersion as exc:
        raise InputError([locate(("kubernetes", "version"), str(exc))]) from None
    try:
        view = read_model(stack, loaded.profile)
    except UnmappableValue as exc:
        # a value kept for compose as written sits under the service's `verbatim:`
        in_verbatim = (*exc.path[:2], "verbatim", *exc.path[2:])
        path = in_verbatim if in_verbatim in loaded.source.marks else exc.path
        raise InputError([locate(path, str(exc))]) from None
    manifests, report = translate(view, settings, version, locate)
    text = emit(manifests, source=stack.source, version=version)
    prove(text, manifests, version)
    return KubernetesOutput(text, manifests, report, version)

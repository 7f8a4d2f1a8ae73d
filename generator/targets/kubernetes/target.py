"""The Kubernetes target: a planned profile → the proved text of ``kubernetes.yml`` and its
translation report. Nothing is written here (see :mod:`stackgen.api`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from ...errors import Diagnostic, InputError
from ...plan import model
from ...profile.load import LoadedProfile
from ...yamlio.nodes import Path_, dotted
from .emit import emit
from .from_compose import read
from .from_model import read_model
from .prove import prove
from .report import Report
from .schemas import DEFAULT_VERSION, UnsupportedVersion, major_minor
from .translate import translate


class ComposePlan(Protocol):
    """A plan in compose terms (the planned compose stack, until the planner hands targets
    the typed model)."""

    @property
    def source(self) -> str:
        """The profile as named in headers."""
        ...

    def to_compose(self) -> dict[str, Any]:
        """The compose mapping."""
        ...


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


def render_kubernetes(loaded: LoadedProfile, stack: model.Stack | ComposePlan) -> KubernetesOutput:
    """Translate, emit and prove one planned profile.

    Args:
        loaded: the validated profile with its positions.
        stack: its plan: the typed model, or the planned compose stack it is read from
            until the planner hands targets the model.

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
    if isinstance(stack, model.Stack):
        view = read_model(stack, loaded.profile)
    else:
        view = read(stack.to_compose(), loaded.profile, stack.source)
    manifests, report = translate(view, settings, version, locate)
    text = emit(manifests, source=stack.source, version=version)
    prove(text, manifests, version)
    return KubernetesOutput(text, manifests, report, version)

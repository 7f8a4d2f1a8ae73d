"""What the translation of one stack shares: settings, collected problems and report notes,
and what each translated service offers its dependants."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ...errors import Diagnostic
from ...profile.kubernetes import KubernetesSettings
from . import manifests as m
from .envmap import SecretKeys
from .report import Note, Outcome
from .view import Stack

#: ``(path in the profile, message)`` → a diagnostic at that path's position
Locate = Callable[[tuple[str | int, ...], str], Diagnostic]

NAME_LABEL = "app.kubernetes.io/name"
PART_OF_LABEL = "app.kubernetes.io/part-of"


def port_name(port: int, protocol: str = "TCP") -> str:
    """The name of a container and Service port: ``tcp-8082`` (an IANA_SVC_NAME, ≤ 15)."""
    return f"{protocol.lower()}-{port}"


@dataclass
class Built:
    """What dependants need to know of a translated service: its image (resolved), its
    container env (its checks may read it) and the port a ``service_started`` wait uses."""

    """What dependants need to know of a translated service."""

    image: str
    env: tuple[m.EnvVar, ...]
    service_port: int | None
    env_from: str | None = None


@dataclass
class Ctx:
    """The state of one translation (see :func:`stackgen.targets.kubernetes.translate.translate`)."""

    stack: Stack
    settings: KubernetesSettings
    version: str
    locate: Locate
    secret: SecretKeys
    errors: list[Diagnostic] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    built: dict[str, Built] = field(default_factory=dict)
    left_out: set[str] = field(default_factory=set)
    waits_on_jobs: bool = False

    @property
    def namespace(self) -> str | None:
        """The namespace of every object, or None."""
        return self.settings.namespace

    def note(self, service: str, key: str, outcome: Outcome, detail: str) -> None:
        """Add a report line."""
        self.notes.append(Note(service, key, outcome, detail))

    def error(self, path: tuple[str | int, ...], message: str) -> None:
        """Collect a problem at a profile path."""
        self.errors.append(self.locate(path, message))

    def labels(self, name: str) -> m.Labels:
        """The labels of service ``name``'s objects (and its selector)."""
        return ((NAME_LABEL, name), (PART_OF_LABEL, self.stack.name))

"""The compose file as data: what the compose emitter makes of a stack and the render stage
turns into text (values in compose terms, ``$`` already escaped, keys in output order)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...errors import Diagnostic


@dataclass(frozen=True)
class ComposeService:
    """One compose service, fully resolved (compose-level values, ``$`` already escaped).

    Attributes:
        name: the service name.
        body: the compose service mapping, keys in output order.
    """

    name: str
    body: dict[str, Any]


@dataclass(frozen=True)
class ComposeDocument:
    """A stack in compose terms (:func:`stackgen.targets.compose.emit.emit`).

    Attributes:
        name: compose project name.
        source: the profile as named in the generated header.
        services: services in dependency order (dependencies first).
        volumes: top-level named volumes (name → options or empty mapping).
        networks: top-level networks.
        configs: top-level configs (name → ``{"content": text}``, ``{"file": path}`` …).
        secrets: top-level secrets (name → ``{"file": path}`` or ``{"environment": VAR}``).
        warnings: non-fatal diagnostics found while planning.
        write_name: whether the file states ``name`` (``policies.project_name``).
        policy: dotted output path (``services.db.restart``) → why a stackgen policy, not
            the profile, put the value there (``policies.restart: defaults.restart``).
    """

    name: str
    source: str
    services: tuple[ComposeService, ...]
    volumes: dict[str, Any] = field(default_factory=dict)
    networks: dict[str, Any] = field(default_factory=dict)
    configs: dict[str, Any] = field(default_factory=dict)
    secrets: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[Diagnostic, ...] = ()
    write_name: bool = True
    policy: dict[str, str] = field(default_factory=dict)

    def to_compose(self) -> dict[str, Any]:
        """The compose mapping this document stands for (what the rendered text must parse to)."""
        data: dict[str, Any] = {"name": self.name} if self.write_name else {}
        data["services"] = {s.name: s.body for s in self.services}
        if self.volumes:
            data["volumes"] = self.volumes
        if self.networks:
            data["networks"] = self.networks
        if self.configs:
            data["configs"] = self.configs
        if self.secrets:
            data["secrets"] = self.secrets
        return data

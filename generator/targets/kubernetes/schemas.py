"""The official Kubernetes JSON schemas, strict variants, as PyPI ``kubernetes-validate`` ships
them (``kubernetes_validate/kubernetes-json-schema/v<X.Y>.0-local-strict/``).

The files are read from the installed package (never copied into stackgen), each once per
process, and validated with jsonschema-rs (draft 2020-12), which reports every error. Strict
means ``additionalProperties: false`` everywhere: a misspelt or unknown field is an error, as
``kubectl apply --validate=strict`` would make it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import jsonschema_rs

_PACKAGE = "kubernetes_validate"
_FOLDER = "kubernetes-json-schema"
_STRICT = re.compile(r"^v([0-9]+)\.([0-9]+)\.0-local-strict\Z")
#: what every ``$ref`` of the schemas points at (their ``$id`` base is kubernetes.io/api/)
_DEFINITIONS_URI = "https://kubernetes.io/api/_definitions.json"

#: The Kubernetes version stackgen validates against when the profile names none: a current
#: release that ``kubernetes-validate`` ships (tests check the installed package has it).
DEFAULT_VERSION = "1.37"


class UnsupportedVersion(ValueError):
    """A Kubernetes version whose strict schemas the installed package does not ship."""


def _root() -> Traversable:
    return resources.files(_PACKAGE) / _FOLDER


@cache
def versions() -> tuple[str, ...]:
    """Kubernetes versions (``"1.25"`` …) with strict schemas in the installed package,
    oldest first."""
    found: list[tuple[int, int]] = []
    for entry in _root().iterdir():
        m = _STRICT.match(entry.name)
        if m and entry.is_dir():
            found.append((int(m.group(1)), int(m.group(2))))
    return tuple(f"{major}.{minor}" for major, minor in sorted(found))


def major_minor(version: str) -> str:
    """``"1.30"`` from ``"1.30"``, ``"v1.30.2"`` or ``"1.30.0"``.

    Raises:
        UnsupportedVersion: not a ``MAJOR.MINOR[.PATCH]`` version, or one the package does
            not ship (the message lists those it does).
    """
    m = re.fullmatch(r"v?([0-9]+)\.([0-9]+)(?:\.[0-9]+)?", version.strip())
    shipped = versions()
    wanted = f"{int(m.group(1))}.{int(m.group(2))}" if m else None
    if wanted is None or wanted not in shipped:
        raise UnsupportedVersion(
            f"{version!r} is not a Kubernetes version with strict schemas in the installed "
            f"kubernetes-validate ({shipped[0]} to {shipped[-1]}); give MAJOR.MINOR, e.g. "
            f"{DEFAULT_VERSION!r}"
        )
    return wanted


def _folder(version: str) -> Traversable:
    return _root() / f"v{major_minor(version)}.0-local-strict"


@cache
def _registry(version: str) -> jsonschema_rs.Registry:
    defs = json.loads((_folder(version) / "_definitions.json").read_text(encoding="utf-8"))
    return jsonschema_rs.Registry([(_DEFINITIONS_URI, defs)])


def schema_file(api_version: str, kind: str) -> str:
    """The schema file name of a resource type, as the package names it: the kind in lower
    case, then the API group's first label and version (``apps/v1`` Deployment →
    ``deployment-apps-v1.json``; core ``v1`` Service → ``service-v1.json``;
    ``networking.k8s.io/v1`` Ingress → ``ingress-networking-v1.json``)."""
    group, _, ver = api_version.rpartition("/")
    prefix = f"{group.split('.')[0]}-" if group else ""
    return f"{kind.lower()}-{prefix}{ver}.json"


@cache
def validator(version: str, api_version: str, kind: str) -> Any:
    """The jsonschema-rs validator of one resource type for one Kubernetes version (built
    once per process).

    Raises:
        UnsupportedVersion: see :func:`major_minor`.
        LookupError: the package has no schema for that ``apiVersion``/``kind`` at ``version``.
    """
    path = _folder(version) / schema_file(api_version, kind)
    if not path.is_file():
        raise LookupError(
            f"no schema for {kind} {api_version} in Kubernetes {major_minor(version)}"
        )
    schema = json.loads(path.read_text(encoding="utf-8"))
    return jsonschema_rs.validator_for(schema, registry=_registry(version))


@dataclass(frozen=True)
class SchemaError:
    """One schema violation.

    Attributes:
        document: 0-based index of the manifest in the file.
        resource: ``Kind/name`` of the manifest.
        path: the field path inside the manifest (``spec.template.spec.containers.0.ports``).
        message: jsonschema-rs's message.
    """

    document: int
    resource: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.resource}: {self.path or '(root)'}: {self.message}"


def resource_name(manifest: dict[str, Any]) -> str:
    """``Kind/name`` of a manifest (``?`` for what is missing)."""
    meta = manifest.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    return f"{manifest.get('kind', '?')}/{name or '?'}"


def schema_errors(manifests: list[dict[str, Any]], version: str) -> list[SchemaError]:
    """Validate every manifest against the strict schema of its type; every error of every
    manifest is collected.

    Args:
        manifests: the documents, in file order.
        version: Kubernetes ``MAJOR.MINOR``.

    Returns:
        The errors, in document order (empty when all pass).

    Raises:
        UnsupportedVersion: see :func:`major_minor`.
    """
    errors: list[SchemaError] = []
    for index, manifest in enumerate(manifests):
        name = resource_name(manifest)
        api, kind = manifest.get("apiVersion"), manifest.get("kind")
        if not isinstance(api, str) or not isinstance(kind, str):
            errors.append(SchemaError(index, name, "", "apiVersion and kind must be strings"))
            continue
        try:
            check = validator(version, api, kind)
        except LookupError as exc:
            errors.append(SchemaError(index, name, "", str(exc)))
            continue
        for error in check.iter_errors(manifest):
            where = ".".join(str(p) for p in error.instance_path)
            errors.append(SchemaError(index, name, where, str(error.message)))
    return errors

"""The profile's ``kubernetes:`` section and ``targets:`` list (pydantic, unknown keys rejected).

Read by ``stackgen render --target kubernetes`` (``generator/targets/kubernetes``); the
compose target ignores it.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ..compose.goparse import INT64_MAX
from ..compose.units import parse_size

TargetName = Literal["compose", "kubernetes"]
#: DNS-1123 label (k8s.io/apimachinery validation.IsDNS1123Label): namespaces, class names
#: JSON Schema (ECMA-262) spellings; Python matches them with fullmatch
_LABEL_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
_VERSION_PATTERN = "^v?[0-9]+\\.[0-9]+(?:\\.[0-9]+)?$"
_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_VERSION = re.compile(r"v?[0-9]+\.[0-9]+(?:\.[0-9]+)?")


def _label(value: str) -> str:
    if len(value) > 63 or not _LABEL.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a DNS-1123 label (lower-case letters, digits and '-', starting "
            "and ending with a letter or digit, at most 63 characters)"
        )
    return value


def _version(value: str) -> str:
    if not _VERSION.fullmatch(value):
        raise ValueError(f'{value!r} is not a Kubernetes version: give MAJOR.MINOR, e.g. "1.33"')
    return value


_QUANTITY = re.compile(r"([0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei)")
_BINARY = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}


def size_bytes(value: str | int) -> int:
    """Bytes in a volume size: a compose size (``10GiB``, ``512m``) or a Kubernetes binary
    quantity (``10Gi``).

    Raises:
        ValueError: neither, with the accepted forms; more than 2**63 - 1 bytes (the most a
            Kubernetes quantity holds, docker's sizes too).
    """
    m = _QUANTITY.fullmatch(value) if isinstance(value, str) else None
    if m:
        size = int(m.group(1)) * int(1024 ** _BINARY[m.group(2)])
        if size > INT64_MAX:
            # apimachinery's resource.Quantity caps a quantity at 2**63 - 1: the claim would
            # silently ask for less than written
            raise ValueError(
                f"{value!r} is more than Kubernetes holds ({INT64_MAX} bytes, just under 8Ei)"
            )
        return size
    return parse_size(value)


def _size(value: str | int) -> str | int:
    size_bytes(value)  # raises ValueError with the accepted forms
    return value


Label = Annotated[str, AfterValidator(_label), Field(json_schema_extra={"pattern": _LABEL_PATTERN})]
Size = Annotated[str | int, AfterValidator(_size)]
DropKey = Literal["build", "volumes"]


class KubernetesSettings(BaseModel):
    """How ``render --target kubernetes`` writes this profile."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    version: (
        Annotated[
            str, AfterValidator(_version), Field(json_schema_extra={"pattern": _VERSION_PATTERN})
        ]
        | None
    ) = None
    """Kubernetes version the manifests are validated for (MAJOR.MINOR); unset: a current release that the installed kubernetes-validate ships."""
    namespace: Label | None = None
    """Namespace of every object (a Namespace manifest is written too); unset: kubectl's current namespace."""
    ingress_class: Label | None = None
    """ingressClassName of the Ingress; unset: the cluster's default class."""
    storage_class: Label | None = None
    """storageClassName of every volume claim; unset: the cluster's default class."""
    service_type: Literal["ClusterIP", "NodePort", "LoadBalancer"] = "ClusterIP"
    """Service type for ports compose publishes on the host (not those bound to 127.0.0.1 only)."""
    volume_sizes: dict[str, Size] = {}
    """Named volume → claim size (10GiB, 512m, …); unset volumes get their kind's catalog size."""
    images: dict[str, str] = {}
    """Service → image to run on Kubernetes (for a service compose builds, or to override its image)."""
    drop: dict[str, list[DropKey]] = {}
    """Service → keys to leave out on Kubernetes instead of refusing: build (the service is left out when it has no image) or volumes (its bind mounts of host directories)."""
    secret: Label | None = None
    """Name of the Secret that sensitive variables and env_file come from; unset: <name>-env."""

"""What the API server rejects that the JSON schemas let through.

Each check names its source in the Kubernetes code (``k8s.io/apimachinery/pkg/util/validation``
and ``pkg/apis/{core,apps,batch,networking}/validation``); the message says what the API
server would answer. The checks read plain manifests, the shape that is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .quantity import parse_memory
from .schemas import resource_name

# k8s.io/apimachinery/pkg/util/validation/validation.go
_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")
_DNS1035_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?\Z")
_DNS1123_SUBDOMAIN = re.compile(
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z"
)
_IANA_SVC_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])*\Z")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\Z")
_CONFIG_KEY = re.compile(r"^[-._a-zA-Z0-9]+\Z")
_ENV_NAME_OLD = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*\Z")
LABEL_MAX = 63
SUBDOMAIN_MAX = 253
PORT_NAME_MAX = 15

_WORKLOADS = ("Deployment", "StatefulSet", "Job")
# pkg/apis/apps/validation (ValidatePodTemplateSpecForReplicaSet / StatefulSet): only Always;
# pkg/apis/batch/validation (validateJobSpec): OnFailure or Never
_RESTART_ALLOWED = {
    "Deployment": ("Always",),
    "StatefulSet": ("Always",),
    "Job": ("OnFailure", "Never"),
}
SOURCE_VALIDATION = "k8s.io/apimachinery/pkg/util/validation/validation.go"
SOURCE_CORE = "kubernetes/pkg/apis/core/validation/validation.go"
SOURCE_APPS = "kubernetes/pkg/apis/apps/validation/validation.go"
SOURCE_BATCH = "kubernetes/pkg/apis/batch/validation/validation.go"
SOURCE_NETWORKING = "kubernetes/pkg/apis/networking/validation/validation.go"


@dataclass(frozen=True)
class Violation:
    """One API-server rule a manifest breaks.

    Attributes:
        resource: ``Kind/name``.
        path: field path inside the manifest.
        message: what the API server would reject, and why.
        source: the Kubernetes source file of the rule.
    """

    resource: str
    path: str
    message: str
    source: str

    def __str__(self) -> str:
        return f"{self.resource}: {self.path}: {self.message} ({self.source})"


def dns1123_label_problem(name: str) -> str | None:
    """Why ``name`` is not a DNS-1123 label (RFC 1123: lower-case letters, digits and inner
    ``-``, at most 63 characters), or None. Source: ``IsDNS1123Label``."""
    if len(name) > LABEL_MAX:
        return f"{name!r} is longer than {LABEL_MAX} characters"
    if not _DNS1123_LABEL.match(name):
        return (
            f"{name!r} is not a DNS-1123 label: lower-case letters, digits and '-', "
            "starting and ending with a letter or digit"
        )
    return None


def dns1035_label_problem(name: str) -> str | None:
    """Why ``name`` cannot name a Service (a DNS-1035 label: a DNS-1123 label that starts
    with a letter), or None. Source: ``IsDNS1035Label``, used by ``ValidateServiceName``."""
    problem = dns1123_label_problem(name)
    if problem is None and not _DNS1035_LABEL.match(name):
        return f"{name!r} must start with a letter to name a Service (DNS-1035 label)"
    return problem


def subdomain_problem(name: str) -> str | None:
    """Why ``name`` is not a DNS-1123 subdomain (dot-separated labels, at most 253
    characters), or None. Source: ``IsDNS1123Subdomain``."""
    if len(name) > SUBDOMAIN_MAX:
        return f"{name!r} is longer than {SUBDOMAIN_MAX} characters"
    if not _DNS1123_SUBDOMAIN.match(name):
        return f"{name!r} is not a DNS-1123 subdomain (lower-case labels joined by '.')"
    return None


def port_name_problem(name: str) -> str | None:
    """Why ``name`` is not an IANA_SVC_NAME (RFC 6335: at most 15 characters, lower-case
    letters, digits and ``-``, at least one letter, no ``--``, not starting or ending with
    ``-``), or None. Source: ``IsValidPortName``."""
    if len(name) > PORT_NAME_MAX:
        return f"port name {name!r} is longer than {PORT_NAME_MAX} characters"
    if not _IANA_SVC_NAME.match(name):
        return f"port name {name!r} may hold only lower-case letters, digits and inner '-'"
    if "--" in name:
        return f"port name {name!r} may not contain '--'"
    if not re.search(r"[a-z]", name):
        return f"port name {name!r} must contain at least one letter"
    return None


def label_value_problem(value: str) -> str | None:
    """Why ``value`` is not a label value (at most 63 characters of letters, digits, ``-``,
    ``_``, ``.``, starting and ending alphanumeric, or empty), or None. Source:
    ``IsValidLabelValue``."""
    if len(value) > LABEL_MAX:
        return f"label value {value!r} is longer than {LABEL_MAX} characters"
    if not _LABEL_VALUE.match(value):
        return f"label value {value!r} may hold only letters, digits, '-', '_' and '.'"
    return None


def config_key_problem(key: str) -> str | None:
    """Why ``key`` cannot be a ConfigMap or Secret key (``[-._a-zA-Z0-9]+``, at most 253
    characters), or None. Source: ``IsConfigMapKey``."""
    if len(key) > SUBDOMAIN_MAX or not _CONFIG_KEY.match(key):
        return f"{key!r} is not a ConfigMap/Secret key ([-._a-zA-Z0-9]+, at most 253 characters)"
    return None


def env_name_problem(name: str, version: str) -> str | None:
    """Why ``name`` cannot be a container environment variable name at Kubernetes
    ``version``, or None. Up to 1.33 a C-identifier-like name (``[-._a-zA-Z][-._a-zA-Z0-9]*``,
    ``IsEnvVarName``); from 1.34 any printable ASCII but ``=`` (KEP-4369,
    ``RelaxedEnvironmentVariableValidation`` on by default)."""
    major, minor = (int(p) for p in version.split("."))
    if (major, minor) >= (1, 34):
        if name and all(" " <= ch <= "~" and ch != "=" for ch in name):
            return None
        return f"environment variable name {name!r} must be printable ASCII without '='"
    if _ENV_NAME_OLD.match(name):
        return None
    return (
        f"environment variable name {name!r} must match [-._a-zA-Z][-._a-zA-Z0-9]* before "
        "Kubernetes 1.34"
    )


def violations(manifests: list[dict[str, Any]], version: str) -> list[Violation]:
    """Every API-server rule broken by ``manifests`` (all collected, document order).

    Args:
        manifests: the documents of one file.
        version: Kubernetes ``MAJOR.MINOR`` (rules that changed between versions follow it).
    """
    out: list[Violation] = []
    for manifest in manifests:
        out.extend(_manifest(manifest, version))
    return out


def _manifest(m: dict[str, Any], version: str) -> Iterator[Violation]:
    res = resource_name(m)
    kind = m.get("kind")
    meta = m.get("metadata") or {}
    name = str(meta.get("name", ""))
    if kind == "Service":
        problem = dns1035_label_problem(name)
    elif kind == "Ingress" or kind == "ConfigMap" or kind == "Secret":
        problem = subdomain_problem(name)
    else:
        # workload names become pod host names and label values (statefulset pod-name):
        # held to a DNS-1123 label, the strictest rule any of them meets
        problem = dns1123_label_problem(name)
    if problem:
        yield Violation(res, "metadata.name", problem, SOURCE_VALIDATION)
    namespace = meta.get("namespace")
    if namespace is not None and (problem := dns1123_label_problem(str(namespace))):
        yield Violation(res, "metadata.namespace", problem, SOURCE_VALIDATION)
    for key, value in (meta.get("labels") or {}).items():
        if problem := label_value_problem(str(value)):
            yield Violation(res, f"metadata.labels.{key}", problem, SOURCE_VALIDATION)
    spec = m.get("spec") or {}
    if kind in _WORKLOADS:
        yield from _workload(res, str(kind), spec, version)
    elif kind == "Service":
        yield from _service(res, spec)
    elif kind == "ConfigMap" or kind == "Secret":
        for key in (m.get("data") or {}) | (m.get("stringData") or {}):
            if problem := config_key_problem(str(key)):
                yield Violation(res, f"data.{key}", problem, SOURCE_CORE)
    elif kind == "Ingress":
        yield from _ingress(res, spec)


def _workload(res: str, kind: str, spec: dict[str, Any], version: str) -> Iterator[Violation]:
    template = spec.get("template") or {}
    labels = (template.get("metadata") or {}).get("labels") or {}
    selector = (spec.get("selector") or {}).get("matchLabels")
    if kind != "Job" or selector is not None:
        # apps/v1: a selector is required, non-empty, and must select the template's labels
        if not selector:
            yield Violation(res, "spec.selector", "a selector is required", SOURCE_APPS)
        elif any(labels.get(k) != v for k, v in selector.items()):
            yield Violation(
                res,
                "spec.template.metadata.labels",
                "`selector` does not match template `labels`",
                SOURCE_APPS,
            )
    pod = template.get("spec") or {}
    restart = pod.get("restartPolicy", "Always")
    if restart not in _RESTART_ALLOWED[kind]:
        allowed = " or ".join(_RESTART_ALLOWED[kind])
        yield Violation(
            res,
            "spec.template.spec.restartPolicy",
            f"{restart!r} is not allowed for a {kind}: use {allowed}",
            SOURCE_BATCH if kind == "Job" else SOURCE_APPS,
        )
    if kind == "StatefulSet":
        service = spec.get("serviceName")
        if service is not None and (problem := dns1035_label_problem(str(service))):
            yield Violation(res, "spec.serviceName", problem, SOURCE_APPS)
        for i, claim in enumerate(spec.get("volumeClaimTemplates") or []):
            claim_name = str((claim.get("metadata") or {}).get("name", ""))
            if problem := dns1123_label_problem(claim_name):
                yield Violation(
                    res, f"spec.volumeClaimTemplates.{i}.metadata.name", problem, SOURCE_APPS
                )
    yield from _pod(res, "spec.template.spec", pod, version, spec.get("volumeClaimTemplates"))


def _pod(
    res: str, base: str, pod: dict[str, Any], version: str, claims: list[dict[str, Any]] | None
) -> Iterator[Violation]:
    volumes = {str(v.get("name")) for v in pod.get("volumes") or []}
    volumes |= {str((c.get("metadata") or {}).get("name")) for c in claims or []}
    for i, vol in enumerate(pod.get("volumes") or []):
        if problem := dns1123_label_problem(str(vol.get("name", ""))):
            yield Violation(res, f"{base}.volumes.{i}.name", problem, SOURCE_CORE)
    seen: set[str] = set()
    port_names: set[str] = set()
    for group in ("initContainers", "containers"):
        for i, c in enumerate(pod.get(group) or []):
            where = f"{base}.{group}.{i}"
            cname = str(c.get("name", ""))
            if problem := dns1123_label_problem(cname):
                yield Violation(res, f"{where}.name", problem, SOURCE_CORE)
            if cname in seen:
                yield Violation(
                    res, f"{where}.name", f"container name {cname!r} is used twice", SOURCE_CORE
                )
            seen.add(cname)
            for j, port in enumerate(c.get("ports") or []):
                pname = port.get("name")
                if pname is None:
                    continue
                if problem := port_name_problem(str(pname)):
                    yield Violation(res, f"{where}.ports.{j}.name", problem, SOURCE_VALIDATION)
                if pname in port_names:
                    yield Violation(
                        res,
                        f"{where}.ports.{j}.name",
                        f"port name {pname!r} is used twice in the pod",
                        SOURCE_CORE,
                    )
                port_names.add(str(pname))
            for j, env in enumerate(c.get("env") or []):
                if problem := env_name_problem(str(env.get("name", "")), version):
                    yield Violation(res, f"{where}.env.{j}.name", problem, SOURCE_CORE)
            for j, mount in enumerate(c.get("volumeMounts") or []):
                if mount.get("name") not in volumes:
                    yield Violation(
                        res,
                        f"{where}.volumeMounts.{j}.name",
                        f"volume {mount.get('name')!r} is not declared in the pod",
                        SOURCE_CORE,
                    )
            yield from _resources(res, f"{where}.resources", c.get("resources") or {})
            if group == "initContainers":
                for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
                    if probe in c:
                        yield Violation(
                            res,
                            f"{where}.{probe}",
                            "an init container may not have probes (unless restartPolicy: Always)",
                            SOURCE_CORE,
                        )
                continue
            for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
                if probe in c:
                    yield from _probe(res, f"{where}.{probe}", probe, c[probe])


def _probe(res: str, where: str, kind: str, probe: dict[str, Any]) -> Iterator[Violation]:
    handlers = [h for h in ("exec", "httpGet", "tcpSocket", "grpc") if h in probe]
    if len(handlers) != 1:
        yield Violation(res, where, "a probe needs exactly one handler", SOURCE_CORE)
    for field in ("periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold"):
        value = probe.get(field)
        if value is not None and value < 1:
            yield Violation(res, f"{where}.{field}", f"must be 1 or more, got {value}", SOURCE_CORE)
    if probe.get("initialDelaySeconds", 0) < 0:
        yield Violation(res, f"{where}.initialDelaySeconds", "must be 0 or more", SOURCE_CORE)
    if kind != "readinessProbe" and probe.get("successThreshold", 1) != 1:
        yield Violation(res, f"{where}.successThreshold", f"must be 1 for a {kind}", SOURCE_CORE)
    for handler in ("httpGet", "tcpSocket"):
        port = (probe.get(handler) or {}).get("port")
        if isinstance(port, int) and not 0 < port < 65536:
            yield Violation(res, f"{where}.{handler}.port", f"{port} is not a port", SOURCE_CORE)
        elif isinstance(port, str) and (problem := port_name_problem(port)):
            yield Violation(res, f"{where}.{handler}.port", problem, SOURCE_VALIDATION)


def _resources(res: str, where: str, resources: dict[str, Any]) -> Iterator[Violation]:
    limits, requests = resources.get("limits") or {}, resources.get("requests") or {}
    limit, request = limits.get("memory"), requests.get("memory")
    if isinstance(limit, str) and isinstance(request, str):
        try:
            above = parse_memory(request) > parse_memory(limit)
        except ValueError:
            return
        if above:
            yield Violation(
                res,
                f"{where}.requests.memory",
                f"must be less than or equal to the memory limit ({limit})",
                SOURCE_CORE,
            )


def _service(res: str, spec: dict[str, Any]) -> Iterator[Violation]:
    ports = spec.get("ports") or []
    names: set[str] = set()
    for i, port in enumerate(ports):
        name = port.get("name")
        if len(ports) > 1 and not name:
            yield Violation(
                res,
                f"spec.ports.{i}.name",
                "required when a Service has several ports",
                SOURCE_CORE,
            )
        if name:
            # a Service port name is a DNS-1123 label (validateServicePort), and a pod's
            # targetPort name an IANA_SVC_NAME
            if problem := dns1123_label_problem(str(name)):
                yield Violation(res, f"spec.ports.{i}.name", problem, SOURCE_CORE)
            if name in names:
                yield Violation(
                    res, f"spec.ports.{i}.name", f"port name {name!r} is used twice", SOURCE_CORE
                )
            names.add(str(name))
        target = port.get("targetPort")
        if isinstance(target, str) and (problem := port_name_problem(target)):
            yield Violation(res, f"spec.ports.{i}.targetPort", problem, SOURCE_VALIDATION)
        node_port = port.get("nodePort")
        if node_port is not None and spec.get("type") not in ("NodePort", "LoadBalancer"):
            yield Violation(
                res,
                f"spec.ports.{i}.nodePort",
                "only NodePort and LoadBalancer Services",
                SOURCE_CORE,
            )
    if spec.get("clusterIP") == "None" and spec.get("type", "ClusterIP") != "ClusterIP":
        yield Violation(res, "spec.clusterIP", "a headless Service must be ClusterIP", SOURCE_CORE)


def _ingress(res: str, spec: dict[str, Any]) -> Iterator[Violation]:
    for i, rule in enumerate(spec.get("rules") or []):
        host = rule.get("host")
        if host is not None and (problem := subdomain_problem(str(host))):
            yield Violation(res, f"spec.rules.{i}.host", problem, SOURCE_NETWORKING)
        for j, path in enumerate((rule.get("http") or {}).get("paths") or []):
            where = f"spec.rules.{i}.http.paths.{j}"
            if path.get("pathType") in ("Prefix", "Exact") and not str(
                path.get("path", "")
            ).startswith("/"):
                yield Violation(res, f"{where}.path", "must be an absolute path", SOURCE_NETWORKING)
            port = ((path.get("backend") or {}).get("service") or {}).get("port") or {}
            if "name" in port and "number" in port:
                yield Violation(
                    res,
                    f"{where}.backend.service.port",
                    "give name or number, not both",
                    SOURCE_NETWORKING,
                )

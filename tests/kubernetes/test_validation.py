"""Validation before writing: the strict schemas (every error collected) and stackgen's
API-server rules, each with the value the API server would refuse."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from stackgen.targets.kubernetes import manifests as m
from stackgen.targets.kubernetes import objects as o
from stackgen.targets.kubernetes.rules import (
    env_name_problem,
    port_name_problem,
    violations,
)
from stackgen.targets.kubernetes.schemas import (
    DEFAULT_VERSION,
    UnsupportedVersion,
    major_minor,
    schema_errors,
    schema_file,
    versions,
)

LABELS = (("app.kubernetes.io/name", "web"), ("app.kubernetes.io/part-of", "shop"))


def _deployment(**changes: Any) -> dict[str, Any]:
    container = m.Container(
        "web",
        "nginx:1.27",
        ports=(m.ContainerPort("tcp-80", 80),),
        readiness=m.Probe(http_path="/", http_port=80),
    )
    doc = o.Workload("Deployment", "web", None, LABELS, LABELS, (container,)).to_dict()
    return doc


def test_default_version_is_shipped_and_versions_are_ordered() -> None:
    shipped = versions()
    assert DEFAULT_VERSION in shipped
    assert shipped[0] == "1.25"
    assert list(shipped) == sorted(shipped, key=lambda v: tuple(int(p) for p in v.split(".")))


@pytest.mark.parametrize(
    ("given", "want"), [("1.30", "1.30"), ("v1.30.2", "1.30"), ("1.30.0", "1.30")]
)
def test_major_minor(given: str, want: str) -> None:
    assert major_minor(given) == want


@pytest.mark.parametrize("given", ["1.24", "2.0", "latest", "1"])
def test_unsupported_version(given: str) -> None:
    with pytest.raises(UnsupportedVersion, match=r"1\.25 to"):
        major_minor(given)


def test_schema_file_names() -> None:
    assert schema_file("apps/v1", "Deployment") == "deployment-apps-v1.json"
    assert schema_file("v1", "Service") == "service-v1.json"
    assert schema_file("networking.k8s.io/v1", "Ingress") == "ingress-networking-v1.json"
    assert schema_file("rbac.authorization.k8s.io/v1", "Role") == "role-rbac-v1.json"


def test_a_valid_deployment_passes_every_shipped_version() -> None:
    for version in versions():
        assert schema_errors([_deployment()], version) == []
        assert violations([_deployment()], version) == []


def test_every_schema_error_is_collected() -> None:
    doc = _deployment()
    doc["metadata"]["bogus"] = 1
    doc["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = "80"
    errors = schema_errors([doc], DEFAULT_VERSION)
    assert {(e.resource, e.path) for e in errors} == {
        ("Deployment/web", "metadata"),
        ("Deployment/web", "spec.template.spec.containers.0.ports.0.containerPort"),
    }
    assert any("'bogus' was unexpected" in e.message for e in errors)


def test_unknown_resource_type_is_an_error() -> None:
    errors = schema_errors([{"apiVersion": "example.com/v1", "kind": "Widget"}], DEFAULT_VERSION)
    assert [e.message for e in errors] == [
        f"no schema for Widget example.com/v1 in Kubernetes {DEFAULT_VERSION}"
    ]


def _paths(doc: dict[str, Any]) -> set[str]:
    return {v.path for v in violations([doc], DEFAULT_VERSION)}


def test_selector_must_match_template_labels() -> None:
    doc = _deployment()
    doc["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"] = "other"
    (v,) = violations([doc], DEFAULT_VERSION)
    assert (v.path, v.message) == (
        "spec.template.metadata.labels",
        "`selector` does not match template `labels`",
    )
    assert v.source.endswith("pkg/apis/apps/validation/validation.go")


@pytest.mark.parametrize(
    ("kind", "policy", "bad"),
    [
        ("Deployment", "OnFailure", True),
        ("Deployment", "Always", False),
        ("StatefulSet", "Never", True),
        ("Job", "Always", True),
        ("Job", "Never", False),
    ],
)
def test_restart_policy_per_workload_kind(kind: str, policy: str, bad: bool) -> None:
    doc = _deployment()
    doc["kind"] = kind
    if kind == "Job":
        del doc["spec"]["selector"]
    doc["spec"]["template"]["spec"]["restartPolicy"] = policy
    assert ("spec.template.spec.restartPolicy" in _paths(doc)) is bad


def test_names_are_dns1123_labels_of_63_characters() -> None:
    doc = _deployment()
    doc["metadata"]["name"] = "a" * 64
    assert "metadata.name" in _paths(doc)
    doc["metadata"]["name"] = "a" * 63
    assert "metadata.name" not in _paths(doc)
    doc["metadata"]["name"] = "Web_1"
    assert "metadata.name" in _paths(doc)


def test_a_service_name_starts_with_a_letter() -> None:
    svc = o.Service("1web", None, LABELS, LABELS, (o.ServicePort("tcp-80", 80, "tcp-80"),))
    (v,) = violations([svc.to_dict()], DEFAULT_VERSION)
    assert v.path == "metadata.name" and "must start with a letter" in v.message


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("tcp-29092", True),
        ("http", True),
        ("a" * 15, True),
        ("a" * 16, False),
        ("8080", False),
        ("web--api", False),
        ("-web", False),
        ("Web", False),
    ],
)
def test_port_names_are_iana_svc_names(name: str, ok: bool) -> None:
    assert (port_name_problem(name) is None) is ok


def test_container_port_name_checked_in_the_manifest() -> None:
    doc = _deployment()
    doc["spec"]["template"]["spec"]["containers"][0]["ports"][0]["name"] = "a-very-long-port-name"
    assert "spec.template.spec.containers.0.ports.0.name" in _paths(doc)


@pytest.mark.parametrize(
    ("field", "value"),
    [("periodSeconds", 0), ("timeoutSeconds", 0), ("failureThreshold", 0)],
)
def test_probe_fields_in_range(field: str, value: int) -> None:
    doc = _deployment()
    doc["spec"]["template"]["spec"]["containers"][0]["readinessProbe"][field] = value
    assert f"spec.template.spec.containers.0.readinessProbe.{field}" in _paths(doc)


def test_liveness_success_threshold_must_be_one() -> None:
    doc = _deployment()
    probe = copy.deepcopy(doc["spec"]["template"]["spec"]["containers"][0]["readinessProbe"])
    probe["successThreshold"] = 2
    doc["spec"]["template"]["spec"]["containers"][0]["livenessProbe"] = probe
    assert "spec.template.spec.containers.0.livenessProbe.successThreshold" in _paths(doc)


def test_memory_request_above_limit() -> None:
    doc = _deployment()
    doc["spec"]["template"]["spec"]["containers"][0]["resources"] = {
        "limits": {"memory": "1Gi"},
        "requests": {"memory": "2Gi"},
    }
    assert "spec.template.spec.containers.0.resources.requests.memory" in _paths(doc)


def test_env_names_follow_the_version() -> None:
    assert env_name_problem("MY VAR", "1.33") is not None
    assert env_name_problem("MY VAR", "1.34") is None  # relaxed from 1.34 (KEP-4369)
    assert env_name_problem("A=B", "1.37") is not None
    assert env_name_problem("KAFKA_SERVERS", "1.25") is None

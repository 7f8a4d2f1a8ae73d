"""The compose model the rules read, and how a rule's path becomes a ``file:line:col``.

A :class:`Subject` is one compose mapping (a compose file as read, or a profile planned in
memory) plus a locator: for a compose file the loader's marks; for a profile a mapping of the
compose path back to the profile key that produced it (:func:`profile_locator`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeGuard

from ..catalog.families import image_family, infer_kind
from ..compose.units import parse_size
from ..yamlio.nodes import Mark, Path_, dotted, nearest_mark
from .findings import RULES, Finding, Severity

if TYPE_CHECKING:
    from ..profile.load import LoadedProfile

Locator = Callable[[Path_], Mark]

# ${NAME-default} / ${NAME:-default}: the default is what compose uses when NAME is unset
_DEFAULTED = re.compile(r"^\$\{[_A-Za-z][_A-Za-z0-9]*:?-(.*)\}\Z")


@dataclass
class Subject:
    """One compose mapping to lint.

    Attributes:
        file: the input as named on the command line.
        kind: ``compose`` or ``profile``.
        data: the compose mapping (``services`` …), interpolated where an env file was read.
        locate: compose path → :class:`Mark` in the file the user edits.
        findings: what the rules found so far (rules append through :meth:`report`).
        engine: the Docker Engine version the file is declared for (a profile's
            ``target.engine``); None when not declared (every compose file).
        loaded: the profile a planned stack comes from (what it declares beyond compose:
            first starts, migrations, Kafka consumers); None for a compose file.
    """

    file: str
    kind: str
    data: Mapping[str, Any]
    locate: Locator
    findings: list[Finding] = field(default_factory=list)
    engine: str | None = None
    loaded: LoadedProfile | None = None
    # what the rules read of a service, once per service and reading (several rules ask the
    # same of every service): (reading, id of the mapping) -> (the mapping, the answer); the
    # mapping is kept so its id stays its own while the subject lives
    _read: dict[tuple[str, int], tuple[Any, Any]] = field(default_factory=dict, repr=False)

    def _once(self, reading: Callable[[Mapping[str, Any]], Any], spec: Mapping[str, Any]) -> Any:
        key = (reading.__name__, id(spec))
        hit = self._read.get(key)
        if hit is not None and hit[0] is spec:
            return hit[1]
        answer = reading(spec)
        self._read[key] = (spec, answer)
        return answer

    def family(self, spec: Mapping[str, Any]) -> str | None:
        """:func:`infra_family` of a service mapping of this subject, read once."""
        return self._once(infra_family, spec)  # type: ignore[no-any-return]

    def env(self, spec: Mapping[str, Any]) -> list[tuple[str, str | None, Path_]]:
        """:func:`environment` of a service mapping of this subject, read once (do not
        change the list)."""
        return self._once(environment, spec)  # type: ignore[no-any-return]

    def deps(self, spec: Mapping[str, Any]) -> list[tuple[str, str | None, Path_]]:
        """:func:`dependencies` of a service mapping of this subject, read once (do not
        change the list)."""
        return self._once(dependencies, spec)  # type: ignore[no-any-return]

    def probe(self, spec: Mapping[str, Any]) -> list[str] | None:
        """:func:`probe` of a service mapping of this subject, read once (do not change the
        list)."""
        return self._once(probe, spec)  # type: ignore[no-any-return]

    def services(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """``(name, service mapping)`` for each service that is a mapping."""
        services = self.data.get("services")
        if isinstance(services, Mapping):
            for name, spec in services.items():
                if isinstance(spec, dict):
                    yield str(name), spec

    def report(
        self,
        rule: str,
        path: Path_,
        message: str,
        *,
        severity: Severity | None = None,
        hint: str | None = None,
        at: tuple[int, int] | None = None,
        file: str | None = None,
    ) -> None:
        """Record a finding of ``rule`` at compose ``path``.

        Args:
            rule: a :data:`~stackgen.lint.findings.RULES` id.
            path: the compose path the finding is about.
            message: one sentence about this value.
            severity: overrides the rule's default.
            hint: overrides the rule's fix hint.
            at: ``(line, col)`` to use instead of locating ``path`` (a scalar's own place).
            file: the file of ``at`` (default: where ``path`` is located).

        Raises:
            KeyError: unknown rule id (a programming error).
        """
        spec = RULES[rule]
        mark = self.locate(path)
        if at is not None:
            mark = Mark(file or mark.file, at[0], at[1])
        self.findings.append(
            Finding(
                file=mark.file,
                line=mark.line,
                col=mark.col,
                rule=rule,
                severity=severity or spec.severity,
                path=dotted(path),
                message=message,
                hint=hint or spec.hint,
            )
        )


def compose_locator(marks: Mapping[Path_, Mark], file: str) -> Locator:
    """A locator over a compose file's marks: the path's own mark, else its nearest
    ancestor's."""
    return lambda path: nearest_mark(marks, path, file)


def profile_locator(loaded: LoadedProfile) -> Locator:
    """A locator from a planned compose path back to the profile key that produced it.

    Keys the profile writes under another name are translated
    (``deploy.resources.limits.memory`` ← ``resources.memory``, ``deploy.replicas`` ←
    ``replicas``, a list-form ``depends_on`` entry ← its index, a probe ← ``healthcheck.http``
    / ``tcp`` / ``command`` / ``test``, a broker's ``KAFKA_GROUP_*`` ← ``kafka.consumer_group``);
    anything the catalog added stands at its service's key.
    """
    marks = loaded.source.marks
    profile = loaded.profile
    file = str(loaded.source.file)

    def candidates(path: Path_) -> list[Path_]:
        out: list[Path_] = []
        if len(path) >= 3 and path[0] == "services":
            name, rest = str(path[1]), path[2:]
            base: Path_ = ("services", name)
            svc = profile.services.get(name)
            if rest[:4] == ("deploy", "resources", "limits", "memory"):
                out.append((*base, "resources", "memory"))
            elif rest[:2] == ("deploy", "replicas"):
                out.append((*base, "replicas"))
            elif rest[0] == "depends_on" and len(rest) > 1 and svc is not None:
                if isinstance(svc.depends_on, list) and rest[1] in svc.depends_on:
                    out.append((*base, "depends_on", svc.depends_on.index(str(rest[1]))))
            elif rest[0] == "healthcheck" and len(rest) > 1 and rest[1] == "test":
                out += [(*base, "healthcheck", k) for k in ("test", "command", "http", "tcp")]
            elif rest[0] == "environment" and len(rest) > 1:
                key = str(rest[1])
                group = re.fullmatch(r"KAFKA_GROUP_([A-Z_]+_MS)", key)
                if group and (*base, "environment", key) not in marks:
                    out.append(("kafka", "consumer_group", group.group(1).lower()))
        out.append(path)
        return out

    def locate(path: Path_) -> Mark:
        for candidate in candidates(path):
            if candidate in marks:
                return marks[candidate]
        return nearest_mark(marks, path, file)

    return locate


# --------------------------------------------------------------------------------------------
# reading compose service values in any of their forms


def _is_map(value: Any) -> TypeGuard[Mapping[Any, Any]]:
    """``isinstance(value, Mapping)``, a dict told at once (the rules ask it of every value
    they read, tens of thousands of times at 1,000 services; the abstract check is slow)."""
    return type(value) is dict or isinstance(value, Mapping)


def effective_image(service: Mapping[str, Any]) -> str | None:
    """The image reference compose would pull, as far as the file tells.

    ``${NAME-default}`` / ``${NAME:-default}`` gives its default; any other ``$`` reference
    (whose value only the environment knows) gives None, as does a service without ``image``.
    """
    image = service.get("image")
    if not isinstance(image, str) or not image:
        return None
    m = _DEFAULTED.match(image)
    if m:
        image = m.group(1)
    return None if "$" in image or not image else image


def kind_of(service: Mapping[str, Any]) -> str:
    """The catalog kind of a service's image (``app`` when unknown or not given)."""
    return infer_kind(effective_image(service))


#: default container ports per infrastructure family
INFRA_PORTS: dict[str, tuple[int, ...]] = {
    "postgres": (5432,),
    "redis": (6379,),
    "zookeeper": (2181,),
    "kafka": (9092,),
    "clickhouse": (8123, 9000),
    "mysql": (3306,),
    "mongo": (27017,),
    "memcached": (11211,),
    "rabbitmq": (5672,),
    "elasticsearch": (9200,),
    "cassandra": (9042,),
    "etcd": (2379,),
}


def infra_family(service: Mapping[str, Any]) -> str | None:
    """The infrastructure family of a service (``postgres``, ``kafka``, ``mysql`` …: a
    database, cache, broker or coordinator), or None for anything else.

    Known from the image (:func:`stackgen.catalog.families.image_family`); a service whose
    image is not known (``${KAFKA_IMAGE}``) is a Kafka broker when it sets advertised
    listeners."""
    family = image_family(effective_image(service))
    if family is not None:
        return family
    if advertised_listeners(service) is not None:
        return "kafka"
    return None


def advertised_listeners(service: Mapping[str, Any]) -> tuple[str | None, Path_] | None:
    """A Kafka broker's advertised listeners setting (``KAFKA_ADVERTISED_LISTENERS``, Bitnami's
    ``KAFKA_CFG_ADVERTISED_LISTENERS``) and its path, or None."""
    for name in ("KAFKA_ADVERTISED_LISTENERS", "KAFKA_CFG_ADVERTISED_LISTENERS"):
        found = env_value(service, name)
        if found is not None:
            return found
    return None


def environment(service: Mapping[str, Any]) -> list[tuple[str, str | None, Path_]]:
    """``(name, value, path below the service)`` for each environment entry, map or list form
    (``KEY=VALUE``; a bare ``KEY`` has the value None)."""
    env = service.get("environment")
    out: list[tuple[str, str | None, Path_]] = []
    if _is_map(env):
        for key, value in env.items():
            out.append((str(key), _env_text(value), ("environment", str(key))))
    elif isinstance(env, list):
        for i, item in enumerate(env):
            key, sep, value = str(item).partition("=")
            out.append((key, value if sep else None, ("environment", i)))
    return out


def _env_text(value: Any) -> str | None:
    """A map-form environment value as compose passes it (``true`` for True, None unset)."""
    if value is None:
        return None
    return str(value).lower() if isinstance(value, bool) else str(value)


def env_value(service: Mapping[str, Any], name: str) -> tuple[str | None, Path_] | None:
    """The value and path of one environment entry, or None when it is not set."""
    env = service.get("environment")
    # the map form (every profile, most files): one lookup, not a list of every entry (the
    # rules ask a dozen names of each service). A key that is not text (a number, date, bool,
    # None, bytes) never prints as a name that holds a _ (all of theirs): only that text key
    # can match.
    if _is_map(env) and "_" in name and name.isidentifier():
        return (_env_text(env[name]), ("environment", name)) if name in env else None
    for key, value, path in environment(service):
        if key == name:
            return value, path
    return None


def dependencies(service: Mapping[str, Any]) -> list[tuple[str, str | None, Path_]]:
    """``(dependency, condition, path below the service)`` for each ``depends_on`` entry;
    the condition is None for the list form (compose reads it as ``service_started``)."""
    deps = service.get("depends_on")
    out: list[tuple[str, str | None, Path_]] = []
    if isinstance(deps, list):
        out = [(str(d), None, ("depends_on", i)) for i, d in enumerate(deps)]
    elif _is_map(deps):
        for dep, spec in deps.items():
            condition = spec.get("condition") if _is_map(spec) else None
            out.append((str(dep), str(condition or "service_started"), ("depends_on", str(dep))))
    return out


def probe(service: Mapping[str, Any]) -> list[str] | None:
    """The healthcheck ``test`` as a list (a string is ``CMD-SHELL``), or None when the
    service declares no enabled healthcheck (absent, ``disable: true`` or ``NONE``)."""
    hc = service.get("healthcheck")
    if not _is_map(hc) or hc.get("disable") is True:
        return None
    test = hc.get("test")
    if isinstance(test, str):
        return ["CMD-SHELL", test]
    if isinstance(test, list) and test and test[0] != "NONE":
        return [str(t) for t in test]
    return None


def memory_limit(service: Mapping[str, Any]) -> tuple[int, Path_] | None:
    """The container memory limit in bytes and where it is set (``deploy.resources.limits.
    memory``, else ``mem_limit``); None when unset or not a literal size."""
    deploy = service.get("deploy")
    limits = ((deploy.get("resources") or {}).get("limits") or {}) if _is_map(deploy) else {}
    for value, path in (
        (
            limits.get("memory") if _is_map(limits) else None,
            ("deploy", "resources", "limits", "memory"),
        ),
        (service.get("mem_limit"), ("mem_limit",)),
    ):
        if value is None:
            continue
        try:
            return parse_size(value), path
        except (ValueError, TypeError):
            continue
    return None


def replicas(service: Mapping[str, Any]) -> tuple[int, Path_] | None:
    """How many containers the service asks for (``deploy.replicas`` or ``scale``) and where,
    or None when unset or not a literal number."""
    deploy = service.get("deploy")
    if _is_map(deploy) and isinstance(deploy.get("replicas"), int):
        return int(deploy["replicas"]), ("deploy", "replicas")
    if isinstance(service.get("scale"), int) and not isinstance(service.get("scale"), bool):
        return int(service["scale"]), ("scale",)
    return None

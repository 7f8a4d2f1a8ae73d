"""What a diff LEFT (or a check input) is: a stackgen profile or a compose file (docs/diff.md, *Profile or compose file?*)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..choices import LEFT_TYPES
from ..compose import schema as compose
from ..errors import Diagnostic, InputError
from ..output.header import GENERATED_HEADER
from ..yamlio.files import read_text
from ..yamlio.loader import load_file
from ..yamlio.nodes import Document, Path_, Tagged, dotted

COMPOSE_TOP_LEVEL = frozenset(
    {
        "version",
        "name",
        "services",
        "networks",
        "volumes",
        "secrets",
        "configs",
        "include",
        "models",
    }
)
#: the first line of every file stackgen renders starts with this
_COMPOSE_FILE_NAME = re.compile(r"^(?:docker-)?compose(?:[.-][^/\\]*)?\.ya?ml\Z", re.IGNORECASE)


@cache
def profile_only_keys() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Keys only a stackgen profile has, derived from the profile model and the compose schema.

    Returns:
        ``(top_level, service, healthcheck)``: top-level keys (``defaults``, ``domains``, …),
        service keys (``kind``, ``replicas``, …) and healthcheck keys (``http``, ``tcp``, …).
    """
    # the profile models (pydantic) are imported only when a key compose does not know is
    # seen (:func:`_maybe_profile_key`): a compose file is told without them
    from ..profile.models import Profile, Service
    from ..profile.settings import Healthcheck

    top = frozenset(Profile.model_fields) - COMPOSE_TOP_LEVEL
    service = frozenset(Service.model_fields) - compose.service_keys()
    return top, service, frozenset(Healthcheck.model_fields) - _compose_healthcheck_keys()


@cache
def _compose_healthcheck_keys() -> frozenset[str]:
    return frozenset(compose.schema()["$defs"]["healthcheck"].get("properties", {}))


def _maybe_profile_key(key: Any, compose_keys: frozenset[str]) -> bool:
    """Whether ``key`` may be a profile model's field beyond ``compose_keys``: field names are
    Python identifiers, so a compose key, an ``x-`` extension or a non-text key never is."""
    return isinstance(key, str) and key not in compose_keys and key.isidentifier()


def profile_evidence(data: Any, *, any_unknown_top_level: bool = True) -> tuple[Path_, str] | None:
    """The first form in ``data`` that only a stackgen profile has.

    Args:
        data: a parsed YAML document.
        any_unknown_top_level: count every top-level key that is neither a compose key nor
            ``x-`` as profile evidence (for LEFT); False: only stackgen's own keys (for RIGHT).

    Returns:
        ``(path, reason)`` of the first such form, or None.
    """
    if not isinstance(data, Mapping):
        return None
    for key in data:
        name = str(key)
        if (_maybe_profile_key(name, COMPOSE_TOP_LEVEL) and name in profile_only_keys()[0]) or (
            any_unknown_top_level and name not in COMPOSE_TOP_LEVEL and not name.startswith("x-")
        ):
            return (name,), f"top-level key {name!r} is not a compose key"
    services = data.get("services")
    if not isinstance(services, Mapping):
        return None
    compose_service = compose.service_keys()
    compose_hc: frozenset[str] | None = None
    for sname, spec in services.items():
        if not isinstance(spec, Mapping):
            continue
        here: Path_ = ("services", str(sname))
        for key in spec:
            if _maybe_profile_key(key, compose_service) and key in profile_only_keys()[1]:
                return (*here, str(key)), f"{key!r} is a profile service key"
        healthcheck = spec.get("healthcheck")
        if isinstance(healthcheck, Mapping):
            if compose_hc is None:
                compose_hc = _compose_healthcheck_keys()
            for key in healthcheck:
                if _maybe_profile_key(key, compose_hc) and key in profile_only_keys()[2]:
                    return (*here, "healthcheck", str(key)), f"healthcheck {key!r} is profile-only"
        env = spec.get("environment")
        if isinstance(env, Mapping):
            for key, value in env.items():
                if isinstance(value, Mapping):
                    return (*here, "environment", str(key)), (
                        "an environment value that is a mapping (passthrough) is profile-only"
                    )
    return None


def _has_tags(value: Any) -> bool:
    # one walk with exact type checks first (the Mapping ABC check is slow on every node)
    stack = [value]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is dict:
            stack.extend(v for v in node.values() if type(v) not in _PLAIN)
        elif kind is list:
            stack.extend(v for v in node if type(v) not in _PLAIN)
        elif isinstance(node, Tagged):
            return True
        elif isinstance(node, Mapping):
            stack.extend(node.values())
    return False


#: scalars as the loader makes them: no tag inside
_PLAIN = frozenset({str, int, float, bool, type(None)})


@dataclass(frozen=True)
class LeftType:
    """How LEFT is read, and why.

    Attributes:
        kind: ``profile`` or ``compose``.
        reason: one phrase (``"forced by --left-type"``, ``"stackgen header"``, …).
        ambiguous: LEFT is valid as both and not named like a compose file, so it was
            taken for a profile (a file valid as compose and named like one is compose
            without being checked as a profile).
    """

    kind: str
    reason: str
    ambiguous: bool = False
    #: LEFT as parsed to decide (None when no parse was needed): the command reads it from
    #: here rather than parsing the file again
    doc: Document | None = field(default=None, compare=False, repr=False)


def _valid_profile(path: Path, doc: Document) -> bool:
    from ..profile.load import load_profile  # pydantic: only for a file that may be a profile

    try:
        load_profile(path, parsed=doc)
    except InputError:
        return False
    return True


def detect_left(path: Path, left_type: str = "auto") -> LeftType:
    """Decide whether LEFT is a profile or a compose file (rules in the module docstring).

    Args:
        path: the LEFT file.
        left_type: ``auto`` (detect), ``profile`` or ``compose`` (taken as given).

    Returns:
        The :class:`LeftType`.

    Raises:
        InputError: unknown ``left_type``; unreadable file or invalid YAML (``auto`` only).
    """
    if left_type not in LEFT_TYPES:
        raise InputError.single(
            "<--left-type>", 0, 0, "", f"unknown type {left_type!r}; use {', '.join(LEFT_TYPES)}"
        )
    if left_type != "auto":
        return LeftType(left_type, "forced by --left-type")
    text = read_text(path, str(path))
    if text.lstrip("\ufeff").startswith(GENERATED_HEADER):
        return LeftType("compose", "stackgen header")
    # parsed once: the profile check below and the command's own reading use this document
    doc = load_file(path, str(path), text=text)
    data = doc.data
    evidence = profile_evidence(data)
    if evidence is not None:
        return LeftType("profile", f"{dotted(evidence[0])}: {evidence[1]}", doc=doc)
    if not isinstance(data, Mapping) or not isinstance(data.get("services"), Mapping):
        return LeftType("compose", "no services mapping", doc=doc)
    if not doc.untagged and _has_tags(data):
        return LeftType("compose", "compose merge tags", doc=doc)
    as_compose = not compose.schema_errors(data)
    if as_compose and _COMPOSE_FILE_NAME.match(path.name):
        # the name decides whether it also reads as a profile or not: no profile check (it
        # imports and runs the profile models, a tenth of a 1,000-service diff) and no
        # warning, which a plain compose file with a name: would otherwise draw on every diff
        return LeftType("compose", "valid as compose; named like a compose file", doc=doc)
    as_profile = _valid_profile(path, doc)
    if as_profile and not as_compose:
        return LeftType("profile", "valid only as a profile", doc=doc)
    if not as_profile:
        return LeftType("compose", "not a valid profile", doc=doc)
    return LeftType(
        "profile", "valid as both; not named like a compose file", ambiguous=True, doc=doc
    )


def _ambiguity_warning(path: Path) -> Diagnostic:
    # of two valid readings only the profile is ever chosen (detect_left)
    return Diagnostic(
        str(path),
        1,
        1,
        "",
        "reads as both a stackgen profile and a compose file; diffing it as a profile "
        "(its name is not a compose file name); use --left-type compose to change that",
        quotes_input=False,  # stackgen's own words only: nothing to mask
    )

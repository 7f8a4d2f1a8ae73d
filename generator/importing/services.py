"""Import, one service: a compose service mapping → the profile's service mapping.

Keys the profile models are written in its terms so that rendering gives the compose value
back; every other key passes through as written (``verbatim`` when the profile's ``$`` rules
cannot say it). See :mod:`stackgen.importing.importer` and ``docs/import.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..catalog.kinds import infer_kind
from ..compose.interpolation import interpolate
from ..compose.merge import Sourced
from ..compose.values import scalar_text, split_key_value
from ..errors import Diagnostic
from ..profile.models import Service, is_service_key
from ..yamlio.nodes import Path_, dotted
from .text import _convert, _Unsayable
from .variables import cast_at, unset_names

_CONTAINER_SIDE = ("command", "entrypoint")
_HEALTHCHECK_KEYS = ("test", "interval", "timeout", "retries", "start_period", "start_interval")
_DEPENDENCY_KEYS = ("condition", "restart", "required")


@dataclass
class ImportContext:
    """What converting one service needs besides the service.

    Attributes:
        source: the merged compose files (positions of every value, for errors).
        env: the project's variables (``--env-file``, else the ``.env`` beside the first file).
        errors: diagnostics collected so far (every fault of the input is reported at once).
        warnings: non-fatal diagnostics (a variable read as compose reads it when unset).
    """

    source: Sourced
    env: Mapping[str, str]
    errors: list[Diagnostic]
    warnings: list[Diagnostic] = field(default_factory=list)

    def error(self, path: Path_, message: str) -> None:
        """Record ``message`` at the compose position of ``path``."""
        mark = self.source.mark(path)
        self.errors.append(Diagnostic(mark.file, mark.line, mark.col, dotted(path), message))

    def known(self, path: Path_, text: str) -> str:
        """``text`` (compose text naming a restart policy or a service, which the profile
        must know) as compose reads it with the project's variables: a variable they do not
        set reads as compose reads an unset one (its default, else empty), said at ``path``.
        """
        if "$" not in text:
            return text
        value = interpolate(text, self.env)
        missing = unset_names(text, self.env)
        if missing:
            mark = self.source.mark(path)
            self.warnings.append(
                Diagnostic(
                    mark.file,
                    mark.line,
                    mark.col,
                    dotted(path),
                    f"{', '.join(missing)} not set in the project's .env: the profile takes "
                    f"{value!r}, what compose reads without it (stackgen must know this value)",
                )
            )
        return value


def _as_map(value: Any, seps: str = "=") -> dict[str, Any]:
    if isinstance(value, list):
        return dict(split_key_value(item, seps) for item in value)
    return dict(value or {})


def _literal(ctx: ImportContext, path: Path_, value: Any) -> Any:
    try:
        return _convert(value, container_side=False)
    except _Unsayable as exc:
        ctx.error(path, f"{exc.args[0]!r}: a literal ${{…}} here cannot be written in a profile")
        return value


def import_top_level(ctx: ImportContext, key: str, entries: Mapping[str, Any]) -> dict[str, Any]:
    """A top-level ``volumes``/``networks``/``secrets``/``configs`` mapping as profile text.

    Compose reads ``$$`` in these values as one literal ``$`` and ``${VAR}`` as a reference
    (a config's ``content`` included); a profile writes a literal ``$`` alone and cannot say a
    literal ``${…}``, which is an error at its key (``ctx.errors``), as in a service.
    """
    return {name: _literal(ctx, (key, name), spec) for name, spec in entries.items()}


def import_service(ctx: ImportContext, name: str, spec: Mapping[str, Any]) -> dict[str, Any]:
    """One compose service → profile service mapping.

    Args:
        ctx: the import's context; faults are added to ``ctx.errors``, not raised.
        name: the service's name (for positions).
        spec: the service as written in the merged compose files.

    Returns:
        The profile's service mapping (``kind`` and ``image`` first).
    """
    base: Path_ = ("services", name)
    out: dict[str, Any] = {}
    image = spec.get("image")
    if isinstance(image, str):
        # an image given as ${VAR} is known only through the project .env
        kind = infer_kind(interpolate(image, ctx.env) if "$" in image else image)
        if kind != "app":
            out["kind"] = kind
    verbatim: dict[str, Any] = {}
    for key, value in spec.items():
        path = (*base, key)
        if key == "image":
            out[key] = _literal(ctx, path, value)
        elif key == "ports":
            # an int in a profile publishes N:N; in compose it is the container port only
            out[key] = [
                _literal(ctx, (*path, i), v if isinstance(v, dict) else scalar_text(v))
                for i, v in enumerate(value or [])
            ]
        elif key == "expose":
            out[key] = [
                _literal(ctx, (*path, i), scalar_text(v)) for i, v in enumerate(value or [])
            ]
        elif key == "environment":
            env = _as_map(value)
            out[key] = {
                k: None if v is None else _literal(ctx, (*path, k), scalar_text(v))
                for k, v in env.items()
            }
        elif key == "labels":
            labels = _as_map(value)
            for k in [k for k, v in labels.items() if v is None]:
                ctx.error((*path, k), "a label without a value cannot be written in a profile")
            out[key] = {
                k: _literal(ctx, (*path, k), scalar_text(v))
                for k, v in labels.items()
                if v is not None
            }
        elif key == "depends_on":
            out[key] = _depends_on(ctx, path, value)
        elif key == "restart" and isinstance(value, str):
            # a profile's restart is one of compose's policies: ${RESTART:-always} → always
            out[key] = ctx.known(path, value)
        elif key == "healthcheck" and isinstance(value, dict) and _verbatim_healthcheck(value):
            verbatim[key] = value
        elif key == "healthcheck":
            try:
                out[key] = _healthcheck(ctx, path, value)
            except _Unsayable:
                verbatim[key] = value  # compose interpolates the probe: carried as written
        elif key == "volumes":
            out[key] = [
                _literal(ctx, (*path, i), v) if isinstance(v, str) else v
                for i, v in enumerate(value or [])
            ]
        elif key == "restart":
            out[key] = scalar_text(value)
        elif key in Service.model_fields or not is_service_key(key):
            ctx.error(path, f"{key!r} is not a compose service key; a profile cannot carry it")
        else:
            try:
                out[key] = _convert(value, container_side=key in _CONTAINER_SIDE)
            except _Unsayable:
                verbatim[key] = value
    if verbatim:
        out["verbatim"] = verbatim
    first = [k for k in ("kind", "image") if k in out]
    return {k: out[k] for k in [*first, *(k for k in out if k not in first)]}


def _depends_on(ctx: ImportContext, path: Path_, value: Any) -> Any:
    """``depends_on`` with service names as compose reads them: a name written with a
    reference (``${DB_HOST:-mongodb}``) interpolated from the project's ``.env``. An entry of
    the long form that is not a mapping is an error at its key (the schema check skips a
    ``depends_on`` holding a ``${…}``)."""

    def named(at: Path_, dep: Any) -> str:
        return ctx.known(at, str(dep))

    if isinstance(value, list):
        return [named((*path, i), v) for i, v in enumerate(value)]
    out: dict[str, Any] = {}
    for dep, entry in (value or {}).items():
        entry = entry or {}
        if not isinstance(entry, Mapping):
            ctx.error(
                (*path, dep),
                "must be a mapping such as {condition: service_healthy} (compose spec "
                f"depends_on, long syntax), not {scalar_text(entry)!r}",
            )
            continue
        out[named((*path, dep), dep)] = {
            # the condition (and restart) drive stackgen's policies: it must know them
            k: cast_at(ctx.known((*path, dep, k), entry[k]), (*path, dep, k))
            if isinstance(entry[k], str) and "$" in entry[k]
            else entry[k]
            for k in _DEPENDENCY_KEYS
            if k in entry
        }
    return out


def _verbatim_healthcheck(value: Mapping[str, Any]) -> bool:
    """Whether a healthcheck has no profile form: timing for the image's own probe (no
    ``test``), or a value besides ``test`` that compose interpolates (``interval:
    $HEALTHCHECK_INTERVAL``, ``disable: ${NO_PROBE}``)."""
    if "test" not in value and not value.get("disable"):
        return True
    return any(isinstance(v, str) and "$" in v for k, v in value.items() if k != "test")


def _healthcheck(ctx: ImportContext, path: Path_, value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in (value or {}).items():
        if key == "test":
            out[key] = _convert(item, container_side=True)
        elif key in _HEALTHCHECK_KEYS or key == "disable":
            out[key] = item
        else:
            ctx.error((*path, key), f"{key!r} is not a compose healthcheck key")
    return out

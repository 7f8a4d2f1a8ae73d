"""Import: compose files → a stackgen profile (``stackgen import``).

Stages: read each file as written (no interpolation, so ``$$`` and ``${VAR}`` stay apart),
check it is a compose file and valid against the compose-spec schema, merge the files like
``docker compose -f a -f b`` (:mod:`stackgen.compose.merge`), turn each service into a profile
service, write the profile as YAML, and prove it: the profile must load, plan and render
before anyone writes it.

What becomes what (``docs/import.md``):

* ``${VAR}`` to a variable the project's ``.env`` sets takes its value, anywhere compose
  interpolates, unless its name says secret; other references are kept
  (:mod:`stackgen.importing.variables`);
* a service whose image the catalog knows (:func:`stackgen.catalog.kinds.infer_kind`) gets
  that ``kind``;
* keys the profile models (``image``, ``ports``, ``expose``, ``environment``, ``labels``,
  ``depends_on``, ``healthcheck``, ``volumes``, ``restart``) are written in the profile's
  terms, so that rendering gives back the compose value; every other service key passes
  through as written;
* ``$``: the profile writes a literal ``$`` once and keeps ``${VAR}`` for compose (in
  ``command``, ``entrypoint`` and healthchecks every ``$`` is literal). A value that cannot
  be said that way (a ``command`` in which compose interpolates ``${VAR}``) goes under the
  service's ``verbatim`` key, emitted exactly as written;
* ``policies``: plain import keeps the services' own image, ports, volumes and env
  (``catalog: false``) and lets stackgen add restart policies, healthchecks, ``depends_on``
  conditions and the project name; ``as_is`` switches every policy off, so the render is the
  original, value for value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..compose.envfile import parse_env_file
from ..compose.include import apply_includes
from ..compose.interpolation import fill_bare_names
from ..compose.merge import Sourced, merge_files
from ..compose.paths import rebase
from ..compose.reader import read_compose
from ..compose.validate import (
    AS_WRITTEN_NOTE,
    REPEAT_ACCEPTED_NOTE,
    check_compose,
    validate_compose,
)
from ..diff.inputs import profile_evidence
from ..errors import Diagnostic, InputError, require_utf8
from ..gcpause import paused
from ..profile.settings import Policies
from ..yamlio.dump import dump_yaml
from ..yamlio.loader import load_file
from ..yamlio.nodes import Document, dotted, value_at
from .prove import keep_as_imported, notes, prove
from .services import ImportContext, import_service, import_top_level
from .settings import _kafka_port, _project_name
from .text import header
from .variables import kept_secrets_note, profiles_note, public_env, resolve_values

#: ``policies`` of a plain import: the services keep their own settings (no catalog
#: defaults); restart, healthchecks, conditions, probe fixes and the name are stackgen's
IMPORT_POLICIES: dict[str, bool] = {"catalog": False}
#: ``policies`` of ``--as-is``: nothing added, the render reproduces the original
AS_IS_POLICIES: dict[str, bool] = dict.fromkeys(Policies.model_fields, False)

#: top-level compose keys a profile holds (``version`` is obsolete and dropped, ``x-`` too:
#: anchors are already resolved, and compose ignores both)
_TOP_LEVEL = ("name", "services", "volumes", "networks", "secrets", "configs")
_DROPPED_TOP_LEVEL = ("version",)
_NOT_RENDERED = {
    AS_WRITTEN_NOTE: "(docker compose rejects this and stackgen renders only valid compose: "
    "cannot import)",
    REPEAT_ACCEPTED_NOTE: "(the compose spec forbids repeats and stackgen renders only valid "
    "compose: remove the repeat to import)",
}


@dataclass(frozen=True)
class Imported:
    """A profile made from compose files.

    Attributes:
        text: the profile YAML, header included (write it as is).
        data: the profile mapping the text holds.
        warnings: non-fatal diagnostics (schema warnings of the inputs, profile warnings).
    """

    text: str
    data: dict[str, Any]
    warnings: tuple[Diagnostic, ...]


# ---------------------------------------------------------------------------------------------
# the whole import


def read_sources(
    paths: Sequence[Path],
) -> tuple[Sourced, list[Diagnostic]]:
    """Read compose files as written, check and validate each, merge them in ``-f`` order.

    Raises:
        InputError: unreadable file, not a compose file (or a stackgen profile already),
            compose-spec schema errors.
    """
    files: list[Sourced] = []
    warnings: list[Diagnostic] = []
    for index, path in enumerate(paths):
        source, found = _read_one(path, index == 0)
        warnings.extend(found)
        # what the file includes comes in as compose brings it (an included file need not
        # hold services)
        source, found = apply_includes(
            source,
            path.parent,
            None,
            lambda p, _env, _first: _read_one(p, False),
            (path.resolve(),),
        )
        warnings.extend(found)
        files.append(source)
    merged, found = merge_files(files)
    return merged, warnings + found


def _read_one(path: Path, first: bool) -> tuple[Sourced, list[Diagnostic]]:
    """One compose file read as written, checked and validated (see :func:`read_sources`)."""
    doc = load_file(path, str(path), compose=True)
    stamps = _timestamps(doc)
    if stamps:
        raise InputError(stamps)
    source, found = read_compose(path, raw=True, parsed=doc)
    evidence = profile_evidence(source.data, any_unknown_top_level=False)
    if evidence is not None:
        mark = source.mark(evidence[0])
        raise InputError.single(
            mark.file,
            mark.line,
            mark.col,
            dotted(evidence[0]),
            f"already a stackgen profile ({evidence[1]}); import reads compose files",
        )
    check_compose(source, first=first)
    rejected = validate_compose(source)
    if rejected:
        # the diff compares such files as written; a render must be valid compose
        raise InputError([replace(d, message=_not_rendered(d.message)) for d in rejected])
    return source, found


def _not_rendered(message: str) -> str:
    """A schema warning's message, its note saying why import refuses it."""
    for note, instead in _NOT_RENDERED.items():
        message = message.replace(note, instead)
    return message


def _timestamps(doc: Document) -> list[Diagnostic]:
    """Plain timestamps outside ``x-`` keys (top-level, or of one service, network, …):
    docker compose refuses them (``invalid jsonType time.Time``), at their positions."""
    out: list[Diagnostic] = []
    for path in doc.timestamps:
        if any(str(k).startswith("x-") for k in path[:1] + path[2:3]):
            continue
        mark = doc.mark(path)
        text = value_at(doc.data, path)
        out.append(
            Diagnostic(
                mark.file,
                mark.line,
                mark.col,
                dotted(path),
                f"{text} unquoted is a timestamp to docker compose (Go yaml.v3), which it "
                f'refuses here (invalid jsonType time.Time); quote it: "{text}"',
            )
        )
    return out


@paused()  # builds large graphs that all stay alive: see gcpause
def import_compose(
    paths: Sequence[Path],
    *,
    as_is: bool = False,
    name: str | None = None,
    env_file: Path | None = None,
    output: str = "profile.yml",
    output_dir: Path | None = None,
) -> Imported:
    """Turn compose files (merged like ``docker compose -f a -f b``) into a profile.

    Args:
        paths: compose files, in ``-f`` order.
        as_is: switch every stackgen policy off, so the profile renders the original exactly.
        name: the profile (project) name; default: the files' ``name``, else the first
            file's directory, as compose names a project.
        env_file: the project's variables: a ``${VAR}`` they set is written as its value,
            but for secret-named ones (:mod:`stackgen.importing.variables`); default: ``.env`` beside the first file,
            if any.
        output: how the profile is named in messages about it.
        output_dir: the folder the profile is written to (default: ``output``'s folder);
            relative host paths, relative to the first file's folder in compose, are written
            relative to it (:func:`stackgen.compose.paths.rebase`), so they reach the same files.

    Returns:
        The :class:`Imported` profile, proven to load, plan and render.

    Raises:
        InputError: no file; a ``name`` that is not valid UTF-8; unreadable or invalid input; a top-level key or value a
            profile cannot carry (top-level ``models``, an ``external`` secret; a service
            without image or build, as an override file imported alone); a profile the plan
            rejects, pointed at the compose file and line it came from.
    """
    if not paths:
        raise InputError.single("<arguments>", 0, 0, "", "import needs at least one compose file")
    if name is not None:
        require_utf8(name, "<--name>", "name")
    source, warnings = read_sources(paths)
    if env_file is None and (paths[0].parent / ".env").is_file():
        env_file = paths[0].parent / ".env"
    env = parse_env_file(env_file) if env_file is not None else {}
    ctx = ImportContext(source, env, [])
    folder = Path(output).parent if output_dir is None else output_dir
    # the .env's values go into the profile (the rendered file has no .env beside it), but
    # for secret-named variables: the profile is committed, so those stay references
    public = public_env(env)
    resolved = resolve_values(fill_bare_names(source.data or {}, public, escape=True), public)
    if env_file is not None:
        # x- keys are dropped from the profile: only what it keeps counts
        written = {k: v for k, v in (source.data or {}).items() if k[:2] != "x-"}
        warnings += kept_secrets_note(source, written, env, str(env_file))
    data: dict[str, Any] = rebase(resolved, paths[0].parent, folder)
    for key in data:
        if key not in _TOP_LEVEL and key not in _DROPPED_TOP_LEVEL and not key.startswith("x-"):
            ctx.error((key,), f"top-level {key!r} cannot be carried by a profile")
    services: dict[str, Any] = {}
    for sname, spec in (data.get("services") or {}).items():
        spec = spec or {}
        if "image" not in spec and "build" not in spec:
            ctx.error(
                ("services", sname),
                "has neither image nor build (docker compose rejects that too); if this file "
                "is an override or a base for extends, import it with the file that completes "
                "it (stackgen import base.yml override.yml)",
            )
        services[sname] = import_service(ctx, sname, spec)
    top_level = {
        key: import_top_level(ctx, key, data[key])
        for key in ("volumes", "networks", "secrets", "configs")
        if data.get(key)
    }
    if ctx.errors:
        raise InputError(ctx.errors)
    warnings += ctx.warnings + profiles_note(source, data.get("services") or {}, env)
    for sname in _waited_to_complete(data.get("services") or {}):
        if sname in services:
            # a job others wait for: no restart from defaults, no catalog probe (plan)
            services[sname]["one_shot"] = True

    policies = dict(AS_IS_POLICIES if as_is else IMPORT_POLICIES)
    if as_is and "name" in data:
        # the original states its name: so does the render (a name from the .env stays there)
        policies["project_name"] = True
    profile: dict[str, Any] = {
        "name": _project_name(data, paths[0], name, env),
        "policies": policies,
    }
    port = None if as_is else _kafka_port(services, env)
    if port is not None:
        profile["kafka"] = {"listeners": {"internal_port": port}}
    profile["services"] = services
    profile.update(top_level)
    head = header([str(p) for p in paths], as_is=as_is)
    text = head + dump_yaml(profile)
    proof = prove(text, output, source)
    if proof.refused and as_is:
        # --as-is renders back to the original, faults included: each is silenced, named
        left = keep_as_imported(profile, proof.refused)
        text = head + dump_yaml(profile)
        kept = [f for f in proof.refused if f not in left]
        proof = prove(text, output, source)
        warnings += notes(kept, output, source, kept=True)
    warnings += proof.warnings + notes(proof.refused, output, source, kept=False)
    return Imported(text, profile, tuple(warnings))


def _waited_to_complete(services: Mapping[str, Any]) -> list[str]:
    """Services another service waits for with ``condition: service_completed_successfully``
    (one-shot jobs), in file order."""
    waited: set[str] = set()
    for spec in services.values():
        depends = (spec or {}).get("depends_on")
        if isinstance(depends, dict):
            waited |= {
                str(dep)
                for dep, cond in depends.items()
                if isinstance(cond, dict)
                and cond.get("condition") == "service_completed_successfully"
            }
    return [name for name in services if name in waited]

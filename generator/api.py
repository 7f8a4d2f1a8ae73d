"""The library API behind the CLI: render profiles, check committed output.

Nothing here prints or exits; results are values, problems are exceptions from
:mod:`stackgen.errors`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Diagnostic, InputError
from .gcpause import paused
from .graph import StartupGraph, startup_graph
from .output.writer import read_existing
from .profile.load import display_name, load_profile
from .targets.compose.render import render
from .targets.compose.target import compose_document

if TYPE_CHECKING:
    from .diff.pipeline import DiffResult
    from .importing.importer import Imported
    from .lint.check import CheckResult


@dataclass(frozen=True)
class Rendered:
    """One rendered profile.

    Attributes:
        profile: the profile file.
        text: the compose file text.
        data: the compose mapping the text parses to.
        warnings: non-fatal diagnostics.
        sensitive: env names the profile marks as secret (masked in diff reports).
        policy: dotted compose path → why a stackgen policy (not the profile) put the value
            there (:attr:`stackgen.plan.model.Stack.policy`).
    """

    profile: Path
    text: str
    data: dict[str, Any]
    warnings: tuple[Diagnostic, ...]
    sensitive: tuple[str, ...] = ()
    policy: dict[str, str] = field(default_factory=dict)


@paused()  # builds large graphs that all stay alive: see gcpause
def render_profile(
    path: Path, *, sets: list[str] | None = None, templates: Path | None = None
) -> Rendered:
    """Load, plan and render one profile, in memory.

    Args:
        path: the profile file.
        sets: ``--set path.to.key=value`` overrides.
        templates: optional user template directory.

    Raises:
        InputError: invalid profile (all problems, each with file:line:col).
        TemplateError, InternalError: see :func:`stackgen.targets.compose.render.render`.
    """
    loaded = load_profile(path, sets)
    sensitive = tuple(loaded.profile.sensitive)
    stack = compose_document(loaded, source=display_name(path), templates=templates)
    # the profile's data, positions and model are not needed past planning: free them before
    # the text is rendered and read back (peak memory on large stacks)
    del loaded
    text = render(stack, templates)
    # render() has proved the text reads back as exactly this mapping: no second parse
    data = stack.to_compose()
    return Rendered(path, text, data, stack.warnings, sensitive, stack.policy)


def default_output(path: Path) -> Path:
    """``out/<profile file stem>/compose.yml`` (relative to the working directory)."""
    return Path("out") / path.stem / "compose.yml"


def output_targets(profiles: list[Path], output: str | None) -> list[Path | None]:
    """Where each profile's compose file goes: ``output`` (None for ``-``, stdout) or
    :func:`default_output`.

    Raises:
        InputError: ``-o`` with several profiles, or two profiles that would write one file
            (``a/x.yml`` and ``b/x.yml`` both go to ``out/x/compose.yml``).
    """
    if output is not None and len(profiles) > 1:
        raise InputError.single(
            "<command line>", 0, 0, "--output", "-o takes one profile; omit it to render several"
        )
    if output is not None:
        return [None if output == "-" else Path(output)]
    targets: list[Path | None] = []
    seen: dict[Path, Path] = {}
    for profile in profiles:
        target = default_output(profile)
        if target in seen and seen[target].resolve() != profile.resolve():
            raise InputError.single(
                str(profile),
                0,
                0,
                "",
                f"would write {target.as_posix()}, as {seen[target]} does; "
                "render them in separate calls with -o",
            )
        seen[target] = profile
        targets.append(target)
    return targets


def staleness(rendered: Rendered, output: Path) -> str | None:
    """``"missing"`` or ``"stale"`` when ``output`` does not hold exactly ``rendered.text``,
    else None."""
    existing = read_existing(output)
    if existing is None:
        return "missing"
    return None if existing == rendered.text else "stale"


def read_stack(
    paths: list[Path],
    *,
    input_type: str = "auto",
    env_file: Path | None = None,
    sets: list[str] | None = None,
) -> tuple[dict[str, Any], tuple[Diagnostic, ...]]:
    """The canonical compose mapping of a profile (rendered in memory) or of compose files
    (merged like ``docker compose -f a -f b``).

    Args:
        paths: one profile, or one or more compose files.
        input_type: ``auto`` (detected as ``stackgen diff`` detects LEFT, see
            ``docs/diff.md``), ``profile`` or ``compose``; several files are compose files.
        env_file: ``.env`` file for ``${VAR}`` in compose files (None keeps them literally).
        sets: ``--set`` overrides for a profile.

    Returns:
        ``(mapping, warnings)``; the mapping is in :func:`stackgen.diff.normalise.normalise` form.

    Raises:
        InputError: no file, several profiles, ``sets`` with compose files, an unreadable or
            invalid profile or compose file.
    """
    # the diff and compose-reading stages load only when a command needs them
    from .compose.envfile import parse_env_file
    from .compose.reader import compose_view
    from .compose.validate import read_model
    from .diff.inputs import detect_left
    from .diff.normalise import normalise

    if not paths:
        raise InputError.single("<arguments>", 0, 0, "", "give a profile or compose file(s)")
    kind = detect_left(paths[0], input_type).kind if len(paths) == 1 else "compose"
    env = parse_env_file(env_file) if env_file is not None else None
    if kind == "profile" and len(paths) == 1:
        rendered = render_profile(paths[0], sets=sets)
        # as diff reads a profile: the compose view of the rendered mapping
        data, found = compose_view(rendered.data, str(paths[0]), env)
        return normalise(data).data, (*rendered.warnings, *found)
    if input_type == "profile":
        raise InputError.single("<arguments>", 0, 0, "", "give one profile at a time")
    if sets:
        raise InputError.single(
            "<--set>", 0, 0, "", "--set applies to a profile, not compose files"
        )
    model, warnings = read_model(paths, env, side="input")
    return normalise(model.data).data, tuple(warnings)


def graph_of(
    paths: list[Path],
    *,
    input_type: str = "auto",
    env_file: Path | None = None,
    sets: list[str] | None = None,
) -> tuple[StartupGraph, tuple[Diagnostic, ...]]:
    """The startup graph of a profile or of compose files (arguments and errors as
    :func:`read_stack`); returns ``(graph, warnings)``."""
    data, warnings = read_stack(paths, input_type=input_type, env_file=env_file, sets=sets)
    return startup_graph(data), warnings


def diff(
    left: Path | Sequence[Path],
    rights: Sequence[Path],
    *,
    env_file: Path | None = None,
    ignore: Sequence[str] = (),
    fail_on: Iterable[str] | None = None,
    sets: Sequence[str] = (),
    left_type: str = "auto",
    right_type: str = "auto",
    accepted_file: Path | None = None,
    use_accepted: bool = True,
    today: date | None = None,
) -> DiffResult:
    """Compare LEFT with RIGHT, each a profile (rendered in memory, compose overrides after
    it), compose files merged like ``docker compose -f``, or ``/dev/null``; arguments, result
    and errors as :func:`stackgen.diff.pipeline.diff`."""
    from .diff.pipeline import diff as run_diff

    return run_diff(
        left,
        rights,
        env_file=env_file,
        ignore=ignore,
        fail_on=fail_on,
        sets=sets,
        left_type=left_type,
        right_type=right_type,
        accepted_file=accepted_file,
        use_accepted=use_accepted,
        today=today,
        render_profile=render_profile,
    )


def check(
    files: list[Path], *, env_file: Path | None = None, input_type: str = "auto"
) -> CheckResult:
    """Lint profiles and compose files (``stackgen check``); arguments, result and errors as
    :func:`stackgen.lint.check.check`."""
    from .lint.check import check as run_check

    return run_check(files, env_file=env_file, input_type=input_type)


def import_compose(
    files: list[Path],
    *,
    as_is: bool = False,
    name: str | None = None,
    env_file: Path | None = None,
    output: str = "profile.yml",
) -> Imported:
    """Compose files → a profile (``stackgen import``); arguments, result and errors as
    :func:`stackgen.importing.importer.import_compose`."""
    from .importing.importer import import_compose as run_import

    return run_import(files, as_is=as_is, name=name, env_file=env_file, output=output)


def new_profile(name: str, example: str = "minimal") -> str:
    """The text of a new profile ``name`` copied from an example (``stackgen init``; see
    :func:`stackgen.scaffold.scaffold`)."""
    from .scaffold import scaffold

    return scaffold(name, example)


def new_overlay(name: str, base: Path, folder: Path) -> str:
    """The text of a minimal overlay profile ``name`` extending ``base`` (``stackgen init
    --extends``; see :func:`stackgen.scaffold.overlay`)."""
    from .scaffold import overlay

    return overlay(name, base, folder)


def profile_schema() -> str:
    """The profile's JSON Schema as text (``stackgen schema``; see
    :func:`stackgen.profile.jsonschema.schema_text`)."""
    from .profile.jsonschema import schema_text

    return schema_text()

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
from .output.placement import default_output as default_output
from .output.placement import output_dir as output_dir
from .output.placement import staleness as staleness
from .output.placement import target_outputs as target_outputs
from .plan.expand import expand
from .plan.planner import plan
from .profile.kubernetes import TargetName
from .profile.load import display_name, load_profile
from .targets.compose.render import render, render_read_back
from .targets.compose.target import checked_document, compose_document
from .timeline import Timeline, compose_first_starts, profile_first_starts, timeline
from .yamlio.nodes import Document

if TYPE_CHECKING:
    from .diff.pipeline import DiffResult
    from .graph import StartupGraph
    from .importing.importer import Imported
    from .lint.check import CheckResult
    from .targets.kubernetes.report import Report as KubernetesReport


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
            there (:attr:`stackgen.targets.compose.document.ComposeDocument.policy`).
        doc: the parse of ``text`` that proved it, with positions (marks name ``file``),
            when :func:`render_profile` was asked for them; else None.
    """

    profile: Path
    text: str
    data: dict[str, Any]
    warnings: tuple[Diagnostic, ...]
    sensitive: tuple[str, ...] = ()
    policy: dict[str, str] = field(default_factory=dict)
    doc: Document | None = field(default=None, compare=False, repr=False)


@paused()  # builds large graphs that all stay alive: see gcpause
def render_profile(
    path: Path,
    *,
    sets: list[str] | None = None,
    templates: Path | None = None,
    lint: bool = True,
    output_dir: Path | None = None,
    parsed: Document | None = None,
    positions: str | None = None,
) -> Rendered:
    """Load, plan, lint and render one profile, in memory.

    Args:
        path: the profile file.
        sets: ``--set path.to.key=value`` overrides.
        templates: optional user template directory.
        lint: run the rule set on the planned stack (``docs/check.md``): an error-level
            finding refuses the render, warnings join :attr:`Rendered.warnings`. ``diff``
            and ``graph`` read a profile without it (they report, they do not write).
        output_dir: the folder the compose file is written to (stdout: the working
            directory, where ``docker compose -f -`` resolves paths); relative host paths are
            written relative to it. None: the profile's folder (paths as the profile states
            them).
        parsed: the profile file as already parsed (``diff`` and ``graph`` parse it to tell
            a profile from a compose file): not read again.
        positions: keep the parse that proved the text, with positions whose marks name this
            file (:attr:`Rendered.doc`; ``diff`` reports changes at lines of the rendered
            file): the text is parsed once either way.

    Raises:
        InputError: invalid profile (all problems, each with file:line:col), or, with
            ``lint``, every error-level finding (``message; fix: hint (rule-id)``).
        TemplateError, InternalError: see :func:`stackgen.targets.compose.render.render`.
    """
    from .lint.gate import gate, profile_findings  # lint.check imports this module

    loaded = expand(load_profile(path, sets, parsed=parsed))
    sensitive = tuple(loaded.profile.sensitive)
    stack = compose_document(
        loaded, source=display_name(path), templates=templates, output_dir=output_dir
    )
    found: tuple[Diagnostic, ...] = ()
    if lint:
        found = gate(profile_findings(loaded, stack)[0])
    # the profile's data, positions and model are not needed past planning: free them before
    # the text is rendered and read back (peak memory on large stacks)
    del loaded
    doc: Document | None = None
    if positions is None:
        text = render(stack, templates)
    else:
        text, doc = render_read_back(stack, templates, file=positions)
    # the text is proved to read back as exactly this mapping: no second parse
    data = stack.to_compose()
    warnings = (*stack.warnings, *found)
    if templates is not None:
        from .targets.compose.template_names import unused_templates

        warnings = (*unused_templates(templates), *warnings)
    return Rendered(path, text, data, warnings, sensitive, stack.policy, doc)


@paused()  # builds large graphs that all stay alive: see gcpause
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
    found = detect_left(paths[0], input_type) if len(paths) == 1 else None
    kind = found.kind if found is not None else "compose"
    env = parse_env_file(env_file) if env_file is not None else None
    if kind == "profile" and found is not None:
        rendered = render_profile(paths[0], sets=sets, parsed=found.doc, lint=False)
        # as diff reads a profile: the compose view of the rendered file ($$ is $)
        data, seen = compose_view(rendered.data, str(paths[0]), env)
        return normalise(data).data, (*rendered.warnings, *seen)
    if input_type == "profile":
        raise InputError.single("<arguments>", 0, 0, "", "give one profile at a time")
    if sets:
        raise InputError.single(
            "<--set>", 0, 0, "", "--set applies to a profile, not compose files"
        )
    model, warnings = read_model(
        paths, env, side="input", parsed=found.doc if found is not None else None
    )
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
    from .graph import startup_graph  # stackgen graph alone needs it (render start-up)

    data, warnings = read_stack(paths, input_type=input_type, env_file=env_file, sets=sets)
    return startup_graph(data), warnings


def timeline_of(
    paths: list[Path],
    *,
    input_type: str = "auto",
    env_file: Path | None = None,
    sets: list[str] | None = None,
) -> tuple[Timeline, tuple[Diagnostic, ...]]:
    """The worst-case startup timeline of a profile (its declared first starts, else its
    kinds' defaults) or of compose files (their images' kinds' defaults); arguments and errors
    as :func:`read_stack`. Returns ``(timeline, warnings)``
    (:mod:`stackgen.timeline`)."""
    from .diff.inputs import detect_left

    found = detect_left(paths[0], input_type) if len(paths) == 1 else None
    if found is not None and found.kind == "profile":
        loaded = expand(load_profile(paths[0], sets, parsed=found.doc))
        stack = compose_document(loaded, source=display_name(paths[0]))
        line = timeline(stack.to_compose(), profile_first_starts(loaded.profile))
        return line, stack.warnings
    data, warnings = read_stack(paths, input_type=input_type, env_file=env_file, sets=sets)
    return timeline(data, compose_first_starts(data)), warnings


@dataclass(frozen=True)
class TargetOutput:
    """One target rendered for one profile.

    Attributes:
        profile: the profile file.
        target: ``compose`` or ``kubernetes``.
        text: the file text (proved as README "What is proved at run time" says).
        warnings: the plan's non-fatal diagnostics (the same for every target of a profile).
        report: the Kubernetes translation report (None for compose).
    """

    profile: Path
    target: TargetName
    text: str
    warnings: tuple[Diagnostic, ...]
    report: KubernetesReport | None = None


@paused()  # builds large graphs that all stay alive: see gcpause
def render_targets(
    path: Path,
    *,
    target: TargetName | None = None,
    first_only: bool = False,
    sets: list[str] | None = None,
    templates: Path | None = None,
    output_dir: Path | None = None,
) -> list[TargetOutput]:
    """Load and plan one profile once, then render ``target``, or every target the profile's
    ``targets:`` lists (compose when it lists none; only the first with ``first_only``, as
    ``-o`` writes one file), in memory. ``output_dir`` as for :func:`render_profile`.

    Raises:
        InputError: invalid profile, or input a target cannot carry (all problems, positioned).
        TemplateError, InternalError: a compose template failed; a rendered file failed its
            own proof (a bug).
    """
    from .lint.gate import gate, profile_findings  # lint.check imports this module

    loaded = expand(load_profile(path, sets))
    chosen: list[TargetName] = [target] if target else list(dict.fromkeys(loaded.profile.targets))
    if first_only:
        chosen = chosen[:1]
    stack = plan(loaded, source=display_name(path), templates=templates, output_dir=output_dir)
    document = checked_document(loaded, stack)
    # the rule set gates every target: an error-level finding refuses the render
    warnings = (*stack.warnings, *gate(profile_findings(loaded, document)[0]))
    if templates is not None:
        from .targets.compose.template_names import unused_templates

        warnings = (*unused_templates(templates), *warnings)
    out: list[TargetOutput] = []
    for name in chosen:
        if name == "compose":
            out.append(TargetOutput(path, name, render(document, templates), warnings))
        else:
            # imported here: a compose-only render loads none of the Kubernetes target
            from .targets.kubernetes.target import render_kubernetes

            kube = render_kubernetes(loaded, stack)
            out.append(TargetOutput(path, name, kube.text, warnings, kube.report))
    return out


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
    output_dir: Path | None = None,
) -> Imported:
    """Compose files → a profile (``stackgen import``); arguments, result and errors as
    :func:`stackgen.importing.importer.import_compose`."""
    from .importing.importer import import_compose as run_import

    return run_import(
        files, as_is=as_is, name=name, env_file=env_file, output=output, output_dir=output_dir
    )


def new_profile(name: str, example: str = "minimal", targets: tuple[str, ...] = ()) -> str:
    """The text of a new profile ``name`` copied from an example (``stackgen init``; see
    :func:`stackgen.scaffold.scaffold`); ``targets`` are the output targets it lists."""
    from .scaffold import scaffold

    return scaffold(name, example, targets)


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

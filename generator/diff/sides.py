"""Reading one side of a diff: a profile (rendered in memory), compose files, or nothing.

A side is a list of files merged like ``docker compose -f a -f b``. Its first file decides
what the side is:

* ``/dev/null`` (:data:`os.devnull`): an empty side (no services), as ``git diff`` shows a
  new file, so everything on the other side is an addition;
* a stackgen profile: rendered in memory (``--set`` applies to it); later files are compose
  overrides merged on top of the rendered file;
* a compose file: every file is checked and validated (:func:`stackgen.compose.validate.read_model`).

How the first file is judged is :func:`stackgen.diff.inputs.detect_left` for LEFT. A RIGHT is read
as a profile only when that is certain (a form only a profile has, or valid only as a profile)
or when it is the very file LEFT was read from as a profile; a RIGHT valid as both stays a
compose file whatever its name (``docs/diff.md``, *Profile or compose file?*).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from ..compose.merge import Sourced, merge_files
from ..compose.reader import read_compose_doc
from ..compose.validate import read_model
from ..errors import Diagnostic, InputError, InternalError
from ..yamlio.nodes import Document
from .inputs import _ambiguity_warning, detect_left

#: the name of an empty side
EMPTY = os.devnull
#: how a profile's rendered text is named in change positions (its lines are the rendered
#: file's, not the profile's)
RENDERED = "{} (rendered)"


class RenderedProfile(Protocol):
    """What the diff reads of a profile rendered in memory (:class:`stackgen.api.Rendered`)."""

    @property
    def text(self) -> str:
        """The compose text."""

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        """Non-fatal diagnostics of the render."""

    @property
    def sensitive(self) -> tuple[str, ...]:
        """Env names the profile marks as secret."""

    @property
    def policy(self) -> Mapping[str, str]:
        """Dotted compose path → why a stackgen policy put the value there."""

    @property
    def doc(self) -> Document | None:
        """The parse that proved the text, with positions (asked for with ``positions``)."""


class RenderProfile(Protocol):
    """Renders one profile in memory (:func:`stackgen.api.render_profile`)."""

    def __call__(
        self,
        path: Path,
        *,
        sets: list[str] | None = None,
        parsed: Document | None = None,
        lint: bool = True,
        positions: str | None = None,
    ) -> RenderedProfile:
        """The rendered profile ``path`` with ``--set`` overrides ``sets``; ``parsed`` is the
        file as already parsed (not read again); ``lint``: refuse on the rule set's errors,
        as ``render`` does (diff passes False: it reports); ``positions``: keep the proving
        parse with marks naming this file."""


@dataclass(frozen=True)
class Side:
    """One side of a diff, read.

    Attributes:
        model: the effective compose mapping with positions.
        kind: ``profile``, ``compose`` or ``empty``.
        names: the files as the user named them, in merge order.
        warnings: non-fatal diagnostics.
        sensitive: env names a profile marks as secret.
        policy: dotted compose path → the stackgen policy that put the value there (profile).
    """

    model: Sourced
    kind: str
    names: tuple[str, ...]
    warnings: tuple[Diagnostic, ...] = ()
    sensitive: frozenset[str] = frozenset()
    policy: Mapping[str, str] = field(default_factory=dict)


def is_empty_side(paths: Sequence[Path]) -> bool:
    """Whether ``paths`` is the empty side: exactly ``/dev/null``."""
    return len(paths) == 1 and str(paths[0]) == EMPTY


def empty_side() -> Side:
    """A side with no services (``/dev/null``)."""
    return Side(Sourced({"services": {}}, {}, EMPTY), "empty", (EMPTY,))


def render_side(
    profile: Path,
    overrides: Sequence[Path],
    *,
    env: dict[str, str] | None,
    sets: Sequence[str],
    role: str,
    render: RenderProfile,
    parsed: Document | None = None,
) -> Side:
    """A profile rendered in memory, compose ``overrides`` merged on top.

    Args:
        profile: the profile file.
        overrides: compose files merged after it (``-f`` order).
        env: ``--env-file`` variables (None keeps ``${VAR}`` literally).
        sets: ``--set`` overrides for the profile.
        role: ``LEFT`` or ``RIGHT`` (messages).
        render: renders the profile (:func:`stackgen.api.render_profile`, passed in: the diff
            stage does not import the orchestrator above it).
        parsed: the profile file as already parsed (detecting its type): not read again.

    Raises:
        InputError: an invalid profile or override file.
    """
    name = str(profile) if role == "LEFT" else RENDERED.format(profile)
    # the parse that proved the rendered text, with positions: the text is not read again
    rendered = render(profile, sets=list(sets), parsed=parsed, lint=False, positions=name)
    if rendered.doc is None:
        raise InternalError("a profile rendered for diff came back without its parse")
    source, found = read_compose_doc(rendered.doc, env=env)
    warnings = [*rendered.warnings, *found]
    files = [source]
    if overrides:
        merged, more = read_model(overrides, env, side=role, first_is_base=False)
        files.append(merged)
        warnings.extend(more)
    model, more = merge_files(files)
    warnings.extend(more)
    return Side(
        model,
        "profile",
        (str(profile), *map(str, overrides)),
        tuple(warnings),
        frozenset(rendered.sensitive),
        rendered.policy,
    )


def compose_side(
    paths: Sequence[Path], env: dict[str, str] | None, role: str, parsed: Document | None = None
) -> Side:
    """Compose files, checked and merged (:func:`stackgen.compose.validate.read_model`);
    ``parsed`` is the first file as already parsed (detecting its type): not read again."""
    model, found = read_model(paths, env, side=role, parsed=parsed)
    return Side(model, "compose", tuple(map(str, paths)), tuple(found))


def _same_file(a: Path, b: Path) -> bool:
    return a.exists() and b.exists() and a.resolve() == b.resolve()


def read_left(
    paths: Sequence[Path],
    *,
    kind: str,
    env: dict[str, str] | None,
    sets: Sequence[str],
    render: RenderProfile,
) -> Side:
    """Read LEFT: its first file judged by :func:`stackgen.diff.inputs.detect_left` (``kind``:
    ``auto``, ``profile`` or ``compose``).

    Raises:
        InputError: unreadable or invalid input; ``--set`` with a LEFT that is not a profile.
    """
    if is_empty_side(paths):
        side = empty_side()
    else:
        found = detect_left(paths[0], kind)
        if found.kind == "profile":
            side = render_side(
                paths[0],
                paths[1:],
                env=env,
                sets=sets,
                role="LEFT",
                render=render,
                parsed=found.doc,
            )
        else:
            side = compose_side(paths, env, "LEFT", found.doc)
        if found.ambiguous:
            warning = _ambiguity_warning(paths[0])
            side = replace(side, warnings=(warning, *side.warnings))
    if sets and side.kind != "profile":
        raise InputError.single(
            "<--set>", 0, 0, "", f"--set applies to a profile; {paths[0]} is a compose file"
        )
    return side


def read_right(
    paths: Sequence[Path],
    *,
    kind: str,
    env: dict[str, str] | None,
    left: Sequence[Path],
    left_side: Side,
    render: RenderProfile,
) -> Side:
    """Read RIGHT: compose files, unless ``kind`` says otherwise or its first file certainly
    is a profile (a form only a profile has, valid only as a profile, or LEFT's own profile
    file again). Deciding costs nothing when RIGHT reads as compose.

    Raises:
        InputError: unreadable or invalid input; a profile that is not RIGHT's first file.
    """
    if is_empty_side(paths):
        return empty_side()
    if kind == "profile" or (
        kind == "auto" and left_side.kind == "profile" and _same_file(paths[0], left[0])
    ):
        return render_side(paths[0], paths[1:], env=env, sets=(), role="RIGHT", render=render)
    if kind == "compose":
        return compose_side(paths, env, "RIGHT")
    try:
        return compose_side(paths, env, "RIGHT")
    except InputError as original:
        # only on failure: judging costs a profile load
        try:
            found = detect_left(paths[0])
        except InputError:
            raise original from None
        if found.kind == "profile" and not found.ambiguous:
            return render_side(
                paths[0], paths[1:], env=env, sets=(), role="RIGHT", render=render, parsed=found.doc
            )
        raise

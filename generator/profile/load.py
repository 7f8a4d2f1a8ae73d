"""Loading a profile: read the extends chain, apply --set, validate into the models."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import (
    ValidationError,
)

from ..errors import Diagnostic, InputError
from ..yamlio.loader import load_text
from ..yamlio.nodes import Document
from .diagnostics import (
    _bad_service_names,
    _set_on_missing_service,
    _unknown_service_keys,
    validation_diagnostics,
)
from .models import Profile
from .overlay import Overlay, _restore_text, parse_set, read_chain
from .passthrough import passthrough_problems


@dataclass(frozen=True)
class LoadedProfile:
    """A validated profile with where each value came from.

    Attributes:
        profile: the model.
        source: merged data and marks (file:line:col of each value after overlays).
        path: the profile file as given.
    """

    profile: Profile
    source: Document
    path: Path


def load_profile(
    path: Path, sets: list[str] | None = None, *, parsed: Document | None = None
) -> LoadedProfile:
    """Load, overlay and validate a profile.

    Args:
        path: the profile file.
        sets: ``--set path.to.key=value`` overrides, applied in order after ``extends``.
        parsed: ``path`` as the caller has parsed it already
            (:func:`stackgen.yamlio.loader.load_file`): not read again, and left unchanged.

    Returns:
        The :class:`LoadedProfile`.

    Raises:
        InputError: every validation problem, each as ``file:line:col: path: message``.
    """
    return _validated(read_chain(path, parsed=parsed), path, sets)


def load_profile_text(text: str, display: str, *, limits: bool = True) -> LoadedProfile:
    """Validate a profile held in memory (no ``extends``: nothing to read it relative to).

    Args:
        text: the profile YAML.
        display: its name in marks and messages.
        limits: the input limits apply (off for a profile stackgen wrote itself from an
            input that was within them: ``import`` adds a few nodes to the largest one).

    Raises:
        InputError: as :func:`load_profile`, or ``extends`` given.
    """
    doc = load_text(text, display, limits=limits)
    if not isinstance(doc.data, dict):
        raise InputError.single(display, 1, 1, "", "a profile must be a mapping")
    if "extends" in doc.data:
        mark = doc.mark(("extends",))
        raise InputError.single(
            mark.file, mark.line, mark.col, "extends", "not available for a profile in memory"
        )
    return _validated(doc, Path(display), None)


def _validated(doc: Document, path: Path, sets: list[str] | None) -> LoadedProfile:
    problems: list[Diagnostic] = []
    if sets:
        # one overlay for all of them: each --set costs its own size, not the profile's
        merger = Overlay(doc, keep_merged_marks=True)
        for i, expr in enumerate(sets):
            try:
                override = parse_set(expr, i)
            except InputError as exc:
                problems += exc.diagnostics  # every --set mistake at once
                continue
            missing = _set_on_missing_service(merger.data, override)
            if missing:
                problems.append(missing)
                continue
            merger.apply(override)
        doc = merger.document()
    doc = _restore_text(doc)
    problems += _unknown_service_keys(doc) + _bad_service_names(doc)
    try:
        model = Profile.model_validate(doc.data)
    except ValidationError as exc:
        problems += validation_diagnostics(exc, doc)
    if problems:
        # the pass-through keys' schema problems too, so one run shows them all
        known = {(d.line, d.col, d.path) for d in problems}
        problems += [d for d in passthrough_problems(doc) if (d.line, d.col, d.path) not in known]
        raise InputError(problems)
    return LoadedProfile(profile=model, source=doc, path=path)


def display_name(path: Path) -> str:
    """How a profile is named in headers: relative to the working directory when inside it,
    else its file name, so output does not depend on where the checkout lives."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.name

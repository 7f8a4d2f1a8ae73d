"""The diff pipeline's entry point: read → merge → normalise → compare → filter.

LEFT is a stackgen profile or a compose file. The rule (:func:`is_profile`): a YAML mapping is
a compose file when every top-level key is one the compose spec defines (``version``,
``name``, ``services``, ``networks``, ``volumes``, ``secrets``, ``configs``, ``include``,
``models``) or an ``x-`` extension, and no service has a ``kind``; anything else (e.g. a
``defaults``, ``domains``, ``retention``, ``kafka``, ``extends`` or ``sensitive`` key) is a
profile, rendered in memory with :func:`stackgen.api.render_profile`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from .drift import CATEGORIES, Change, Drift, compare, without
from .errors import Diagnostic, InputError
from .loader import load_file
from .merge import Sourced, merge_files
from .normalise import normalise
from .reader import parse_env_file, read_compose, read_compose_text

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


@dataclass(frozen=True)
class DiffResult:
    """What ``stackgen diff`` found.

    Attributes:
        left: LEFT as named by the user.
        rights: the RIGHT files as named, in ``-f`` order.
        drift: the changes after ``--ignore``.
        warnings: non-fatal diagnostics (unset variables, B27 null overrides, profile
            warnings); the CLI prints them on stderr.
        fail_on: categories that make the exit code 1 (None: every category).
        sensitive: env names LEFT's profile marks as secret (masked in reports).
    """

    left: str
    rights: tuple[str, ...]
    drift: Drift
    warnings: tuple[Diagnostic, ...] = ()
    fail_on: frozenset[str] | None = None
    sensitive: frozenset[str] = frozenset()

    @property
    def changes(self) -> tuple[Change, ...]:
        """The changes (shortcut for ``drift.changes``)."""
        return self.drift.changes

    @property
    def exit_code(self) -> int:
        """0 when no change falls in ``fail_on`` (all categories when None), else 1."""
        failing = [c for c in self.changes if self.fail_on is None or c.category in self.fail_on]
        return 1 if failing else 0


def parse_categories(text: str, source: str = "<--fail-on>") -> frozenset[str]:
    """``"readiness,restart"`` → a set of categories.

    Raises:
        InputError: an unknown category (the message lists the known ones).
    """
    names = {part.strip() for part in text.split(",") if part.strip()}
    unknown = sorted(names - set(CATEGORIES))
    if unknown:
        raise InputError.single(
            source, 0, 0, "", f"unknown category {', '.join(unknown)}; use {', '.join(CATEGORIES)}"
        )
    return frozenset(names)


def is_profile(path: Path) -> bool:
    """Whether ``path`` holds a stackgen profile rather than a compose file (rule above).

    Raises:
        InputError: unreadable file or invalid YAML.
    """
    data = load_file(path).data
    if not isinstance(data, dict):
        return False
    if any(key not in COMPOSE_TOP_LEVEL and not key.startswith("x-") for key in data):
        return True
    services = data.get("services")
    return isinstance(services, dict) and any(
        isinstance(spec, dict) and "kind" in spec for spec in services.values()
    )


def read_model(
    paths: Sequence[Path], env: dict[str, str] | None = None
) -> tuple[Sourced, list[Diagnostic]]:
    """Read compose files and merge them like ``docker compose -f a -f b``.

    Returns:
        The effective model with positions, and warnings.

    Raises:
        InputError: see :func:`stackgen.reader.read_compose`.
    """
    files: list[Sourced] = []
    warnings: list[Diagnostic] = []
    for path in paths:
        source, found = read_compose(path, env=env)
        files.append(source)
        warnings.extend(found)
    merged, found = merge_files(files)
    return merged, warnings + found


def _ancestors(path: str) -> list[str]:
    cuts = [m.start() for m in re.finditer(r"[.\[]", path)]
    return [path[:cut] for cut in cuts] + [path]


def ignored(change: Change, patterns: Iterable[str]) -> bool:
    """True when ``change.path`` or one of its ancestors matches a glob (``services.*.labels``)."""
    return any(fnmatchcase(p, pat) for pat in patterns for p in _ancestors(change.path))


def diff(
    left: Path,
    rights: list[Path],
    *,
    env_file: Path | None = None,
    ignore: Sequence[str] = (),
    fail_on: Iterable[str] | None = None,
    sets: Sequence[str] = (),
) -> DiffResult:
    """Compare LEFT (profile or compose file) with RIGHT (one or more compose files, merged).

    Args:
        left: a profile (rendered in memory) or a compose file.
        rights: compose files, merged in order.
        env_file: ``.env`` file for ``${VAR}`` interpolation of compose files (None: keep
            references literally).
        ignore: dotted-path globs of changes to leave out (``services.*.labels``).
        fail_on: categories that make :attr:`DiffResult.exit_code` 1 (None: all).
        sets: ``--set key=value`` overrides for a profile LEFT.

    Returns:
        The :class:`DiffResult`.

    Raises:
        InputError: unreadable or invalid input, unknown ``fail_on`` category, ``sets`` with
            a compose LEFT, no RIGHT file.
    """
    if not rights:
        raise InputError.single("<arguments>", 0, 0, "", "diff needs at least one RIGHT file")
    categories = None if fail_on is None else frozenset(fail_on)
    if categories is not None and categories - set(CATEGORIES):
        parse_categories(",".join(categories))
    env = parse_env_file(env_file) if env_file is not None else None
    warnings: list[Diagnostic] = []
    sensitive: frozenset[str] = frozenset()
    if is_profile(left):
        from .api import render_profile  # the render pipeline is only needed for a profile

        rendered = render_profile(left, sets=list(sets))
        left_source, found = read_compose_text(rendered.text, str(left), env=env)
        left_model, merge_found = merge_files([left_source])
        warnings.extend(rendered.warnings)
        warnings.extend(merge_found)
        sensitive = frozenset(rendered.sensitive)
    else:
        if sets:
            raise InputError.single(
                "<--set>", 0, 0, "", f"--set applies to a profile; {left} is a compose file"
            )
        left_model, found = read_model([left], env)
    warnings.extend(found)
    right_model, found = read_model(rights, env)
    warnings.extend(found)
    drift = compare(normalise(left_model.data), normalise(right_model.data), right_model)
    drift = without(drift, lambda change: ignored(change, ignore))
    return DiffResult(
        left=str(left),
        rights=tuple(str(p) for p in rights),
        drift=drift,
        warnings=tuple(warnings),
        fail_on=categories,
        sensitive=sensitive,
    )

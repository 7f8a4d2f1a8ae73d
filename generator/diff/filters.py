"""What a diff reports: --ignore path globs, --fail-on categories, and changes labelled with the stackgen policy that made them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from fnmatch import fnmatchcase

from ..errors import InputError
from .categories import CATEGORIES, CATEGORY_ALIASES
from .compare import Change


def parse_categories(text: str, source: str = "<--fail-on>") -> frozenset[str]:
    """``"readiness,restart"`` → a set of categories.

    Args:
        text: comma-separated category names (spaces around them ignored); ``readiness``
            stands for ``probes,dependencies`` (:data:`stackgen.diff.categories.CATEGORY_ALIASES`).
        source: the name used in messages.

    Returns:
        The categories (never empty).

    Raises:
        InputError: no category (``""``, ``","``) or an unknown one; the message lists the
            known ones.
    """
    names = {part.strip() for part in text.split(",") if part.strip()}
    names = {alias for name in names for alias in CATEGORY_ALIASES.get(name, (name,))}
    unknown = sorted(names - set(CATEGORIES))
    if unknown:
        raise InputError.single(
            source, 0, 0, "", f"unknown category {', '.join(unknown)}; use {_known()}"
        )
    if not names:
        raise InputError.single(
            source, 0, 0, "", f"no category given; use one or more of {_known()}"
        )
    return frozenset(names)


def _known() -> str:
    aliases = "; ".join(f"{k}: {' and '.join(v)}" for k, v in CATEGORY_ALIASES.items())
    return f"{', '.join(CATEGORIES)} ({aliases})"


def _ancestors(path: str) -> list[str]:
    cuts = [m.start() for m in re.finditer(r"[.\[]", path)]
    return [path[:cut] for cut in cuts] + [path]


def _literal_brackets(pattern: str) -> str:
    # `[` and `]` name list entries in paths (`ports[target=80]`): literal, not fnmatch classes
    return re.sub(r"[\[\]]", lambda m: f"[{m.group(0)}]", pattern)


def path_matches(path: str, pattern: str) -> bool:
    """Whether dotted ``path`` matches ``--ignore`` glob ``pattern``: ``fnmatch`` (``*`` also
    matches dots), with ``[`` and ``]`` literal so entry paths can be named
    (``services.web.ports[target=80]``)."""
    return fnmatchcase(path, _literal_brackets(pattern))


def ignored(change: Change, patterns: Iterable[str]) -> bool:
    """True when ``change.path`` or one of its ancestors matches a glob (``services.*.labels``;
    see :func:`path_matches`)."""
    return any(path_matches(p, pat) for pat in patterns for p in _ancestors(change.path))


def unmatched(patterns: Iterable[str], paths: Iterable[str]) -> tuple[str, ...]:
    """The globs of ``patterns`` (first-seen order, once each) that match none of ``paths``."""
    known = list(paths)
    return tuple(
        pat for pat in dict.fromkeys(patterns) if not any(path_matches(p, pat) for p in known)
    )


#: policy paths where the policy writes a key whose value the profile states (``name``: the
#: project name is pinned in the file, but it is the profile's ``name``): only the key's
#: absence on the other side is the policy's doing, never a different value
_KEY_ONLY = frozenset({"name"})


def label_policy(
    change: Change,
    policy: Mapping[str, str],
    right_policy: Mapping[str, str] | None = None,
    right_rendered: str | None = None,
) -> Change:
    """``change`` with :attr:`~stackgen.diff.compare.Change.policy` set when its LEFT value (or an
    ancestor of it) was put there by a stackgen policy rather than the profile, and that
    policy is what makes the two sides differ.

    Args:
        change: one change of a diff whose LEFT is a rendered profile.
        policy: LEFT's :attr:`stackgen.api.Rendered.policy` (dotted path → reason).
        right_policy: the same for RIGHT when RIGHT is a rendered profile too.
        right_rendered: the name RIGHT's rendered profile text goes by in positions
            (``p.yml (rendered)``), telling a value the render wrote from one an override did.

    Returns:
        The change, labelled or as it was. Never labelled: an ``added`` change (only in
        RIGHT); a changed value the profile states (the project ``name``); a changed value
        the same policy wrote on both sides (RIGHT's from its own render, not an override):
        then the profiles' own values differ, not what a policy added.
    """
    if change.kind == "added" or not policy:
        return change
    for path in reversed(_ancestors(change.path)):
        if path not in policy:
            continue
        if change.kind == "changed" and (
            path in _KEY_ONLY
            or (
                right_policy is not None
                and right_policy.get(path) == policy[path]
                and change.file == right_rendered
            )
        ):
            return change
        return replace(change, policy=policy[path])
    return change
    for path in reversed(_ancestors(change.path)):
        if path in policy:
            return replace(change, policy=policy[path])
    return change

"""``stackgen init``: a new profile's text, copied from one of the example profiles that ship
inside the package (``stackgen.profiles``, read with ``importlib.resources``), or a minimal
overlay of an existing profile (``--extends``)."""

from __future__ import annotations

import json
import os
import re
from importlib import resources
from pathlib import Path

from .compose.names import PROJECT_NAME_PATTERN
from .errors import InputError, InternalError

#: examples ``init --from`` offers (self-contained: none ``extends`` another file)
EXAMPLES = ("minimal", "highlight-hobby")
_NAME = re.compile(PROJECT_NAME_PATTERN)  # Profile.name's pattern
_NAME_LINE = re.compile(r"^name:.*$", re.MULTILINE)
# the examples point at the repository's schema file, which a new profile elsewhere lacks
_MODELINE = re.compile(r"^# yaml-language-server: \$schema=.*\n", re.MULTILINE)


def example_text(example: str) -> str:
    """The text of a packaged example profile.

    Raises:
        InputError: ``example`` is not one of :data:`EXAMPLES`.
    """
    if example not in EXAMPLES:
        raise InputError.single(
            "<--from>", 0, 0, "", f"unknown example {example!r}; use {', '.join(EXAMPLES)}"
        )
    package = resources.files("stackgen.profiles")
    return (package / f"{example}.yml").read_text(encoding="utf-8")


_TARGETS_LINE = re.compile(r"^targets:.*\n", re.MULTILINE)
_NAMESPACE_LINE = re.compile(r"^(  namespace: ).*$", re.MULTILINE)


def scaffold(name: str, example: str = "minimal", targets: tuple[str, ...] = ()) -> str:
    """A new profile named ``name``, copied from ``example`` with its ``name:`` replaced.

    Args:
        name: the compose project name (lower-case letters, digits, ``-``, ``_``).
        example: one of :data:`EXAMPLES`.
        targets: what ``render`` writes for it (``compose``, ``kubernetes``): given, a
            ``targets:`` line replaces the example's (none: the example's own, compose when
            it has none); the example's Kubernetes namespace becomes the project name.

    Returns:
        The profile text (comments kept, the schema modeline removed).

    Raises:
        InputError: a name compose would refuse, or an unknown example.
        InternalError: the packaged example has no ``name:`` line.
    """
    scaffold_name_check(name)
    text = example_text(example)
    text, count = _NAME_LINE.subn(f"name: {name}", text, count=1)
    if count != 1:  # every example has a top-level name; a package without one is broken
        raise InternalError(f"example profile {example} has no top-level name: line")
    if targets:
        text = _TARGETS_LINE.sub("", text)
        text = _NAME_LINE.sub(
            lambda m: f"{m.group(0)}\ntargets: [{', '.join(dict.fromkeys(targets))}]", text, count=1
        )
    # a namespace is a DNS-1123 label: no '_'
    text = _NAMESPACE_LINE.sub(lambda m: m.group(1) + name.replace("_", "-"), text, count=1)
    return _MODELINE.sub("", text)


def overlay(name: str, base: Path, folder: Path) -> str:
    """A minimal overlay profile: ``extends`` the profile ``base`` and renames the project;
    the merge rule and an example of each form are comments to edit.

    Args:
        name: the compose project name (as for :func:`scaffold`).
        base: the profile to extend (must load: :func:`stackgen.profile.load.load_profile`).
        folder: the folder the overlay is written to (``extends`` is relative to it).

    Returns:
        The profile text.

    Raises:
        InputError: a name compose would refuse; a base that is missing or not a valid
            profile (its own errors).
    """
    from .profile.load import load_profile

    scaffold_name_check(name)
    load_profile(base)  # a base that does not load makes an overlay that cannot either
    relative = Path(os.path.relpath(base.resolve(), folder.resolve())).as_posix()
    return (
        f"# {name}: the profile {relative}, changed where this file says so.\n"
        "# Merge rule: mappings merge key by key; null removes a key; lists and scalars\n"
        "# replace; !replace (or {$replace: VALUE}) replaces a mapping whole.\n"
        f"extends: {json.dumps(relative)}\n"
        f"name: {name}\n"
        "\n"
        "# services:\n"
        "#   frontend:\n"
        "#     resources: {memory: 1g}\n"
        "#     environment:\n"
        "#       ADMIN_PASSWORD: ${ADMIN_PASSWORD:?set it}\n"
        "# domains: !replace\n"
        "#   app.example.com: frontend:3001\n"
    )


def scaffold_name_check(name: str) -> None:
    """Refuse a project name compose would refuse.

    Raises:
        InputError: ``<NAME>: name: '…' is not a project name: …``.
    """
    if not _NAME.fullmatch(name):
        raise InputError.single(
            "<NAME>",
            0,
            0,
            "name",
            f"{name!r} is not a project name: use lower-case letters, digits, - and _, "
            "starting with a letter or digit",
        )

"""YAML hazards in a hand-edited file, found from its source text.

docker compose (Go yaml.v3) reads a plain ``22:22`` or ``no`` as text, but YAML 1.1 readers
(PyYAML, docker-compose v1, podman-compose, Ansible) do not, and a leading-zero number splits
every reader: each plain scalar of the file is resolved both ways, by PyYAML's YAML 1.1
resolver and by stackgen's YAML 1.2 one (:func:`stackgen.yamlio.loader.resolve_plain`):

* ``yaml-base60``: YAML 1.1 reads a sexagesimal number (``22:22`` → 1342), YAML 1.2 text
  (docker/compose#3290);
* ``yaml-bool``: YAML 1.1 reads a boolean (``yes``, ``no``, ``on``, ``off``), YAML 1.2 text
  (docker.libcompose#72; yamllint's ``truthy`` rule);
* ``yaml-octal``: ``0644`` is octal 420 for YAML 1.1 and docker compose (yaml.v3 keeps 1.1
  octals), decimal 644 for YAML 1.2; in an environment value compose passes ``"420"``.

Only values are checked (keys are names, which compose reads as text). A profile is read by
stackgen alone, as YAML 1.2, keeping the text written where compose wants text, so only the
octal hazard applies to it (:func:`profile_octals`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import yaml

from ..output.secret_rule import is_secret_path
from ..yamlio.nodes import Path_, dotted, value_at
from ..yamlio.resolve import resolve_plain
from .model import Subject

if TYPE_CHECKING:
    from ..profile.load import LoadedProfile

_OCTAL = re.compile(r"^[-+]?0[0-7_]+\Z")
_INT11 = "tag:yaml.org,2002:int"
_FLOAT11 = "tag:yaml.org,2002:float"
_BOOL11 = "tag:yaml.org,2002:bool"
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _plain_scalars(
    node: yaml.Node, path: Path_, seen: set[int]
) -> Iterator[tuple[yaml.ScalarNode, Path_]]:
    """Every plain value scalar under ``node`` with its path (an aliased node once)."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        if not node.style:  # None (pure-Python parser) or "" (libyaml) for a plain scalar
            yield node, path
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _plain_scalars(item, (*path, i), seen)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else "?"
            if name == "<<":
                yield from _plain_scalars(value, path, seen)
            else:
                yield from _plain_scalars(value, (*path, str(name)), seen)


def hazard(tag11: str, text: str) -> tuple[str, str] | None:
    """The rule id and message for a plain scalar YAML 1.1 resolves as ``tag11``, or None
    when YAML 1.1 and 1.2 agree on it.

    Args:
        tag11: PyYAML's YAML 1.1 implicit tag for the scalar.
        text: the scalar's source text.
    """
    value12 = resolve_plain(text)
    if _OCTAL.match(text) and tag11 == _INT11:
        return "yaml-octal", (
            f"{text} is octal {int(text.replace('_', ''), 8)} for YAML 1.1 readers and docker "
            f"compose, decimal {value12} for YAML 1.2 readers"
        )
    if not isinstance(value12, str):
        return None
    if tag11 in (_INT11, _FLOAT11) and ":" in text:
        number = yaml.safe_load(text)
        return "yaml-base60", (
            f"{text} is the base-60 number {number} for YAML 1.1 readers, text for docker compose"
        )
    if tag11 == _BOOL11:
        return "yaml-bool", (
            f"{text} is the boolean {str(yaml.safe_load(text)).lower()} for YAML 1.1 readers, "
            "text for docker compose"
        )
    return None


def check_text(subject: Subject, text: str) -> None:
    """Add the YAML hazard findings of a compose file's source ``text`` to ``subject``.

    Positions come from the scalar itself. Text that does not parse adds nothing (the loader
    has reported it already).
    """
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return
    if root is None:
        return
    for node, path in _plain_scalars(root, (), set()):
        found = hazard(node.tag, node.value)
        if found is None:
            continue
        rule, message = found
        hint = _hint(rule, node.value)
        if is_secret_path(path):
            # the message would quote (or convert) a secret value: say what, not which
            message = "this secret value reads differently under YAML 1.1 and docker compose"
            hint = "quote it"
        subject.report(
            rule,
            path,
            f"{dotted(path)}: {message}",
            hint=hint,
            at=(node.start_mark.line + 1, node.start_mark.column + 1),
        )


def _hint(rule: str, text: str) -> str:
    if rule == "yaml-octal":
        return f'write "{text}" where text is meant, or the decimal {int(text.replace("_", ""), 8)}'
    return f'quote it: "{text}"'


def profile_octals(subject: Subject, loaded: LoadedProfile) -> None:
    """Add ``yaml-octal`` findings for leading-zero numbers a profile passes on as numbers.

    stackgen reads ``0644`` as YAML 1.2 does (644) and renders 644, which docker compose then
    reads as decimal: the file mode (or other number) is not the one written. Values the
    profile keeps as text (environment, labels …) are left alone.
    """
    for path, text in loaded.source.texts.items():
        if not _OCTAL.match(text) or not isinstance(value_at(loaded.source.data, path), int):
            continue
        mark = loaded.source.mark(path)
        subject.report(
            "yaml-octal",
            path,
            f"{dotted(path)}: {text} is read as decimal {resolve_plain(text)} (YAML 1.2) and "
            f"rendered so, while YAML 1.1 and docker compose read {text} as octal "
            f"{int(text, 8)}",
            hint=f"write 0o{text.lstrip('0')} or the decimal {int(text, 8)} if octal is meant",
            at=(mark.line, mark.col),
            file=mark.file,
        )

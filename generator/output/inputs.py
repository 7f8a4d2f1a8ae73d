"""The secret values of a command line's inputs (its files and ``--set`` options), found for
the CLI's second line of defence (:mod:`stackgen.output.masking`), from the data the command
parsed where it can (no second reading of a file)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..yamlio.limits import MAX_BYTES
from ..yamlio.loader import load_multi
from .credentials import credential_values, credentials_in
from .noted import PARSED, VALUES
from .noted import watch_inputs as watch_inputs  # re-exported: masking's API
from .redaction import names_of, unnamed
from .secret_rule import (
    SECRET_HINT,
    SECRET_WORDS,
    is_secret_key,
    is_secret_path,
    secret_values,
)

#: a length-keeping ASCII lowering table
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# `KEY: value` / `KEY=value` lines, for files too broken to parse
_LINE = re.compile(r"""^\s*(?:-\s*)?["']?(?P<key>[^\s:="'#]+)["']?\s*(?::\s+|=)(?P<value>.*)\Z""")


def _line_values(text: str) -> set[str]:
    """Values of ``KEY: value`` / ``KEY=value`` lines with a secret KEY: what a file too
    broken to parse, an ``.env`` file or a script in a block scalar holds. Only the lines
    holding a secret name are matched (one C-speed search finds them)."""
    values: set[str] = set()
    starts: set[int] = set()
    if text.isascii():
        # str.find on an ASCII-lowered copy: ~10x faster than the case-blind regex
        low = text.translate(_ASCII_LOWER)
        for word in SECRET_WORDS:
            at = low.find(word)
            while at >= 0:
                starts.add(low.rfind("\n", 0, at) + 1)
                at = low.find(word, at + len(word))
    else:  # Unicode case folding (the Kelvin sign is a K): the regex decides
        starts = {text.rfind("\n", 0, hit.start()) + 1 for hit in SECRET_HINT.finditer(text)}
    for start in sorted(starts):
        end = text.find("\n", start)
        for line in text[start : len(text) if end < 0 else end].splitlines():
            m = _LINE.match(line)
            if m and is_secret_key(m.group("key")):
                value = re.split(r"\s#", m.group("value"), maxsplit=1)[0].strip()
                if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                    value = value[1:-1]
                if value:
                    values.add(value)
    return values


def _data_values(data: Any, names: set[str], scripts: list[str] | None = None) -> set[str]:
    """The secret values and the literal credentials by form in parsed ``data``, from one
    walk (the credentials are read from the strings the secret walk collects); the names of
    things it holds (:func:`~stackgen.output.redaction.names_of`, with the keys of its top
    levels: a deeper key names no thing a message quotes) are added to ``names``;
    ``scripts`` as :func:`~stackgen.output.secret_rule.secret_values`' ``multiline``."""
    strings: tuple[list[str], list[list[Any]]] = ([], [])
    found = secret_values(data, multiline=scripts, strings=strings)
    names.update(names_of(data, keys=True))
    return found | credential_values(data, strings=strings)


def _sensitive(data: Any) -> list[str]:
    """The names a profile lists under ``sensitive:``."""
    listed = data.get("sensitive") if isinstance(data, dict) else None
    return [str(name) for name in listed] if isinstance(listed, list) else []


def _scan_text(text: str, file: str, names: set[str], sensitive: set[str]) -> set[str]:
    values: set[str] = set()
    try:
        for doc in load_multi(text, file):
            values |= _data_values(doc.data, names)
            sensitive.update(_sensitive(doc.data))
    except InputError:
        pass  # a broken file: the line scan below still finds `KEY: value` lines
    # credentials by form in any line (a `.env` file's DATABASE_URL, a broken file's)
    return values | _line_values(text) | credentials_in(text.splitlines())


def _noted_values(key: Path) -> tuple[frozenset[str], frozenset[str]]:
    """The secret values and the names (keys, :func:`names_of`) of the noted file ``key``,
    computed from its data once."""
    noted = VALUES.get(key)
    if noted is None:
        # the text's own lines matter only where the data holds lines: what the walk cannot
        # see is a `KEY=value` line inside a multi-line string (the text is not scanned again)
        scripts: list[str] = []
        names: set[str] = set()
        found = _data_values(PARSED[key][0], names, scripts)
        if scripts:
            found |= _line_values("\n".join(scripts))
        noted = VALUES[key] = (frozenset(found), frozenset(names))
    return noted


def input_secrets(args: Sequence[str]) -> set[str]:
    """Secret values in a command line's inputs: every argument naming a readable file
    (profiles, the bases they ``extends``, compose and ``.env`` files) and every
    ``--set KEY.PATH=VALUE`` whose path names a secret. Best effort: unreadable files are
    skipped. Files the loader has parsed since :func:`watch_inputs` (the bases a profile
    ``extends`` included) are not read again: their values were noted from that parse.

    Args:
        args: the command-line arguments (without the program name).

    Returns:
        The secret values found, but those that are names or parts of names in the inputs
        (keys, container names, …: :func:`~stackgen.output.redaction.unnamed`): a name is
        never masked, and shows such a value anyway.
    """
    values: set[str] = set()
    names: set[str] = set()
    sensitive: set[str] = set()  # the profiles' `sensitive:` names, for the --set paths
    # what -o names is the command's output, not an input: never read it (an existing
    # target can be large, and its secrets, if any, came from the inputs)
    outputs = {i + 1 for i, a in enumerate(args) if a in ("-o", "--output")}
    pending = [Path(a) for i, a in enumerate(args) if not a.startswith("-") and i not in outputs]
    seen: set[Path] = set()
    while pending:
        path = pending.pop()
        try:
            resolved = path.resolve()
            if resolved in seen or not path.is_file() or path.stat().st_size > MAX_BYTES:
                continue
            seen.add(resolved)
            if resolved in PARSED:  # noted when the command parsed it: not read again
                found, named = _noted_values(resolved)
                values |= found
                names |= named
                sensitive.update(_sensitive(PARSED[resolved][0]))
                base = PARSED[resolved][1]
                if base is not None:
                    pending.append(base)
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        values |= _scan_text(text, str(path), names, sensitive)
        for m in re.finditer(r"^extends:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(?:#.*)?$", text, re.M):
            pending.append(path.parent / m.group(1))
    for i, arg in enumerate(args):
        if arg == "--set" and i + 1 < len(args):
            expr = args[i + 1]
        elif arg.startswith("--set="):
            expr = arg[len("--set=") :]
        else:
            continue
        key, sep, value = expr.partition("=")
        # judged part by part, as the profile's own keys are: `services.auth.image` names
        # a service `auth`, not a secret
        if sep and value and is_secret_path(tuple(key.split(".")), sensitive):
            values.add(value)
    # a value holding a line break is no name (nor a part of one): always searched for
    one_line = {value for value in values if "\n" not in value}
    return (values - one_line) | unnamed(one_line, names) if names and one_line else values

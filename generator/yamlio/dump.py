"""Writing plain data as YAML text whose strings read back as the same strings under YAML 1.1 and 1.2."""

from __future__ import annotations

from typing import Any

import yaml

from .scalars import needs_quotes


class _Dumper(yaml.SafeDumper):
    """Block-style YAML whose strings read back as the same strings under YAML 1.1 and 1.2."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        # list items indented under their key, as compose files are usually written
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> Any:
    tag = "tag:yaml.org,2002:str"
    if "\n" in value:
        # multi-line text (scripts, config files) as a literal block; PyYAML falls back to
        # double quotes when a block cannot hold the text exactly
        return dumper.represent_scalar(tag, value, style="|")
    return dumper.represent_scalar(tag, value, style='"' if needs_quotes(value) else None)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """YAML text for plain data (dicts, lists, str, int, float, bool, None), keys in their
    insertion order, block style, no line folding; every string that a YAML 1.1 or 1.2 reader
    would take for something else (``yes``, ``0644``, ``1e3``, ``""``) double-quoted.

    Args:
        data: the value to write.

    Returns:
        The text, ending with a newline.
    """
    text: str = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=1_000_000,
    )
    return text

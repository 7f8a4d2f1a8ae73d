"""GitHub Actions workflow commands (``::warning file=…::message``), as the ``github`` formats
of ``diff`` and ``check`` write them.

Escaping follows the runner's rules for workflow commands (actions/toolkit,
``packages/core/src/command.ts``): ``%``, CR and LF in the message; additionally ``:`` and
``,`` in a property value.
"""

from __future__ import annotations


def escape_data(text: str) -> str:
    """``text`` safe as the message of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """``text`` safe as a property value (``file=``, ``title=``) of a workflow command."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")

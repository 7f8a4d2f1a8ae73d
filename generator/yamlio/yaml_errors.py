"""PyYAML's errors as stackgen diagnostics: ``file:line:col: message`` on one line."""

from __future__ import annotations

import yaml

from ..errors import InputError
from .limits import too_deep


def yaml_input_error(exc: yaml.YAMLError, text: str, file: str) -> InputError:
    """A PyYAML error as ``file:line:col: message`` (one line).

    Syntax errors carry a mark; a character YAML does not allow in a stream (a control
    character such as NUL, YAML 1.2 section 5.1) carries an offset, turned into line and
    column here.
    """
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        if "maximum nesting depth" in problem:
            # libyaml's own cap (1000 levels) can fire before check_shape sees the events
            return InputError.single(file, line, col, "", too_deep())
        context = exc.context_mark
        if exc.context and context and (context.line, context.column) != (line - 1, col - 1):
            # libyaml names the construct left open, e.g. "while parsing a flow sequence"
            problem += f" ({exc.context} that starts at {context.line + 1}:{context.column + 1})"
        return InputError.single(file, line, col, "", f"YAML syntax error: {problem}")
    if isinstance(exc, yaml.reader.ReaderError):
        pos = exc.position
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        escape = f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}"
        message = (
            f"character U+{code:04X} is not allowed in YAML "
            f"(write it as the escape {escape} inside double quotes)"
        )
        return InputError.single(file, line, col, "", message)
    return InputError.single(file, 1, 1, "", f"YAML error: {str(exc).splitlines()[0]}")

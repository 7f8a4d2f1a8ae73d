"""What ``stackgen check`` does once its options are parsed: lint the files and print the
findings (no CLI framework imported: typer's command in :mod:`stackgen.cli.check_cmd` and the
fast path in :mod:`stackgen.cli.fastpath` both call :func:`run_check`)."""

from __future__ import annotations

from pathlib import Path

from .console import STYLE, make_console
from .output import masked_text


def _line_style(line: str) -> str | None:
    """The colour meaning of one line of the text format (finding, hint or summary)."""
    if ": error: " in line:
        return STYLE["error"]
    if ": warning: " in line:
        return STYLE["warning"]
    if line.startswith("    hint: "):
        return STYLE["hint"]
    return None


def run_check(
    files: list[Path],
    fmt: str = "text",
    env_file: Path | None = None,
    input_type: str = "auto",
    color: str = "auto",
) -> int:
    """Lint ``files`` as ``stackgen check`` does and print the findings in ``fmt`` (the
    options are its own, already checked: ``fmt`` one of ``CHECK_FORMATS``, ``input_type``
    one of ``LEFT_TYPES``).

    Returns:
        The exit status: 0, or 1 when a finding is an error.

    Raises:
        StackgenError: bad input (exit 2), as :func:`stackgen.api.check` raises it.
    """
    # when it runs: see stackgen.choices; the lint engine itself (stackgen.api.check), not
    # stackgen.api, which imports the render pipeline (pydantic, jinja2) a compose file
    # never needs
    from ..lint.check import check
    from ..lint.formats import render_findings

    console = make_console(color)
    result = check(files, env_file=env_file, input_type=input_type)
    # second line of defence: no secret value of the inputs in a message or hint
    result = result._replace(
        findings=tuple(
            f._replace(message=masked_text(f.message), hint=masked_text(f.hint))
            for f in result.findings
        ),
    )
    text = render_findings(result, fmt)
    if fmt != "text":
        console.out.write(text)  # machine formats are never coloured
    else:
        for line in text.splitlines():
            console.out.line(line, _line_style(line))
    return result.exit_code

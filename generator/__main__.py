"""Console entry point (``stackgen``, ``python -m stackgen``).

``stackgen --version`` is answered here, before the CLI and the libraries behind it (typer,
pydantic, jinja2, jsonschema-rs) are imported: it is run by pre-commit hooks and CI probes
and should cost little more than starting Python. Everything else is
:func:`stackgen.cli.main`, run with the cyclic garbage collector paused
(:mod:`stackgen.gcpause`): the commands' pipelines pause it themselves, and what runs before
them is mostly importing modules, whose objects all stay alive (collections during those
imports were about 5 % of a small render).
"""

from __future__ import annotations

import sys


def main() -> None:
    """Run ``stackgen`` with ``sys.argv``; exits with the CLI's exit codes (0 ok, 1 drift or
    stale output, 2 bad input or usage, 3 internal error)."""
    if sys.argv[1:] == ["--version"]:
        from . import __version__

        sys.stdout.write(f"stackgen {__version__}\n")
        return
    from .gcpause import paused

    with paused():  # restored as found: an in-process caller (tests) keeps its collector
        from .cli import main as cli_main

        cli_main()


if __name__ == "__main__":
    main()

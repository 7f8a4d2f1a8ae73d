"""``stackgen schema``: print the profile JSON Schema (:func:`stackgen.profile.jsonschema.schema_text`)."""

from __future__ import annotations

import typer

from .console import ColorOption, make_console


def register(app: typer.Typer) -> None:
    """Add the ``schema`` command to ``app``."""

    @app.command(
        name="schema",
        help=(
            "Print the JSON Schema of a profile, for editors and validators.\n\n"
            "Examples:\n\n"
            "  stackgen schema > profile.schema.json\n\n"
            "  then start each profile with:\n\n"
            "  # yaml-language-server: $schema=profile.schema.json"
        ),
    )
    def schema_command(color: ColorOption = "auto") -> None:
        from .. import api  # when it runs: see stackgen.choices

        make_console(color).out.write(api.profile_schema())

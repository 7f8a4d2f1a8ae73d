"""no-image, missing-env-file, missing-path: what a compose file needs besides itself.

Verdicts from the real Docker Compose v2 loader run in the file's folder: it refuses a service
with neither image nor build and a missing required env_file, and accepts a missing bind source
or build context (``up`` creates or needs them later), which ``check`` warns about when the
path is relative (part of the project) and not a remote build context.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import compose_config
from stackgen.api import check, render_profile

CASES = {
    "neither image nor build": (
        "services:\n  web:\n    environment: {A: '1'}\n",
        True,
        [("no-image", "error", "services.web")],
    ),
    "missing env_file": (
        "services:\n  web:\n    image: x:1\n    env_file: [app.env]\n",
        True,
        [("missing-env-file", "error", "services.web.env_file[0]")],
    ),
    "missing env_file, required false": (
        "services:\n  web:\n    image: x:1\n    env_file: [{path: app.env, required: false}]\n",
        False,
        [],
    ),
    "missing bind source and build context": (
        "services:\n  web:\n    build: ./src\n    volumes: ['./conf:/etc/conf']\n",
        False,
        [
            ("missing-path", "warning", "services.web.build"),
            ("missing-path", "warning", "services.web.volumes[0]"),
        ],
    ),
    "remote build context, absolute bind source": (
        "services:\n  web:\n    build: https://github.com/docker/welcome-to-docker.git\n"
        "    volumes: ['/srv/nowhere/conf:/etc/conf']\n",
        False,
        [],
    ),
}

OURS = {"no-image", "missing-env-file", "missing-path"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_says_what_compose_says_of_a_file_alone(tmp_path: Path, case: str) -> None:
    text, refused, expected = CASES[case]
    path = tmp_path / "compose.yml"
    path.write_text(text, encoding="utf-8")
    verdict = compose_config(path.name, cwd=tmp_path, quiet=True)
    assert verdict.returncode == (1 if refused else 0), verdict.stderr
    found = [
        (f.rule, f.severity, f.path)
        for f in check([path], input_type="compose").findings
        if f.rule in OURS
    ]
    assert found == expected


def test_a_profile_with_a_remote_build_context_renders_without_a_path_warning(
    tmp_path: Path,
) -> None:
    path = tmp_path / "profile.yml"
    path.write_text(
        "name: t\nservices:\n  web:\n    build: https://github.com/docker/welcome-to-docker.git\n"
        "    ports: [3000]\n",
        encoding="utf-8",
    )
    rendered = render_profile(path)
    assert rendered.data["services"]["web"]["build"] == (
        "https://github.com/docker/welcome-to-docker.git"
    )
    assert [w.message for w in rendered.warnings if "does not exist" in w.message] == []

"""Host paths: relative to the profile's folder, written for wherever the output goes.

Issue 14 point 2. Compose resolves a relative path against the compose file's folder; a
profile's against the profile's. The real loader (tests/engines.py) is the judge: the rendered
file, read where it was written, reaches the same files the profile names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import compose_config
from helpers import run_stackgen
from stackgen.compose.paths import moved, rebase

PROFILE = """\
name: demo
services:
  web:
    image: nginx:1.27
    env_file: web.env
    volumes:
      - ./data:/data
      - {type: bind, source: ./site, target: /site}
    secrets: [pw]
    label_file: ./web.labels
  job:
    build:
      context: ./app
      additional_contexts: {extra: ./extra}
secrets:
  pw: {file: ./pw.txt}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A profile in tmp_path/proj with every file it names."""
    proj = tmp_path / "proj"
    for folder in ("data", "site", "app", "extra"):
        (proj / folder).mkdir(parents=True)
    (proj / "web.env").write_text("A=1\n", encoding="utf-8")
    (proj / "web.labels").write_text("L=1\n", encoding="utf-8")
    (proj / "pw.txt").write_text("s\n", encoding="utf-8")
    (proj / "p.yml").write_text(PROFILE, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("output", ["out/x/compose.yml", "proj/compose.yml", "deep/a/b/c.yml"])
def test_output_reaches_the_profiles_files_wherever_written(project: Path, output: str) -> None:
    done = run_stackgen("render", "proj/p.yml", "-o", output, cwd=project)
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    target = project / output
    result = compose_config(target.name, cwd=target.parent)
    assert result.clean, (result.stderr, result.warnings)
    assert result.config is not None
    proj = project / "proj"
    web = result.config["services"]["web"]
    assert web["environment"] == {"A": "1"}  # compose read proj/web.env
    assert [v["source"] for v in web["volumes"]] == [str(proj / "data"), str(proj / "site")]
    assert result.config["services"]["job"]["build"]["context"] == str(proj / "app")
    # the paths only compose's own resolution reaches move too (found in review: they were
    # written as in the profile, so they reached the output folder's files)
    assert result.config["services"]["job"]["build"]["additional_contexts"] == {
        "extra": str(proj / "extra")
    }
    assert web["labels"]["L"] == "1"  # compose read proj/web.labels
    assert result.config["secrets"]["pw"]["file"] == str(proj / "pw.txt")


def test_stdout_is_written_for_the_working_directory(project: Path) -> None:
    done = run_stackgen("render", "proj/p.yml", "-o", "-", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "      - ./proj/data:/data\n" in done.stdout
    assert "    env_file: ./proj/web.env\n" in done.stdout


def test_missing_env_file_is_an_error_at_its_key(project: Path) -> None:
    (project / "proj" / "web.env").unlink()
    done = run_stackgen("render", "proj/p.yml", "-o", "-", cwd=project)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(
        "proj/p.yml:5:5: services.web.env_file: env file web.env "
        f"({project / 'proj' / 'web.env'}) not found"
    )


def test_optional_env_file_may_be_missing(project: Path) -> None:
    text = PROFILE.replace("env_file: web.env", "env_file: [{path: none.env, required: false}]")
    (project / "proj" / "p.yml").write_text(text, encoding="utf-8")
    done = run_stackgen("render", "proj/p.yml", "-o", "out/compose.yml", cwd=project)
    assert done.returncode == 0, done.stderr
    assert compose_config("compose.yml", cwd=project / "out").clean


def test_missing_bind_source_and_build_context_are_warnings(project: Path) -> None:
    for folder in ("data", "app"):
        (project / "proj" / folder).rmdir()
    done = run_stackgen("render", "proj/p.yml", "-o", "-", cwd=project)
    assert done.returncode == 0, done.stderr
    assert (
        f"proj/p.yml:7:9: services.web.volumes[0]: bind mount source ./data "
        f"({project / 'proj' / 'data'}) does not exist (warning)"
    ) in done.stderr
    assert (
        f"proj/p.yml:13:7: services.job.build.context: build context ./app "
        f"({project / 'proj' / 'app'}) does not exist (warning)"
    ) in done.stderr


def test_extends_resolves_each_value_against_its_own_profile(project: Path) -> None:
    (project / "env").mkdir()
    (project / "env" / "staging.yml").write_text(
        "extends: ../proj/p.yml\nname: staging\n", encoding="utf-8"
    )
    done = run_stackgen("render", "env/staging.yml", "-o", "out/compose.yml", cwd=project)
    assert done.returncode == 0, done.stderr
    result = compose_config("compose.yml", cwd=project / "out")
    assert result.clean, result.stderr
    assert result.config is not None
    volumes = result.config["services"]["web"]["volumes"]
    assert volumes[0]["source"] == str(project / "proj" / "data")


def test_diff_compares_resolved_paths(project: Path) -> None:
    assert run_stackgen("render", "proj/p.yml", "-o", "out/x/c.yml", cwd=project).returncode == 0
    # the same file reached from elsewhere: no drift
    same = run_stackgen("diff", "proj/p.yml", "out/x/c.yml", cwd=project)
    assert same.returncode == 0, same.stdout + same.stderr
    # the text copied next to the profile reaches other files: drift, per path
    (project / "proj" / "copy.yml").write_text(
        (project / "out" / "x" / "c.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    moved_copy = run_stackgen("diff", "proj/p.yml", "proj/copy.yml", cwd=project)
    assert moved_copy.returncode == 1
    assert '~ services.web.volumes[target=/data].source: "./data" -> "../../proj/data"' in (
        moved_copy.stdout
    )


@pytest.mark.parametrize(
    ("text", "old", "new", "expected"),
    [
        ("./data", "/p", "/p/out/x", "../../data"),
        ("data", "/p", "/p", "data"),  # same folder: as written
        ("../up", "/p/a", "/p/b", "../up"),
        ("./a", "/p", "/q", "../p/a"),
        (".", "/p", "/p/out", ".."),
        ("./", "/p", "/p", "./"),
        ("./sub/", "/p", "/", "./p/sub/"),
        ("/abs", "/p", "/q", "/abs"),
        ("~/x", "/p", "/q", "~/x"),
        ("${DIR}/x", "/p", "/q", "${DIR}/x"),
        # only compose knows ${DIR}; its default is a path of the profile's folder
        ("${DIR:-.}/dags", "/p", "/p/out/x", "${DIR:-../..}/dags"),
        ("${DIR-./a}", "/p", "/q", "${DIR-../p/a}"),
        ("https://github.com/a/b.git", "/p", "/q", "https://github.com/a/b.git"),
    ],
)
def test_moved(text: str, old: str, new: str, expected: str) -> None:
    assert moved(text, Path(old), Path(new)) == expected


def test_rebase_keeps_short_syntax_and_named_volumes() -> None:
    data = {
        "services": {
            "a": {
                "volumes": ["data:/d", "./x:/x:ro", "/abs:/abs", "/anon", "${D:-.}/x:/y"],
                "env_file": [{"path": "e.env", "required": False}],
                "build": {"context": ".", "dockerfile": "Dockerfile"},
            }
        }
    }
    out = rebase(data, Path("/p"), Path("/p/o"))
    assert out["services"]["a"] == {
        "volumes": ["data:/d", "../x:/x:ro", "/abs:/abs", "/anon", "${D:-..}/x:/y"],
        "env_file": [{"path": "../e.env", "required": False}],
        "build": {"context": "..", "dockerfile": "Dockerfile"},
    }
    assert data["services"]["a"]["volumes"][1] == "./x:/x:ro"  # the input is not changed

"""Top-level `include` in compose files read by check, diff and graph.

Found by a new-user trial and by the lead: `check` passed a file including a missing file
(compose refuses it), and refused a valid file whose service depends on a service defined in
an included file ("undefined-service"), because stackgen did not read `include` at all; `diff`
left the included services out. Each verdict here is the real loader's first.
"""

from __future__ import annotations

from pathlib import Path

from engines import compose_config
from helpers import run_stackgen


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


MAIN = "include:\n  - sub/db.yml\nservices:\n  web:\n    image: nginx:1.27\n    depends_on: [db]\n"
DB = (
    "services:\n  db:\n    image: postgres:16.4\n    volumes: ['./data:/var/lib/postgresql/data']\n"
)


def test_an_included_service_is_part_of_the_project(tmp_path: Path) -> None:
    _write(tmp_path, {"compose.yml": MAIN, "sub/db.yml": DB, "sub/data/.keep": ""})
    engine = compose_config(cwd=tmp_path)
    assert engine.returncode == 0, engine.stderr
    assert engine.config is not None
    assert sorted(engine.config["services"]) == ["db", "web"]
    # compose resolves the included file's relative path from its own folder
    assert engine.config["services"]["db"]["volumes"][0]["source"] == str(tmp_path / "sub/data")
    out = run_stackgen("check", "compose.yml", cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "undefined-service" not in out.stdout


def test_diff_reads_the_included_services_with_their_paths(tmp_path: Path) -> None:
    _write(tmp_path, {"compose.yml": MAIN, "sub/db.yml": DB, "sub/data/.keep": ""})
    flat = (
        "services:\n  web:\n    image: nginx:1.27\n    depends_on: [db]\n"
        "  db:\n    image: postgres:16.4\n    volumes: ['./sub/data:/var/lib/postgresql/data']\n"
    )
    _write(tmp_path, {"flat.yml": flat})
    assert run_stackgen("diff", "flat.yml", "compose.yml", cwd=tmp_path).returncode == 0
    changed = flat.replace("postgres:16.4", "postgres:17.0")
    _write(tmp_path, {"flat.yml": changed})
    out = run_stackgen("diff", "flat.yml", "compose.yml", cwd=tmp_path)
    assert out.returncode == 1
    assert '~ services.db.image: "postgres:17.0" -> "postgres:16.4"' in out.stdout
    assert "sub/db.yml:3" in out.stdout


def test_a_missing_included_file_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, {"compose.yml": MAIN})
    assert compose_config(cwd=tmp_path, quiet=True).returncode == 1
    out = run_stackgen("check", "compose.yml", cwd=tmp_path)
    assert out.returncode == 2
    assert "compose.yml:2:5: include[0]: sub/db.yml: no such file" in out.stderr


def test_a_conflicting_definition_is_refused_an_equal_one_kept(tmp_path: Path) -> None:
    main = "include:\n  - db.yml\nservices:\n  db:\n    image: postgres:15.8\n"
    _write(
        tmp_path, {"compose.yml": main, "db.yml": "services:\n  db:\n    image: postgres:16.4\n"}
    )
    assert compose_config(cwd=tmp_path, quiet=True).returncode == 1
    out = run_stackgen("check", "compose.yml", cwd=tmp_path)
    assert out.returncode == 2
    assert "compose.yml:4:3: services.db: services.db conflicts with imported resource" in (
        out.stderr
    )
    _write(tmp_path, {"db.yml": "services:\n  db:\n    image: postgres:15.8\n"})
    assert compose_config(cwd=tmp_path, quiet=True).returncode == 0
    assert run_stackgen("check", "compose.yml", cwd=tmp_path).returncode == 0


def test_a_cycle_is_refused(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "compose.yml": "include:\n  - b.yml\nservices:\n  a:\n    image: nginx:1.27\n",
            "b.yml": "include:\n  - compose.yml\nservices:\n  b:\n    image: nginx:1.27\n",
        },
    )
    assert compose_config(cwd=tmp_path, quiet=True).returncode == 1
    out = run_stackgen("check", "compose.yml", cwd=tmp_path)
    assert out.returncode == 2
    assert "include cycle" in out.stderr


def test_an_included_file_is_validated_as_any_file(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "compose.yml": MAIN,
            "sub/db.yml": DB.replace("    volumes", "    ports: ['99999:80']\n#"),
        },
    )
    assert compose_config(cwd=tmp_path, quiet=True).returncode == 1
    out = run_stackgen("check", "compose.yml", cwd=tmp_path)
    assert out.returncode == 2
    assert "sub/db.yml:4:13: services.db.ports[0]: '99999:80' is not a port" in out.stderr


def test_long_syntax_with_env_file_and_an_override(tmp_path: Path) -> None:
    main = (
        "include:\n  - path: [sub/db.yml, sub/db.override.yml]\n    env_file: vars.env\n"
        "services:\n  web:\n    image: nginx:1.27\n"
    )
    _write(
        tmp_path,
        {
            "compose.yml": main,
            "vars.env": "PG=16.4\n",
            "sub/db.yml": "services:\n  db:\n    image: postgres:${PG}\n",
            "sub/db.override.yml": "services:\n  db:\n    environment: {POSTGRES_DB: app}\n",
        },
    )
    engine = compose_config(cwd=tmp_path)
    assert engine.returncode == 0, engine.stderr
    assert engine.config is not None
    assert engine.config["services"]["db"]["image"] == "postgres:16.4"
    assert engine.config["services"]["db"]["environment"] == {"POSTGRES_DB": "app"}
    flat = (
        "services:\n  web:\n    image: nginx:1.27\n"
        "  db:\n    image: postgres:16.4\n    environment: {POSTGRES_DB: app}\n"
    )
    _write(tmp_path, {"flat.yml": flat, "empty.env": ""})
    out = run_stackgen("diff", "flat.yml", "compose.yml", "--env-file", "empty.env", cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr


def test_import_brings_the_included_services(tmp_path: Path) -> None:
    _write(tmp_path, {"compose.yml": MAIN, "sub/db.yml": DB, "sub/data/.keep": ""})
    out = run_stackgen("import", "compose.yml", "-o", "p.yml", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    text = (tmp_path / "p.yml").read_text(encoding="utf-8")
    assert "image: postgres:16.4" in text or 'image: "postgres:16.4"' in text
    assert "./sub/data:/var/lib/postgresql/data" in text
    assert run_stackgen("render", "p.yml", "-o", "rendered.yml", cwd=tmp_path).returncode == 0
    engine = compose_config("rendered.yml", cwd=tmp_path)
    assert engine.returncode == 0, engine.stderr
    assert engine.config is not None
    assert sorted(engine.config["services"]) == ["db", "web"]
    assert engine.config["services"]["db"]["volumes"][0]["source"] == str(tmp_path / "sub/data")


def test_a_referenced_path_an_entrys_unknown_key_and_an_empty_include(tmp_path: Path) -> None:
    # found by the second trial: each is read by compose and was refused by stackgen
    _write(tmp_path, {"sub/x.yml": "services:\n  a:\n    image: nginx:1.27\n"})
    for text in (
        'include: ["${V:-sub/x.yml}"]\n',
        "include: [{path: sub/x.yml, extra: 1}]\n",
        "include:\n",
    ):
        _write(tmp_path, {"compose.yml": text + "services:\n  b:\n    image: nginx:1.27\n"})
        engine = compose_config(cwd=tmp_path)
        assert engine.returncode == 0, engine.stderr
        assert engine.config is not None
        out = run_stackgen("check", "compose.yml", cwd=tmp_path)
        assert out.returncode == 0, out.stdout + out.stderr
        graph = run_stackgen("graph", "compose.yml", cwd=tmp_path)
        assert graph.returncode == 0, graph.stderr
        for name in engine.config["services"]:
            assert f's_{name}["{name}"]' in graph.stdout


def test_a_path_whose_variable_has_no_value_here_says_so(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "sub/x.yml": "services:\n  a:\n    image: nginx:1.27\n",
            "compose.yml": 'include: ["${V}"]\nservices:\n  b:\n    image: nginx:1.27\n',
            ".env": "V=sub/x.yml\n",
        },
    )
    assert compose_config(cwd=tmp_path, quiet=True).returncode == 0
    assert run_stackgen("check", "compose.yml", cwd=tmp_path).returncode == 0  # reads .env
    out = run_stackgen("graph", "compose.yml", cwd=tmp_path)  # reads no variables
    assert out.returncode == 2
    assert "include[0]: the path names a variable without a value here" in out.stderr


def test_the_including_projects_variables_win(tmp_path: Path) -> None:
    # compose: the main project's .env beats the included project's .env and env_file
    _write(
        tmp_path,
        {
            "compose.yml": "include: [sub/x.yml]\nservices:\n  b:\n    image: nginx:1.27\n",
            ".env": "TAG=1.27\n",
            "sub/x.yml": "services:\n  x:\n    image: nginx:${TAG}\n",
            "sub/.env": "TAG=latest\n",
        },
    )
    engine = compose_config(cwd=tmp_path)
    assert engine.config is not None
    assert engine.config["services"]["x"]["image"] == "nginx:1.27"
    flat = "services:\n  b:\n    image: nginx:1.27\n  x:\n    image: nginx:1.27\n"
    _write(tmp_path, {"flat.yml": flat})
    out = run_stackgen("diff", "flat.yml", "compose.yml", "--env-file", ".env", cwd=tmp_path)
    assert out.returncode == 0, out.stdout
    check = run_stackgen("check", "compose.yml", cwd=tmp_path)
    assert "image-latest" not in check.stdout


def test_a_missing_env_file_of_an_entry_is_refused(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "z.yml": "services:\n  z:\n    image: nginx:1.27\n",
            "compose.yml": "include: [{path: z.yml, env_file: nope.env}]\n"
            "services:\n  a:\n    image: nginx:1.27\n",
        },
    )
    assert compose_config(cwd=tmp_path, quiet=True).returncode == 1
    for command in (["check", "compose.yml"], ["graph", "compose.yml"]):
        out = run_stackgen(*command, cwd=tmp_path)
        assert out.returncode == 2
        assert "include[0]: env_file nope.env: no such file" in out.stderr

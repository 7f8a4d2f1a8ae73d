"""Host paths compare as the files they reach, however each side writes them.

Found by a new-user trial: a hand-written file against ``docker compose config``'s output
(every path absolute) showed every bind mount, build context, env file … as drift. The judge
is the real loader (tests/engines.py): a file with every path-valued field compose resolves
(compose-go ``paths/resolve.go``) written relative, and the same file written elsewhere with
the paths absolute or ``~``, are read the same by compose, and the diff finds no drift; a path
to another file is read differently by compose and is exactly the drift the diff shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from diff.difftools import run_diff

from engines import compose_config
from stackgen.compose.paths import canonical, same_file

#: every path-valued field compose resolves, written relative to the file's folder; {P} is
#: where the paths point (the file's own folder, or the project folder absolute)
PATHS = """\
services:
  web:
    image: nginx:1.27
    build:
      context: {P}ctx
      additional_contexts:
        extra: {P}data
    env_file:
      - {P}app.env
      - path: {P}opt.env
        required: false
    label_file: {P}lab.env
    volumes:
      - {P}{DATA}:/data
      - {HOME}cache:/cache
      - type: bind
        source: {P}data/x
        target: /x
      - dev:/dev-vol
    secrets: [s]
    configs: [c]
    develop:
      watch:
        - path: {P}ctx
          action: sync
          target: /app
  ext:
    extends:
      file: {P}sub/base.yml
      service: base
volumes:
  dev:
    driver: local
    driver_opts: {{type: none, o: bind, device: {P}data}}
secrets:
  s:
    file: {P}{SECRET}
configs:
  c:
    file: {P}c.txt
"""

BASE = """\
services:
  base:
    image: busybox:1.36
    volumes:
      - ./bdata:/bd
    env_file: ./b.env
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """proj/ with the files PATHS names; HOME is tmp_path/home for compose and the diff."""
    proj = tmp_path / "proj"
    for folder in ("ctx", "data/x", "sub", "other"):
        (proj / folder).mkdir(parents=True)
    for name, text in {
        "app.env": "A=1\n",
        "lab.env": "L=1\n",
        "s.txt": "s\n",
        "s2.txt": "t\n",
    }.items():
        (proj / name).write_text(text, encoding="utf-8")
    (proj / "c.txt").write_text("c\n", encoding="utf-8")
    (proj / "sub" / "b.env").write_text("B=1\n", encoding="utf-8")
    (proj / "sub" / "base.yml").write_text(BASE, encoding="utf-8")
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return proj


def _write(path: Path, prefix: str, home: str, data: str = "data", secret: str = "s.txt") -> Path:
    path.write_text(PATHS.format(P=prefix, HOME=home, DATA=data, SECRET=secret), encoding="utf-8")
    return path


def _compose_reads(path: Path, home: Path) -> dict[str, object]:
    result = compose_config(path, cwd=path.parent, env={"HOME": str(home)}, project_name="p")
    assert result.returncode == 0, result.stderr
    assert result.config is not None
    return result.config


def test_absolute_and_home_paths_reach_the_same_files(project: Path) -> None:
    home = project.parent / "home"
    left = _write(project / "compose.yml", "./", "~/")
    right = _write(project / "other" / "compose.yml", f"{project}/", f"{home}/")
    # the engine's verdict: the two files mean the same
    assert _compose_reads(left, home) == _compose_reads(right, home)
    for one, other in ((left, right), (right, left)):
        assert run_diff(one, other, left_type="compose").changes == ()


def test_other_files_still_differ(project: Path) -> None:
    home = project.parent / "home"
    left = _write(project / "compose.yml", "./", "~/")
    right = _write(project / "other" / "c.yml", f"{project}/", f"{home}/", "data/x", "s2.txt")
    left_read, right_read = _compose_reads(left, home), _compose_reads(right, home)
    assert left_read != right_read
    changes = run_diff(left, right, left_type="compose").changes
    assert [(c.path, c.left, c.right) for c in changes] == [
        ("services.web.volumes[target=/data].source", "./data", "./data/x"),
        ("secrets.s.file", "./s.txt", "./s2.txt"),
    ]


def test_extends_file_paths_reach_the_base_files_folder(project: Path) -> None:
    # compose reads ./bdata and ./b.env of sub/base.yml in sub/, not beside compose.yml
    home = project.parent / "home"
    left = _write(project / "compose.yml", "./", "~/")
    ext = _compose_reads(left, home)["services"]["ext"]  # type: ignore[index]
    assert ext["volumes"][0]["source"] == str(project / "sub" / "bdata")
    assert ext["environment"] == {"B": "1"}
    result = run_diff(left, left, left_type="compose")
    assert result.left_stack["services"]["ext"]["volumes"] == [
        {
            "type": "bind",
            "source": "./sub/bdata",
            "target": "/bd",
            "bind": {"create_host_path": True},
        }
    ]
    assert result.left_stack["services"]["ext"]["env_file"] == ["./sub/b.env"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("./data", "./data"),
        ("data/", "./data"),
        ("/p/proj/data", "./data"),
        ("/p/proj", "."),
        ("../x", "../x"),
        ("/p/x/../y", "../y"),
        # sharing no folder but / with LEFT's folder: absolute
        ("/var/run/docker.sock", "/var/run/docker.sock"),
        ("../../var/run/docker.sock", "/var/run/docker.sock"),
        ("../../../../../var/x", "/var/x"),  # above / is / (Go filepath.Join, Python normpath)
        # compose-go ExpandUser: ~ and ~NAME are both $HOME joined with the rest
        ("~/cache", "../home/cache"),
        ("~cache", "../home/cache"),
        ("~", "../home"),
        # still to interpolate, or not a path: as written
        ("${D}/x", "${D}/x"),
        ("${D:-/p/proj/x}/y", "${D:-./x}/y"),
        ("https://github.com/a/b.git", "https://github.com/a/b.git"),
    ],
)
def test_same_file(text: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/p/home")
    assert same_file(text, Path("/p/proj"), Path("/p/proj")) == expected


def test_home_unset_keeps_the_tilde(monkeypatch: pytest.MonkeyPatch) -> None:
    # compose-go warns "cannot expand '~'" and keeps the text
    monkeypatch.delenv("HOME", raising=False)
    assert same_file("~/x", Path("/p"), Path("/p")) == "~/x"


def test_ssh_and_context_entries_keep_their_names() -> None:
    # compose-go maybeUnixPath on each ssh key's file and absContextPath on each context; a
    # service:NAME context and a name without a file are not paths
    data = {
        "services": {
            "web": {
                "build": {
                    "context": "/p/proj",
                    "ssh": ["default", "k=/p/proj/id"],
                    "additional_contexts": ["a=/p/proj/d", "s=service:db", "i=docker-image://x"],
                }
            }
        }
    }
    out = canonical(data, Path("/p/proj"), Path("/p/proj"))
    assert out["services"]["web"]["build"] == {
        "context": ".",
        "ssh": ["default", "k=./id"],
        "additional_contexts": ["a=./d", "s=service:db", "i=docker-image://x"],
    }
    assert data["services"]["web"]["build"]["ssh"][1] == "k=/p/proj/id"  # input unchanged

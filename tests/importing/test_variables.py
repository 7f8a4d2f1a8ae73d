"""``${VAR}`` in any field compose interpolates, by one rule (docs/import.md "Variables").

For each kind of field, a compose file writes the field with a reference, and compose itself
judges ``import`` → ``render``:

* **.env**: the variables stand in the ``.env`` beside the original. Import writes their
  values into the profile; the file render writes in another folder, with no ``.env`` there,
  must read (``docker compose config``, canonical JSON) as the original reads with its ``.env``.
* **environment**: no ``.env``; the variables come from the environment compose runs in, the
  same for both. Import keeps the references, so both files read the same values.

The expected meaning is the original's, as the real loader reads it: nothing is copied from
stackgen's output.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from engines import compose_config
from helpers import run_stackgen

#: field kind → (the service ``web``'s keys as compose text, the variables)
CASES: dict[str, tuple[str, dict[str, str]]] = {
    "image tag": ('image: "nginx:${TAG}"', {"TAG": "1.27"}),
    "image with default": ('image: "${IMAGE:-nginx:1.25}"', {"IMAGE": "nginx:1.26"}),
    "short port": ('ports: ["${PORT}:80", "127.0.0.1:${P2:-9000}:90"]', {"PORT": "8080"}),
    "long port": (
        'ports: [{target: "${T}", published: "${P}", host_ip: "${IP}"}]',
        {"T": "80", "P": "8081", "IP": "127.0.0.1"},
    ),
    "ports of references": ('ports: ["${CP}", "${HP}:${CP}/udp"]', {"HP": "5353", "CP": "53"}),
    "expose": ('expose: ["${EXP}"]', {"EXP": "90"}),
    "cpus": ('cpus: "${CPUS}"', {"CPUS": "0.5"}),
    "mem_limit": ("mem_limit: ${MEM_LIMIT}", {"MEM_LIMIT": "512m"}),
    "shm_size": ("shm_size: ${SHM}", {"SHM": "64m"}),
    "stop_grace_period": ("stop_grace_period: ${GRACE}", {"GRACE": "1m30s"}),
    "healthcheck": (
        'healthcheck: {test: ["CMD", "wget", "-q", "http://127.0.0.1:${HPORT}/"], '
        'interval: "${INT}", timeout: "${TO}", retries: "${RET}", start_period: "${SP}"}',
        {"HPORT": "80", "INT": "10s", "TO": "3s", "RET": "5", "SP": "1m"},
    ),
    "healthcheck disable": (
        'healthcheck: {test: ["CMD", "true"], disable: "${NO_PROBE}"}',
        {"NO_PROBE": "false"},
    ),
    "healthcheck shell": (
        'healthcheck: {test: "wget -q http://127.0.0.1:$${PORT:-80}/ || exit ${CODE}"}',
        {"CODE": "1"},
    ),
    "deploy": (
        'deploy: {replicas: "${REPL}", resources: {limits: {memory: "${MEM}", '
        'cpus: "${CPUS}"}, reservations: {memory: "${RES:-256m}"}}}',
        {"REPL": "2", "MEM": "1g", "CPUS": "1.5"},
    ),
    "deploy labels": ('deploy: {labels: {a: "$$x-${V}"}}', {"V": "v"}),
    # a name without a value takes the variable's value, from the .env too
    "bare environment": ('environment: [BARE, "A=${A}"]', {"BARE": "b$$1", "A": "a"}),
    "bare environment map": ("environment: {BARE2: null}", {"BARE2": "two"}),
    "environment": (
        'environment: {A: "${A}", B: "x-${B:-d}", D: "$$HOME"}',
        {"A": "a value", "B": ""},
    ),
    "list environment": ('environment: ["A=${A}", "B=${B:+set}"]', {"A": "1", "B": "y"}),
    "labels": ('labels: {a: "${L}", b: "${L2:-two}"}', {"L": "one"}),
    "volumes": ('volumes: ["${SRC}:/data:${MODE:-ro}"]', {"SRC": "/srv/data"}),
    "long volume": (
        'volumes: [{type: bind, source: "${SRC}", target: /d, read_only: "${RO}"}]',
        {"SRC": "/srv/d", "RO": "true"},
    ),
    "command": ('command: ["echo", "${MSG}", "$$HOME"]', {"MSG": "hello"}),
    "entrypoint": ('entrypoint: "/bin/sh -c ${SCRIPT}"', {"SCRIPT": "run.sh"}),
    "strings": (
        'user: "${UID}:${GID}"\n    working_dir: "${WD}"\n    hostname: "${HOST}"',
        {"UID": "1000", "GID": "1000", "WD": "/app", "HOST": "web1"},
    ),
    "booleans": (
        'privileged: "${PRIV}"\n    read_only: "${RO}"\n    init: "${INIT}"\n    tty: "${TTY}"',
        {"PRIV": "true", "RO": "false", "INIT": "yes", "TTY": "off"},
    ),
    "integers": (
        'pids_limit: "${PIDS}"\n    oom_score_adj: "${OOM}"\n'
        '    ulimits: {nofile: {soft: "${SOFT}", hard: "${HARD}"}, nproc: "${NPROC}"}',
        {"PIDS": "100", "OOM": "-500", "SOFT": "1024", "HARD": "2048", "NPROC": "64"},
    ),
    "extra_hosts": (
        'extra_hosts: ["${HOSTNAME_A}:${IP_A}"]',
        {"HOSTNAME_A": "a", "IP_A": "10.0.0.1"},
    ),
    "logging": (
        'logging: {driver: json-file, options: {max-size: "${LOGSIZE}", max-file: "${N}"}}',
        {"LOGSIZE": "10m", "N": "3"},
    ),
    "networks": ('networks: {default: {aliases: ["${ALIAS}"]}}', {"ALIAS": "www"}),
    "sysctls": ('sysctls: {net.core.somaxconn: "${SOMAX}"}', {"SOMAX": "1024"}),
    "tmpfs": ('tmpfs: ["/run:size=${TMPSZ}"]', {"TMPSZ": "65536k"}),
    "stop_signal": ('stop_signal: "${SIG}"', {"SIG": "SIGINT"}),
}

#: fields whose value stackgen must know (a restart policy, the services a service waits for):
#: a variable the .env does not set is read as compose reads it without it (see the test below)
NEEDS_VALUE: dict[str, tuple[str, dict[str, str]]] = {
    "restart": ('restart: "${RESTART}"', {"RESTART": "on-failure:3"}),
    "depends_on entry": ('depends_on: ["${DB_HOST}"]', {"DB_HOST": "db"}),
    "depends_on default": ('depends_on: ["${DB_HOST:-db}"]', {"DB_HOST": "db"}),
    "depends_on condition": (
        'depends_on: {db: {condition: "${COND}", restart: "${RS}"}}',
        {"COND": "service_started", "RS": "true"},
    ),
}


def _compose(fields: str) -> str:
    return (
        f"services:\n  web:\n    image: nginx:1.27\n    {fields}\n  db:\n    image: postgres:16\n"
    )


def _write(folder: Path, fields: str) -> None:
    text = _compose(fields)
    if fields.startswith("image:"):
        text = text.replace("    image: nginx:1.27\n", "", 1)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "compose.yml").write_text(text, encoding="utf-8")


def _import_render(tmp_path: Path) -> dict[str, Any]:
    """import --as-is in `profiles/`, render into `out/x/`; the rendered file as compose reads
    it there (no .env)."""
    (tmp_path / "profiles").mkdir()
    done = run_stackgen(
        "import", "orig/compose.yml", "--as-is", "-o", "profiles/p.yml", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    done = run_stackgen("render", "profiles/p.yml", "-o", "out/x/compose.yml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return yaml.safe_load((tmp_path / "profiles" / "p.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", list(CASES) + list(NEEDS_VALUE))
def test_variables_from_the_env_file_are_resolved(case: str, tmp_path: Path) -> None:
    fields, env = {**CASES, **NEEDS_VALUE}[case]
    orig = tmp_path / "orig"
    _write(orig, fields)
    (orig / ".env").write_text("".join(f"{k}={v}\n" for k, v in env.items()), encoding="utf-8")
    original = compose_config(cwd=orig, project_name="t")
    assert original.returncode == 0, original.stderr
    profile = _import_render(tmp_path)
    rendered = compose_config(cwd=tmp_path / "out" / "x", project_name="t")
    assert rendered.returncode == 0, rendered.stderr
    # no warning of its own (compose's warning about `yes` for a boolean goes: it is `true`)
    assert set(rendered.warnings) <= set(original.warnings)
    assert rendered.config == original.config
    # the values are in the profile: no reference to a variable the .env set is left
    text = yaml.safe_dump(profile)
    assert not [n for n in env if re.search(r"\$\{" + n + r"(?![A-Za-z0-9_])", text)], text


@pytest.mark.parametrize("case", list(CASES))
def test_variables_from_the_environment_are_kept(case: str, tmp_path: Path) -> None:
    fields, env = CASES[case]
    orig = tmp_path / "orig"
    _write(orig, fields)
    original = compose_config(cwd=orig, project_name="t", env=env)
    assert original.returncode == 0, original.stderr
    _import_render(tmp_path)
    rendered = compose_config(cwd=tmp_path / "out" / "x", project_name="t", env=env)
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.config == original.config
    # the references (or bare names) are kept: another environment reaches the rendered file
    text = (tmp_path / "out" / "x" / "compose.yml").read_text(encoding="utf-8")
    assert [n for n in env if n not in text] == []


def test_a_value_stackgen_must_know_is_read_as_compose_reads_it_without_the_variable(
    tmp_path: Path,
) -> None:
    orig = tmp_path / "orig"
    _write(
        orig,
        'restart: "${RESTART:-always}"\n    depends_on: '
        '{db: {condition: "${COND:-service_started}"}}\n  cache:\n    image: redis:7\n'
        '    depends_on: ["${DB_HOST:-db}"]',
    )
    original = compose_config(cwd=orig, project_name="t")
    assert original.config is not None, original.stderr
    assert original.config["services"]["web"]["restart"] == "always"
    assert original.config["services"]["web"]["depends_on"]["db"]["condition"] == (
        "service_started"
    )
    assert list(original.config["services"]["cache"]["depends_on"]) == ["db"]
    (tmp_path / "profiles").mkdir()
    done = run_stackgen(
        "import", "orig/compose.yml", "--as-is", "-o", "profiles/p.yml", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    profile = yaml.safe_load((tmp_path / "profiles" / "p.yml").read_text(encoding="utf-8"))
    assert profile["services"]["web"]["restart"] == "always"
    assert profile["services"]["web"]["depends_on"] == {"db": {"condition": "service_started"}}
    assert profile["services"]["cache"]["depends_on"] == ["db"]
    # said, at the compose key, naming the variable
    assert "orig/compose.yml:4:5: services.web.restart: RESTART not set" in done.stderr
    assert "services.web.depends_on.db.condition: COND not set" in done.stderr
    assert "services.cache.depends_on[0]: DB_HOST not set" in done.stderr


def test_secret_named_variables_stay_references_even_when_the_env_file_sets_them(
    tmp_path: Path,
) -> None:
    orig = tmp_path / "orig"
    fields = (
        'environment: {DB_PASSWORD: "${DB_PASSWORD}", API_TOKEN: null, MODE: "${MODE}", '
        'URL: "pg://u:${DB_PASSWORD}@db/${MODE}", SIGNING_KEY: "${SIGNING_KEY:-dev-key}"}\n'
        '    command: ["run", "--key=${SIGNING_KEY:-dev-key}"]'
    )
    _write(orig, fields)
    secrets = {"DB_PASSWORD": "hunter2-x", "API_TOKEN": "tok-9z", "SIGNING_KEY": "k-77q"}
    env_text = "".join(f"{k}={v}\n" for k, v in {**secrets, "MODE": "prod"}.items())
    (orig / ".env").write_text(env_text, encoding="utf-8")
    original = compose_config(cwd=orig, project_name="t")
    assert original.returncode == 0, original.stderr
    (tmp_path / "profiles").mkdir()
    # --as-is: the render is then compared with the original by compose itself (below)
    done = run_stackgen(
        "import", "orig/compose.yml", "--as-is", "-o", "profiles/p.yml", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "profiles" / "p.yml").read_text(encoding="utf-8")
    web = yaml.safe_load(text)["services"]["web"]
    # the secret-named ones are kept as written (bare name, default), everywhere they occur;
    # MODE is not secret-named: its value is written, as before
    assert web["environment"] == {
        "DB_PASSWORD": "${DB_PASSWORD}",
        "API_TOKEN": None,
        "MODE": "prod",
        "URL": "pg://u:${DB_PASSWORD}@db/prod",
        "SIGNING_KEY": "${SIGNING_KEY:-dev-key}",
    }
    # a command holding a reference is written as given (docs/import.md "Variables")
    assert web["verbatim"]["command"] == ["run", "--key=${SIGNING_KEY:-dev-key}"]
    for value in secrets.values():
        assert value not in text and value not in done.stderr and value not in done.stdout
    # one warning per variable, names only, at its first use in the compose file
    notes = [line for line in done.stderr.splitlines() if "its name says secret" in line]
    assert [line.split(": ")[1] for line in notes] == [
        "services.web.environment.DB_PASSWORD",
        "services.web.environment.API_TOKEN",
        "services.web.environment.SIGNING_KEY",
    ]
    assert all(line.startswith("orig/compose.yml:") for line in notes)
    # the rendered file means what the original means once those variables are set where
    # compose runs (here its environment; the .env stays beside the original)
    done = run_stackgen("render", "profiles/p.yml", "-o", "out/x/compose.yml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rendered = compose_config(cwd=tmp_path / "out" / "x", project_name="t", env=secrets)
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.config == original.config

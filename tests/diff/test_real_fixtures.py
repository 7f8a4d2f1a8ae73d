"""Every real compose file: it loads; a meaning-preserving rewrite is no drift; each single
semantic mutation is exactly one change at the right path.

The rewriter works on the file as the loader reads it (anchors and merge keys expanded, ``$$``
and ``${VAR}`` still as written) and writes it back without anchors.
"""

from __future__ import annotations

import copy
import random
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from diff.difftools import write_yaml

from helpers import REAL, real_params
from stackgen.compose.units import parse_duration
from stackgen.compose.validate import read_model
from stackgen.compose.values import parse_port, split_key_value
from stackgen.diff.compare import Change, compare
from stackgen.diff.normalise import normalise
from stackgen.yamlio.loader import load_file

# every test here reads ../shared/fixtures/real
pytestmark = pytest.mark.fixtures

COMPOSE_FILES = sorted(p for p in REAL.rglob("*") if p.suffix in (".yml", ".yaml"))
HIGHLIGHT_PAIR = [REAL / "highlight" / "compose.yml", REAL / "highlight" / "compose.hobby.yml"]
# (not dns: its order is the order resolv.conf tries nameservers in)
SET_LIKE = ("ports", "volumes", "cap_add", "expose", "secrets", "configs")


def _id(path: Path) -> str:
    return str(path.relative_to(REAL))


def drift_of(left: list[Path], right: list[Path]) -> tuple[Change, ...]:
    """Changes between two sets of compose files (each merged like -f a -f b)."""
    left_model, _ = read_model(left)
    right_model, _ = read_model(right)
    return compare(normalise(left_model.data), normalise(right_model.data), right_model).changes


def raw(path: Path) -> dict[str, Any]:
    """The file as the loader reads it."""
    data = load_file(path).data
    assert isinstance(data, dict)
    return data


def beside(path: Path, folder: Path) -> Path:
    """Where a rewrite of fixture ``path`` is written in ``folder``: a copy of the fixture's
    folder is put there first, so the files it names (an ``extends.file`` base, whose own
    relative paths reach its folder's files) are the same relative to it."""
    shutil.copytree(path.parent, folder, dirs_exist_ok=True)
    return folder / path.name


def _shuffled(rng: random.Random, value: Any) -> Any:
    if isinstance(value, dict):
        items = [(k, _shuffled(rng, v)) for k, v in value.items()]
        rng.shuffle(items)
        return dict(items)
    if isinstance(value, list):
        return [_shuffled(rng, v) for v in value]
    return value


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _flip_map(value: Any) -> Any:
    """environment/labels: list ⇄ map (a list with repeated keys is kept: a map would merge them)."""
    if isinstance(value, dict):
        return [k if v is None else f"{k}={_text(v)}" for k, v in value.items()]
    if isinstance(value, list):
        keys = [split_key_value(item)[0] for item in value]
        if len(set(keys)) != len(keys):
            return value
        return dict(split_key_value(item) for item in value)
    return value


def _flip_port(item: Any) -> Any:
    """Short ⇄ long port syntax (entries that expand to several ports stay short)."""
    if isinstance(item, dict):
        if set(item) - {"target", "published", "protocol", "host_ip"}:
            return item
        text = (
            f"{item['published']}:{item['target']}" if "published" in item else f"{item['target']}"
        )
        if item.get("host_ip"):
            text = f"{item['host_ip']}:{text}"
        return f"{text}/{item.get('protocol', 'tcp')}"
    entries = parse_port(item)
    if len(entries) != 1 or not isinstance(entries[0]["target"], int):
        return item
    return entries[0]


def _flip_depends(value: Any) -> Any:
    if isinstance(value, list):
        return {name: {"condition": "service_started"} for name in value}
    if isinstance(value, dict) and all(
        isinstance(v, dict) and v == {"condition": "service_started"} for v in value.values()
    ):
        return list(value)
    return value


def _flip_healthcheck(check: dict[str, Any]) -> None:
    test = check.get("test")
    if isinstance(test, str):
        check["test"] = ["CMD-SHELL", test]
    elif isinstance(test, list) and len(test) == 2 and test[0] == "CMD-SHELL":
        check["test"] = test[1]
    for key in ("interval", "timeout", "start_period"):
        if isinstance(check.get(key), str) and "$" not in check[key]:
            check[key] = f"{round(parse_duration(check[key]) * 1000)}ms"


def rewrite(data: dict[str, Any], seed: int) -> dict[str, Any]:
    """A meaning-preserving rewrite of a compose mapping (see the module docstring)."""
    rng = random.Random(seed)
    out = copy.deepcopy(data)
    for spec in (out.get("services") or {}).values():
        if not isinstance(spec, dict):
            continue
        for key in ("environment", "labels"):
            if key in spec:
                spec[key] = _flip_map(spec[key])
        if isinstance(spec.get("ports"), list):
            spec["ports"] = [_flip_port(p) for p in spec["ports"]]
        if "depends_on" in spec:
            spec["depends_on"] = _flip_depends(spec["depends_on"])
        if isinstance(spec.get("healthcheck"), dict):
            _flip_healthcheck(spec["healthcheck"])
        for key in SET_LIKE:
            if isinstance(spec.get(key), list):
                rng.shuffle(spec[key])
    return _shuffled(rng, out)


@pytest.mark.parametrize("path", real_params(lambda: COMPOSE_FILES), ids=_id)
def test_real_file_loads(path: Path) -> None:
    model, _ = read_model([path])
    assert isinstance(model.data, dict)
    assert model.data.get("services"), "every real file defines services"


def test_highlight_pair_loads_merged() -> None:
    model, _ = read_model(HIGHLIGHT_PAIR)
    services = model.data["services"]
    # compose.yml holds the infrastructure, compose.hobby.yml the application half
    assert {"postgres", "kafka", "clickhouse", "backend", "frontend"} <= set(services)


@pytest.mark.parametrize("path", real_params(lambda: COMPOSE_FILES), ids=_id)
def test_meaning_preserving_rewrite_is_no_drift(path: Path, tmp_path: Path) -> None:
    rewritten = write_yaml(beside(path, tmp_path), rewrite(raw(path), seed=7))
    assert drift_of([path], [rewritten]) == ()


def test_rewrite_really_changes_the_text(tmp_path: Path) -> None:
    path = REAL / "highlight" / "compose.yml"
    rewritten = write_yaml(tmp_path / "c.yml", rewrite(raw(path), seed=7))
    data = load_file(rewritten).data
    kafka = data["services"]["kafka"]
    assert kafka["depends_on"] == {"zookeeper": {"condition": "service_started"}}
    assert kafka["ports"] == [
        {"target": 9092, "published": "9092", "protocol": "tcp", "host_ip": "0.0.0.0"}
    ]
    assert isinstance(kafka["environment"], list)


def test_highlight_pair_rewrite_is_no_drift(tmp_path: Path) -> None:
    rewritten = [write_yaml(beside(p, tmp_path), rewrite(raw(p), seed=11)) for p in HIGHLIGHT_PAIR]
    assert drift_of(HIGHLIGHT_PAIR, rewritten) == ()


# --- single semantic mutations --------------------------------------------------------------

Expected = tuple[str, str, Any, Any]  # path, kind, left, right
Mutation = Callable[[dict[str, Any]], Expected | None]


def _candidates(data: dict[str, Any], need: Callable[[dict[str, Any]], bool]) -> list[str]:
    """Services a mutation may touch: not extended by another service of the file (a change
    there would show in each extending service too); local services first."""
    services = data.get("services") or {}
    extended = {
        spec["extends"] if isinstance(spec["extends"], str) else spec["extends"].get("service")
        for spec in services.values()
        if isinstance(spec, dict)
        and "extends" in spec
        and (isinstance(spec["extends"], str) or "file" not in spec["extends"])
    }
    names = [
        n for n, s in services.items() if isinstance(s, dict) and n not in extended and need(s)
    ]
    return sorted(names, key=lambda n: "extends" in services[n])


def mutate_env(data: dict[str, Any]) -> Expected | None:
    for name in _candidates(data, lambda s: bool(s.get("environment"))):
        env = data["services"][name]["environment"]
        if isinstance(env, dict):
            for key, value in env.items():
                if value is not None:
                    env[key] = f"{_text(value)}-mutated"
                    return f"services.{name}.environment.{key}", "changed", _text(value), None
        else:
            keys = [split_key_value(item)[0] for item in env]
            for i, item in enumerate(env):
                key, value = split_key_value(item)
                if value is not None and keys.count(key) == 1:
                    env[i] = f"{key}={value}-mutated"
                    return f"services.{name}.environment.{key}", "changed", value, None
    return None


def mutate_image(data: dict[str, Any]) -> Expected | None:
    # an image without a ${…} reference first; one with a reference is replaced whole:
    # cutting a tag out of its text could leave an unclosed ${ or a bad separator, which
    # compose refuses (invalid interpolation format)
    names = _candidates(data, lambda s: isinstance(s.get("image"), str))
    for name in sorted(names, key=lambda n: "$" in data["services"][n]["image"]):
        spec = data["services"][name]
        image = spec["image"]
        head, _, last = image.rpartition("/")
        repo = last.split(":")[0].split("@")[0]
        spec["image"] = (
            "registry.example/mutated:1"
            if "$" in image
            else f"{head}/{repo}:mutated"
            if head
            else f"{repo}:mutated"
        )
        return f"services.{name}.image", "changed", image, spec["image"]
    return None


def mutate_published_port(data: dict[str, Any]) -> Expected | None:
    def pick(spec: dict[str, Any]) -> int | None:
        ports = spec.get("ports")
        if not isinstance(ports, list):
            return None
        entries = [parse_port(p) for p in ports]
        labels = [(e[0]["target"], e[0]["protocol"]) for e in entries if len(e) == 1]
        for i, found in enumerate(entries):
            if len(found) != 1 or labels.count((found[0]["target"], found[0]["protocol"])) != 1:
                continue
            if str(found[0].get("published", "")).isdigit() and found[0]["protocol"] == "tcp":
                return i
        return None

    for name in _candidates(data, lambda s: pick(s) is not None):
        spec = data["services"][name]
        i = pick(spec)
        assert i is not None
        (entry,) = parse_port(spec["ports"][i])
        new = dict(entry, published="65001")
        spec["ports"][i] = new
        path = f"services.{name}.ports[target={entry['target']}].published"
        return path, "changed", entry["published"], "65001"
    return None


def mutate_restart(data: dict[str, Any]) -> Expected | None:
    names = _candidates(data, lambda s: isinstance(s.get("restart"), str))
    if not names:
        return None
    spec = data["services"][names[0]]
    old = spec["restart"]
    spec["restart"] = "unless-stopped" if old == "always" else "always"
    return f"services.{names[0]}.restart", "changed", old, spec["restart"]


def mutate_retries(data: dict[str, Any]) -> Expected | None:
    def has(s: dict[str, Any]) -> bool:
        check = s.get("healthcheck")
        if not isinstance(check, dict) or "test" not in check or check.get("disable"):
            return False
        # `retries: $HEALTHCHECK_RETRIES` (sentry) is not a count until interpolated
        return str(check.get("retries", 0)).isdigit()

    for name in _candidates(data, has):
        check = data["services"][name]["healthcheck"]
        path = f"services.{name}.healthcheck.retries"
        if "retries" in check:
            old = int(check["retries"])
            check["retries"] = old + 1
            return path, "changed", old, old + 1
        check["retries"] = 7
        return path, "added", None, 7
    return None


def mutate_condition(data: dict[str, Any]) -> Expected | None:
    for name in _candidates(data, lambda s: bool(s.get("depends_on"))):
        spec = data["services"][name]
        deps = spec["depends_on"]
        if isinstance(deps, list):
            first = deps[0]
            spec["depends_on"] = {
                d: {"condition": "service_healthy" if d == first else "service_started"}
                for d in deps
            }
            path = f"services.{name}.depends_on.{first}.condition"
            return path, "changed", "service_started", "service_healthy"
        first = next(iter(deps))
        entry = deps[first] if isinstance(deps[first], dict) else {}
        old = entry.get("condition", "service_started")
        new = "service_started" if old == "service_healthy" else "service_healthy"
        deps[first] = {**entry, "condition": new}
        return f"services.{name}.depends_on.{first}.condition", "changed", old, new
    return None


def mutate_command_order(data: dict[str, Any]) -> Expected | None:
    def argv(s: dict[str, Any]) -> list[str] | None:
        command = s.get("command")
        items = shlex.split(command) if isinstance(command, str) else command
        if isinstance(items, list) and len(items) >= 2 and items[0] != items[1]:
            return [str(i) for i in items]
        return None

    for name in _candidates(data, lambda s: argv(s) is not None):
        spec = data["services"][name]
        items = argv(spec)
        assert items is not None
        swapped = [items[1], items[0], *items[2:]]
        spec["command"] = swapped
        return f"services.{name}.command", "changed", items, swapped
    return None


def mutate_remove_service(data: dict[str, Any]) -> Expected | None:
    names = _candidates(data, lambda s: True)
    if not names:
        return None
    del data["services"][names[0]]
    return f"services.{names[0]}", "removed", None, None


MUTATIONS: dict[str, Mutation] = {
    "env": mutate_env,
    "image": mutate_image,
    "port": mutate_published_port,
    "restart": mutate_restart,
    "retries": mutate_retries,
    "condition": mutate_condition,
    "command": mutate_command_order,
    "remove": mutate_remove_service,
}


# only the (file, mutation) pairs where the file has something to mutate: a file without a
# command list gets no command-order case (test_every_mutation_applies_somewhere covers kinds)
APPLICABLE = real_params(
    lambda: [
        pytest.param(path, mutation, id=f"{_id(path)}-{mutation}")
        for path in COMPOSE_FILES
        for mutation in MUTATIONS
        if MUTATIONS[mutation](raw(path)) is not None
    ],
    2,
)


@pytest.mark.parametrize(("path", "mutation"), APPLICABLE)
def test_single_mutation_is_exactly_one_change(path: Path, mutation: str, tmp_path: Path) -> None:
    data = raw(path)
    expected = MUTATIONS[mutation](data)
    assert expected is not None
    mutated = write_yaml(beside(path, tmp_path), data)
    changes = drift_of([path], [mutated])
    assert len(changes) == 1, [c.path for c in changes]
    (change,) = changes
    want_path, want_kind, want_left, want_right = _read_back(expected)
    assert (change.path, change.kind) == (want_path, want_kind)
    if want_kind == "changed" and mutation != "env":
        assert (change.left, change.right) == (want_left, want_right)
    if mutation == "env":
        assert change.left == want_left
        assert change.right == f"{want_left}-mutated"
    assert change.file == str(mutated)


def _unescape(value: Any) -> Any:
    # the reader reads `$$` as `$` (compose's escape) and keeps `${VAR}` as written
    if isinstance(value, str):
        return value.replace("$$", "$")
    if isinstance(value, list):
        return [_unescape(v) for v in value]
    return value


def _read_back(expected: Expected) -> Expected:
    path, kind, left, right = expected
    return path, kind, _unescape(left), _unescape(right)


def test_every_mutation_applies_somewhere() -> None:
    """Each mutation kind must have been exercised on at least one real file."""
    for name, mutation in MUTATIONS.items():
        assert any(mutation(raw(p)) is not None for p in COMPOSE_FILES), name

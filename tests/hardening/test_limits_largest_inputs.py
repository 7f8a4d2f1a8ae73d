"""Issue 15 point 2: every input within the documented limits finishes in under 10 s and 2 GB.

The largest inputs the limits allow, written from the limits themselves: the largest ``x-``
mapping (every node the node limit allows), the most services (their nodes spread over
environments) and the most text (the byte limit in long values, plus the alias text limit).
Each command runs on each, as a profile and as a compose file, in a child process held to
10 s of CPU and 2 GiB of address space by ``setrlimit`` (a resource bound, not a timed
assertion: the child is killed past it and the test fails on its exit status). One past each
limit is refused with exit 2 before the work starts.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from helpers import run_stackgen_bounded
from stackgen.yamlio import limits
from stackgen.yamlio.limits import (
    MAX_ALIAS_BYTES,
    MAX_BYTES,
    MAX_NODES,
    MAX_SERVICES,
)

pytestmark = pytest.mark.skipif(os.name != "posix", reason="setrlimit is POSIX")


def _nodes(text: str) -> int:
    kinds = (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)
    return sum(isinstance(e, kinds) for e in yaml.parse(text, Loader=limits.BaseLoader))


# Each shape: the text of a compose file; the profile is `name: big` (2 nodes) and the same.


def _mapping() -> str:
    # root, name and its value, services and its mapping, web and its mapping, image and its
    # value, x-big and its mapping: 11 nodes, then 2 per key
    keys = (MAX_NODES - 11) // 2
    body = "".join(f"      k{i}: v{i}\n" for i in range(keys))
    return f"services:\n  web:\n    image: nginx:1.27\n    x-big:\n{body}"


def _services() -> str:
    # root, name and its value, services and its mapping: 5 nodes; per service its key and
    # mapping, image and its value, environment and its mapping (6) and 2 per variable. The
    # nodes left over go to the first service's environment.
    env = (((MAX_NODES - 5) // MAX_SERVICES) - 6) // 2
    extra = (MAX_NODES - 5 - MAX_SERVICES * (6 + 2 * env)) // 2

    def service(i: int) -> str:
        count = env + (extra if i == 0 else 0)
        variables = "".join(f"      E{j}: v{j}\n" for j in range(count))
        return f"  s{i}:\n    image: nginx:1.27\n    environment:\n{variables}"

    return "services:\n" + "".join(service(i) for i in range(MAX_SERVICES))


def _text() -> str:
    alias = "a" * (MAX_ALIAS_BYTES - 64)  # copied once more by its alias
    head = f"services:\n  web:\n    image: nginx:1.27\n    x-a: &a {alias}\n    x-big:\n"
    head += "      b: *a\n"
    room = MAX_BYTES - len(head) - len("name: big\n") - 64 * len("      k00: \n")
    value = "v" * (room // 64)
    return head + "".join(f"      k{i:02d}: {value}\n" for i in range(64))


SHAPES: dict[str, Callable[[], str]] = {
    "largest-x-mapping": _mapping,
    "most-services": _services,
    "most-text": _text,
}
#: what the last entry of each shape looks like in rendered or imported text
LAST = {
    "largest-x-mapping": f"k{(MAX_NODES - 11) // 2 - 1}: v{(MAX_NODES - 11) // 2 - 1}\n",
    "most-services": f"  s{MAX_SERVICES - 1}:\n",
    "most-text": "  k63: vvvv",
}
COMMANDS = [
    ("render", "big.yml", "-o", "-"),
    ("check", "big.yml"),
    ("check", "compose.yml"),
    ("diff", "big.yml", "big.yml"),
    ("diff", "compose.yml", "compose.yml"),
    ("graph", "big.yml"),
    ("graph", "compose.yml"),
    ("import", "compose.yml", "-o", "-"),
]


@pytest.fixture(scope="module", params=list(SHAPES))
def shape(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp(request.param)
    compose = SHAPES[request.param]()
    profile = "name: big\n" + compose
    (folder / "compose.yml").write_text(compose, encoding="utf-8")
    (folder / "big.yml").write_text(profile, encoding="utf-8")
    return folder


def _shape_name(folder: Path) -> str:
    return next(name for name in SHAPES if folder.name.startswith(name))


@pytest.mark.slow
def test_the_shapes_are_at_the_limits(shape: Path) -> None:
    text = (shape / "big.yml").read_text(encoding="utf-8")
    size = len(text.encode())
    assert size <= MAX_BYTES
    name = _shape_name(shape)
    if name == "most-text":
        assert size >= MAX_BYTES - 256
        assert text.count("a") >= MAX_ALIAS_BYTES - 64
    else:
        assert MAX_NODES - 60 <= _nodes(text) <= MAX_NODES
    if name == "most-services":
        assert len(yaml.safe_load(text)["services"]) == MAX_SERVICES


@pytest.mark.slow
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c[:2]))
def test_every_command_on_the_largest_inputs_finishes_within_the_bounds(
    shape: Path, command: tuple[str, ...]
) -> None:
    done = run_stackgen_bounded(*command, cwd=shape)
    # never killed (negative: SIGKILL at 2 GiB, SIGXCPU at 10 s); identical files, no finding
    assert done.returncode == 0, (done.returncode, done.stderr[-400:])
    if command[0] in ("render", "import"):
        assert LAST[_shape_name(shape)] in done.stdout


def test_one_service_past_the_limit_is_refused_before_the_work(tmp_path: Path) -> None:
    body = "".join(f"  s{i}: {{image: nginx}}\n" for i in range(MAX_SERVICES + 1))
    (tmp_path / "p.yml").write_text(f"name: p\nservices:\n{body}", encoding="utf-8")
    done = run_stackgen_bounded("render", "p.yml", "-o", "-", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    # the first service past the limit, at its own key (line 3 holds s0)
    assert done.stderr == (
        f"p.yml:{MAX_SERVICES + 3}:3: services.s{MAX_SERVICES}: more than "
        f"{MAX_SERVICES:,} services in one file; split the stack into several\n"
    )


def test_one_node_past_the_limit_is_refused_before_the_work(tmp_path: Path) -> None:
    keys = (MAX_NODES - 11) // 2 + 1  # one key more than the largest mapping holds
    body = "".join(f"      k{i}: v{i}\n" for i in range(keys))
    text = f"name: p\nservices:\n  web:\n    image: nginx:1.27\n    x-big:\n{body}"
    assert _nodes(text) == MAX_NODES + 1
    (tmp_path / "p.yml").write_text(text, encoding="utf-8")
    done = run_stackgen_bounded("check", "p.yml", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    # node MAX_NODES + 1 is the last value, on the last line (line 6 holds k0)
    column = len(f"      k{keys - 1}: ") + 1
    assert done.stderr == (
        f"p.yml:{5 + keys}:{column}: services.web.x-big.k{keys - 1}: "
        f"more than {MAX_NODES} nodes in one document\n"
    )

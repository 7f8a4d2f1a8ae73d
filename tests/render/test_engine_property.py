"""Property (issue 14 point 1): whenever ``render`` accepts a profile, docker compose accepts
the file it writes, and the values compose reads are the profile's.

Hypothesis generates profiles (services, images, environment text with literal ``$``, ports,
restart policies, dependencies, bind mounts); each accepted one is rendered into a folder other
than the profile's and judged by the real loader there (tests/engines.py).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from engines import compose_config
from stackgen.api import render_profile
from stackgen.errors import InputError

pytestmark = pytest.mark.slow

NAMES = ["web", "api", "db", "worker", "cache"]
IMAGES = ["nginx:1.27", "example/app:1.0", "postgres:16", "redis:7", "busybox:1.36"]
RESTARTS = ["no", "always", "on-failure", "unless-stopped", None]
# text compose reads literally once stackgen escapes it: no braces (a ${…} would be a
# reference compose fills in), no control characters or surrogates
ENV_TEXT = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_characters="{}", exclude_categories=("Cs", "Cc", "Zl", "Zp")
    ),
    max_size=12,
)
ENV_NAME = st.from_regex(r"[A-Z][A-Z0-9_]{0,6}", fullmatch=True)


@st.composite
def profiles(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
    hosts = iter(draw(st.lists(st.integers(1024, 65535), min_size=8, max_size=8, unique=True)))
    services: dict[str, Any] = {}
    for i, name in enumerate(names):
        svc: dict[str, Any] = {"image": draw(st.sampled_from(IMAGES))}
        env = draw(st.dictionaries(ENV_NAME, ENV_TEXT, max_size=3))
        if env:
            svc["environment"] = env
        restart = draw(st.sampled_from(RESTARTS))
        if restart is not None:
            svc["restart"] = restart
        ports = [
            f"{next(hosts)}:{draw(st.integers(1, 65535))}" for _ in range(draw(st.integers(0, 2)))
        ]
        if ports:
            svc["ports"] = ports
        deps = draw(st.lists(st.sampled_from(names[:i]), unique=True)) if i else []
        if deps:
            svc["depends_on"] = deps
        if draw(st.booleans()):
            svc["volumes"] = [f"./data/{name}:/srv/{name}"]
        services[name] = svc
    return {"name": "prop", "services": services}


def _unescaped(value: str) -> str:
    # compose's canonical output writes a literal `$` as `$$`
    return value.replace("$$", "$")


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(profiles())
def test_render_accepted_means_compose_accepts_and_reads_the_profile(
    profile: dict[str, Any],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "profiles").mkdir()
        for name in profile["services"]:
            (root / "profiles" / "data" / name).mkdir(parents=True)
        path = root / "profiles" / "p.yml"
        path.write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
        out = root / "out" / "x"
        try:
            rendered = render_profile(path, output_dir=out)
        except InputError:
            assume(False)
            return
        out.mkdir(parents=True)
        (out / "compose.yml").write_text(rendered.text, encoding="utf-8")
        result = compose_config("compose.yml", cwd=out)
        assert result.returncode == 0, (result.stderr, rendered.text)
        assert result.warnings == []
        assert result.config is not None
        for name, svc in profile["services"].items():
            read = result.config["services"][name]
            assert read["image"] == svc["image"]
            env = {k: _unescaped(v) for k, v in (read.get("environment") or {}).items()}
            for key, value in (svc.get("environment") or {}).items():
                assert env[key] == value
            if "restart" in svc:
                assert read["restart"] == svc["restart"]
            published = {(int(p["published"]), p["target"]) for p in read.get("ports", [])}
            assert published == {tuple(map(int, p.split(":"))) for p in svc.get("ports", [])}
            assert set(read.get("depends_on", {})) == set(svc.get("depends_on", []))
            for mount in svc.get("volumes", []):
                source = str(root / "profiles" / mount.split(":")[0])
                assert source.replace("/./", "/") in [v.get("source") for v in read["volumes"]]

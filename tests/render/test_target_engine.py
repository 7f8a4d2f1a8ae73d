"""``target.engine``: healthcheck ``start_interval`` only for a target that can run it (B04).

Docker Engine 25.0 (API 1.44) added ``start_interval``; on an older engine ``docker compose``
refuses the file ("can't set healthcheck.start_interval as feature require Docker Engine v25
or later", docker/compose#11360). A declared older target gets the key left out with a
warning at the profile key that gave it; no target keeps today's behaviour (emit it).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from helpers import report_text, run_stackgen
from stackgen.api import render_profile
from stackgen.errors import InputError

WAIT = (
    "The first probe then runs 30s (interval) after start, so the first healthy result "
    "takes at least that long; a shorter interval shortens the wait"
)


def b04_profile(tmp_path: Path, engine: str | None = "24.0.7") -> Path:
    """B04's profile.yml; ``engine`` replaces its target (None drops the target block)."""
    text = report_text("B04")
    assert 'engine: "24.0.7"' in text  # the case as this test reads it
    if engine is None:
        text = text.replace('target:\n  engine: "24.0.7"\n', "")
    else:
        text = text.replace('"24.0.7"', f'"{engine}"')
    path = tmp_path / "profile.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_b04_engine_24_omits_start_interval_with_a_warning_at_the_key(tmp_path: Path) -> None:
    b04_profile(tmp_path)
    out = run_stackgen("render", "profile.yml", "-o", "-", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    hc = yaml.safe_load(out.stdout)["services"]["clickhouse"]["healthcheck"]
    assert hc == {
        "test": ["CMD", "wget", "--spider", "-q", "http://127.0.0.1:8123/ping"],
        "interval": "30s",
        "start_period": "60s",
    }
    assert "start_interval" not in out.stdout
    # the case's start_interval is on line 11 of its profile.yml, column 7
    assert out.stderr == (
        "profile.yml:11:7: services.clickhouse.healthcheck.start_interval: start_interval "
        f"needs Docker Engine >= 25 (target 24.0.7); omitted. {WAIT} (warning)\n"
    )


@pytest.mark.parametrize("engine", ["25.0.0", "25", "26.1.4", "100.0"])
def test_b04_engine_25_and_later_render_start_interval(tmp_path: Path, engine: str) -> None:
    b04_profile(tmp_path, engine)
    out = run_stackgen("render", "profile.yml", "-o", "-", cwd=tmp_path)
    assert (out.returncode, out.stderr) == (0, "")
    hc = yaml.safe_load(out.stdout)["services"]["clickhouse"]["healthcheck"]
    assert hc["start_interval"] == "2s"
    assert "      start_interval: 2s\n" in out.stdout


@pytest.mark.parametrize("engine", ["24.0.7", "24", "20.10.24", "9.99"])
def test_every_engine_before_25_omits_it(tmp_path: Path, engine: str) -> None:
    """Versions compare as numbers: 9.99 is older than 25, 100.0 (above) newer."""
    rendered = render_profile(b04_profile(tmp_path, engine))
    assert "start_interval" not in rendered.data["services"]["clickhouse"]["healthcheck"]
    assert [w.path for w in rendered.warnings] == ["services.clickhouse.healthcheck.start_interval"]
    assert f"(target {engine})" in rendered.warnings[0].message


def test_without_a_target_start_interval_is_emitted(tmp_path: Path) -> None:
    rendered = render_profile(b04_profile(tmp_path, None))
    assert rendered.data["services"]["clickhouse"]["healthcheck"]["start_interval"] == "2s"
    assert rendered.warnings == ()


def test_target_from_set_and_unquoted_versions(tmp_path: Path) -> None:
    """``--set target.engine=25.0`` and ``engine: 24.10`` are versions, not numbers (24.10 is
    not 24.1, 25.0 stays 25.0)."""
    path = b04_profile(tmp_path)
    raised = render_profile(path, sets=["target.engine=25.0"])
    assert raised.data["services"]["clickhouse"]["healthcheck"]["start_interval"] == "2s"
    path.write_text(path.read_text().replace('"24.0.7"', "24.10"), encoding="utf-8")
    lowered = render_profile(path)
    assert "start_interval" not in lowered.data["services"]["clickhouse"]["healthcheck"]
    assert "(target 24.10)" in lowered.warnings[0].message


def test_defaults_start_interval_is_omitted_per_service_warned_at_defaults(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.yml"
    path.write_text(
        "name: d\n"
        "target: {engine: 24.0.7}\n"
        "defaults:\n"
        "  healthcheck: {start_interval: 1s}\n"
        "services:\n"
        "  web: {image: nginx, healthcheck: {tcp: 80, interval: 5s}}\n"
        "  cache: {kind: redis}\n",
        encoding="utf-8",
    )
    rendered = render_profile(path)
    services = rendered.data["services"]
    assert "start_interval" not in services["web"]["healthcheck"]
    assert "start_interval" not in services["cache"]["healthcheck"]
    assert [(w.line, w.col, w.path, w.message) for w in rendered.warnings] == [
        (
            4,
            17,
            "defaults.healthcheck.start_interval",
            "start_interval needs Docker Engine >= 25 (target 24.0.7); omitted from "
            f"services.{name}. The first probe then runs {wait} after start, so the first "
            "healthy result takes at least that long; a shorter interval shortens the wait",
        )
        for name, wait in (("web", "5s (interval)"), ("cache", "30s (default interval)"))
    ]


def test_catalog_start_interval_is_omitted_warned_at_the_service(tmp_path: Path) -> None:
    """A kind (here a user template) whose healthcheck sets start_interval."""
    kinds = tmp_path / "tpl" / "kinds"
    kinds.mkdir(parents=True)
    (kinds / "_redis.yml.j2").write_text(
        "image: redis:7\nlistens: [6379]\n"
        "healthcheck: {test: [CMD, redis-cli, ping], interval: 10s, start_interval: 1s}\n",
        encoding="utf-8",
    )
    path = tmp_path / "p.yml"
    path.write_text("name: c\ntarget: {engine: 24.0.7}\nservices:\n  cache: {kind: redis}\n")
    rendered = render_profile(path, templates=tmp_path / "tpl")
    assert rendered.data["services"]["cache"]["healthcheck"] == {
        "test": ["CMD", "redis-cli", "ping"],
        "interval": "10s",
    }
    assert [(w.line, w.col, w.path, w.message) for w in rendered.warnings] == [
        (
            4,
            3,
            "services.cache",
            "the catalog healthcheck of kind redis sets start_interval, which needs Docker "
            "Engine >= 25 (target 24.0.7); omitted. The first probe then runs 10s (interval) "
            "after start, so the first healthy result takes at least that long; a shorter "
            "interval shortens the wait",
        )
    ]
    path.write_text(path.read_text().replace("24.0.7", "25.0.3"), encoding="utf-8")
    newer = render_profile(path, templates=tmp_path / "tpl")
    assert newer.data["services"]["cache"]["healthcheck"]["start_interval"] == "1s"


def test_verbatim_start_interval_on_an_old_target_is_an_error(tmp_path: Path) -> None:
    """verbatim is written as given, so it cannot be trimmed: exit 2 at the key."""
    path = tmp_path / "profile.yml"
    path.write_text(
        "name: v\n"
        "target: {engine: 24.0.7}\n"
        "services:\n"
        "  web:\n"
        "    image: nginx\n"
        "    verbatim:\n"
        "      healthcheck: {test: [CMD, 'true'], start_interval: 1s}\n",
        encoding="utf-8",
    )
    out = run_stackgen("render", "profile.yml", "-o", "-", cwd=tmp_path)
    assert (out.returncode, out.stdout) == (2, "")
    assert out.stderr == (
        "profile.yml:7:42: services.web.verbatim.healthcheck.start_interval: start_interval "
        "needs Docker Engine >= 25 (target 24.0.7): docker compose refuses it on an older "
        "engine, and a verbatim healthcheck is written as given; remove it here, or give the "
        "healthcheck outside verbatim, where stackgen omits it with a warning\n"
    )
    path.write_text(path.read_text().replace("24.0.7", "25.0.0"), encoding="utf-8")
    kept = render_profile(path)
    assert kept.data["services"]["web"]["healthcheck"]["start_interval"] == "1s"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"v24.0.7"', "'v24.0.7' is not a Docker Engine version"),
        ('"24.0.7-rc.1"', "'24.0.7-rc.1' is not a Docker Engine version"),
        ('"24.0.7.1"', "'24.0.7.1' is not a Docker Engine version"),
        ('""', "'' is not a Docker Engine version"),
        ("[24]", "must be a string, got a list"),
    ],
)
def test_invalid_engine_versions_are_input_errors(tmp_path: Path, value: str, message: str) -> None:
    path = tmp_path / "p.yml"
    path.write_text(f"name: x\ntarget:\n  engine: {value}\nservices:\n  web: {{image: nginx}}\n")
    with pytest.raises(InputError) as err:
        render_profile(path)
    [diag] = err.value.diagnostics
    assert (diag.line, diag.col, diag.path) == (3, 3, "target.engine")
    assert diag.message.startswith(message)

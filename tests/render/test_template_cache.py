"""The Jinja bytecode cache: templates compile once per user, and a cache that cannot be
written or holds a damaged entry only costs a compile, never a failed render."""

from __future__ import annotations

from pathlib import Path

import jinja2

from stackgen.targets.compose.templating import _BytecodeCache


def _env(cache_dir: Path, source: str) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.DictLoader({"t.j2": source}),
        bytecode_cache=_BytecodeCache(str(cache_dir)),
    )


def test_compiled_once_and_reused(tmp_path: Path) -> None:
    assert _env(tmp_path, "{{ 2 * 21 }}").get_template("t.j2").render() == "42"
    entries = list(tmp_path.iterdir())
    assert len(entries) == 1
    assert _env(tmp_path, "{{ 2 * 21 }}").get_template("t.j2").render() == "42"
    # a changed template is recompiled, not served from the stale entry
    assert _env(tmp_path, "{{ 2 * 20 }}").get_template("t.j2").render() == "40"


def test_unwritable_cache_directory_renders_anyway(tmp_path: Path) -> None:
    missing = tmp_path / "does-not-exist"
    assert _env(missing, "{{ 'ok' }}").get_template("t.j2").render() == "ok"
    assert not missing.exists()


def test_damaged_entry_renders_anyway(tmp_path: Path) -> None:
    assert _env(tmp_path, "{{ 'ok' }}").get_template("t.j2").render() == "ok"
    (entry,) = tmp_path.iterdir()
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2])  # right header, truncated code
    assert _env(tmp_path, "{{ 'ok' }}").get_template("t.j2").render() == "ok"

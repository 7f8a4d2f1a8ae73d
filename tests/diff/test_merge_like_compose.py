"""Found by a new-user trial: `stackgen diff --left a --left b` merged some fields otherwise
than `docker compose -f a -f b`, so a file holding compose's own merge showed drift.

Each case: compose merges the two files (`config --no-interpolate --no-normalize
--no-path-resolution`), that output is the RIGHT side, and the diff of the two LEFT files
against it must find nothing. The expected merged values are compose's, checked first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from engines import compose_config
from helpers import run_stackgen

HEAD = "services:\n  web:\n    image: nginx:1.27\n"

CASES = {
    # a single string is a list of one (compose-go mergeToSequence)
    "dns": ("dns: 1.1.1.1", "dns: 8.8.8.8", ["1.1.1.1", "8.8.8.8"]),
    "dns_search": ("dns_search: a.example", "dns_search: b.example", ["a.example", "b.example"]),
    "tmpfs": ("tmpfs: /run", "tmpfs: [/tmp]", ["/run", "/tmp"]),
    # every line kept unless written alike (mergeExtraHosts): a host may get two addresses
    "extra_hosts": (
        "extra_hosts: ['a:1.1.1.1']",
        "extra_hosts: ['a:2.2.2.2']",
        ["a=1.1.1.1", "a=2.2.2.2"],
    ),
    "extra_hosts-mapping": (
        "extra_hosts: {a: 1.1.1.1, b: 3.3.3.3}",
        "extra_hosts: ['a:2.2.2.2', 'b=3.3.3.3']",
        ["a=1.1.1.1", "a=2.2.2.2", "b=3.3.3.3"],
    ),
    # another driver replaces the block (mergeLogging); the same driver merges options
    "logging-driver": (
        "logging: {driver: json-file, options: {max-size: 1m}}",
        "logging: {driver: syslog}",
        {"driver": "syslog"},
    ),
    "logging-options": (
        "logging: {driver: json-file, options: {max-size: 1m}}",
        "logging: {options: {max-file: '3'}}",
        {"driver": "json-file", "options": {"max-size": "1m", "max-file": "3"}},
    ),
    # by container path (deviceMappingIndexer)
    "devices": (
        "devices: ['/dev/a:/dev/a']",
        "devices: ['/dev/b:/dev/a']",
        [{"source": "/dev/b", "target": "/dev/a", "permissions": "rwm"}],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_merge_is_no_drift_from_composes(tmp_path: Path, case: str) -> None:
    base, over, expected = CASES[case]
    (tmp_path / "base.yml").write_text(f"{HEAD}    {base}\n", encoding="utf-8")
    (tmp_path / "over.yml").write_text(f"{HEAD}    {over}\n", encoding="utf-8")
    args = ["--no-interpolate", "--no-normalize", "--no-path-resolution"]
    engine = compose_config("base.yml", "over.yml", cwd=tmp_path, args=args)
    assert engine.returncode == 0, engine.stderr
    assert engine.config is not None
    key = case.split("-")[0]
    merged: Any = engine.config["services"]["web"][key]
    if key == "extra_hosts":  # lines as written (host:address or host=address)
        merged = sorted(line.replace(":", "=", 1) for line in merged)
    assert merged == expected
    (tmp_path / "merged.yml").write_text(yaml.safe_dump(engine.config), encoding="utf-8")
    out = run_stackgen(
        "diff", "--left", "base.yml", "--left", "over.yml", "merged.yml", cwd=tmp_path
    )
    assert out.returncode == 0, out.stdout

"""A list entry's identity in a change path is a label, not a key the secret rule judges.

Found in the Highlight diff: `services.backend.volumes[target=/build/localhostssl/server.key]`
showed `{"type": "***", "source": "***", "target": "***"}`: the path was split at the dot in
`server.key`, and the part `key]` matched the secret-name rule. Names and paths are never
masked (issue 15); values under a secret-named key still are.
"""

from __future__ import annotations

import json
from pathlib import Path

from helpers import run_stackgen

BASE = "services:\n  a:\n    image: nginx:1.27\n"


def test_a_volume_whose_target_names_a_key_file_is_shown(tmp_path: Path) -> None:
    (tmp_path / "l.yml").write_text(BASE, encoding="utf-8")
    (tmp_path / "r.yml").write_text(
        BASE + '    volumes: ["./certs/server.crt:/etc/ssl/server.crt:ro"]\n'
        "    environment: {API_KEY: abc123secret}\n",
        encoding="utf-8",
    )
    (tmp_path / "r2.yml").write_text(
        BASE + '    volumes: ["./certs/server.key:/etc/ssl/server.key:ro"]\n'
        "    environment: {API_KEY: abc123secret}\n",
        encoding="utf-8",
    )
    out = run_stackgen("diff", "r.yml", "r2.yml", "--format", "json", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    changes = {c["path"]: c for c in json.loads(out.stdout)["changes"]}
    added = changes["services.a.volumes[target=/etc/ssl/server.key]"]
    assert added["right"]["source"] == "./certs/server.key"
    assert added["right"]["target"] == "/etc/ssl/server.key"
    # and a secret-named key's value is still masked
    env = run_stackgen("diff", "l.yml", "r2.yml", cwd=tmp_path)
    assert '{"API_KEY": "***"}' in env.stdout
    assert "abc123secret" not in env.stdout + env.stderr

"""The YAML-structure fixture cases (issue 4, item 8) end to end through the CLI: B15 (ports
read as base-60 numbers), B19 (duplicate keys), B21 (multi-line text through a template).

Each reads the case's own files from ``tests/cases/reports/<id>/`` (``case.md`` there names
the public reports it comes from).
"""

from __future__ import annotations

import io
from pathlib import Path

import yaml
from ruamel.yaml import YAML

from helpers import report_text, run_stackgen


def render(tmp_path: Path, text: str) -> str:
    (tmp_path / "profile.yml").write_text(text, encoding="utf-8")
    out = run_stackgen("render", "profile.yml", "-o", "-", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    return out.stdout


def yaml12(text: str) -> object:
    return YAML(typ="safe", pure=True).load(io.StringIO(text))


def test_b15_unquoted_port_mappings_stay_text_and_render_quoted(tmp_path: Path) -> None:
    text = report_text("B15")
    assert "      - 2222:22\n      - 22:22\n      - 8082:8082\n" in text  # unquoted, as users write
    rendered = render(tmp_path, text)
    assert '    ports:\n      - "2222:22"\n      - "22:22"\n      - "8082:8082"\n' in rendered
    for data in (yaml.safe_load(rendered), yaml12(rendered)):
        assert data["services"]["sshd"]["ports"] == ["2222:22", "22:22", "8082:8082"]  # type: ignore[index]
    # never the YAML 1.1 base-60 readings
    assert "133342" not in rendered and "1342" not in rendered


def test_b15_hand_edited_unquoted_ports_are_no_drift(tmp_path: Path) -> None:
    text = report_text("B15")
    (tmp_path / "profile.yml").write_text(text, encoding="utf-8")
    hand = (
        "name: b15\nservices:\n  sshd:\n    image: ghcr.io/example/sshd:1.0\n    restart: unless-stopped\n"
        "    ports:\n      - 2222:22\n      - 22:22\n      - 8082:8082\n"
    )
    (tmp_path / "compose.yml").write_text(hand, encoding="utf-8")
    out = run_stackgen("diff", "profile.yml", "compose.yml", cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr


def test_b19_duplicate_keys_are_both_reported_with_both_lines(tmp_path: Path) -> None:
    (tmp_path / "b19.yml").write_text(report_text("B19", "profile.yml"))
    out = run_stackgen("render", "b19.yml", "-o", "-", cwd=tmp_path)
    assert (out.returncode, out.stdout) == (2, "")
    assert out.stderr == (
        "b19.yml:8:7: services.backend.environment.KAFKA_TOPIC: duplicate key 'KAFKA_TOPIC' "
        "(first defined at line 7); YAML keeps only one of them\n"
        "b19.yml:9:3: services.backend: duplicate key 'backend' (first defined at line 4); "
        "YAML keeps only one of them\n"
    )


def test_b19_merge_key_override_is_legal_and_repeated_env_entries_are_reported(
    tmp_path: Path,
) -> None:
    compose = report_text("B19", "compose.yml")
    (tmp_path / "compose.yml").write_text(compose)
    once = compose.replace(
        "      - KAFKA_TOPIC=dev\n      - JIRA_CLIENT_ID\n", "      - KAFKA_TOPIC=dev\n"
    )
    (tmp_path / "once.yml").write_text(once)
    out = run_stackgen("diff", "once.yml", "compose.yml", "--format", "json", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert out.stderr == (
        "compose.yml:8:5: services.backend.environment: lists JIRA_CLIENT_ID twice "
        # docker compose accepts the repeat (the real loader reads JIRA_CLIENT_ID once)
        "(docker compose accepts the repeat; compared as written) (warning)\n"
    )
    report = yaml.safe_load(out.stdout)
    # the merged-in mapping is replaced by the local list (YAML merge: local keys win)
    assert [(c["path"], c["kind"], c["right"], c["line"]) for c in report["changes"]] == [
        ("services.backend.environment.JIRA_CLIENT_ID#2", "added", None, 9)
    ]


def test_b21_multiline_text_keeps_its_bytes_and_its_indentation(tmp_path: Path) -> None:
    rendered = render(tmp_path, report_text("B21"))
    otel = (
        "receivers:\n  otlp:\n    protocols:\n      grpc: {}\nexporters:\n"
        "  debug: {}   # value: with colon and hash\n"
    )
    for data in (yaml.safe_load(rendered), yaml12(rendered)):
        assert isinstance(data, dict)
        assert set(data) == {"name", "services", "configs"}
        [mount] = data["services"]["collector"]["configs"]
        assert mount["target"] == "/etc/otel.yaml"
        assert data["configs"][mount["source"]]["content"] == otel
        banner = data["services"]["backend"]["environment"]["BANNER"]
        assert banner == "line one\nline two: with colon # and hash"
    # nothing of the collector's config stands as YAML structure of the compose file
    top = [line for line in rendered.splitlines() if line and not line.startswith((" ", "#"))]
    assert top == ["name: b21", "services:", "configs:"]

"""The `posture` command: every error is one line and a non-zero exit; JSON is stable."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from posture_cli.main import app
from store import Batch, FindingsStore
from tests import factories as f

runner = CliRunner()

ASK_KEYS = {
    "question",
    "path",
    "interpretation",
    "understanding",
    "sql",
    "columns",
    "rows",
    "row_count",
    "summary",
    "clarifications",
    "elapsed_ms",
}


@pytest.fixture
def home(tmp_path: Path, demo_store_path: Path) -> Path:
    """A POSTURE_HOME holding a copy of the session's demo store."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(demo_store_path, home / "posture.duckdb")
    return home


def run(home: Path, *args: str):
    return runner.invoke(app, list(args), env={"POSTURE_HOME": str(home)})


def test_help_everywhere() -> None:
    for command in ([], ["demo"], ["status"], ["ask"], ["estate"], ["claude"], ["audit"]):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output


def test_status_without_a_store_is_one_clear_line(tmp_path: Path) -> None:
    result = run(tmp_path, "status")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "No findings store" in lines[0] and "posture demo" in lines[0]


def test_status_json(home: Path) -> None:
    result = run(home, "status", "--json")
    assert result.exit_code == 0, result.output
    status = json.loads(result.output)
    assert status["findings"] > 10_000 and status["origins"] == ["demo"]
    assert {s["source"] for s in status["sources"]} >= {"wiz", "prisma", "lacework", "orca"}


def test_ask_json_has_the_documented_shape(home: Path) -> None:
    result = run(home, "ask", "open critical findings per team", "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert ASK_KEYS <= set(answer)
    assert answer["path"] == "parser" and answer["interpretation"]["group_by"] == ["team"]
    audit = (home / "audit.jsonl").read_text().splitlines()
    assert json.loads(audit[-1])["action"] == "question.answered"


def test_ask_as_a_platform_filter(home: Path) -> None:
    result = run(home, "ask", "critical findings from wiz", "--as", "wiz")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("wiz graphql") and "issuesV2" in result.output
    refused = run(home, "ask", "open critical findings per team", "--as", "prisma")
    assert refused.exit_code == 1 and "not expressible in Prisma Cloud" in refused.output


def test_demo_builds_a_store_and_answers(tmp_path: Path) -> None:
    result = run(tmp_path / "fresh", "demo")
    assert result.exit_code == 0, result.output
    assert "Synced the demo estate from the local CNAPP simulator" in result.output
    for source in ("wiz", "prisma", "lacework", "orca"):
        assert f"  {source}: full sync," in result.output
    assert "rate-limit waits" in result.output and "trivy+prowler: imported" in result.output
    assert "you> public prod Lambdas touching PII" in result.output
    assert "Understood as" in result.output and "Show SQL" in result.output
    assert "> /posture compliance soc2" in result.output and "Pass rate" in result.output
    assert "> posture fix " in result.output and "Validated:" in result.output


def test_demo_refuses_a_store_with_synced_data(tmp_path: Path) -> None:
    home = tmp_path / "real"
    with FindingsStore(home / "posture.duckdb") as store:
        store.load(
            Batch(resources=(f.function(),), findings=(f.misconfig_finding(),)), origin="wiz"
        )
        before = store.content_hash()
    result = run(home, "demo")
    assert result.exit_code == 1 and "holds synced data" in result.output
    with FindingsStore(home / "posture.duckdb", read_only=True) as store:
        assert store.content_hash() == before


def test_corrupt_store_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "posture.duckdb").write_bytes(b"\x00garbage" * 1000)
    result = run(tmp_path, "status")
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "damaged" in result.output and "Move the file aside" in result.output


def test_claude_switch_is_audited_and_needs_a_name(home: Path) -> None:
    assert run(home, "claude", "on").exit_code == 1
    result = run(home, "claude", "on", "--by", "alice")
    assert result.exit_code == 0 and "no ANTHROPIC_API_KEY" in result.output
    verify = run(home, "audit", "--verify")
    assert verify.exit_code == 0 and "intact" in verify.output
    lines = (home / "audit.jsonl").read_text().splitlines()
    record = json.loads(lines[-1])
    assert record["action"] == "admin.claude_switched" and record["actor"] == "alice"


def test_tampered_audit_trail_fails_verification(home: Path) -> None:
    run(home, "claude", "on", "--by", "alice")
    run(home, "claude", "off", "--by", "alice")
    path = home / "audit.jsonl"
    path.write_text(path.read_text().replace("alice", "mallory", 1))
    result = run(home, "audit", "--verify")
    assert result.exit_code == 1 and "breaks at line 1" in result.output

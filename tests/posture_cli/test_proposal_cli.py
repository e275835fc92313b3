"""`posture proposals`, `posture suppressions` and `posture audit verify|export`: the same
workflow and RBAC as Slack, from a terminal, against a posture.yaml."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from posture_cli.main import app
from tests.proposals.conftest import APPROVER, K8S_FIX, REQUESTER, VIEWER

runner = CliRunner()

CONFIG = f"""
access:
  admins: [U0ADMIN01]
  default_role: viewer
teams:
  platform:
    slack_channel: C0PLATFORM
    servicenow_group: Platform Operations
    approvers: [{APPROVER}]
    requesters: [{REQUESTER}]
"""


@pytest.fixture
def home(tmp_path: Path, demo_store_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(demo_store_path, home / "posture.duckdb")
    (home / "posture.yaml").write_text(CONFIG)
    return home


def run(home: Path, *args: str):
    return runner.invoke(app, list(args), env={"POSTURE_HOME": str(home)})


def _drafted(home: Path, *extra: str) -> str:
    result = run(home, "proposals", "draft", K8S_FIX, "--as", REQUESTER, *extra)
    assert result.exit_code == 0, result.output
    return re.search(r"prop_[0-9a-f]{16}", result.output).group(0)


def test_a_viewer_is_refused_in_one_line_and_an_approver_goes_through(home: Path):
    proposal_id = _drafted(home)
    refused = run(home, "proposals", "approve", proposal_id, "--as", VIEWER)
    assert refused.exit_code == 1 and len(refused.output.strip().splitlines()) == 1
    assert "viewer" in refused.output and "approver" in refused.output
    approved = run(home, "proposals", "approve", proposal_id, "--as", APPROVER)
    # the home configures no ServiceNow: the delivery fails, retryably, and says why
    assert approved.exit_code == 0 and "failed" in approved.output
    assert "ServiceNow is not configured" in approved.output
    shown = json.loads(run(home, "proposals", "show", proposal_id, "--json").output)
    assert shown["state"] == "failed" and shown["decided_by"] == APPROVER
    listed = run(home, "proposals", "list", "--state", "failed")
    assert proposal_id in listed.output


def test_reject_from_the_cli_needs_a_reason(home: Path):
    proposal_id = _drafted(home, "--kind", "ticket")
    rejected = run(
        home, "proposals", "reject", proposal_id, "--as", APPROVER, "--reason", "not ours"
    )
    assert rejected.exit_code == 0 and "rejected" in rejected.output
    again = run(home, "proposals", "approve", proposal_id, "--as", APPROVER)
    assert "already rejected" in again.output


def test_suppressions_add_list_and_sweep(home: Path):
    added = run(
        home, "suppressions", "add", K8S_FIX, "--as", REQUESTER, "--reason", "log collector",
        "--kind", "false_positive", "--days", "30",
    )  # fmt: skip
    proposal_id = re.search(r"prop_[0-9a-f]{16}", added.output).group(0)
    assert run(home, "proposals", "approve", proposal_id, "--as", APPROVER).exit_code == 0
    listed = run(home, "suppressions", "list")
    assert "false_positive" in listed.output and "log collector" in listed.output
    swept = run(home, "suppressions", "sweep")
    assert swept.exit_code == 0 and "expired 0" in swept.output


def test_audit_verify_both_forms_and_export(home: Path, tmp_path: Path):
    _drafted(home)
    for form in (["audit", "verify"], ["audit", "--verify"]):
        result = run(home, *form)
        assert result.exit_code == 0 and "intact: 1 records" in result.output
    out = tmp_path / "export.jsonl"
    exported = run(home, "audit", "export", "--out", str(out), "--since", "2000-01-01")
    assert exported.exit_code == 0
    [record] = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["action"] == "proposal.drafted" and record["details"]["finding_id"] == K8S_FIX
    bad = run(home, "audit", "export", "--since", "yesterday")
    assert bad.exit_code == 1 and "not a date" in bad.output


def test_a_deleted_last_record_fails_verify(home: Path):
    _drafted(home)
    run(home, "proposals", "draft", K8S_FIX, "--as", REQUESTER, "--kind", "ticket")
    path = home / "audit.jsonl"
    path.write_text(path.read_text().splitlines()[0] + "\n")
    result = run(home, "audit", "verify")
    assert result.exit_code == 1 and "record 2 is missing at the end (deleted)" in result.output


def test_the_demo_transcript_drafts_approves_and_delivers_to_the_local_github(
    demo_store, tmp_path: Path
):
    from core.settings import Settings
    from governance.audit import AuditLog
    from posture_cli.proposal_demo import demo_proposal_text

    settings = Settings(home=tmp_path / "demo-home")
    text = demo_proposal_text(demo_store, settings)
    assert "drafted -> github" in text
    match = re.search(r"delivered: (acme/[\w-]+-infra)#1 \S+/\1/pull/1", text)
    assert match, text
    team = match.group(1).removeprefix("acme/").removesuffix("-infra")
    assert f"a requester of {team}" in text
    log = AuditLog(settings.audit_path)
    assert log.verify().ok
    actions = [r.action for r in log.records()]
    assert actions[:1] == ["proposal.drafted"] and "proposal.delivered" in actions
    assert not (settings.home / "workflow.sqlite3").exists()  # the demo's records are scratch


def test_one_shot_commands_see_suppressions_in_force(home: Path):
    from bot.proposal_wiring import suppressed_ids_in
    from tests.conftest import DEMO_NOW

    provider = suppressed_ids_in(home / "workflow.sqlite3", clock=lambda: DEMO_NOW)
    assert provider() == frozenset() and not (home / "workflow.sqlite3").exists()
    added = run(
        home, "suppressions", "add", K8S_FIX, "--as", REQUESTER, "--reason", "accepted by CISO"
    )
    proposal_id = re.search(r"prop_[0-9a-f]{16}", added.output).group(0)
    assert provider() == frozenset()  # proposed is not in force
    run(home, "proposals", "approve", proposal_id, "--as", APPROVER)
    assert provider() == {K8S_FIX}

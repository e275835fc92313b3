"""Proposal messages and dialogs stay within Block Kit's limits whatever the draft holds."""

from __future__ import annotations

from datetime import UTC, date, datetime

from slack_sdk.models.blocks import Block

from bot.views.proposal import proposal_blocks
from bot.views.proposal_forms import edit_modal, suppress_modal
from proposals import Proposal, ProposalDraft, ProposalKind, ProposalState
from remediation import Remediation, RemediationCode
from tests.bot.conftest import action_ids, texts
from tickets import DeliveryReceipt, TicketTarget

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def _proposal(diff: str, **changes: object) -> Proposal:
    fix = Remediation(
        finding_id="wiz:1",
        finding_type="admin_access",
        drafter="iam_least_privilege",
        summary="Replace AdministratorAccess with the 12 actions it uses.",
        recommendation="Attach the least-privilege policy.",
        code=RemediationCode(terraform='resource "x" "y" {}\n', native_iac={"p.json": "{}" * 2000}),
        diff=diff,
        validated=True,
    )
    base = {
        "id": "prop_0123456789abcdef",
        "kind": ProposalKind.FIX,
        "finding_id": "wiz:1",
        "source": "wiz",
        "team": "payments",
        "target": TicketTarget.JIRA,
        "severity": "critical",
        "title": "Role <admin> & `more`",
        "draft": ProposalDraft(summary=fix.summary, risk_in_words="prod role", remediation=fix),
        "requested_by": "U0REQUEST1",
        "created_at": NOW,
        "updated_at": NOW,
    }
    return Proposal.model_validate({**base, **changes})


def test_a_huge_diff_is_cut_with_a_note_and_every_block_validates():
    blocks = proposal_blocks(_proposal("+ line\n" * 5000))
    for block in blocks:
        Block.parse(block).validate_json()  # slack_sdk checks Slack's own limits
        assert len((block.get("text") or {}).get("text", "")) <= 3000
    body = texts(blocks)
    assert "cut to fit Slack" in body and "&lt;admin&gt; &amp;" in body
    assert action_ids(blocks) == ["proposal_approve", "proposal_reject", "proposal_edit"]
    assert all(len(b.get("value", "")) <= 40 for b in blocks[-2].get("elements", []))


def test_decided_states_show_who_and_drop_the_buttons():
    receipt = DeliveryReceipt(
        target=TicketTarget.JIRA, key="PAY-7", url="https://j/PAY-7", created=True
    )
    delivered = _proposal(
        "", state=ProposalState.DELIVERED, decided_by="U0APPROVE1", receipt=receipt
    )
    body = texts(proposal_blocks(delivered))
    assert "Approved by <@U0APPROVE1>" in body and "<https://j/PAY-7|PAY-7>" in body
    assert action_ids(proposal_blocks(delivered)) == []
    failed = _proposal("", state=ProposalState.FAILED, decided_by="U0APPROVE1", reason="503")
    assert action_ids(proposal_blocks(failed)) == ["proposal_retry"]


def test_the_edit_dialog_names_parts_too_long_to_edit_in_slack():
    view = edit_modal(_proposal("d"), channel="C1")
    inputs = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    assert inputs == ["terraform", "notes"]
    assert "too long to edit in Slack (4,000 characters)" in texts(view["blocks"])


def test_the_suppression_dialog_defaults_to_ninety_days():
    view = suppress_modal("wiz:1", channel="C1", question="q", today=date(2026, 11, 20))
    picker = next(b["element"] for b in view["blocks"] if b["block_id"] == "expires")
    assert picker["initial_date"] == "2027-02-18"

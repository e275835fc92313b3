"""The proposal workflow over the demo store: draft, approve once, reject, edit, retry,
refusals audited, and a restart in the middle."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from core.errors import ValidationFailed
from governance.audit import AuditLog
from proposals import ProposalKind, ProposalService, ProposalState
from remediation import DraftInvalid
from store import FindingsStore
from tests.fakes.recording_deliverer import RecordingDeliverer
from tests.proposals.conftest import (
    ADMIN,
    APPROVER,
    CRITICAL_FIX,
    K8S_FIX,
    LEAD,
    NO_FIX,
    REQUESTER,
    VIEWER,
    build_service,
)
from tickets import TicketTarget


def _actions(audit: AuditLog) -> list[str]:
    return [r.action for r in audit.records()]


def test_a_fix_is_drafted_for_the_owner_team_with_its_destination(service: ProposalService):
    outcome = service.draft(CRITICAL_FIX, ProposalKind.FIX, user=REQUESTER, question="public?")
    p = outcome.proposal
    assert outcome.status == "drafted" and p.state is ProposalState.PENDING
    assert p.team == "payments" and p.target is TicketTarget.GITHUB  # code + repo: a PR
    assert p.severity == "critical" and p.draft.remediation is not None
    assert p.draft.remediation.validated and "AWS_IAM" in (p.draft.remediation.code.cli or "")
    assert "public" in p.draft.risk_in_words and p.draft.question == "public?"


def test_a_second_draft_of_the_same_finding_finds_the_first(service: ProposalService):
    first = service.draft(CRITICAL_FIX, ProposalKind.FIX, user=REQUESTER)
    second = service.draft(CRITICAL_FIX, ProposalKind.FIX, user=APPROVER)
    assert second.status == "existing" and second.proposal.id == first.proposal.id


def test_a_ticket_goes_to_the_teams_ticket_system(service: ProposalService):
    p = service.draft(K8S_FIX, ProposalKind.TICKET, user=REQUESTER).proposal
    assert p.team == "platform" and p.target is TicketTarget.SERVICENOW
    assert p.draft.remediation is None and p.draft.summary.startswith("Investigate and fix")


def test_no_fix_for_a_runtime_threat_is_a_clear_refusal(service: ProposalService):
    with pytest.raises(ValidationFailed, match="no automatic fix") as caught:
        service.draft(NO_FIX, ProposalKind.FIX, user=ADMIN)  # identity has no route: admins
    assert "ticket" in caught.value.remediation


def test_an_unknown_finding_is_refused(service: ProposalService):
    with pytest.raises(ValidationFailed, match="No finding"):
        service.draft("wiz:does-not-exist", ProposalKind.FIX, user=REQUESTER)


def test_approval_by_an_approver_delivers_once(
    service: ProposalService, deliverer: RecordingDeliverer, audit: AuditLog
):
    p = service.draft(K8S_FIX, ProposalKind.FIX, user=REQUESTER).proposal
    outcome = service.approve(p.id, user=APPROVER)
    assert outcome.status == "delivered"
    assert outcome.proposal.receipt is not None and outcome.proposal.decided_by == APPROVER
    [request] = deliverer.requests
    assert request.idempotency_key == p.id and request.approved_by == APPROVER
    assert request.fix is not None and request.requested_by == REQUESTER
    again = service.approve(p.id, user=ADMIN)
    assert again.status == "already" and len(deliverer.requests) == 1
    assert _actions(audit) == ["proposal.drafted", "proposal.approved", "proposal.delivered"]
    delivered = audit.records()[-1].details
    assert delivered["finding_id"] == K8S_FIX and delivered["target"] == "servicenow"
    assert delivered["receipt"]["key"] and delivered["drafter"] == "kubernetes_patch"
    assert "diff" in delivered and audit.verify().ok


def test_approval_by_a_viewer_is_refused_and_audited(
    service: ProposalService, deliverer: RecordingDeliverer, audit: AuditLog
):
    p = service.draft(K8S_FIX, ProposalKind.FIX, user=REQUESTER).proposal
    outcome = service.approve(p.id, user=VIEWER)
    assert outcome.status == "refused" and outcome.refusal is not None
    assert "approver" in outcome.refusal.reason
    assert service.store.require(p.id).state is ProposalState.PENDING
    assert deliverer.requests == []
    refused = audit.records()[-1]
    assert refused.action == "proposal.refused" and refused.actor == VIEWER
    assert refused.details["decision"] == "refused approve"


def test_the_requester_of_a_critical_fix_cannot_approve_it(service: ProposalService):
    # the lead approves through a user group; they drafted it, so they may not approve it
    p = service.draft(CRITICAL_FIX, ProposalKind.FIX, user=LEAD).proposal
    refused = service.approve(p.id, user=LEAD)
    assert refused.status == "refused" and "someone else" in refused.refusal.reason
    assert service.approve(p.id, user=APPROVER).status == "delivered"


def test_the_requester_of_a_high_fix_may_approve_it_when_an_approver(service: ProposalService):
    p = service.draft(K8S_FIX, ProposalKind.FIX, user=APPROVER).proposal
    assert service.approve(p.id, user=APPROVER).status == "delivered"


def test_a_viewer_cannot_draft(service: ProposalService, audit: AuditLog):
    outcome = service.draft(K8S_FIX, ProposalKind.FIX, user=VIEWER)
    assert outcome.status == "refused" and service.store.get(outcome.proposal.id) is None
    assert _actions(audit) == ["proposal.refused"]


def test_reject_needs_a_reason_and_delivers_nothing(
    service: ProposalService, deliverer: RecordingDeliverer
):
    p = service.draft(K8S_FIX, ProposalKind.FIX, user=REQUESTER).proposal
    with pytest.raises(ValidationFailed, match="why"):
        service.reject(p.id, user=APPROVER, reason=" ")
    outcome = service.reject(p.id, user=APPROVER, reason="we retire this cluster next week")
    assert outcome.status == "rejected" and outcome.proposal.reason.startswith("we retire")
    assert service.approve(p.id, user=APPROVER).status == "already"
    assert deliverer.requests == []


def test_double_click_and_concurrent_approvals_deliver_exactly_once(
    tmp_path: Path, demo_store: FindingsStore, audit: AuditLog
):
    deliverer = RecordingDeliverer(delay_s=0.05)
    services = [
        build_service(tmp_path / "w.sqlite3", demo_store, deliverer, audit) for _ in range(3)
    ]  # three connections: as if three processes
    try:
        p = services[0].draft(K8S_FIX, ProposalKind.FIX, user=REQUESTER).proposal
        results: list[str] = []
        barrier = threading.Barrier(6)

        def click(svc: ProposalService, user: str) -> None:
            barrier.wait()
            results.append(svc.approve(p.id, user=user).status)

        threads = [
            threading.Thread(target=click, args=(svc, user))
            for svc in services
            for user in (APPROVER, ADMIN)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert sorted(results) == ["already"] * 5 + ["delivered"]
        assert len(deliverer.requests) == 1 and deliverer.tickets == 1
        assert _actions(audit).count("proposal.delivered") == 1
    finally:
        for svc in services:
            svc.store.db.close()


def test_a_failed_delivery_is_kept_and_a_retry_delivers(
    service: ProposalService, deliverer: RecordingDeliverer, audit: AuditLog
):
    p = service.draft(K8S_FIX, ProposalKind.FIX, user=REQUESTER).proposal
    deliverer.fail_next()
    failed = service.approve(p.id, user=APPROVER)
    assert failed.status == "failed" and "503" in (failed.proposal.reason or "")
    assert service.retry(p.id, user=VIEWER).status == "refused"
    retried = service.retry(p.id, user=APPROVER)
    assert retried.status == "delivered" and retried.proposal.reason is None
    assert service.retry(p.id, user=APPROVER).status == "already"
    assert "proposal.delivery_failed" in _actions(audit)


def test_a_restart_between_draft_and_approval_continues(
    tmp_path: Path, demo_store: FindingsStore, deliverer: RecordingDeliverer, audit: AuditLog
):
    path = tmp_path / "w.sqlite3"
    first = build_service(path, demo_store, deliverer, audit)
    p = first.draft(K8S_FIX, ProposalKind.FIX, user=REQUESTER).proposal
    first.store.db.close()
    second = build_service(path, demo_store, deliverer, audit)
    try:
        assert second.store.require(p.id).draft == p.draft
        assert second.approve(p.id, user=APPROVER).status == "delivered"
    finally:
        second.store.db.close()
    assert audit.verify().ok


def test_an_approval_cut_off_before_delivery_is_resumed_once(
    service: ProposalService, deliverer: RecordingDeliverer
):
    p = service.draft(K8S_FIX, ProposalKind.FIX, user=REQUESTER).proposal
    # as if the process stopped right after the approval was stored
    service.store.move(p.id, {ProposalState.PENDING}, ProposalState.APPROVED, decided_by=APPROVER)
    [resumed] = service.resume_deliveries()
    assert resumed.status == "delivered" and deliverer.tickets == 1
    assert service.resume_deliveries() == []


def test_an_edit_to_valid_code_is_kept_and_audited(service: ProposalService, audit: AuditLog):
    p = service.draft(CRITICAL_FIX, ProposalKind.FIX, user=REQUESTER).proposal
    tf = p.draft.remediation.code.terraform.replace('"AWS_IAM"', '"AWS_IAM" # signed callers')
    outcome = service.edit(p.id, user=APPROVER, changes={"terraform": tf, "notes": "ship Monday"})
    assert outcome.status == "edited" and "signed callers" in outcome.diff
    edited = service.store.require(p.id).draft
    assert "signed callers" in edited.remediation.code.terraform and edited.notes == "ship Monday"
    assert edited.edited_by == (APPROVER,)
    assert "edited Terraform parses (python-hcl2)" in edited.remediation.validation
    record = audit.records()[-1]
    assert record.action == "proposal.edited" and "signed callers" in record.details["edit_diff"]


@pytest.mark.parametrize(
    ("part", "text", "why"),
    [
        ("terraform", 'resource "aws_lambda_function_url" "x" {\n  auth = \n', "does not parse"),
        ("native:template.yaml", "Resources: [unclosed", "does not parse"),
        ("native:serverless.yml", "- just\n- a list\n", "not a YAML mapping"),
    ],
)
def test_an_edit_to_invalid_code_is_refused_and_the_draft_kept(
    service: ProposalService, part: str, text: str, why: str
):
    p = service.draft(CRITICAL_FIX, ProposalKind.FIX, user=REQUESTER).proposal
    with pytest.raises(DraftInvalid, match=why):
        service.edit(p.id, user=REQUESTER, changes={part: text})
    assert service.store.require(p.id).draft == p.draft


def test_an_edited_kubernetes_patch_is_parsed_back(service: ProposalService):
    p = service.draft(K8S_FIX, ProposalKind.FIX, user=REQUESTER).proposal
    with pytest.raises(DraftInvalid):
        service.edit(p.id, user=REQUESTER, changes={"native:patch.yaml": "spec: [oops"})
    patch = p.draft.remediation.code.native_iac["patch.yaml"] + "# reviewed\n"
    assert service.edit(p.id, user=REQUESTER, changes={"native:patch.yaml": patch}).status == (
        "edited"
    )


def test_a_viewer_cannot_edit_and_a_decided_proposal_cannot_be_edited(service: ProposalService):
    p = service.draft(K8S_FIX, ProposalKind.TICKET, user=REQUESTER).proposal
    assert service.edit(p.id, user=VIEWER, changes={"notes": "hi there"}).status == "refused"
    service.reject(p.id, user=APPROVER, reason="duplicate of PAY-7")
    assert service.edit(p.id, user=REQUESTER, changes={"notes": "hi there"}).status == "already"


def test_a_viewer_is_refused_before_any_drafting(service: ProposalService, audit: AuditLog):
    # a runtime threat has no fix; the viewer still hears "not allowed", not "no fix"
    outcome = service.draft(NO_FIX, ProposalKind.FIX, user=VIEWER)
    assert outcome.status == "refused" and "requester" in outcome.refusal.reason
    assert audit.records()[-1].details["finding_id"] == NO_FIX

"""Suppressions: approved like a fix, in force until their expiry, then undone and
audited; delivered proposals close when their finding resolves."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.errors import ValidationFailed
from governance.audit import AuditLog
from proposals import (
    ProposalKind,
    ProposalService,
    ProposalState,
    Suppression,
    SuppressionKind,
    close_resolved,
    sweep_suppressions,
)
from store import FindingsStore
from tests.conftest import DEMO_NOW
from tests.fakes.recording_deliverer import RecordingDeliverer
from tests.proposals.conftest import APPROVER, CRITICAL_FIX, K8S_FIX, REQUESTER, RESOLVED


def _terms(days: int = 30) -> Suppression:
    return Suppression(
        kind=SuppressionKind.ACCEPT_RISK,
        reason="compensating WAF rule in front of it",
        expires_at=DEMO_NOW + timedelta(days=days),
    )


def test_a_suppression_is_in_force_only_once_approved(service: ProposalService):
    outcome = service.draft(K8S_FIX, ProposalKind.SUPPRESSION, user=REQUESTER, suppression=_terms())
    p = outcome.proposal
    assert p.target is None and p.suppression.kind is SuppressionKind.ACCEPT_RISK
    assert service.store.suppressed_ids(DEMO_NOW) == frozenset()
    assert service.approve(p.id, user=APPROVER).status == "approved"
    assert service.store.suppressed_ids(DEMO_NOW) == {K8S_FIX}


@pytest.mark.parametrize("days", [-1, 0, 400])
def test_an_expiry_must_be_ahead_and_within_a_year(service: ProposalService, days: int):
    with pytest.raises(ValidationFailed, match="within a year"):
        service.draft(K8S_FIX, ProposalKind.SUPPRESSION, user=REQUESTER, suppression=_terms(days))


def test_a_suppression_needs_terms(service: ProposalService):
    with pytest.raises(ValidationFailed, match="reason and an expiry"):
        service.draft(K8S_FIX, ProposalKind.SUPPRESSION, user=REQUESTER)


def test_the_sweep_undoes_expired_suppressions_and_audits_it(
    service: ProposalService, audit: AuditLog
):
    p = service.draft(
        K8S_FIX, ProposalKind.SUPPRESSION, user=REQUESTER, suppression=_terms(7)
    ).proposal
    service.approve(p.id, user=APPROVER)
    assert sweep_suppressions(service, DEMO_NOW + timedelta(days=6)) == []
    later = DEMO_NOW + timedelta(days=7, seconds=1)
    assert service.store.suppressed_ids(later) == frozenset()  # out of force at once
    [ended] = sweep_suppressions(service, later)
    assert ended.id == p.id and ended.state is ProposalState.EXPIRED
    assert sweep_suppressions(service, later) == []
    record = audit.records()[-1]
    assert record.action == "suppression.expired" and record.details["finding_id"] == K8S_FIX
    assert audit.verify().ok


def test_delivered_proposals_close_when_their_finding_resolves(
    service: ProposalService, demo_store: FindingsStore, deliverer: RecordingDeliverer
):
    resolved = service.draft(RESOLVED, ProposalKind.TICKET, user=REQUESTER).proposal
    still_open = service.draft(CRITICAL_FIX, ProposalKind.TICKET, user=REQUESTER).proposal
    for p in (resolved, still_open):
        assert service.approve(p.id, user=APPROVER).status == "delivered"
    [closed] = close_resolved(service, demo_store)
    assert closed.id == resolved.id and closed.state is ProposalState.CLOSED
    assert service.store.require(still_open.id).state is ProposalState.DELIVERED
    assert close_resolved(service, demo_store) == []

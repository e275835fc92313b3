"""The seam between compliance ticket drafts and the proposals flow (issue 6).

``propose_ticket_drafts`` is the one call the Draft tickets button makes. Today it
records each draft in the audit trail as proposed and returns them; when the proposals
flow lands, this function creates one proposal per draft (keyed by ``TicketDraft.key`` so
a control still failing is not proposed twice) and nothing else in the compliance path
changes. Nothing here files a ticket: a human approves each proposal first.
"""

from __future__ import annotations

from collections.abc import Sequence

from compliance import TicketDraft
from governance.audit import AuditEvent, AuditLog

__all__ = ["propose_ticket_drafts"]


def propose_ticket_drafts(
    drafts: Sequence[TicketDraft], *, user: str, audit: AuditLog | None
) -> tuple[TicketDraft, ...]:
    """Hand the drafts to the proposals flow; returns the drafts now awaiting approval.

    Args:
        drafts: from ``compliance.ticket_drafts``, riskiest control first.
        user: who pressed Draft tickets (the proposer).
        audit: where each proposal is recorded.
    """
    for draft in drafts:
        if audit is not None:
            audit.append(
                AuditEvent(
                    action="compliance.ticket_proposed",
                    actor=user,
                    details={
                        "key": draft.key,
                        "title": draft.title,
                        "priority": draft.priority,
                        "framework": draft.framework,
                        "control_id": draft.control_id,
                        "scope": draft.scope_label,
                        "failing_findings": draft.failing_findings,
                        "failing_resources": draft.failing_resources,
                        "finding_ids": [e.finding_id for e in draft.evidence],
                        "status": "awaiting_proposals_flow",
                    },
                )
            )
    return tuple(drafts)

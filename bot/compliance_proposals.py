"""The seam between compliance ticket drafts and the proposals flow.

``propose_ticket_drafts`` is the one call the Draft tickets button makes: each failing
control becomes a ticket proposal on its riskiest finding, through the same flow as a
row's Draft ticket (owner team's channel, Approve / Reject, RBAC, one open proposal per
finding, so a control still failing is not proposed twice). Nothing here files a ticket:
a human approves each proposal first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from compliance import TicketDraft
from governance.audit import AuditEvent, AuditLog

__all__ = ["ProposeFinding", "propose_ticket_drafts"]

# (finding id, the question it answers) -> a ticket proposal posted for approval
ProposeFinding = Callable[[str, str], None]


def propose_ticket_drafts(
    drafts: Sequence[TicketDraft],
    *,
    user: str,
    audit: AuditLog | None,
    propose: ProposeFinding | None = None,
) -> tuple[TicketDraft, ...]:
    """Hand the drafts to the proposals flow; returns the drafts now awaiting approval.

    Args:
        drafts: from ``compliance.ticket_drafts``, riskiest control first.
        user: who pressed Draft tickets (the proposer).
        audit: where each proposal is recorded.
        propose: the proposals flow; None only shows the drafts.
    """
    for draft in drafts:
        proposed_on = draft.evidence[0].finding_id if draft.evidence else None
        if propose is not None and proposed_on is not None:
            propose(proposed_on, f"{draft.framework} {draft.control_id}: {draft.title}")
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
                        "proposed_on": proposed_on if propose is not None else None,
                    },
                )
            )
    return tuple(drafts)

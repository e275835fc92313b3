"""An approved proposal as a ``DeliveryRequest``: the ticket's words, redacted of secrets.

The proposal's id is the idempotency key, so delivering the same proposal twice (a
retry after a crash, two processes) makes one ticket.
"""

from __future__ import annotations

from governance.redact import Redactor
from proposals.models import Proposal
from tickets.models import DeliveryRequest

__all__ = ["VERIFY_LINE", "delivery_request"]

VERIFY_LINE = "After rollout, the next sync shows the finding as resolved and closes this."
_REDACTOR = Redactor(pseudonymise=False)


def _clean(text: str, limit: int = 4000) -> str:
    return _REDACTOR.redact(text).text[:limit]


def delivery_request(proposal: Proposal) -> DeliveryRequest:
    """What the ticket or pull request for ``proposal`` says.

    Raises:
        ValueError: the proposal has no target or was never approved.
    """
    if proposal.target is None or proposal.decided_by is None:
        raise ValueError(f"proposal {proposal.id} has no target or approver")
    draft, fix = proposal.draft, proposal.draft.remediation
    evidence = [_clean(line) for line in draft.evidence]
    if draft.notes:
        evidence.append(_clean(f"Note from the team: {draft.notes}"))
    return DeliveryRequest(
        idempotency_key=proposal.id,
        target=proposal.target,
        team=proposal.team,
        source=proposal.source,
        finding_id=proposal.finding_id,
        title=_clean(f"[{proposal.severity}] {draft.summary}", 250),
        severity=proposal.severity,
        risk_score=draft.risk_score,
        risk_in_words=_clean(draft.risk_in_words),
        evidence=tuple(e for e in evidence if e),
        fix=fix,
        rollout=tuple(_clean(c) for c in fix.checks) if fix else (),
        verification=(VERIFY_LINE, *(_clean(v) for v in (fix.validation if fix else ()))),
        console_url=draft.console_url,
        requested_by=proposal.requested_by,
        approved_by=proposal.decided_by,
    )

"""A proposal: a drafted fix, ticket or suppression waiting for a person's decision.

Its life is one table, ``TRANSITIONS``: drafted as ``pending``; ``approved`` or
``rejected`` by an approver; an approved fix or ticket is ``delivered`` (with the ticket's
receipt) or ``failed`` (a retry moves it back to ``approved`` and delivers again); a
delivered one is ``closed`` when a later sync sees its finding resolved. An approved
suppression is in force until it has ``expired`` (or is ``closed`` when the finding
resolves). Nothing else moves a proposal.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from remediation.models import Remediation
from tickets.models import DeliveryReceipt, TicketTarget

__all__ = [
    "TRANSITIONS",
    "Proposal",
    "ProposalDraft",
    "ProposalKind",
    "ProposalState",
    "Suppression",
    "SuppressionKind",
    "can_move",
]

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]


class ProposalKind(StrEnum):
    FIX = "fix"  # a validated change, delivered as a pull request or a ticket with the diff
    TICKET = "ticket"  # an "investigate and fix" ticket, no code
    SUPPRESSION = "suppression"  # accept the risk or mark a false positive, until an expiry


class ProposalState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    DELIVERED = "delivered"
    FAILED = "failed"
    CLOSED = "closed"
    EXPIRED = "expired"


class SuppressionKind(StrEnum):
    ACCEPT_RISK = "accept_risk"
    FALSE_POSITIVE = "false_positive"


_S = ProposalState
# every allowed move; a move not here is refused whoever asks
TRANSITIONS: dict[ProposalState, frozenset[ProposalState]] = {
    _S.PENDING: frozenset({_S.APPROVED, _S.REJECTED}),
    _S.APPROVED: frozenset({_S.DELIVERED, _S.FAILED, _S.EXPIRED, _S.CLOSED}),
    _S.FAILED: frozenset({_S.APPROVED}),  # a retry claims it again, then delivers
    _S.DELIVERED: frozenset({_S.CLOSED}),
    _S.REJECTED: frozenset(),
    _S.CLOSED: frozenset(),
    _S.EXPIRED: frozenset(),
}
# what only one kind may reach: suppressions are never delivered, fixes never expire
_KIND_ONLY = {
    _S.DELIVERED: {ProposalKind.FIX, ProposalKind.TICKET},
    _S.FAILED: {ProposalKind.FIX, ProposalKind.TICKET},
    _S.EXPIRED: {ProposalKind.SUPPRESSION},
}


def can_move(kind: ProposalKind, current: ProposalState, to: ProposalState) -> bool:
    """Whether a ``kind`` proposal may go from ``current`` to ``to``.

    >>> can_move(ProposalKind.FIX, ProposalState.PENDING, ProposalState.APPROVED)
    True
    >>> can_move(ProposalKind.SUPPRESSION, ProposalState.APPROVED, ProposalState.DELIVERED)
    False
    >>> can_move(ProposalKind.FIX, ProposalState.REJECTED, ProposalState.APPROVED)
    False
    """
    if to not in TRANSITIONS[current]:
        return False
    return kind in _KIND_ONLY.get(to, set(ProposalKind))


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Suppression(_Frozen):
    """What a suppression says: why the finding may be ignored, and until when."""

    kind: SuppressionKind
    reason: Reason
    expires_at: datetime


class ProposalDraft(_Frozen):
    """What would be delivered: the validated fix (if any) and the ticket's words.

    ``prompt_template`` / ``prompt_hash`` / ``model`` name the LLM call that drafted it;
    they stay None for the offline drafters (``drafter`` names which one).
    """

    summary: str
    risk_in_words: str
    evidence: tuple[str, ...] = ()
    remediation: Remediation | None = None
    notes: str | None = None  # free text a person added when editing
    console_url: str | None = None
    risk_score: float | None = None
    drafter: str | None = None
    prompt_template: str | None = None
    prompt_hash: str | None = None
    model: str | None = None
    edited_by: tuple[str, ...] = ()
    question: str | None = None  # the question whose answer the draft came from


class Proposal(_Frozen):
    """One proposal as stored; ``id`` is also the delivery's idempotency key."""

    id: str = Field(pattern=r"^prop_[0-9a-f]{16}$")
    kind: ProposalKind
    finding_id: str
    source: str
    team: str
    target: TicketTarget | None = None
    severity: str
    title: str
    draft: ProposalDraft
    requested_by: str
    state: ProposalState = ProposalState.PENDING
    reason: str | None = None  # why it was rejected, or why delivery failed last
    decided_by: str | None = None
    suppression: Suppression | None = None
    receipt: DeliveryReceipt | None = None
    slack_channel: str | None = None
    slack_ts: str | None = None
    version: int = 1
    created_at: datetime
    updated_at: datetime

    @property
    def open(self) -> bool:
        return self.state in (ProposalState.PENDING, ProposalState.APPROVED, ProposalState.FAILED)

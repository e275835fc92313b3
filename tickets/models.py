"""The delivery contract between proposals and the systems that receive them.

An approved proposal becomes a ``DeliveryRequest``; a ticket system (Jira, ServiceNow,
GitHub) turns it into a ticket or pull request and answers with a ``DeliveryReceipt``.
``idempotency_key`` (the proposal's ID) makes a repeated delivery return the first
receipt; ``(source, finding_id)`` makes a second proposal for the same finding comment
on the open ticket instead of opening another.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Protocol

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from remediation.models import Remediation

__all__ = [
    "DeliveryReceipt",
    "DeliveryRequest",
    "Deliverer",
    "TicketState",
    "TicketTarget",
]

Line = Annotated[str, StringConstraints(min_length=1, max_length=4000)]


class TicketTarget(StrEnum):
    JIRA = "jira"
    SERVICENOW = "servicenow"
    GITHUB = "github"


class TicketState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class DeliveryRequest(BaseModel):
    """Everything a ticket or pull request says, already redacted of secrets."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    idempotency_key: Annotated[str, StringConstraints(min_length=8, max_length=128)]
    target: TicketTarget
    team: str
    source: str
    finding_id: str
    title: Annotated[str, StringConstraints(min_length=1, max_length=250)]
    severity: str
    risk_score: float | None = None
    risk_in_words: Line  # "public prod function with admin rights, reads PII"
    evidence: tuple[Line, ...] = ()
    fix: Remediation | None = None  # a validated draft, or None for "investigate" tickets
    rollout: tuple[Line, ...] = ()
    verification: tuple[Line, ...] = ()
    console_url: str | None = None
    requested_by: str
    approved_by: str
    labels: tuple[str, ...] = Field(default=("posture-copilot",))


class DeliveryReceipt(BaseModel):
    """Where it landed: ``PAY-123`` / ``INC0010001`` / ``acme/repo#12`` and its link."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    target: TicketTarget
    key: str
    url: str
    created: bool  # False: an open ticket for the finding existed and got a comment
    state: TicketState = TicketState.OPEN


class Deliverer(Protocol):
    """What the proposals flow calls once a proposal is approved."""

    def deliver(self, request: DeliveryRequest) -> DeliveryReceipt:
        """Create (or comment on) the ticket; the same idempotency key twice = one ticket.

        Raises:
            core.errors.TicketingError: the target refused or is unreachable; nothing
                was recorded as delivered, so a retry is safe.
        """
        ...

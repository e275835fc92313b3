"""What the desk needs from each ticket system, whatever its API looks like.

``correlation`` is our dedupe key for one finding (``correlation_id``): a Jira label, a
ServiceNow ``correlation_id``, a GitHub branch name and label. Each client can find the
open ticket carrying it, which is how a retry after a crash finds the ticket its first
attempt may have opened.
"""

from __future__ import annotations

import hashlib
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from tickets.models import DeliveryRequest, TicketTarget

__all__ = ["RemoteTicket", "TicketClient", "correlation_id"]


def correlation_id(source: str, finding_id: str) -> str:
    """A stable, label-safe key for one finding of one source.

    >>> correlation_id("wiz", "f-1")
    'posture-finding-563413525ae5bc32'
    """
    digest = hashlib.sha256(f"{source}\x1f{finding_id}".encode()).hexdigest()
    return f"posture-finding-{digest[:16]}"


class RemoteTicket(BaseModel):
    """A ticket as the system reports it: ``closed`` once done, resolved or merged."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str  # PAY-12, INC0010001, acme/repo#7
    url: str
    remote_id: str  # what the API addresses it by: key, sys_id, PR or issue number
    status: str = "open"  # the system's own word: "Done", "6", "merged"
    closed: bool = False


class TicketClient(Protocol):
    """One ticket system; ``route`` is the team's project, group or repository."""

    target: TicketTarget

    def find_open(self, route: str, correlation: str) -> RemoteTicket | None:
        """The open ticket for ``correlation``, if there is one."""
        ...

    def create(self, route: str, correlation: str, request: DeliveryRequest) -> RemoteTicket:
        """Open a ticket (or pull request) for the request."""
        ...

    def comment(self, route: str, ticket: RemoteTicket, request: DeliveryRequest) -> None:
        """Add the request's content to an open ticket."""
        ...

    def status(self, route: str, ticket: RemoteTicket) -> RemoteTicket:
        """The ticket as it is now."""
        ...

    def close(self) -> None:
        """Release the HTTP connections."""
        ...

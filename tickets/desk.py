"""``TicketDesk``: the ``Deliverer`` the proposals flow calls once a proposal is approved.

For one request, in order: redact it; find the team's route for the target; reserve the
idempotency key (``TicketBook.reserve``, the race-safe step); then either return the
recorded receipt, or deliver: comment on the finding's open ticket when there is one
(ours, or one the system still holds under our correlation id), else create one; and
record the outcome. A failure releases the reservation as ``failed`` and raises
``TicketingError``; nothing counts as delivered, so the caller may retry.

Comments are at-least-once: a crash after the system accepted a comment but before it
was recorded makes the retry comment again. Tickets are exactly-once, by the reservation
and the correlation lookup.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

import httpx

from core.errors import TicketingError
from core.routing import TeamRoute
from core.settings import Settings
from governance.redact import Redactor
from tickets.client import RemoteTicket, TicketClient, correlation_id
from tickets.github import GitHubClient
from tickets.http import RetryPolicy, TicketingFailed
from tickets.jira import JiraClient
from tickets.models import DeliveryReceipt, DeliveryRequest, TicketTarget
from tickets.records import Reservation, TicketBook, TicketRecord
from tickets.render import redact_request
from tickets.servicenow import ServiceNowClient
from workflow import WorkflowDB

__all__ = ["ClientFactory", "TicketDesk", "clients_from_settings"]

ClientFactory = Callable[[], TicketClient]
_ROUTE_FIELD = {
    TicketTarget.JIRA: "jira_project",
    TicketTarget.SERVICENOW: "servicenow_group",
    TicketTarget.GITHUB: "github_repo",
}


def clients_from_settings(
    settings: Settings,
    *,
    transport: httpx.BaseTransport | None = None,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] | None = None,
) -> dict[TicketTarget, ClientFactory]:
    """A factory per target; an unconfigured one raises a clear error when first used."""
    return {
        TicketTarget.JIRA: lambda: JiraClient(
            settings.jira, transport=transport, policy=policy, sleep=sleep
        ),
        TicketTarget.SERVICENOW: lambda: ServiceNowClient(
            settings.servicenow, transport=transport, policy=policy, sleep=sleep
        ),
        TicketTarget.GITHUB: lambda: GitHubClient(
            settings.github, transport=transport, policy=policy, sleep=sleep
        ),
    }


class TicketDesk:
    """Delivers approved proposals as tickets, once each, one ticket per finding.

    Args:
        db: the workflow database (the ``tickets`` table).
        teams: owner team -> route (``Settings.teams``).
        clients: target -> a factory of its client, built on first use.
        wait_s: how long a delivery waits for a concurrent one of the same proposal or
            finding before giving up with ``TicketingError``.
        lease_s: how long a reservation holds before it counts as a crashed attempt.
    """

    def __init__(
        self,
        db: WorkflowDB,
        teams: Mapping[str, TeamRoute],
        clients: Mapping[TicketTarget, ClientFactory],
        *,
        wait_s: float = 30.0,
        poll_s: float = 0.05,
        lease_s: float = 600.0,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.book = TicketBook(db, lease_s=lease_s, now=now)
        self.teams = dict(teams)
        self._factories = dict(clients)
        self._clients: dict[TicketTarget, TicketClient] = {}
        self._clients_lock = threading.Lock()
        self._wait_s = wait_s
        self._poll_s = poll_s
        self._redactor = Redactor(pseudonymise=False)

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        db: WorkflowDB,
        *,
        transport: httpx.BaseTransport | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
        wait_s: float = 30.0,
    ) -> TicketDesk:
        """A desk for the configured teams and ticket systems."""
        clients = clients_from_settings(settings, transport=transport, policy=policy, sleep=sleep)
        return cls(db, settings.teams, clients, wait_s=wait_s)

    def close(self) -> None:
        with self._clients_lock:
            for client in self._clients.values():
                client.close()
            self._clients.clear()

    def __enter__(self) -> TicketDesk:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def client(self, target: TicketTarget) -> TicketClient:
        """The client of ``target``, built on first use (raises if unconfigured)."""
        with self._clients_lock:
            if target not in self._clients:
                factory = self._factories.get(target)
                if factory is None:
                    raise TicketingFailed(f"No client for {target.value}.", target=target.value)
                self._clients[target] = factory()
            return self._clients[target]

    def route_for(self, team: str, target: TicketTarget) -> str:
        """The team's project, group or repository for ``target``."""
        route = self.teams.get(team)
        field = _ROUTE_FIELD[target]
        if route is None:
            raise TicketingFailed(
                f"No team route for {team!r}.",
                target=target.value,
                remediation=f"Add {team} under teams: in posture.yaml with its {field}.",
            )
        value = getattr(route, field)
        if not value:
            raise TicketingFailed(
                f"Team {team!r} has no {field}.",
                target=target.value,
                remediation=f"Set teams.{team}.{field} in posture.yaml, or pick another target.",
            )
        return str(value)

    def deliver(self, request: DeliveryRequest) -> DeliveryReceipt:
        """Create (or comment on) the ticket; the same idempotency key twice = one ticket.

        Raises:
            TicketingError: no route, the target refused or is unreachable, or another
                delivery of the same proposal or finding is still running; nothing was
                recorded as delivered, so a retry is safe.
        """
        recorded = self.book.get(request.idempotency_key)
        if recorded is not None and recorded.delivered:
            return recorded.receipt()  # the fast path: no redaction, no route needed
        request = redact_request(request, self._redactor)
        route = self.route_for(request.team, request.target)
        client = self.client(request.target)  # an unconfigured target fails before recording
        correlation = correlation_id(request.source, request.finding_id)
        reservation = self._reserve(request, route, correlation)
        if reservation.done:
            assert reservation.record is not None
            return reservation.record.receipt()
        try:
            ticket, created = self._send(client, request, route, correlation, reservation.takeover)
        except TicketingError as exc:
            self.book.fail(request.idempotency_key, exc.one_line())
            raise
        except BaseException as exc:  # a bug or an interrupt: free the key, keep the cause
            self.book.fail(request.idempotency_key, f"{type(exc).__name__}: {exc}")
            raise
        return self.book.complete(request.idempotency_key, ticket, created=created).receipt()

    def _reserve(self, request: DeliveryRequest, route: str, correlation: str) -> Reservation:
        deadline = time.monotonic() + self._wait_s
        while True:
            reservation = self.book.reserve(request, route, correlation)
            if not reservation.busy:
                return reservation
            if time.monotonic() >= deadline:
                raise TicketingFailed(
                    f"Another delivery for {request.finding_id} is still running.",
                    target=request.target.value,
                    remediation="Wait a minute and approve again; no second ticket will open.",
                )
            time.sleep(self._poll_s)

    def _send(
        self,
        client: TicketClient,
        request: DeliveryRequest,
        route: str,
        correlation: str,
        takeover: bool,
    ) -> tuple[RemoteTicket, bool]:
        open_ticket = self._known_open(client, request.target, correlation)
        if open_ticket is None:
            open_ticket = client.find_open(route, correlation)
            if open_ticket is not None and takeover:
                # our own crashed or cut-off attempt opened it: it is this delivery's ticket
                return open_ticket, True
        if open_ticket is not None:
            client.comment(route, open_ticket, request)
            return open_ticket, False
        return client.create(route, correlation, request), True

    def _known_open(
        self, client: TicketClient, target: TicketTarget, correlation: str
    ) -> RemoteTicket | None:
        """The finding's ticket we recorded as open, if the system still says so."""
        record = self.book.open_ticket_for(target, correlation)
        if record is None:
            return None
        now = client.status(record.route, record.remote())
        self.book.update_status(record, now)
        return None if now.closed else now

    def records(
        self, *, states: tuple[str, ...] = (), target: TicketTarget | None = None
    ) -> list[TicketRecord]:
        """The recorded deliveries, newest first."""
        return self.book.tickets(states=states, target=target)

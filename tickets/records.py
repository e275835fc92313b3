"""The durable record of deliveries in the workflow DB, and the reservation that races rest on.

A delivery first *reserves* its idempotency key inside ``BEGIN IMMEDIATE``: the row is
written ``pending`` with a lease before any API call, so of two threads or processes
delivering the same proposal exactly one goes on; the other waits for the row to settle
and returns the recorded receipt. Deliveries of different proposals for the same
finding are serialised the same way (one live ``pending`` row per finding and target),
which is what keeps "one ticket per finding" true under concurrency.

A ``pending`` row whose lease ran out is a crashed attempt, and a ``failed`` row holds
nothing delivered; the next delivery takes either over, as a *takeover*: the earlier
attempt may have reached the ticket system, so the desk looks for the ticket by its
correlation id before it creates one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, ConfigDict

from tickets.client import RemoteTicket
from tickets.models import DeliveryReceipt, DeliveryRequest, TicketState, TicketTarget
from workflow import WorkflowDB

__all__ = ["Reservation", "TicketBook", "TicketRecord"]

_ERROR_MAX = 500


class TicketRecord(BaseModel):
    """One row of the ``tickets`` table."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    idempotency_key: str
    target: TicketTarget
    team: str
    route: str
    source: str
    finding_id: str
    correlation_id: str
    state: str  # pending | open | closed | failed
    key: str | None = None
    url: str | None = None
    remote_id: str | None = None
    remote_status: str | None = None
    created: bool | None = None
    attempts: int = 0
    lease_until: str | None = None
    last_error: str | None = None
    created_at: str
    updated_at: str
    closed_at: str | None = None

    @property
    def delivered(self) -> bool:
        return self.state in ("open", "closed") and self.key is not None

    def receipt(self) -> DeliveryReceipt:
        """The receipt this delivery answered with (only for a delivered row)."""
        if not self.delivered or self.key is None or self.url is None:
            raise ValueError(f"delivery {self.idempotency_key} is {self.state}, not delivered")
        state = TicketState.CLOSED if self.state == "closed" else TicketState.OPEN
        return DeliveryReceipt(
            target=self.target, key=self.key, url=self.url, created=bool(self.created), state=state
        )

    def remote(self) -> RemoteTicket:
        return RemoteTicket(
            key=self.key or "",
            url=self.url or "",
            remote_id=self.remote_id or "",
            status=self.remote_status or "open",
            closed=self.state == "closed",
        )


@dataclass(frozen=True)
class Reservation:
    """The outcome of trying to reserve a key.

    ``done``: already delivered (the recorded row); ``busy``: another worker holds the
    key or the finding; otherwise ``record`` is ours to deliver, ``takeover`` saying an
    earlier attempt may have reached the ticket system.
    """

    record: TicketRecord | None
    done: bool = False
    busy: bool = False
    takeover: bool = False


class TicketBook:
    """Reads and writes the ``tickets`` table; every write is one short transaction."""

    def __init__(
        self,
        db: WorkflowDB,
        *,
        lease_s: float = 600.0,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.db = db
        self.lease = timedelta(seconds=lease_s)
        self._now = now

    def get(self, idempotency_key: str) -> TicketRecord | None:
        rows = self.db.query("SELECT * FROM tickets WHERE idempotency_key = ?", (idempotency_key,))
        return _record(rows[0]) if rows else None

    def reserve(self, request: DeliveryRequest, route: str, correlation: str) -> Reservation:
        """Claim ``request.idempotency_key`` for delivery, or say why not."""
        now = self._now()
        with self.db.transaction() as con:
            row = con.execute(
                "SELECT * FROM tickets WHERE idempotency_key = ?", (request.idempotency_key,)
            ).fetchone()
            found = _record(row) if row else None
            if found and found.delivered:
                return Reservation(found, done=True)
            if (found and _live(found, now)) or _finding_busy(con, request, correlation, now):
                return Reservation(found, busy=True)
            until = (now + self.lease).isoformat()
            if found:
                con.execute(
                    "UPDATE tickets SET state = 'pending', attempts = attempts + 1, "
                    "lease_until = ?, updated_at = ? WHERE idempotency_key = ?",
                    (until, now.isoformat(), request.idempotency_key),
                )
            else:
                con.execute(
                    "INSERT INTO tickets (idempotency_key, target, team, route, source, "
                    "finding_id, correlation_id, state, attempts, lease_until, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 1, ?, ?, ?)",
                    (
                        request.idempotency_key,
                        request.target.value,
                        request.team,
                        route,
                        request.source,
                        request.finding_id,
                        correlation,
                        until,
                        now.isoformat(),
                        now.isoformat(),
                    ),
                )
            mine = con.execute(
                "SELECT * FROM tickets WHERE idempotency_key = ?", (request.idempotency_key,)
            ).fetchone()
        return Reservation(_record(mine), takeover=found is not None)

    def complete(
        self, idempotency_key: str, ticket: RemoteTicket, *, created: bool
    ) -> TicketRecord:
        """Record the delivery as done: the ticket it opened or commented on."""
        now = self._now().isoformat()
        state = "closed" if ticket.closed else "open"
        with self.db.transaction() as con:
            con.execute(
                "UPDATE tickets SET state = ?, key = ?, url = ?, remote_id = ?, remote_status = ?, "
                "created = ?, lease_until = NULL, last_error = NULL, updated_at = ? "
                "WHERE idempotency_key = ?",
                (
                    state,
                    ticket.key,
                    ticket.url,
                    ticket.remote_id,
                    ticket.status,
                    int(created),
                    now,
                    idempotency_key,
                ),
            )
        record = self.get(idempotency_key)
        assert record is not None
        return record

    def fail(self, idempotency_key: str, error: str) -> None:
        """Release the reservation; nothing counts as delivered."""
        now = self._now().isoformat()
        with self.db.transaction() as con:
            con.execute(
                "UPDATE tickets SET state = 'failed', lease_until = NULL, last_error = ?, "
                "updated_at = ? WHERE idempotency_key = ? AND state = 'pending'",
                (error[:_ERROR_MAX], now, idempotency_key),
            )

    def open_ticket_for(self, target: TicketTarget, correlation: str) -> TicketRecord | None:
        """The finding's ticket this desk opened and last saw open, if any."""
        rows = self.db.query(
            "SELECT * FROM tickets WHERE target = ? AND correlation_id = ? AND state = 'open' "
            "AND key IS NOT NULL ORDER BY created DESC, created_at LIMIT 1",
            (target.value, correlation),
        )
        return _record(rows[0]) if rows else None

    def update_status(self, record: TicketRecord, ticket: RemoteTicket) -> bool:
        """Write what the ticket system says now to every row of that ticket.

        Returns whether the open/closed state changed.
        """
        now = self._now().isoformat()
        state = "closed" if ticket.closed else "open"
        with self.db.transaction() as con:
            cursor = con.execute(
                "UPDATE tickets SET state = ?, remote_status = ?, updated_at = ?, "
                "closed_at = CASE WHEN ? = 'closed' THEN coalesce(closed_at, ?) ELSE NULL END "
                "WHERE target = ? AND key = ? AND state IN ('open', 'closed') "
                "AND (state != ? OR coalesce(remote_status, '') != ?)",
                (
                    state,
                    ticket.status,
                    now,
                    state,
                    now,
                    record.target.value,
                    record.key,
                    state,
                    ticket.status,
                ),
            )
            changed = cursor.rowcount > 0 and state != record.state
        return changed

    def tickets(
        self, *, states: tuple[str, ...] = (), target: TicketTarget | None = None
    ) -> list[TicketRecord]:
        """Rows, newest first, optionally of some states and one target."""
        sql, params = "SELECT * FROM tickets WHERE 1 = 1", []
        if states:
            sql += f" AND state IN ({', '.join('?' for _ in states)})"
            params += list(states)
        if target is not None:
            sql += " AND target = ?"
            params.append(target.value)
        rows = self.db.query(sql + " ORDER BY created_at DESC, idempotency_key", params)
        return [_record(r) for r in rows]

    def proposals_for(self, target: TicketTarget, key: str) -> tuple[str, ...]:
        """Every proposal (idempotency key) delivered to that ticket, oldest first."""
        rows = self.db.query(
            "SELECT idempotency_key FROM tickets WHERE target = ? AND key = ? "
            "ORDER BY created_at, idempotency_key",
            (target.value, key),
        )
        return tuple(str(r["idempotency_key"]) for r in rows)

    def owned_tickets(self, state: str) -> list[TicketRecord]:
        """One row per ticket (the delivery that opened it, or the first that saw it)."""
        rows = self.db.query(
            "SELECT * FROM tickets WHERE state = ? AND key IS NOT NULL "
            "ORDER BY created DESC, created_at",
            (state,),
        )
        seen: dict[tuple[str, str], TicketRecord] = {}
        for row in rows:
            record = _record(row)
            seen.setdefault((record.target.value, record.key or ""), record)
        return list(seen.values())


def _record(row: sqlite3.Row) -> TicketRecord:
    data = dict(row)
    if data.get("created") is not None:
        data["created"] = bool(data["created"])
    return TicketRecord.model_validate(data)


def _live(record: TicketRecord, now: datetime) -> bool:
    if record.state != "pending":
        return False
    lease = record.lease_until
    return lease is None or datetime.fromisoformat(lease) > now


def _finding_busy(
    con: sqlite3.Connection, request: DeliveryRequest, correlation: str, now: datetime
) -> bool:
    row = con.execute(
        "SELECT 1 FROM tickets WHERE target = ? AND correlation_id = ? AND state = 'pending' "
        "AND lease_until > ? AND idempotency_key != ? LIMIT 1",
        (request.target.value, correlation, now.isoformat(), request.idempotency_key),
    ).fetchone()
    return row is not None

"""Status flow-back: what happened to the tickets we opened, and what that means.

``refresh_statuses`` polls every open ticket (Jira status category ``done``, ServiceNow
state Resolved/Closed/Canceled, GitHub pull request merged or closed, issue closed) and
records the changes. ``closed_but_still_open`` compares closed tickets with the findings
store: a ticket closed while its finding is still open deserves a word in the thread.
Both return data; posting it is the Slack side's job.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict
from sqlglot import exp

from core.errors import TicketingError
from querygen.catalog import Catalog, load_catalog
from querygen.validate import validate_sql
from store import FindingsStore
from tickets.desk import TicketDesk
from tickets.models import TicketState, TicketTarget
from tickets.records import TicketBook, TicketRecord

__all__ = ["ClosedButOpen", "StatusChange", "closed_but_still_open", "refresh_statuses"]

log = logging.getLogger(__name__)
_BATCH = 400


class StatusChange(BaseModel):
    """A ticket that moved between open and closed since the last refresh."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    target: TicketTarget
    key: str
    url: str
    team: str
    source: str
    finding_id: str
    before: TicketState
    after: TicketState
    remote_status: str  # the system's own word: "Done", "6", "merged"
    proposals: tuple[str, ...]  # the proposals delivered to it: where to say so in Slack


class ClosedButOpen(BaseModel):
    """A closed ticket whose finding the store still reports open."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    target: TicketTarget
    key: str
    url: str
    team: str
    source: str
    finding_id: str
    closed_at: str | None
    remote_status: str | None
    seen_since_close: bool  # a sync saw the finding after the ticket closed
    proposals: tuple[str, ...]  # the proposals delivered to it: where to say so in Slack


def refresh_statuses(desk: TicketDesk) -> list[StatusChange]:
    """Poll each open ticket once and record what changed.

    A system that fails (down, credentials revoked) is logged and skipped; its tickets
    keep their state and are polled again next time.
    """
    changes: list[StatusChange] = []
    failed: set[TicketTarget] = set()
    for record in desk.book.owned_tickets("open"):
        if record.target in failed:
            continue
        try:
            now = desk.client(record.target).status(record.route, record.remote())
        except TicketingError as exc:
            log.warning("ticket status of %s %s: %s", record.target, record.key, exc.one_line())
            failed.add(record.target)
            continue
        if desk.book.update_status(record, now):
            proposals = desk.book.proposals_for(record.target, record.key or "")
            changes.append(_change(record, now.closed, now.status, proposals))
    return changes


def _change(
    record: TicketRecord, closed: bool, remote_status: str, proposals: tuple[str, ...]
) -> StatusChange:
    after = TicketState.CLOSED if closed else TicketState.OPEN
    before = TicketState.OPEN if closed else TicketState.CLOSED
    return StatusChange(
        target=record.target,
        key=record.key or "",
        url=record.url or "",
        team=record.team,
        source=record.source,
        finding_id=record.finding_id,
        before=before,
        after=after,
        remote_status=remote_status,
        proposals=proposals,
    )


def closed_but_still_open(
    book: TicketBook, store: FindingsStore, catalog: Catalog | None = None
) -> list[ClosedButOpen]:
    """Closed tickets whose finding is still open in the store (and no other ticket is open).

    Reads the store only through the guard (``validate_sql``) and its ``findings`` view.
    """
    open_findings = {(r.source, r.finding_id) for r in book.tickets(states=("open", "pending"))}
    closed: dict[tuple[str, str], TicketRecord] = {}
    for record in book.owned_tickets("closed"):
        pair = (record.source, record.finding_id)
        if pair not in open_findings:
            closed.setdefault(pair, record)
    if not closed:
        return []
    status = _finding_status(store, catalog or load_catalog(), {f for _, f in closed})
    out = []
    for (source, finding_id), record in sorted(closed.items()):
        seen = status.get((source, finding_id))
        if seen is None or seen[0] != "open":
            continue
        out.append(
            ClosedButOpen(
                target=record.target,
                key=record.key or "",
                url=record.url or "",
                team=record.team,
                source=source,
                finding_id=finding_id,
                closed_at=record.closed_at,
                remote_status=record.remote_status,
                seen_since_close=bool(record.closed_at and seen[1] > record.closed_at),
                proposals=book.proposals_for(record.target, record.key or ""),
            )
        )
    return out


def _finding_status(
    store: FindingsStore, catalog: Catalog, finding_ids: Iterable[str]
) -> dict[tuple[str, str], tuple[str, str]]:
    """(source, finding_id) -> (status, last_seen as ISO text) for the given findings."""
    ids = sorted(finding_ids)
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        built = (
            exp.select("finding_id", "source", "status", "last_seen")
            .from_("findings")
            .where(exp.column("finding_id").isin(*(exp.Literal.string(i) for i in batch)))
        )
        query = validate_sql(built.sql(dialect="duckdb"), catalog, default_limit=5000)
        for finding_id, source, state, last_seen in store.query(query).rows:
            stamp = last_seen.isoformat() if hasattr(last_seen, "isoformat") else str(last_seen)
            out[(str(source), str(finding_id))] = (str(state), stamp)
    return out

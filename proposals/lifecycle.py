"""What moves proposals without a click: resolved findings close them, expiries end
suppressions. Both are idempotent sweeps a sync or a timer can run as often as it likes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlglot.expressions as exp

from core.query import ValidatedQuery
from governance.audit import AuditEvent
from proposals.models import Proposal, ProposalState
from proposals.service import ProposalService, audit_details
from store import FindingsStore

__all__ = ["SYSTEM_ACTOR", "close_resolved", "finding_statuses", "sweep_suppressions"]

SYSTEM_ACTOR = "posture-copilot"
_CHUNK = 500
_S = ProposalState


def finding_statuses(store: FindingsStore, finding_ids: Iterable[str]) -> dict[str, str]:
    """Finding id -> its status in the store (ids the store lacks are left out)."""
    ids = sorted(set(finding_ids))
    out: dict[str, str] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = [exp.Literal.string(i) for i in ids[start : start + _CHUNK]]
        query = (
            exp.select("finding_id", "status")
            .from_(exp.table_("findings", db="main"))
            .where(exp.column("finding_id").isin(*chunk))
        )
        result = store.query(
            ValidatedQuery(sql=query.sql(dialect="duckdb"), views=("findings",), row_limit=_CHUNK)
        )
        out.update({str(r[0]): str(r[1]) for r in result.rows})
    return out


def close_resolved(service: ProposalService, store: FindingsStore) -> list[Proposal]:
    """Close delivered fixes and tickets, and suppressions in force, whose finding the
    store now shows resolved."""
    candidates = service.store.find(states=[_S.DELIVERED, _S.APPROVED], limit=100_000)
    candidates = [p for p in candidates if p.state is _S.DELIVERED or p.suppression is not None]
    statuses = finding_statuses(store, (p.finding_id for p in candidates))
    closed: list[Proposal] = []
    for p in candidates:
        if statuses.get(p.finding_id) != "resolved":
            continue
        moved = service.store.move(p.id, {p.state}, _S.CLOSED, reason="the finding is resolved")
        if moved is not None:
            service.audit.append(_event("proposal.closed", moved, "finding resolved"))
            closed.append(moved)
    return closed


def sweep_suppressions(service: ProposalService, now: datetime | None = None) -> list[Proposal]:
    """End every suppression whose expiry has passed: the finding ranks again."""
    now = now or service.clock()
    ended: list[Proposal] = []
    for p in service.store.due_suppressions(now):
        moved = service.store.move(
            p.id, {_S.APPROVED}, _S.EXPIRED, now=now, reason="the suppression expired"
        )
        if moved is not None:
            service.audit.append(_event("suppression.expired", moved, "expired"))
            ended.append(moved)
    return ended


def _event(action: str, p: Proposal, decision: str) -> AuditEvent:
    details = audit_details(p, decision=decision)
    return AuditEvent(action=action, actor=SYSTEM_ACTOR, details=details)

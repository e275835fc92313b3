"""``ProposalStore``: proposals in the workflow database, moved only by compare-and-set.

Every change runs in one ``BEGIN IMMEDIATE`` transaction that reads the current state
and writes only if it is still the state the caller saw. Two approvals of one proposal
(a double click, two approvers, two processes) therefore serialise: the first moves it,
the second finds it moved and gets ``None`` — so exactly one of them delivers.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from core.errors import ValidationFailed
from proposals.models import (
    Proposal,
    ProposalDraft,
    ProposalKind,
    ProposalState,
    Suppression,
    can_move,
)
from tickets.models import DeliveryReceipt
from workflow import WorkflowDB

__all__ = ["ProposalStore"]

_COLUMNS = (
    "id kind finding_id source team target severity title draft requested_by state reason "
    "decided_by suppression expires_at receipt slack_channel slack_ts version created_at "
    "updated_at"
).split()
_OPEN = ("pending", "approved", "failed")


def _row(p: Proposal) -> dict[str, Any]:
    return {
        **p.model_dump(
            mode="json", exclude={"draft", "suppression", "receipt", "created_at", "updated_at"}
        ),
        "draft": p.draft.model_dump_json(),
        "suppression": p.suppression.model_dump_json() if p.suppression else None,
        "expires_at": p.suppression.expires_at.astimezone(UTC).isoformat()
        if p.suppression
        else None,
        "receipt": p.receipt.model_dump_json() if p.receipt else None,
        "created_at": p.created_at.isoformat(),
        "updated_at": p.updated_at.isoformat(),
    }


def _proposal(row: sqlite3.Row) -> Proposal:
    data = {k: row[k] for k in _COLUMNS if k != "expires_at"}
    data["draft"] = ProposalDraft.model_validate_json(row["draft"])
    if row["suppression"]:
        data["suppression"] = Suppression.model_validate_json(row["suppression"])
    if row["receipt"]:
        data["receipt"] = DeliveryReceipt.model_validate_json(row["receipt"])
    return Proposal.model_validate(data)


class ProposalStore:
    """Proposals kept in ``db``; survives restarts, shared by the bot and the CLI."""

    def __init__(self, db: WorkflowDB) -> None:
        self.db = db

    def add(self, proposal: Proposal) -> tuple[Proposal, bool]:
        """Store a new proposal, or return the open one of the same kind for the finding.

        Returns:
            The stored proposal and whether it is the one just given (False: a proposal
            was already open, e.g. a second click on "Draft fix").
        """
        row = _row(proposal)
        with self.db.transaction() as con:
            found = con.execute(
                "SELECT * FROM proposals WHERE finding_id = ? AND kind = ? AND state IN (?, ?, ?)",
                (proposal.finding_id, proposal.kind.value, *_OPEN),
            ).fetchone()
            if found is not None:
                return _proposal(found), False
            names = ", ".join(_COLUMNS)
            marks = ", ".join("?" for _ in _COLUMNS)
            con.execute(
                f"INSERT INTO proposals ({names}) VALUES ({marks})", [row[c] for c in _COLUMNS]
            )
        return proposal, True

    def get(self, proposal_id: str) -> Proposal | None:
        rows = self.db.query("SELECT * FROM proposals WHERE id = ?", (proposal_id,))
        return _proposal(rows[0]) if rows else None

    def require(self, proposal_id: str) -> Proposal:
        """The proposal, or a one-line error naming the id.

        Raises:
            ValidationFailed: no proposal has that id.
        """
        found = self.get(proposal_id)
        if found is None:
            raise ValidationFailed(
                f"No proposal {proposal_id[:40]}.",
                remediation="`posture proposals list` shows the proposals there are.",
            )
        return found

    def move(
        self,
        proposal_id: str,
        expected: Collection[ProposalState],
        to: ProposalState,
        *,
        now: datetime | None = None,
        **changes: Any,
    ) -> Proposal | None:
        """Compare-and-set: move the proposal to ``to`` if its state is in ``expected``.

        Returns:
            The moved proposal, or None when it was not in an expected state any more
            (someone else moved it first).

        Raises:
            ValueError: the move is not in ``TRANSITIONS`` for its kind.
        """
        with self.db.transaction() as con:
            row = con.execute("SELECT * FROM proposals WHERE id = ?", (proposal_id,)).fetchone()
            if row is None or ProposalState(row["state"]) not in expected:
                return None
            current = _proposal(row)
            if not can_move(current.kind, current.state, to):
                raise ValueError(f"{current.kind} cannot go from {current.state} to {to}")
            return self._write(con, current, now, state=to, **changes)

    def change(
        self,
        proposal_id: str,
        expected: Collection[ProposalState],
        *,
        now: datetime | None = None,
        **changes: Any,
    ) -> Proposal | None:
        """Compare-and-set without a state change (an edited draft, the Slack message)."""
        with self.db.transaction() as con:
            row = con.execute("SELECT * FROM proposals WHERE id = ?", (proposal_id,)).fetchone()
            if row is None or ProposalState(row["state"]) not in expected:
                return None
            return self._write(con, _proposal(row), now, **changes)

    @staticmethod
    def _write(
        con: sqlite3.Connection, current: Proposal, now: datetime | None, **changes: Any
    ) -> Proposal:
        updated = current.model_copy(
            update={
                **changes,
                "version": current.version + 1,
                "updated_at": now or datetime.now(UTC),
            }
        )
        updated = Proposal.model_validate(updated.model_dump())  # re-check the new values
        row = _row(updated)
        sets = ", ".join(f"{c} = ?" for c in _COLUMNS if c != "id")
        cursor = con.execute(
            f"UPDATE proposals SET {sets} WHERE id = ? AND version = ?",
            [*(row[c] for c in _COLUMNS if c != "id"), current.id, current.version],
        )
        if cursor.rowcount != 1:  # pragma: no cover - the immediate transaction rules it out
            raise RuntimeError(f"proposal {current.id} changed under a write transaction")
        return updated

    def find(
        self,
        *,
        states: Collection[ProposalState] = (),
        kind: ProposalKind | None = None,
        limit: int = 100,
    ) -> list[Proposal]:
        """Newest first, optionally of some states and one kind."""
        where, params = ["1 = 1"], []
        if states:
            where.append(f"state IN ({', '.join('?' for _ in states)})")
            params += [s.value for s in states]
        if kind is not None:
            where.append("kind = ?")
            params.append(kind.value)
        sql = f"SELECT * FROM proposals WHERE {' AND '.join(where)} ORDER BY created_at DESC, id"
        return [_proposal(r) for r in self.db.query(f"{sql} LIMIT ?", (*params, limit))]

    def suppressed_ids(self, now: datetime) -> frozenset[str]:
        """Finding ids under an approved suppression that has not expired at ``now``."""
        rows = self.db.query(
            "SELECT finding_id FROM proposals WHERE kind = 'suppression' AND state = 'approved' "
            "AND expires_at > ?",
            (now.astimezone(UTC).isoformat(),),
        )
        return frozenset(str(r["finding_id"]) for r in rows)

    def due_suppressions(self, now: datetime) -> list[Proposal]:
        """Approved suppressions whose expiry has passed (the sweep undoes them)."""
        rows = self.db.query(
            "SELECT * FROM proposals WHERE kind = 'suppression' AND state = 'approved' "
            "AND expires_at <= ? ORDER BY expires_at",
            (now.astimezone(UTC).isoformat(),),
        )
        return [_proposal(r) for r in rows]

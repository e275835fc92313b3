"""The inbox tables (workflow/migrations/0002_webhook_inbox.sql): write first, then work.

``accept`` commits the raw event before the caller answers 2xx, so an acknowledged event
survives any crash; ``(source, event_id)`` makes a redelivery a no-op. The worker moves a
row from pending to processed (or failed) and stores its normalised findings; a writer of
the findings store later loads them and stamps ``applied_at``.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from workflow import WorkflowDB

__all__ = ["InboxRow", "WebhookInbox"]

_MAX_ERROR = 2000


def _now() -> str:
    return datetime.now(UTC).isoformat()


@dataclass(frozen=True)
class InboxRow:
    """One stored event."""

    id: int
    source: str
    event_id: str
    body: bytes
    status: str
    attempts: int
    findings: str | None = None


def _row(row: sqlite3.Row) -> InboxRow:
    return InboxRow(
        id=int(row["id"]),
        source=str(row["source"]),
        event_id=str(row["event_id"]),
        body=bytes(row["body"]),
        status=str(row["status"]),
        attempts=int(row["attempts"]),
        findings=row["findings"],
    )


class WebhookInbox:
    """The webhook tables of one workflow database."""

    def __init__(self, db: WorkflowDB) -> None:
        self.db = db

    def accept(
        self,
        source: str,
        events: list[tuple[str, bytes]],
        headers: dict[str, str],
        received_at: datetime,
    ) -> list[int | None]:
        """Store events (id, raw body) in one transaction; the new row ids, None for a
        duplicate. Committed when this returns.

        Raises:
            StoreError: the database cannot be written (the caller answers 503).
        """
        kept = json.dumps(headers, sort_keys=True)
        ids: list[int | None] = []
        with self.db.transaction() as con:
            for event_id, body in events:
                cursor = con.execute(
                    "INSERT INTO webhook_inbox (source, event_id, received_at, headers, body) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (source, event_id) DO NOTHING",
                    (source, event_id, received_at.isoformat(), kept, body),
                )
                ids.append(int(cursor.lastrowid) if cursor.rowcount == 1 else None)  # type: ignore[arg-type]
        return ids

    def dead_letter(
        self, source: str, reason: str, body: bytes, headers: dict[str, str], received_at: datetime
    ) -> int:
        """Keep an authenticated event we could not read."""
        with self.db.transaction() as con:
            cursor = con.execute(
                "INSERT INTO webhook_dead_letter (received_at, source, reason, body, headers) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    received_at.isoformat(),
                    source,
                    reason[:_MAX_ERROR],
                    body,
                    json.dumps(headers, sort_keys=True),
                ),
            )
            return int(cursor.lastrowid or 0)

    def pending_ids(self) -> list[int]:
        """Rows still to process, oldest first (after a restart, all of them)."""
        rows = self.db.query("SELECT id FROM webhook_inbox WHERE status = 'pending' ORDER BY id")
        return [int(r["id"]) for r in rows]

    def claim(self, row_id: int) -> InboxRow | None:
        """Count an attempt on a pending row and return it; None if it is not pending."""
        with self.db.transaction() as con:
            updated = con.execute(
                "UPDATE webhook_inbox SET attempts = attempts + 1 "
                "WHERE id = ? AND status = 'pending'",
                (row_id,),
            ).rowcount
            if not updated:
                return None
            row = con.execute("SELECT * FROM webhook_inbox WHERE id = ?", (row_id,)).fetchone()
        return _row(row)

    def processed(self, row_id: int, findings_json: str, finding_ids: list[str]) -> None:
        """Store the normalised event and the findings it carried, in one transaction."""
        with self.db.transaction() as con:
            con.execute(
                "UPDATE webhook_inbox SET status = 'processed', processed_at = ?, findings = ?, "
                "error = NULL WHERE id = ?",
                (_now(), findings_json, row_id),
            )
            con.executemany(
                "INSERT INTO webhook_findings (finding_id, inbox_id) VALUES (?, ?) "
                "ON CONFLICT DO NOTHING",
                [(f, row_id) for f in finding_ids],
            )

    def failed(self, row_id: int, error: str, *, final: bool) -> None:
        """Record why processing failed; a final failure stops retries."""
        status = "failed" if final else "pending"
        with self.db.transaction() as con:
            con.execute(
                "UPDATE webhook_inbox SET status = ?, error = ? WHERE id = ?",
                (status, error[:_MAX_ERROR], row_id),
            )

    def claim_alert(self, finding_id: str, row_id: int, channel: str | None) -> bool:
        """Reserve the one proactive alert of a finding; False if it was sent already."""
        with self.db.transaction() as con:
            cursor = con.execute(
                "INSERT INTO webhook_alerts (finding_id, inbox_id, channel, sent_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (finding_id) DO NOTHING",
                (finding_id, row_id, channel, _now()),
            )
            return cursor.rowcount == 1

    def seen_before(self, finding_id: str, row_id: int) -> bool:
        """Did another event already carry this finding, or alert on it?"""
        rows = self.db.query(
            "SELECT 1 FROM webhook_alerts WHERE finding_id = ? UNION ALL "
            "SELECT 1 FROM webhook_findings WHERE finding_id = ? AND inbox_id <> ? LIMIT 1",
            (finding_id, finding_id, row_id),
        )
        return bool(rows)

    def unapplied(self, limit: int = 5000) -> list[InboxRow]:
        """Processed rows whose findings the findings store has not taken yet."""
        rows = self.db.query(
            "SELECT * FROM webhook_inbox WHERE status = 'processed' AND applied_at IS NULL "
            "ORDER BY id LIMIT ?",
            (limit,),
        )
        return [_row(r) for r in rows]

    def mark_applied(self, row_ids: list[int]) -> None:
        with self.db.transaction() as con:
            con.executemany(
                "UPDATE webhook_inbox SET applied_at = ? WHERE id = ? AND applied_at IS NULL",
                [(_now(), i) for i in row_ids],
            )

    def counts(self) -> dict[str, int]:
        """Rows by status, plus unapplied and dead letters (``posture webhooks status``)."""
        rows = self.db.query("SELECT status, count(*) AS n FROM webhook_inbox GROUP BY status")
        out = {"pending": 0, "processed": 0, "failed": 0}
        out.update({str(r["status"]): int(r["n"]) for r in rows})
        unapplied = self.db.query(
            "SELECT count(*) AS n FROM webhook_inbox "
            "WHERE status = 'processed' AND applied_at IS NULL"
        )
        dead = self.db.query("SELECT count(*) AS n FROM webhook_dead_letter")
        out["unapplied"] = int(unapplied[0]["n"])
        out["dead_letter"] = int(dead[0]["n"])
        return out

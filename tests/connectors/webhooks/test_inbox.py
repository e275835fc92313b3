"""The inbox across a restart, the 503 when it cannot be written, and applying processed
events to the findings store (idempotent, content hash stable)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from pydantic import SecretStr

from connectors.webhooks import (
    WebhookInbox,
    WebhookProcessor,
    WebhookReceiver,
    WebhookRequest,
    apply_pending,
)
from core.ticketing_settings import WebhookSettings, WebhookSource
from store import FindingsStore
from workflow import WorkflowDB

SETTINGS = WebhookSettings(wiz=WebhookSource(token=SecretStr("t")))
HEADERS = {"authorization": "Bearer t", "content-type": "application/json"}


def wiz(i: int, status: str = "OPEN") -> bytes:
    return json.dumps(
        {
            "issue": {
                "id": f"i-{i}",
                "status": status,
                "severity": "HIGH",
                "created": "2026-11-19T10:00:00Z",
                "updatedAt": "2026-11-19T11:00:00Z",
            },
            "resource": {"id": f"arn:aws:lambda:us-east-1:1:function:w{i}"},
            "control": {"id": "c-1", "name": "Public function URL"},
        }
    ).encode()


def receive(receiver: WebhookReceiver, body: bytes) -> int:
    answer = receiver.handle(WebhookRequest("wiz", HEADERS, {}, body, datetime.now(UTC)))
    return answer.status


def test_pending_events_are_processed_after_a_restart(tmp_path: Path):
    path = tmp_path / "workflow.sqlite3"
    with WorkflowDB(path) as db:  # a process that stored events and died before working
        inbox = WebhookInbox(db)
        receiver = WebhookReceiver(SETTINGS, inbox, WebhookProcessor(inbox))  # never started
        assert [receive(receiver, wiz(i)) for i in range(5)] == [200] * 5
        assert inbox.counts()["pending"] == 5
    with WorkflowDB(path) as db:  # the restart
        inbox = WebhookInbox(db)
        processor = WebhookProcessor(inbox)
        processor.start()
        assert processor.wait_idle(10)
        processor.stop()
        counts = inbox.counts()
        assert counts["pending"] == 0 and counts["processed"] == 5 and counts["unapplied"] == 5
        attempts = db.query("SELECT attempts FROM webhook_inbox")
        assert [r["attempts"] for r in attempts] == [1] * 5


def test_an_unwritable_inbox_answers_503_and_acknowledges_nothing(tmp_path: Path):
    db = WorkflowDB(tmp_path / "workflow.sqlite3")
    inbox = WebhookInbox(db)
    receiver = WebhookReceiver(SETTINGS, inbox, WebhookProcessor(inbox))
    blocker = WorkflowDB(tmp_path / "workflow.sqlite3")
    blocker._con.execute("PRAGMA busy_timeout=0")  # noqa: SLF001 - test holds the write lock
    blocker._con.execute("BEGIN EXCLUSIVE")  # noqa: SLF001
    db._con.execute("PRAGMA busy_timeout=50")  # noqa: SLF001 - fail fast instead of 10 s
    try:
        answer = receiver.handle(WebhookRequest("wiz", HEADERS, {}, wiz(1), datetime.now(UTC)))
    finally:
        blocker._con.execute("ROLLBACK")  # noqa: SLF001
        blocker.close()
    assert answer.status == 503 and "retry" in answer.body["reason"]
    assert inbox.counts().get("pending", 0) == 0
    assert receive(receiver, wiz(1)) == 200  # the platform's retry lands
    db.close()


def test_applying_events_to_the_store_is_idempotent(tmp_path: Path, demo_store_path: Path):
    store_path = tmp_path / "posture.duckdb"
    shutil.copy(demo_store_path, store_path)
    with WorkflowDB(tmp_path / "workflow.sqlite3") as db:
        inbox = WebhookInbox(db)
        processor = WebhookProcessor(inbox)
        processor.start()
        receiver = WebhookReceiver(SETTINGS, inbox, processor)
        statuses = [receive(receiver, wiz(i)) for i in range(3)] + [
            receive(receiver, wiz(0, "RESOLVED"))
        ]
        assert statuses == [200] * 4
        assert processor.wait_idle(10)
        processor.stop()
        with FindingsStore(store_path) as store:
            before = store.content_hash()
            report = apply_pending(inbox, store)
            applied = store.content_hash()
            ids = set(store.distinct_values("findings", "finding_id", limit=100_000))
            statuses_now = store.distinct_values("findings", "status")
            assert report.events == 4 and report.findings == 3  # i-0 opened, then resolved
            assert {"wiz:i-0", "wiz:i-1", "wiz:i-2"} <= ids and applied != before
            assert "resolved" in statuses_now
            assert apply_pending(inbox, store).events == 0  # nothing left
            db.query("SELECT 1")  # the rows are stamped; stamp them back to apply twice
            with db.transaction() as con:
                con.execute("UPDATE webhook_inbox SET applied_at = NULL")
            assert apply_pending(inbox, store).events == 4
            assert store.content_hash() == applied
            assert "webhook" in store.origins()

"""`posture sync` applies processed webhook events before it pulls."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from pydantic import SecretStr

from connectors import run_sync
from connectors.simulator import Simulator
from connectors.webhooks import WebhookInbox, WebhookProcessor, WebhookReceiver, WebhookRequest
from core.ticketing_settings import WebhookSettings, WebhookSource
from store import FindingsStore
from workflow import WorkflowDB


def test_sync_drains_webhook_events_first(sim: Simulator, tmp_path: Path):
    workflow = tmp_path / "workflow.sqlite3"
    with WorkflowDB(workflow) as db:
        inbox = WebhookInbox(db)
        processor = WebhookProcessor(inbox)
        processor.start()
        receiver = WebhookReceiver(
            WebhookSettings(orca=WebhookSource(token=SecretStr("o"))), inbox, processor
        )
        alert = {
            "state": {
                "alert_id": "orca-hook-1",
                "status": "open",
                "risk_level": "high",
                "created_at": "2026-11-19T00:00:00Z",
            },
            "type": "public_bucket",
            "asset_unique_id": "arn:aws:s3:::hooked-bucket",
            "data": {"title": "Public bucket"},
        }
        headers = {"authorization": "Bearer o", "content-type": "application/json"}
        body = json.dumps(alert).encode()
        answer = receiver.handle(WebhookRequest("orca", headers, {}, body, datetime.now(UTC)))
        assert answer.status == 200 and processor.wait_idle(10)
        processor.stop()
    store_path = tmp_path / "s.duckdb"
    settings = sim.connector_settings()
    report = run_sync(store_path, settings, sources=["orca"], workflow_path=workflow)
    assert not report.failed
    with FindingsStore(store_path, read_only=True) as store:
        assert "orca:orca-hook-1" in store.distinct_values("findings", "finding_id", limit=100_000)
        assert "webhook" in store.origins()
    with WorkflowDB(workflow) as db:
        assert WebhookInbox(db).counts()["unapplied"] == 0

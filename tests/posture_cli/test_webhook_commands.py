"""`posture webhooks status|apply` over a home with a store and processed events."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from pydantic import SecretStr
from typer.testing import CliRunner

from connectors.webhooks import WebhookInbox, WebhookProcessor, WebhookReceiver, WebhookRequest
from core.ticketing_settings import WebhookSettings, WebhookSource
from posture_cli.main import app
from workflow import WorkflowDB

runner = CliRunner()


def _events(home: Path) -> None:
    settings = WebhookSettings(lacework=WebhookSource(token=SecretStr("lw")))
    with WorkflowDB(home / "workflow.sqlite3") as db:
        inbox = WebhookInbox(db)
        processor = WebhookProcessor(inbox)
        processor.start()
        receiver = WebhookReceiver(settings, inbox, processor)
        for i in range(3):
            body = {
                "event_id": f"90{i}",
                "event_title": "Root account login",
                "event_timestamp": "10 Mar 2021 17:00 GMT",
                "event_type": "CloudTrailDefaultAlert",
                "event_severity": "2",
            }
            request = WebhookRequest(
                "lacework",
                {"content-type": "application/json"},
                {"api-token": "lw"},
                json.dumps(body).encode(),
                datetime.now(UTC),
            )
            assert receiver.handle(request).status == 200
        assert processor.wait_idle(10)
        processor.stop()


def test_status_then_apply_then_nothing_left(tmp_path: Path, demo_store_path: Path):
    home = tmp_path / "home"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(demo_store_path, home / "posture.duckdb")
    _events(home)
    env = {"POSTURE_HOME": str(home)}
    status = runner.invoke(app, ["webhooks", "status"], env=env)
    assert status.exit_code == 0, status.output
    assert "processed           3" in status.output and "unapplied           3" in status.output
    applied = runner.invoke(app, ["webhooks", "apply"], env=env)
    assert applied.exit_code == 0, applied.output
    assert "3 findings from 3 events applied" in applied.output
    again = runner.invoke(app, ["webhooks", "apply"], env=env)
    assert "nothing to apply" in again.output

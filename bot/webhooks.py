"""The webhook inbox as the bot runs it: the workflow database, the worker with
proactive alerts, and the receiver the HTTP server routes ``/webhooks/{source}`` to."""

from __future__ import annotations

from dataclasses import dataclass

from bot.alerts import ProactiveAlerts
from bot.app import Services
from connectors.webhooks import WebhookInbox, WebhookProcessor, WebhookReceiver
from core.settings import Settings
from workflow import WorkflowDB

__all__ = ["WebhookService", "start_webhooks"]


@dataclass
class WebhookService:
    db: WorkflowDB
    processor: WebhookProcessor
    receiver: WebhookReceiver

    def close(self) -> None:
        """Finish the queued events, then close the database (pending rows wait for the
        next start)."""
        self.processor.stop()
        self.db.close()


def start_webhooks(settings: Settings, services: Services) -> WebhookService:
    """Open the inbox, start its worker (which first takes what was left pending).

    Raises:
        StoreError: the workflow database cannot be opened.
    """
    db = WorkflowDB(settings.workflow_path)
    inbox = WebhookInbox(db)
    alerts = ProactiveAlerts(settings, services.desk, services.courier)
    processor = WebhookProcessor(inbox, alerts=alerts)
    processor.start()
    receiver = WebhookReceiver(settings.webhooks, inbox, processor, audit=services.desk.audit)
    return WebhookService(db, processor, receiver)

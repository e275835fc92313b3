"""The worker: stored events become normalised findings and, when one is a new critical
finding, a proactive alert; off the HTTP thread so the platform hears back at once.

Processing is at-least-once and its effects idempotent: a crash mid-event leaves the row
pending, and the restart processes it again (normalising is pure, the alert is claimed
once per finding in ``webhook_alerts``). Only the worker of one process takes rows from
its queue; a second process picks up only what was pending when it started.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from typing import Protocol

from connectors.webhooks.inbox import InboxRow, WebhookInbox
from connectors.webhooks.normalise import Malformed, NormalisedEvent, normalise
from core.errors import StoreError
from core.models import Finding, FindingStatus, Severity

__all__ = ["AlertSink", "WebhookProcessor"]

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


class AlertSink(Protocol):
    """Where a new critical finding is announced (the bot posts to the owner's channel)."""

    def target(self, event: NormalisedEvent, finding: Finding) -> str | None:
        """The channel to alert, or None (not prod, nobody to tell)."""
        ...

    def send(self, channel: str, event: NormalisedEvent, finding: Finding) -> None: ...


class WebhookProcessor:
    """One worker thread over the inbox.

    Args:
        inbox: the stored events.
        alerts: announces new critical prod findings; None processes without alerting.
        retry_delay_s: the pause before a failed attempt is tried again.
    """

    def __init__(
        self, inbox: WebhookInbox, *, alerts: AlertSink | None = None, retry_delay_s: float = 0.5
    ) -> None:
        self.inbox = inbox
        self.alerts = alerts
        self.retry_delay_s = retry_delay_s
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Queue what is pending (events accepted before a restart), then work."""
        for row_id in self.inbox.pending_ids():
            self._queue.put(row_id)
        self._thread = threading.Thread(target=self._run, name="webhook-worker", daemon=True)
        self._thread.start()

    def submit(self, row_ids: list[int]) -> None:
        for row_id in row_ids:
            self._queue.put(row_id)

    def wait_idle(self, timeout_s: float = 30.0) -> bool:
        """True once everything queued has been handled (tests, shutdown)."""
        deadline = time.monotonic() + timeout_s
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def stop(self, timeout_s: float = 10.0) -> None:
        """Finish the queue, then end the thread; rows left pending wait for the restart."""
        if self._thread is None:
            return
        self._queue.put(None)
        self._thread.join(timeout=timeout_s)
        self._thread = None

    def _run(self) -> None:
        while True:
            row_id = self._queue.get()
            try:
                if row_id is None:
                    return
                self._handle(row_id)
            except Exception:  # the worker outlives any one event; the row stays for later
                logger.exception("webhook worker: event %s left for the next start", row_id)
            finally:
                self._queue.task_done()

    def _handle(self, row_id: int) -> None:
        try:
            row = self.inbox.claim(row_id)
        except StoreError:
            logger.exception("webhook inbox unreadable; row %s stays pending", row_id)
            return
        if row is None:
            return  # processed already (queued twice, or by another process)
        try:
            self.process(row)
        except Malformed as exc:
            self.inbox.failed(row.id, exc.reason, final=True)
        except Exception as exc:
            final = row.attempts >= MAX_ATTEMPTS
            logger.exception("webhook event %s failed (attempt %s)", row.id, row.attempts)
            self.inbox.failed(row.id, f"{type(exc).__name__}: {exc}", final=final)
            if not final:
                time.sleep(self.retry_delay_s)
                self._queue.put(row.id)

    def process(self, row: InboxRow) -> NormalisedEvent:
        """Normalise one stored event, alert on new critical findings, mark it processed."""
        event = normalise(row.source, json.loads(row.body), row.body)
        for finding in event.findings:
            if self._is_alertable(finding) and not self.inbox.seen_before(
                finding.finding_id, row.id
            ):
                self._alert(row, event, finding)
        self.inbox.processed(row.id, event.to_json(), [f.finding_id for f in event.findings])
        return event

    @staticmethod
    def _is_alertable(finding: Finding) -> bool:
        return finding.severity is Severity.CRITICAL and finding.status is FindingStatus.OPEN

    def _alert(self, row: InboxRow, event: NormalisedEvent, finding: Finding) -> None:
        if self.alerts is None:
            return
        channel = self.alerts.target(event, finding)
        # claimed before sending: at most one alert per finding, even across a crash
        if channel is not None and self.inbox.claim_alert(finding.finding_id, row.id, channel):
            self.alerts.send(channel, event, finding)

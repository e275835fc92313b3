"""``POST /webhooks/{source}``, independent of the HTTP server: check, store, answer.

In order: unknown source 404; bad or missing credentials 401 (nothing stored); a body
that is not JSON, or not an event of that platform, 415/400 with the reason and a row in
the dead-letter table; otherwise the events are committed to the inbox and the answer is
200 ``{"ok": true, "duplicate": ...}``. If the inbox cannot be written the answer is 503,
so the platform retries: an event is never acknowledged without being stored.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

from connectors.webhooks.auth import Unauthenticated, verify
from connectors.webhooks.inbox import WebhookInbox
from connectors.webhooks.normalise import Malformed, normalise, split
from connectors.webhooks.processor import WebhookProcessor
from connectors.webhooks.request import SOURCES, WebhookAnswer, WebhookRequest
from core.errors import StoreError
from core.ticketing_settings import WebhookSettings
from governance.audit import AuditEvent, AuditLog

__all__ = ["WebhookReceiver"]

logger = logging.getLogger(__name__)


class WebhookReceiver:
    """Turns one webhook request into a stored event and an answer.

    Args:
        settings: per-source secrets, the body cap and the replay window.
        inbox: where events are committed before the answer.
        processor: the worker that takes new events.
        audit: records every accepted and refused call (never the body).
        clock: unix time, for the replay window.
    """

    def __init__(
        self,
        settings: WebhookSettings,
        inbox: WebhookInbox,
        processor: WebhookProcessor,
        *,
        audit: AuditLog | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.inbox = inbox
        self.processor = processor
        self.audit = audit
        self.clock = clock

    @property
    def max_body(self) -> int:
        return self.settings.max_body_bytes

    def handle(self, request: WebhookRequest) -> WebhookAnswer:
        """The answer to one call (see the module docstring for the order of checks)."""
        source = request.source
        if source not in SOURCES:
            return WebhookAnswer.refuse(404, f"unknown webhook source {source[:40]!r}")
        try:
            method = verify(
                source,
                self.settings.source(source),
                request,
                now=self.clock(),
                window_s=self.settings.replay_window_s,
            )
        except Unauthenticated as exc:
            self._audit("webhook.refused", source, status=401, reason=exc.reason)
            return WebhookAnswer.refuse(401, exc.reason)
        try:
            events = self._read(request)
        except Malformed as exc:
            return self._dead_letter(request, exc)
        return self._store(request, events, method)

    def _read(self, request: WebhookRequest) -> list[tuple[str, bytes]]:
        """(event id, raw body) of each event the body carries."""
        content_type = request.headers.get("content-type", "")
        if "json" not in content_type.split(";")[0].lower():
            raise Malformed(f"content-type must be application/json, not {content_type[:60]!r}")
        try:
            payload = json.loads(request.body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise Malformed(f"the body is not JSON ({exc})") from None
        records = split(request.source, payload)
        if len(records) == 1:  # stored byte for byte
            return [(normalise(request.source, records[0], request.body).event_id, request.body)]
        out: list[tuple[str, bytes]] = []
        for record in records:  # one row per alert, so each is deduplicated on its own
            raw = json.dumps(record, separators=(",", ":")).encode()
            out.append((normalise(request.source, record, raw).event_id, raw))
        return out

    def _dead_letter(self, request: WebhookRequest, exc: Malformed) -> WebhookAnswer:
        status = 415 if exc.reason.startswith("content-type") else 400
        try:
            self.inbox.dead_letter(
                request.source,
                exc.reason,
                request.body,
                request.kept_headers(),
                request.received_at,
            )
        except StoreError:
            logger.exception("dead-letter table unwritable")
            return WebhookAnswer.refuse(503, "the webhook inbox is unavailable; retry later")
        self._audit("webhook.refused", request.source, status=status, reason=exc.reason)
        return WebhookAnswer.refuse(status, exc.reason)

    def _store(
        self, request: WebhookRequest, events: list[tuple[str, bytes]], method: str
    ) -> WebhookAnswer:
        try:
            row_ids = self.inbox.accept(
                request.source, events, request.kept_headers(), request.received_at
            )
        except StoreError:
            logger.exception("webhook inbox unwritable; answering 503")
            return WebhookAnswer.refuse(503, "the webhook inbox is unavailable; retry later")
        new = [i for i in row_ids if i is not None]
        self.processor.submit(new)
        duplicate = not new
        self._audit(
            "webhook.accepted",
            request.source,
            status=200,
            method=method,
            event_ids=[e for e, _ in events][:50],
            new=len(new),
            duplicates=len(row_ids) - len(new),
        )
        return WebhookAnswer(200, {"ok": True, "duplicate": duplicate, "events": len(events)})

    def _audit(self, action: str, source: str, **details: Any) -> None:
        if self.audit is not None:
            self.audit.append(AuditEvent(action=action, actor=f"webhook:{source}", details=details))

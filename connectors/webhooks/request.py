"""What the inbox works on: one HTTP request as received, and the answer it gets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["KEPT_HEADERS", "SOURCES", "WebhookAnswer", "WebhookRequest"]

SOURCES = ("wiz", "prisma", "lacework", "orca")

# Headers worth keeping with an event (tracing a delivery); credentials never are.
KEPT_HEADERS = (
    "content-type",
    "user-agent",
    "x-request-id",
    "x-forwarded-for",
    "x-posture-timestamp",
)


@dataclass(frozen=True)
class WebhookRequest:
    """One ``POST /webhooks/{source}``: header names lower-cased, the body as bytes."""

    source: str
    headers: dict[str, str]
    query: dict[str, str]
    body: bytes
    received_at: datetime

    def kept_headers(self) -> dict[str, str]:
        """The headers stored with the event (see ``KEPT_HEADERS``)."""
        return {k: self.headers[k][:256] for k in KEPT_HEADERS if k in self.headers}


@dataclass(frozen=True)
class WebhookAnswer:
    """The HTTP answer: a status and a small JSON body (``reason`` on refusals)."""

    status: int
    body: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def refuse(cls, status: int, reason: str) -> WebhookAnswer:
        return cls(status, {"ok": False, "reason": reason})

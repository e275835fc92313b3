"""Processed webhook events into the findings store, by whoever writes it next.

The bot holds the findings store read-only (DuckDB allows one writing process), so the
worker only normalises; ``apply_pending`` runs in a writer (``posture sync`` does it
first, ``posture webhooks apply`` on demand). It is idempotent: loading the same
findings again changes nothing, and rows are stamped applied only after the load
committed, so a crash in between means one harmless repeat.
"""

from __future__ import annotations

from dataclasses import dataclass

from connectors.webhooks.inbox import WebhookInbox
from connectors.webhooks.normalise import NormalisedEvent
from core.models import Finding
from store import Batch, FindingsStore

__all__ = ["WEBHOOK_ORIGIN", "ApplyReport", "apply_pending"]

WEBHOOK_ORIGIN = "webhook"


@dataclass(frozen=True)
class ApplyReport:
    events: int
    findings: int

    def line(self) -> str:
        if not self.events:
            return "webhooks: nothing to apply"
        return f"webhooks: {self.findings:,} findings from {self.events:,} events applied"


def apply_pending(inbox: WebhookInbox, store: FindingsStore, *, chunk: int = 5000) -> ApplyReport:
    """Load every processed, unapplied event's findings into ``store``.

    A finding carried by several events (opened, then resolved) is loaded as the latest.

    Raises:
        StoreError: the store is read-only or cannot be written (nothing is stamped).
    """
    events = findings = 0
    while rows := inbox.unapplied(chunk):
        latest: dict[str, Finding] = {}
        for row in rows:  # oldest first, so a later event wins
            if row.findings is None:
                continue
            for finding in NormalisedEvent.from_json(row.event_id, row.findings).findings:
                latest[finding.finding_id] = finding
        if latest:
            store.load(
                Batch(findings=tuple(latest.values())),
                origin=WEBHOOK_ORIGIN,
                note=f"{len(rows)} webhook events",
            )
        inbox.mark_applied([r.id for r in rows])
        events += len(rows)
        findings += len(latest)
    return ApplyReport(events, findings)

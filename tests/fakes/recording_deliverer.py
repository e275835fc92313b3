"""A Deliverer that records what it was asked to deliver (our own protocol, not a
service): one receipt per idempotency key, as the real ticket desk promises, and
failures on demand. The lead's end-to-end tests use the real Jira / GitHub fakes."""

from __future__ import annotations

import threading
import time

from core.errors import TicketingError
from tickets.models import DeliveryReceipt, DeliveryRequest, TicketTarget

__all__ = ["RecordingDeliverer"]


class RecordingDeliverer:
    """Keeps every request; the same key twice gives back the first receipt.

    Args:
        delay_s: how long a delivery takes (widens race windows in concurrency tests).
    """

    def __init__(self, *, delay_s: float = 0.0) -> None:
        self.requests: list[DeliveryRequest] = []
        self.receipts: dict[str, DeliveryReceipt] = {}
        self.delay_s = delay_s
        self._failures = 0
        self._lock = threading.Lock()

    def fail_next(self, times: int = 1) -> None:
        with self._lock:
            self._failures += times

    def deliver(self, request: DeliveryRequest) -> DeliveryReceipt:
        time.sleep(self.delay_s)
        with self._lock:
            self.requests.append(request)
            if self._failures:
                self._failures -= 1
                raise TicketingError(
                    f"{request.target} answered 503", remediation="Retry in a minute."
                )
            found = self.receipts.get(request.idempotency_key)
            if found is not None:
                return found
            number = len(self.receipts) + 1
            key = {
                TicketTarget.JIRA: f"PAY-{number}",
                TicketTarget.SERVICENOW: f"INC{number:07d}",
                TicketTarget.GITHUB: f"acme/payments-infra#{number}",
            }[request.target]
            receipt = DeliveryReceipt(
                target=request.target,
                key=key,
                url=f"https://tickets.example.invalid/{key}",
                created=True,
            )
            self.receipts[request.idempotency_key] = receipt
            return receipt

    @property
    def tickets(self) -> int:
        """How many distinct tickets exist."""
        with self._lock:
            return len(self.receipts)

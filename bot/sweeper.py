"""Moving proposals nobody clicks: a background loop that ends expired suppressions and
closes proposals whose finding a sync resolved, and shows it on their Slack messages."""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from bot import proposal_messages as words
from bot.incidents import log_incident
from bot.proposal_desk import ProposalDesk
from proposals import Proposal, close_resolved, sweep_suppressions

__all__ = ["ProposalSweeper"]

logger = logging.getLogger(__name__)


class ProposalSweeper:
    """Runs ``run_once`` every ``interval_s`` seconds on a daemon thread until stopped."""

    def __init__(self, desk: ProposalDesk, *, interval_s: float = 300.0) -> None:
        self.desk = desk
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self, now: datetime | None = None) -> list[Proposal]:
        """One sweep; returns what it moved (each is audited by ``proposals.lifecycle``)."""
        service = self.desk.service
        moved = sweep_suppressions(service, now) + close_resolved(service, service.findings)
        for p in moved:
            self.desk.show(p)
            line = words.STATE[p.state.value].format(reason=p.reason or "", by="", team="")
            self.desk.thread(p, line)
        return moved

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="proposal-sweeper", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def resume(self) -> None:
        """Deliver what a stopped process left approved but undelivered (at start-up; the
        idempotency key turns a delivery that did land into its first receipt)."""
        for outcome in self.desk.service.resume_deliveries():
            self.desk.show(outcome.proposal)

    def _loop(self) -> None:
        try:
            self.resume()
        except Exception:
            log_incident(logger, "resuming deliveries")
        while not self._stop.wait(self.interval_s):
            try:
                self.run_once()
            except Exception:
                log_incident(logger, "sweeping proposals")

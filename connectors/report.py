"""What a sync did, per source: pages, counts, resolutions, retries and rate-limit waits."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["SourceReport", "SyncReport"]


@dataclass
class SourceReport:
    """One source's part of a sync run."""

    source: str
    mode: str  # "full", "incremental", "full (resumed)", "incremental (resumed)"
    started_at: datetime
    since: datetime | None = None
    finished_at: datetime | None = None
    pages: int = 0
    records: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    skipped: int = 0
    resolved: int = 0
    requests: int = 0
    retries: Counter[str] = field(default_factory=Counter)
    token_refreshes: int = 0
    throttle_waits: int = 0
    throttle_wait_s: float = 0.0
    restarted_streams: list[str] = field(default_factory=list)
    error: str | None = None

    def line(self) -> str:
        """One line for a terminal or a log.

        >>> from datetime import UTC, datetime
        >>> r = SourceReport("wiz", "full", datetime(2026, 1, 1, tzinfo=UTC), pages=2)
        >>> r.line()
        'wiz: full sync, 2 pages, 0 findings, 0 resources; 0 requests'
        """
        head = (
            f"{self.source}: {self.mode} sync, {self.pages:,} pages, "
            f"{self.counts['findings']:,} findings, {self.counts['resources']:,} resources"
        )
        extras = [
            f"{n:,} {what}"
            for what, n in (("skipped", self.skipped), ("resolved", self.resolved))
            if n
        ]
        transport = [f"{self.requests:,} requests"]
        if self.retries:
            detail = ", ".join(f"{k}x{v}" for k, v in sorted(self.retries.items()))
            transport.append(f"retried {sum(self.retries.values())} ({detail})")
        if self.token_refreshes:
            transport.append(f"{self.token_refreshes} token refreshes")
        if self.throttle_waits:
            transport.append(
                f"waited {self.throttle_wait_s:.1f} s for the rate limit "
                f"({self.throttle_waits} times)"
            )
        text = head + (f" ({', '.join(extras)})" if extras else "") + "; " + ", ".join(transport)
        if self.restarted_streams:
            text += f"; restarted {', '.join(self.restarted_streams)} (page token refused)"
        return text + (f"; FAILED: {self.error}" if self.error else "")


@dataclass
class SyncReport:
    """A whole run: every source's report and whether risk was recomputed."""

    sources: list[SourceReport]
    derived_rebuilt: bool = False
    elapsed_s: float = 0.0

    @property
    def failed(self) -> list[SourceReport]:
        return [s for s in self.sources if s.error]

    def lines(self) -> list[str]:
        out = [s.line() for s in self.sources]
        tail = "risk scores recomputed" if self.derived_rebuilt else "nothing new to score"
        out.append(f"done in {self.elapsed_s:.1f} s; {tail}.")
        return out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

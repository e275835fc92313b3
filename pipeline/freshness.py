"""Per-source freshness for the answer's context line, read at most every few seconds."""

from __future__ import annotations

import time

from pipeline.answer import Freshness
from store import FindingsStore

__all__ = ["FreshnessCache"]


class FreshnessCache:
    """Source freshness from the store, cached for ``ttl_s`` so a burst of questions
    costs one status read."""

    def __init__(self, store: FindingsStore, ttl_s: float = 15.0) -> None:
        self._store = store
        self._ttl_s = ttl_s
        self._value: list[Freshness] = []
        self._read_at = float("-inf")

    def current(self) -> list[Freshness]:
        if time.monotonic() - self._read_at > self._ttl_s:
            status = self._store.status()
            self._value = [
                Freshness(source=s.source, last_seen=s.last_seen, last_sync_at=s.last_sync_at)
                for s in status.sources
            ]
            self._read_at = time.monotonic()
        return self._value

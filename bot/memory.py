"""Bounded, expiring, thread-safe memories the app keeps between Slack requests: answers
its buttons refer to, events already seen, and how often each response_url was used.

All of it is per process: after a restart, buttons on old answers say so politely, and
Slack's retries of events from before the restart are answered (once).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from pipeline import Answer

__all__ = ["AnswerCache", "ExpiringSet", "ResponseUrlBudget", "Stored"]

Clock = Callable[[], float]


class ExpiringSet:
    """Keys remembered for ``ttl_s`` (at most ``size`` of them, oldest dropped first).

    >>> seen = ExpiringSet(ttl_s=60)
    >>> seen.add_new("Ev1"), seen.add_new("Ev1")
    (True, False)
    """

    def __init__(self, ttl_s: float = 3600.0, size: int = 10_000, *, clock: Clock = time.monotonic):
        self._ttl_s, self._size, self._clock = ttl_s, size, clock
        self._items: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def add_new(self, key: str) -> bool:
        """Remember ``key``; True when it was not already remembered."""
        now = self._clock()
        with self._lock:
            self._expire(now)
            if key in self._items:
                return False
            self._items[key] = now
            while len(self._items) > self._size:
                self._items.popitem(last=False)
            return True

    def _expire(self, now: float) -> None:
        while self._items:
            key, at = next(iter(self._items.items()))
            if now - at <= self._ttl_s:
                return
            del self._items[key]


@dataclass(frozen=True)
class Stored:
    answer: Answer
    user: str


class AnswerCache:
    """Answers by a short random id, for the buttons under them (LRU, with a lifetime)."""

    def __init__(self, size: int = 1000, ttl_s: float = 86_400.0, *, clock: Clock = time.monotonic):
        self._size, self._ttl_s, self._clock = size, ttl_s, clock
        self._items: OrderedDict[str, tuple[float, Stored]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, answer: Answer, user: str) -> str:
        answer_id = secrets.token_hex(6)
        with self._lock:
            self._items[answer_id] = (self._clock(), Stored(answer, user))
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return answer_id

    def replace(self, answer_id: str, answer: Answer) -> None:
        """Keep ``answer`` under an id buttons already carry (a picked clarification)."""
        with self._lock:
            entry = self._items.get(answer_id)
            user = entry[1].user if entry else "unknown"
            self._items[answer_id] = (self._clock(), Stored(answer, user))

    def get(self, answer_id: str) -> Stored | None:
        with self._lock:
            entry = self._items.get(answer_id)
            if entry is None:
                return None
            if self._clock() - entry[0] > self._ttl_s:
                del self._items[answer_id]
                return None
            self._items.move_to_end(answer_id)
            return entry[1]


class ResponseUrlBudget:
    """Slack honours a response_url at most five times within thirty minutes.

    >>> budget = ResponseUrlBudget(uses=2)
    >>> [budget.take("https://hooks/1") for _ in range(3)]
    [True, True, False]
    """

    def __init__(self, uses: int = 5, window_s: float = 1800.0, *, clock: Clock = time.monotonic):
        self._uses, self._window_s, self._clock = uses, window_s, clock
        self._seen: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def take(self, url: str) -> bool:
        """Count one use of ``url``; False when it is spent or expired (use the Web API)."""
        now = self._clock()
        with self._lock:
            for key, (first, _) in list(self._seen.items()):
                if now - first > self._window_s:
                    del self._seen[key]
            first, used = self._seen.get(url, (now, 0))
            if used >= self._uses:
                return False
            self._seen[url] = (first, used + 1)
            return True

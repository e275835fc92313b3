"""A client-side token bucket, so a sync stays under a platform's published rate limit.

Waiting here is cheaper than being answered 429 and backing off: the bucket spaces
requests out before they are sent, and records how long it made the sync wait so the
sync report can say so.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["BucketStats", "TokenBucket"]


@dataclass
class BucketStats:
    """How often, and for how long in total, the bucket held a request back."""

    waits: int = 0
    waited_s: float = 0.0


class TokenBucket:
    """``rate`` requests a second on average, at most ``burst`` back to back.

    Args:
        rate: tokens added per second (a per-hour limit is ``limit / 3600``).
        burst: bucket capacity; a full bucket lets this many requests through at once.
        clock: monotonic seconds, injectable for tests.
        sleep: how to wait, injectable for tests.

    >>> bucket = TokenBucket(rate=1000.0, burst=2)
    >>> bucket.acquire(), bucket.acquire()
    (0.0, 0.0)
    """

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("a token bucket needs a positive rate and a burst of at least 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(burst)
        self._updated = clock()
        self._lock = threading.Lock()
        self.stats = BucketStats()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    def acquire(self) -> float:
        """Take one token, sleeping until there is one; returns the seconds waited."""
        with self._lock:
            self._refill()
            self._tokens -= 1.0
            wait = 0.0 if self._tokens >= 0 else -self._tokens / self.rate
        if wait > 0:
            self.stats.waits += 1
            self.stats.waited_s += wait
            self._sleep(wait)
        return wait

"""Per-user limits on model use: requests per minute and tokens per month.

Both live in process memory by default. ``TokenBudget`` keeps its counts behind the
``BudgetStore`` protocol so a store-backed version (a DuckDB table, shared by several
bot processes) can replace ``InMemoryBudgetStore`` without touching callers. Clocks
are injected so tests move time instead of sleeping.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from llm.errors import BudgetExhausted, RateLimitedLocally

__all__ = ["BudgetStore", "InMemoryBudgetStore", "RateLimiter", "TokenBudget", "month_of"]


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """A token bucket per user: ``per_minute`` requests, refilled continuously.

    Args:
        per_minute: sustained requests per minute per user.
        burst: how many may come at once; defaults to ``per_minute``.
        clock: monotonic seconds.

    >>> now = [0.0]
    >>> limiter = RateLimiter(per_minute=2, clock=lambda: now[0])
    >>> limiter.acquire("u"); limiter.acquire("u")
    >>> limiter.acquire("u")
    Traceback (most recent call last):
    ...
    llm.errors.RateLimitedLocally: User u is over 2 requests per minute.
    >>> now[0] = 30.0
    >>> limiter.acquire("u")
    """

    def __init__(
        self,
        per_minute: int = 10,
        *,
        burst: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        self.per_minute = per_minute
        self.burst = burst or per_minute
        self._rate = per_minute / 60.0  # tokens per second
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def acquire(self, user_id: str) -> None:
        """Take one request from ``user_id``'s bucket.

        Args:
            user_id: whose bucket.

        Raises:
            RateLimitedLocally: the bucket is empty; ``retry_after`` says for how long.
        """
        with self._lock:
            now = self._clock()
            bucket = self._buckets.setdefault(user_id, _Bucket(float(self.burst), now))
            elapsed = max(now - bucket.updated, 0.0)
            bucket.tokens = min(float(self.burst), bucket.tokens + elapsed * self._rate)
            bucket.updated = now
            if bucket.tokens < 1.0:
                wait = (1.0 - bucket.tokens) / self._rate
                raise RateLimitedLocally(
                    f"User {user_id} is over {self.per_minute} requests per minute.",
                    user_id=user_id,
                    retry_after=round(wait, 3),
                )
            bucket.tokens -= 1.0


def month_of(moment: datetime) -> str:
    """The budget period a moment falls in (UTC calendar month).

    >>> month_of(datetime(2025, 6, 30, 23, 59, tzinfo=UTC))
    '2025-06'
    """
    return moment.astimezone(UTC).strftime("%Y-%m")


class BudgetStore(Protocol):
    """Where token counts live; implement this over a table for a shared budget."""

    def used(self, user_id: str, period: str) -> int: ...

    def add(self, user_id: str, period: str, tokens: int) -> int:
        """Add ``tokens`` and return the new total for ``user_id`` in ``period``."""
        ...


class InMemoryBudgetStore:
    """Counts in a dict, lost on restart: fine for one process and for tests."""

    def __init__(self) -> None:
        self._counts: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def used(self, user_id: str, period: str) -> int:
        with self._lock:
            return self._counts.get((user_id, period), 0)

    def add(self, user_id: str, period: str, tokens: int) -> int:
        with self._lock:
            total = self._counts.get((user_id, period), 0) + tokens
            self._counts[(user_id, period)] = total
            return total


def _utcnow() -> datetime:
    return datetime.now(UTC)


class TokenBudget:
    """A monthly token allowance per user.

    A call is allowed while the user has tokens left; its real usage is charged after
    it returns, so one call can overshoot by its own size, and the next is refused.

    Args:
        monthly_tokens: tokens per user per calendar month (UTC).
        store: where counts live; in memory by default.
        overrides: per-user allowances that replace ``monthly_tokens``.
        clock: the current time, timezone-aware.

    >>> budget = TokenBudget(1000)
    >>> budget.charge("u", 600)
    600
    >>> budget.remaining("u")
    400
    """

    def __init__(
        self,
        monthly_tokens: int,
        *,
        store: BudgetStore | None = None,
        overrides: Mapping[str, int] | None = None,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.monthly_tokens = monthly_tokens
        self._store: BudgetStore = store if store is not None else InMemoryBudgetStore()
        self._overrides = dict(overrides or {})
        self._clock = clock

    def limit_for(self, user_id: str) -> int:
        return self._overrides.get(user_id, self.monthly_tokens)

    def used(self, user_id: str) -> int:
        return self._store.used(user_id, month_of(self._clock()))

    def remaining(self, user_id: str) -> int:
        return max(self.limit_for(user_id) - self.used(user_id), 0)

    def check(self, user_id: str) -> int:
        """The tokens ``user_id`` has left this month.

        Args:
            user_id: whose budget.

        Returns:
            Tokens left (more than zero).

        Raises:
            BudgetExhausted: none are left.
        """
        used, limit = self.used(user_id), self.limit_for(user_id)
        if used >= limit:
            raise BudgetExhausted(
                f"User {user_id} used {used} of {limit} tokens this month.",
                user_id=user_id,
                used=used,
                limit=limit,
            )
        return limit - used

    def charge(self, user_id: str, tokens: int) -> int:
        """Add ``tokens`` to this month's count and return the new total."""
        if tokens < 0:
            raise ValueError("tokens must not be negative")
        return self._store.add(user_id, month_of(self._clock()), tokens)

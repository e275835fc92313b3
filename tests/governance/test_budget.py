from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from governance.budget import InMemoryBudgetStore, RateLimiter, TokenBudget
from llm.errors import BudgetExhausted, LLMFailed, RateLimitedLocally


class Clock:
    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_a_burst_then_refuses_with_a_wait() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=6, clock=clock)
    for _ in range(6):
        limiter.acquire("alice")
    with pytest.raises(RateLimitedLocally) as caught:
        limiter.acquire("alice")
    assert caught.value.retry_after == pytest.approx(10.0)  # one request per 10 s
    assert caught.value.user_id == "alice"
    assert caught.value.code == "rate_limited"
    assert isinstance(caught.value, LLMFailed)


def test_bucket_refills_with_time_and_caps_at_burst() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=6, burst=2, clock=clock)
    limiter.acquire("alice")
    limiter.acquire("alice")
    clock.now = 10.0
    limiter.acquire("alice")
    with pytest.raises(RateLimitedLocally):
        limiter.acquire("alice")
    clock.now = 3600.0  # an hour idle refills to the burst, not beyond
    limiter.acquire("alice")
    limiter.acquire("alice")
    with pytest.raises(RateLimitedLocally):
        limiter.acquire("alice")


def test_users_have_their_own_buckets() -> None:
    limiter = RateLimiter(per_minute=1, clock=Clock())
    limiter.acquire("alice")
    limiter.acquire("bob")
    with pytest.raises(RateLimitedLocally):
        limiter.acquire("alice")


def test_bucket_is_safe_under_threads() -> None:
    limiter = RateLimiter(per_minute=20, clock=Clock())
    allowed: list[bool] = []

    def ask() -> None:
        try:
            limiter.acquire("alice")
        except RateLimitedLocally:
            allowed.append(False)
        else:
            allowed.append(True)

    threads = [threading.Thread(target=ask) for _ in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 20


def test_rate_limiter_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        RateLimiter(per_minute=0)


def test_budget_charges_and_refuses_when_used_up() -> None:
    budget = TokenBudget(1000)
    assert budget.check("alice") == 1000
    budget.charge("alice", 700)
    assert budget.check("alice") == 300
    budget.charge("alice", 400)  # one call may overshoot by its own size
    assert budget.remaining("alice") == 0
    with pytest.raises(BudgetExhausted) as caught:
        budget.check("alice")
    assert (caught.value.used, caught.value.limit) == (1100, 1000)
    assert caught.value.code == "budget_exhausted"
    assert "budget" in caught.value.reason
    assert budget.check("bob") == 1000


def test_budget_resets_with_the_calendar_month() -> None:
    now = [datetime(2025, 6, 30, 23, 0, tzinfo=UTC)]
    budget = TokenBudget(100, clock=lambda: now[0])
    budget.charge("alice", 100)
    with pytest.raises(BudgetExhausted):
        budget.check("alice")
    now[0] = datetime(2025, 7, 1, 0, 0, tzinfo=UTC)
    assert budget.check("alice") == 100


def test_per_user_overrides() -> None:
    budget = TokenBudget(100, overrides={"lead": 10_000})
    budget.charge("lead", 5_000)
    assert budget.remaining("lead") == 5_000
    assert budget.limit_for("alice") == 100


def test_a_shared_store_sees_every_budget_object() -> None:
    store = InMemoryBudgetStore()
    TokenBudget(1000, store=store).charge("alice", 600)
    assert TokenBudget(1000, store=store).remaining("alice") == 400


def test_a_store_backed_version_needs_only_the_protocol() -> None:
    class TableStore:
        def __init__(self) -> None:
            self.rows: list[tuple[str, str, int]] = []

        def used(self, user_id: str, period: str) -> int:
            return sum(t for u, p, t in self.rows if (u, p) == (user_id, period))

        def add(self, user_id: str, period: str, tokens: int) -> int:
            self.rows.append((user_id, period, tokens))
            return self.used(user_id, period)

    store = TableStore()
    now = datetime(2025, 6, 18, tzinfo=UTC)
    budget = TokenBudget(50, store=store, clock=lambda: now)
    budget.charge("alice", 30)
    assert store.rows == [("alice", "2025-06", 30)]
    with pytest.raises(ValueError):
        budget.charge("alice", -1)

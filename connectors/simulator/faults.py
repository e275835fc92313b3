"""Switchable faults, rate limits and tokens: what makes the simulator behave like a SaaS.

Faults are drawn from a seeded generator, one draw per request, so a run with the same
seed and the same request order meets the same faults. Kinds:

=============== =====================================================================
rate_limit      429 with ``Retry-After``
server_error    500, 502 or 503 with a short body
slow            the answer comes after ``slow_s`` (past the client's timeout if set so)
token_expiry    the presented token is revoked and the request answered 401
malformed       a 200 whose JSON body is cut short
drop            the connection is closed without an answer
=============== =====================================================================
"""

from __future__ import annotations

import random
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass

__all__ = ["FAULT_KINDS", "FaultInjector", "FaultPlan", "ServerLimit", "TokenStore"]

FAULT_KINDS = ("rate_limit", "server_error", "slow", "token_expiry", "malformed", "drop")


@dataclass(frozen=True)
class FaultPlan:
    """How often, and which, faults happen."""

    rate: float = 0.0
    seed: int = 0
    kinds: tuple[str, ...] = FAULT_KINDS
    retry_after_s: int = 1
    slow_s: float = 0.05

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError("the fault rate is a fraction between 0 and 1")
        unknown = set(self.kinds) - set(FAULT_KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds: {', '.join(sorted(unknown))}")


class FaultInjector:
    """Draws at most one fault per request; counts what it injected."""

    def __init__(self, plan: FaultPlan) -> None:
        self.plan = plan
        self._rand = random.Random(plan.seed)
        self._lock = threading.Lock()
        self.injected: Counter[str] = Counter()

    def draw(self, *, data: bool, has_token: bool) -> str | None:
        """The fault for this request, if any.

        Token expiry only hits data requests that carry a token; every other kind can hit
        any request, token requests included.
        """
        with self._lock:
            hit = self._rand.random() < self.plan.rate
            kind = self._rand.choice(self.plan.kinds) if hit else None
        if kind == "token_expiry" and not (data and has_token):
            kind = "server_error"
        if kind is not None:
            with self._lock:
                self.injected[kind] += 1
        return kind


class ServerLimit:
    """The server side of a rate limit: a token bucket that refuses instead of waiting."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, burst
        self._tokens = float(burst)
        self._updated = time.monotonic()
        self._lock = threading.Lock()
        self.refused = 0

    def allow(self) -> bool:
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return True
            self.refused += 1
            return False


class TokenStore:
    """Bearer tokens the simulator issued, with their expiry."""

    def __init__(self) -> None:
        self._expiry: dict[str, float] = {}
        self._lock = threading.Lock()
        self.issued = 0

    def issue(self, platform: str, ttl_s: float) -> str:
        token = f"{platform}-{secrets.token_urlsafe(24)}"
        with self._lock:
            self._expiry[token] = time.monotonic() + ttl_s
            self.issued += 1
        return token

    def valid(self, token: str | None) -> bool:
        with self._lock:
            expiry = self._expiry.get(token or "")
        return expiry is not None and expiry > time.monotonic()

    def revoke(self, token: str | None) -> None:
        with self._lock:
            self._expiry.pop(token or "", None)

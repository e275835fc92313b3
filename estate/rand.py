"""One seeded random stream with the few draws the generator needs.

Everything random in an estate comes from one ``random.Random(seed)``, drawn in a fixed
order, so the same seed, scale and clock always give the same estate.
"""

from __future__ import annotations

import random
import uuid
from bisect import bisect
from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import accumulate
from typing import TypeVar

__all__ = ["Rand"]

T = TypeVar("T")


class Rand:
    """Thin wrapper over :class:`random.Random` with domain-shaped draws."""

    def __init__(self, seed: int) -> None:
        self._r = random.Random(seed)
        self._cumulative: dict[tuple[float, ...], list[float]] = {}

    def chance(self, p: float) -> bool:
        """True with probability ``p``."""
        return self._r.random() < p

    def uniform(self, lo: float, hi: float) -> float:
        return self._r.uniform(lo, hi)

    def randint(self, lo: int, hi: int) -> int:
        return self._r.randint(lo, hi)

    def pick(self, items: Sequence[T]) -> T:
        return items[self._r.randrange(len(items))]

    def weighted(self, items: Sequence[T], weights: Sequence[float]) -> T:
        """One item, drawn in proportion to ``weights``.

        The same draw as ``random.choices(items, weights)``, with the cumulative weights
        cached, since the generator asks with the same few weight tuples a million times.
        """
        key = tuple(weights)
        cum = self._cumulative.get(key)
        if cum is None:
            cum = self._cumulative[key] = list(accumulate(key))
        return items[bisect(cum, self._r.random() * cum[-1], 0, len(cum) - 1)]

    def sample(self, items: Sequence[T], k: int) -> list[T]:
        return self._r.sample(items, min(k, len(items)))

    def lognormal(self, median: float, sigma: float) -> float:
        return median * self._r.lognormvariate(0.0, sigma)

    def skewed_index(self, n: int, staleness: float) -> int:
        """An index into an oldest-first list: stale things sit near the start.

        ``staleness`` 0 leans to the newest entry, 1 to the oldest; fresh builds are
        often fully patched (the last entry), stale ones rarely.
        """
        if n <= 1 or self._r.random() < 0.1 + 0.6 * (1.0 - staleness):
            return n - 1
        if n == 2:
            return 0
        mode = (1.0 - staleness) * (n - 2)
        return min(n - 2, max(0, round(self._r.triangular(0, n - 2, mode))))

    def hex(self, chars: int) -> str:
        """``chars`` lowercase hex digits."""
        return f"{self._r.getrandbits(chars * 4):0{chars}x}"

    def uuid(self) -> str:
        """A version-4-shaped UUID drawn from the seeded stream (never ``uuid4()``)."""
        return str(uuid.UUID(int=self._r.getrandbits(128), version=4))

    def digits(self, n: int) -> str:
        return "".join(str(self._r.randrange(10)) for _ in range(n))

    def alnum(self, n: int, alphabet: str = "bcdfghjklmnpqrstvwxz2456789") -> str:
        return "".join(alphabet[self._r.randrange(len(alphabet))] for _ in range(n))

    def before(self, now: datetime, max_days: float, min_days: float = 0.0) -> datetime:
        """A moment between ``max_days`` and ``min_days`` before ``now``, to the second."""
        seconds = self._r.uniform(min_days * 86400.0, max_days * 86400.0)
        return now - timedelta(seconds=int(seconds))

    def between(self, start: datetime, end: datetime) -> datetime:
        """A moment in ``[start, end]``, to the second."""
        span = max(0, int((end - start).total_seconds()))
        return start + timedelta(seconds=self._r.randint(0, span))

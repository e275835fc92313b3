"""Percentiles and noise for the benchmark: the only arithmetic the figures go through.

A percentile here is the nearest-rank value (no interpolation), so every reported
figure is a time that was actually measured. Noise is the spread of per-round medians:
how far one run of the whole question set moves from the next.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

__all__ = ["Summary", "percentile", "summarise"]

Summary = dict[str, float | int]


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank ``q`` percentile (0 < q <= 100) of ``values``.

    >>> percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50)
    3.0
    >>> percentile(list(range(1, 101)), 95)
    95

    Raises:
        ValueError: no values, or ``q`` outside (0, 100].
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 < q <= 100:
        raise ValueError(f"percentile q must be in (0, 100], got {q}")
    ordered = sorted(values)
    rank = math.ceil(q / 100 * len(ordered))
    return ordered[max(0, rank - 1)]


def summarise(rounds: Sequence[Sequence[float]], digits: int = 2) -> Summary:
    """p50 / p95 / p99 / max over every timed call, plus the per-round median spread.

    >>> summarise([[1.0, 2.0, 3.0], [2.0, 3.0, 4.0]])["noise"]
    1.0
    """
    flat = [v for r in rounds for v in r]
    if not flat:
        raise ValueError("nothing was timed")
    medians = [statistics.median(r) for r in rounds if r]
    return {
        "n": len(flat),
        "p50": round(statistics.median(flat), digits),
        "p95": round(percentile(flat, 95), digits),
        "p99": round(percentile(flat, 99), digits),
        "max": round(max(flat), digits),
        "noise": round(max(medians) - min(medians), digits),
    }

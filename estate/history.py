"""A finding's life over the last 120 days: when it was first and last seen, how it ended.

Most findings are open; some were resolved (recently enough that "resolved in the last
30 days" has answers), some suppressed. A few percent appeared in the last day and more
in the last week, so "new this week" questions are never empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.models import FindingStatus, Severity
from estate.rand import Rand

__all__ = ["WINDOW_DAYS", "Timeline", "draw_timeline", "echo", "severity_for_cvss"]

WINDOW_DAYS = 120
_STATUSES = (FindingStatus.OPEN, FindingStatus.RESOLVED, FindingStatus.SUPPRESSED)


@dataclass(frozen=True, slots=True)
class Timeline:
    status: FindingStatus
    first_seen: datetime
    last_seen: datetime
    resolved_at: datetime | None


def severity_for_cvss(score: float) -> Severity:
    """The CVSS v3 qualitative rating.

    >>> severity_for_cvss(9.8), severity_for_cvss(7.5), severity_for_cvss(3.7)
    (<Severity.CRITICAL: 'critical'>, <Severity.HIGH: 'high'>, <Severity.LOW: 'low'>)
    """
    if score >= 9.0:
        return Severity.CRITICAL
    if score >= 7.0:
        return Severity.HIGH
    if score >= 4.0:
        return Severity.MEDIUM
    return Severity.LOW if score > 0 else Severity.INFO


def _first_seen(rand: Rand, now: datetime, floor: datetime) -> datetime:
    u = rand.uniform(0.0, 1.0)
    if u < 0.035:
        start = now - timedelta(hours=23, minutes=50)
    elif u < 0.11:
        start = now - timedelta(days=7)
    else:
        start = now - timedelta(days=WINDOW_DAYS)
    return rand.between(max(start, floor), now - timedelta(minutes=5))


def draw_timeline(
    rand: Rand,
    now: datetime,
    resource_first_seen: datetime | None,
    weights: tuple[float, float, float] = (0.72, 0.21, 0.07),
) -> Timeline:
    """A plausible history for one finding; ``weights`` are open/resolved/suppressed."""
    floor = now - timedelta(days=WINDOW_DAYS)
    if resource_first_seen is not None:
        floor = min(max(floor, resource_first_seen), now - timedelta(minutes=10))
    first = _first_seen(rand, now, floor)
    status = rand.weighted(_STATUSES, weights)
    if status is FindingStatus.RESOLVED:
        resolved = rand.between(first + timedelta(minutes=1), now)
        last = rand.between(first, resolved)
        return Timeline(status, first, last, resolved)
    last = max(first, now - timedelta(minutes=rand.randint(1, 360)))
    return Timeline(status, first, last, None)


def echo(rand: Rand, base: Timeline) -> Timeline:
    """The same issue as seen by a second source: close in time, usually the same status."""
    first = min(base.first_seen + timedelta(minutes=rand.randint(0, 720)), base.last_seen)
    if rand.chance(0.04) and base.status is FindingStatus.OPEN:
        return Timeline(FindingStatus.SUPPRESSED, first, base.last_seen, None)
    return Timeline(base.status, first, base.last_seen, base.resolved_at)

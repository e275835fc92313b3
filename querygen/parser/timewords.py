"""Time words -> a UTC window: 'today', 'last 24 hours', 'this week', 'since 2026-10-01'.

Windows are computed from the ``now`` the caller passes (the benchmark's clock, or the
wall clock), so the same question on the same clock reads the same. "This week" is the
last 7 days and "last month" the last 30, as people mean them in a security review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from querygen.parser.quantities import read_number

__all__ = ["TimeSpan", "find_times"]

_SPANS = {
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(days=7),
    "month": timedelta(days=30),
    "year": timedelta(days=365),
    "quarter": timedelta(days=90),
}
_UNIT_WORDS = {
    "h": "hour",
    "hr": "hour",
    "hrs": "hour",
    "d": "day",
    "w": "week",
    "wk": "week",
    "mo": "month",
}
_LEADS = {"last", "past", "previous", "within", "recent"}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")


@dataclass(frozen=True, slots=True)
class TimeSpan:
    """A time phrase at tokens ``[start, end)`` and the window it means."""

    start: int
    end: int
    since: datetime | None
    until: datetime | None
    label: str


def _unit(word: str) -> str | None:
    word = _UNIT_WORDS.get(word, word)
    word = word[:-1] if word.endswith("s") and word[:-1] in _SPANS else word
    return word if word in _SPANS else None


def _midnight(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def find_times(words: list[str], now: datetime) -> list[TimeSpan]:
    """Every time phrase in the lower-cased words, left to right, without overlaps.

    >>> from datetime import UTC
    >>> now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    >>> spans = find_times("new in last 24 hours".split(), now)
    >>> [(s.start, s.end, s.since.isoformat()) for s in spans]
    [(2, 5, '2026-11-21T12:00:00+00:00')]
    """
    spans: list[TimeSpan] = []
    i = 0
    while i < len(words):
        span = _read_at(words, i, now)
        if span is None:
            i += 1
            continue
        spans.append(span)
        i = span.end
    return spans


def _read_at(words: list[str], i: int, now: datetime) -> TimeSpan | None:
    word = words[i]
    if word == "today":
        return TimeSpan(i, i + 1, _midnight(now), None, "today")
    if word == "yesterday":
        return TimeSpan(i, i + 1, _midnight(now) - timedelta(days=1), _midnight(now), "yesterday")
    if word == "this" and i + 1 < len(words) and _unit(words[i + 1]) in ("week", "month", "year"):
        return _this(i, _unit(words[i + 1]) or "week", now)
    if word in _LEADS:
        return _last(words, i, now)
    if word in ("since", "after", "before", "until") and i + 1 < len(words):
        return _since(words, i, now)
    return None


def _this(i: int, unit: str, now: datetime) -> TimeSpan:
    if unit == "month":
        since = _midnight(now).replace(day=1)
    elif unit == "year":
        since = _midnight(now).replace(month=1, day=1)
    else:
        since = now - _SPANS["week"]
    return TimeSpan(i, i + 2, since, None, f"this {unit}")


def _last(words: list[str], i: int, now: datetime) -> TimeSpan | None:
    """'last 30 days', 'past week', 'within 24h', 'last day'."""
    j = i + 1
    count = read_number(words[j]) if j < len(words) else None
    if count is not None:
        j += 1
    unit = _unit(words[j]) if j < len(words) else None
    if unit is None:
        return None
    amount = count or 1.0
    label = (
        f"last {int(amount) if amount.is_integer() else amount} {unit}s"
        if count
        else f"last {unit}"
    )
    return TimeSpan(i, j + 1, now - _SPANS[unit] * amount, None, label)


def _since(words: list[str], i: int, now: datetime) -> TimeSpan | None:
    """'since 2026-10-01', 'since Monday', 'since oct 1st', 'before 2026-01-01'."""
    moment, used = _moment(words, i + 1, now)
    if moment is None:
        return None
    label = f"{words[i]} {' '.join(words[i + 1 : i + 1 + used])}"
    if words[i] in ("before", "until"):
        return TimeSpan(i, i + 1 + used, None, moment, label)
    return TimeSpan(i, i + 1 + used, moment, None, label)


def _moment(words: list[str], j: int, now: datetime) -> tuple[datetime | None, int]:
    word = words[j]
    match = _DATE.match(word)
    if match:
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None, 0
        return datetime(day.year, day.month, day.day, tzinfo=now.tzinfo), 1
    if word in _WEEKDAYS:
        back = (now.weekday() - _WEEKDAYS.index(word)) % 7
        return _midnight(now) - timedelta(days=back), 1
    if word == "yesterday":
        return _midnight(now) - timedelta(days=1), 1
    if word[:3] in _MONTHS and j + 1 < len(words):
        return _month_day(word, words[j + 1], now)
    return None, 0


def _month_day(month_word: str, day_word: str, now: datetime) -> tuple[datetime | None, int]:
    day = read_number(re.sub(r"(st|nd|rd|th)$", "", day_word))
    if day is None or not 1 <= day <= 31:
        return None, 0
    month = _MONTHS.index(month_word[:3]) + 1
    try:
        moment = datetime(now.year, month, int(day), tzinfo=now.tzinfo)
    except ValueError:
        return None, 0
    if moment > now:
        moment = moment.replace(year=now.year - 1)
    return moment, 2

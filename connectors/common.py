"""Small parsing helpers every mapper shares: timestamps, slugs, severities.

Vendors disagree on time: Wiz and Orca send RFC 3339 strings (sometimes with
nanoseconds), Prisma Cloud epoch milliseconds (sometimes as strings), Lacework both. One
parser takes them all and returns an aware UTC ``datetime``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from core.models import Severity

__all__ = [
    "EXT",
    "epoch_ms",
    "ext_of",
    "iso",
    "parse_time",
    "severity_from_score",
    "slug",
]

# The key under which the bundled simulator adds what a vendor payload cannot carry
# (the demo estate's own titles, ids and exact timestamps). Real responses never have it;
# every mapper works without it.
EXT = "_posture"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_FRACTION = re.compile(r"\.(\d+)")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def ext_of(raw: dict[str, Any]) -> dict[str, Any]:
    """The simulator's extension block of a record, or an empty dict."""
    value = raw.get(EXT)
    return value if isinstance(value, dict) else {}


def iso(value: datetime) -> str:
    """RFC 3339 in UTC with a ``Z``, keeping microseconds when there are any.

    >>> iso(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    '2026-01-02T03:04:05Z'
    """
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def epoch_ms(value: datetime) -> int:
    """Milliseconds since the epoch, as Prisma Cloud sends them.

    >>> epoch_ms(datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC))
    1000
    """
    return (value - _EPOCH) // timedelta(milliseconds=1)


def _from_number(value: float) -> datetime:
    # values past year 5000 in seconds are milliseconds
    micros = round(value * 1000) if value > 1e11 else round(value * 1_000_000)
    return _EPOCH + timedelta(microseconds=micros)


def parse_time(value: Any) -> datetime | None:
    """Any vendor timestamp as an aware UTC datetime; None for empty or zero values.

    >>> parse_time("2023-08-23T07:56:09.903743123Z").microsecond
    903743
    >>> parse_time(1694003441966).isoformat()
    '2023-09-06T12:30:41.966000+00:00'
    >>> parse_time("2022-02-10 00:06:46.292000000").year
    2022
    """
    if isinstance(value, str) and value.endswith("Z"):
        try:  # the common case, RFC 3339 in UTC with at most microseconds: no regex
            return datetime.fromisoformat(value).astimezone(UTC)
        except ValueError:
            pass
    if value is None or value == "" or value == 0:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_number(float(value))
    text = str(value).strip()
    if text.lstrip("-").isdigit():
        return _from_number(float(text))
    if text.startswith("0001-01-01"):
        return None  # Go's zero time, as Prisma Cloud Compute sends it
    text = _FRACTION.sub(lambda m: "." + m.group(1)[:6].ljust(6, "0"), text, count=1)
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def slug(text: str, limit: int = 128) -> str:
    """A vendor rule name or id as a finding ``type``: lower case, words joined by ``_``.

    >>> slug("AWS S3 bucket publicly readable (0.0.0.0/0)")
    'aws_s3_bucket_publicly_readable_0_0_0_0_0'
    >>> slug("CloudActivityLogIngestionFailed")
    'cloud_activity_log_ingestion_failed'
    """
    value = _NON_WORD.sub("_", _CAMEL.sub("_", text).lower()).strip("_")
    return value[:limit].rstrip("_") or "unknown"


def severity_from_score(score: float | None) -> Severity:
    """A 0-10 score (CVSS, Orca score) in the CVSS v3 qualitative bands.

    >>> severity_from_score(9.5), severity_from_score(0)
    (<Severity.CRITICAL: 'critical'>, <Severity.INFO: 'info'>)
    """
    if score is None or score <= 0:
        return Severity.INFO
    if score >= 9.0:
        return Severity.CRITICAL
    if score >= 7.0:
        return Severity.HIGH
    if score >= 4.0:
        return Severity.MEDIUM
    return Severity.LOW

"""What every platform client shares: its transport, its stats, flat record iterators.

A client class sets ``source`` and implements ``authenticate`` and ``streams``; this base
gives it ``iter_findings(since=...)`` and ``iter_assets()`` (raw records, page after page,
in a ``yield`` loop) for callers that do not need page boundaries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, Self

import httpx

from connectors.base import StreamSpec
from connectors.http import HttpStats, RetryPolicy, SourceHttp, make_client
from connectors.ratelimit import BucketStats, TokenBucket
from core.models import Source
from core.settings import HttpSettings, RateLimit

__all__ = ["HttpConnector", "source_http"]


def source_http(
    name: str,
    rate: RateLimit,
    http: HttpSettings | None,
    *,
    base_url: str = "",
    transport: httpx.BaseTransport | None,
    sleep: Callable[[float], None],
) -> SourceHttp:
    """The one transport a client talks through: timeouts, retry policy, rate bucket."""
    http = http or HttpSettings()
    client = make_client(
        base_url,
        connect_timeout_s=http.connect_timeout_s,
        read_timeout_s=http.read_timeout_s,
        transport=transport,
    )
    policy = RetryPolicy(
        attempts=http.attempts,
        backoff_base_s=http.backoff_base_s,
        backoff_max_s=http.backoff_max_s,
        retry_after_cap_s=http.retry_after_cap_s,
    )
    bucket = TokenBucket(rate=rate.requests / rate.per_s, burst=rate.burst)
    return SourceHttp(name, client, bucket=bucket, policy=policy, sleep=sleep)


class HttpConnector:
    """Base of the four clients: owns the ``SourceHttp`` and closes its client."""

    source: Source

    def __init__(self, http: SourceHttp) -> None:
        self.http = http

    def authenticate(self) -> None:
        raise NotImplementedError

    def streams(self) -> list[StreamSpec]:
        raise NotImplementedError

    def transport_stats(self) -> tuple[HttpStats, BucketStats]:
        return self.http.stats, self.http.bucket.stats

    def close(self) -> None:
        self.http.client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _records(self, kind: str, since: datetime | None) -> Iterator[dict[str, Any]]:
        for stream in self.streams():
            if stream.kind != kind:
                continue
            for page in stream.fetch(since, None):
                yield from page.records

    def iter_findings(self, since: datetime | None = None) -> Iterator[dict[str, Any]]:
        """Every raw finding record changed after ``since`` (all when None)."""
        return self._records("findings", since)

    def iter_assets(self) -> Iterator[dict[str, Any]]:
        """Every raw asset record."""
        return self._records("assets", None)

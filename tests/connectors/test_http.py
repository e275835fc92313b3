"""The shared transport policy, one response at a time (httpx.MockTransport)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import httpx
import pytest

from connectors.http import RetryPolicy, SourceHttp, make_client, retry_after_seconds
from connectors.ratelimit import TokenBucket
from core.errors import AuthError, ConnectorError, RateLimited, UpstreamError

Handler = Callable[[httpx.Request], httpx.Response]


def _http(
    responses: list[httpx.Response | Exception], sleeps: list[float], attempts: int = 4
) -> tuple[SourceHttp, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        item = responses.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    client = make_client("https://api.example.test", transport=httpx.MockTransport(handler))
    http = SourceHttp(
        "wiz",
        client,
        bucket=TokenBucket(1000.0, 100),
        sleep=sleeps.append,
        policy=RetryPolicy(
            attempts=attempts, backoff_base_s=0.1, backoff_max_s=1.0, retry_after_cap_s=30.0
        ),
    )
    return http, seen


def test_429_waits_at_least_retry_after_then_succeeds() -> None:
    sleeps: list[float] = []
    http, seen = _http(
        [httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, json={"ok": True})],
        sleeps,
    )
    body, _ = http.send_json("GET", "/x")
    assert body == {"ok": True} and len(seen) == 2
    assert sleeps[0] >= 7.0  # Retry-After beats the short exponential backoff
    assert http.stats.retries == {"429": 1}


def test_5xx_transport_errors_and_truncated_bodies_are_retried() -> None:
    sleeps: list[float] = []
    http, seen = _http(
        [
            httpx.Response(503),
            httpx.RemoteProtocolError("dropped"),
            httpx.Response(200, content=b'{"nodes": ['),
            httpx.Response(200, json=[1]),
        ],
        sleeps,
    )
    body, _ = http.send_json("GET", "/x")
    assert body == [1] and len(seen) == 4
    assert http.stats.retries == {"503": 1, "RemoteProtocolError": 1, "malformed": 1}
    assert all(0 < s <= 1.5 for s in sleeps)  # bounded exponential backoff with jitter


def test_other_4xx_are_not_retried() -> None:
    http, seen = _http([httpx.Response(400, json={"message": "bad filter"})], [])
    with pytest.raises(UpstreamError) as err:
        http.send_json("POST", "/x", json={})
    assert err.value.status == 400 and "bad filter" in err.value.body and len(seen) == 1


def test_retries_are_bounded() -> None:
    sleeps: list[float] = []
    http, seen = _http([httpx.Response(429, headers={"Retry-After": "1"})] * 3, sleeps, attempts=3)
    with pytest.raises(RateLimited) as err:
        http.send_json("GET", "/x")
    assert err.value.retry_after == 1.0 and len(seen) == 3 and len(sleeps) == 2


def test_unreachable_is_a_connector_error_naming_the_source() -> None:
    http, _ = _http([httpx.ConnectError("refused")] * 2, [], attempts=2)
    with pytest.raises(ConnectorError, match="^wiz: cannot reach api.example.test/x"):
        http.send_json("GET", "/x?token=secret")


class _Auth:
    def __init__(self) -> None:
        self.token, self.refreshed = "old", 0

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def refresh(self) -> None:
        self.refreshed += 1
        self.token = "new"


def test_a_401_mid_sync_refreshes_the_token_once() -> None:
    auth = _Auth()
    http, seen = _http([httpx.Response(401), httpx.Response(200, json={})], [])
    http.send_json("GET", "/x", auth=auth)
    assert auth.refreshed == 1
    assert [r.headers["Authorization"] for r in seen] == ["Bearer old", "Bearer new"]


def test_a_second_401_is_an_auth_error_without_credentials(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    http, _ = _http([httpx.Response(401), httpx.Response(403)], [])
    with pytest.raises(AuthError) as err:
        http.send_json("GET", "/x?key=s3cr3t", auth=_Auth())
    assert err.value.one_line().startswith("wiz refused the credentials (403")
    assert "nothing was written" in err.value.one_line()
    ours = " ".join(r.getMessage() for r in caplog.records if r.name.startswith("connectors"))
    assert "s3cr3t" not in ours and "Bearer" not in ours and "/x" in ours


def test_retry_after_as_http_date_and_garbage() -> None:
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert retry_after_seconds("soon") is None


def test_token_bucket_spaces_requests_and_reports_the_wait() -> None:
    clock = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock[0] += seconds

    bucket = TokenBucket(rate=2.0, burst=2, clock=lambda: clock[0], sleep=sleep)
    for _ in range(4):
        bucket.acquire()
    assert waits == [0.5, 0.5]  # 2 a second once the burst of 2 is spent
    assert bucket.stats.waits == 2 and bucket.stats.waited_s == pytest.approx(1.0)

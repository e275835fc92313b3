"""One transport policy for every connector: timeouts, bounded retries, error mapping.

Retried: ``httpx.TransportError`` (refused, reset, dropped, timed out), 429 and 5xx, and a
2xx whose body is not the JSON it promised (a transfer cut short). Never retried: other
4xx. Waits grow exponentially with jitter and never undercut a ``Retry-After``, and both
the attempts and each wait are bounded. A 401/403 on a data request first refreshes the
token once (tokens expire mid-sync); a second refusal is an ``AuthError``. Status codes
map onto ``core.errors`` the way the Anthropic SDK maps them: 401/403 ``AuthError``, 429
``RateLimited``, everything else ``UpstreamError(status, body)``.

Nothing here logs a header, a request body or a query string: those carry credentials.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from connectors.ratelimit import TokenBucket
from core.errors import AuthError, ConnectorError, RateLimited, UpstreamError

__all__ = [
    "AuthHook",
    "HttpStats",
    "MalformedBody",
    "RetryPolicy",
    "SourceHttp",
    "make_client",
    "retry_after_seconds",
]

log = logging.getLogger(__name__)
_BODY_EXCERPT = 500


class MalformedBody(UpstreamError):
    """A 2xx response whose body is not the JSON the endpoint promises."""


@dataclass(frozen=True)
class RetryPolicy:
    """Bounds on retrying one request."""

    attempts: int = 6
    backoff_base_s: float = 0.5
    backoff_max_s: float = 30.0
    retry_after_cap_s: float = 120.0


@dataclass
class HttpStats:
    """What one source's transport did, for the sync report."""

    requests: int = 0
    retries: Counter[str] = field(default_factory=Counter)
    token_refreshes: int = 0
    retry_wait_s: float = 0.0


class AuthHook(Protocol):
    """How a client authenticates its data requests."""

    def headers(self) -> dict[str, str]:
        """The auth headers to send now, fetching or extending a token when due."""
        ...

    def refresh(self) -> None:
        """Forget the current token and fetch a new one (after a 401 mid-sync)."""
        ...


def make_client(
    base_url: str,
    *,
    connect_timeout_s: float = 5.0,
    read_timeout_s: float = 30.0,
    headers: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """An ``httpx.Client`` with explicit timeouts and no environment proxies or auth."""
    timeout = httpx.Timeout(read_timeout_s, connect=connect_timeout_s)
    return httpx.Client(
        base_url=base_url,
        timeout=timeout,
        headers={"Accept": "application/json", **(headers or {})},
        transport=transport,
        trust_env=False,
        follow_redirects=False,
    )


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` as seconds: either delta-seconds or an HTTP date.

    >>> retry_after_seconds("3"), retry_after_seconds(None)
    (3.0, None)
    """
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, httpx.TransportError | RateLimited | MalformedBody):
        return True
    return isinstance(exc, UpstreamError) and exc.status >= 500


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RateLimited):
        return "429"
    if isinstance(exc, MalformedBody):
        return "malformed"
    if isinstance(exc, UpstreamError):
        return str(exc.status)
    return type(exc).__name__


class SourceHttp:
    """The transport of one source: bucket, retries, auth refresh and error mapping.

    Args:
        source: the source name, for messages ("wiz").
        client: the injected ``httpx.Client``.
        bucket: the client-side rate limit.
        policy: retry bounds.
        sleep: how to wait between attempts (injectable for tests).
    """

    def __init__(
        self,
        source: str,
        client: httpx.Client,
        *,
        bucket: TokenBucket,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.source = source
        self.client = client
        self.bucket = bucket
        self.policy = policy or RetryPolicy()
        self.stats = HttpStats()
        self._sleep = sleep

    def _wait(self, state: RetryCallState) -> float:
        p = self.policy
        backoff = min(p.backoff_max_s, p.backoff_base_s * 2.0 ** (state.attempt_number - 1))
        backoff *= 0.5 + random.random()  # noqa: S311 - jitter, not security
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RateLimited) and exc.retry_after is not None:
            backoff = max(backoff, min(exc.retry_after, p.retry_after_cap_s))
        if exc is not None:
            self.stats.retries[_reason(exc)] += 1
        self.stats.retry_wait_s += backoff
        return backoff

    def send_json(
        self, method: str, url: str, *, auth: AuthHook | None = None, **kwargs: Any
    ) -> tuple[Any, httpx.Response]:
        """Send one request under the policy; returns the decoded JSON and the response.

        Raises:
            AuthError: the credentials or the token were refused (after one refresh).
            RateLimited: still 429 after every attempt.
            UpstreamError: any other failure status, or a body that is not JSON.
            ConnectorError: the platform could not be reached at all.
        """
        retrying = Retrying(
            stop=stop_after_attempt(self.policy.attempts),
            wait=self._wait,
            retry=retry_if_exception(_retryable),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            result: tuple[Any, httpx.Response] = retrying(self._attempt, method, url, auth, kwargs)
        except httpx.TransportError as exc:
            raise ConnectorError(
                f"{self.source}: cannot reach {_where(url, self.client)} ({type(exc).__name__}).",
                remediation=f"Check the {self.source} base URL and the network.",
            ) from exc
        return result

    def _attempt(
        self, method: str, url: str, auth: AuthHook | None, kwargs: dict[str, Any]
    ) -> tuple[Any, httpx.Response]:
        response = self._request(method, url, auth, kwargs)
        if response.status_code in (401, 403) and auth is not None:
            self.stats.token_refreshes += 1
            auth.refresh()
            response = self._request(method, url, auth, kwargs)
        self._raise_for_status(response, url)
        return _decode(response, self.source), response

    def _request(
        self, method: str, url: str, auth: AuthHook | None, kwargs: dict[str, Any]
    ) -> httpx.Response:
        self.bucket.acquire()
        headers = dict(kwargs.get("headers") or {})
        if auth is not None:
            headers.update(auth.headers())
        self.stats.requests += 1
        response = self.client.request(method, url, **{**kwargs, "headers": headers})
        log.debug(
            "%s %s %s -> %s", self.source, method, _where(url, self.client), response.status_code
        )
        return response

    def _raise_for_status(self, response: httpx.Response, url: str) -> None:
        status = response.status_code
        if status < 400:
            return
        body = response.text[:_BODY_EXCERPT]
        where = _where(url, self.client)
        if status in (401, 403):
            raise AuthError(
                f"{self.source} refused the credentials ({status} from {where}).",
                remediation=f"Check the {self.source} credentials (POSTURE_"
                f"{self.source.upper()}__*); nothing was written.",
            )
        if status == 429:
            raise RateLimited(
                f"{self.source} kept answering 429 Too Many Requests ({where}).",
                retry_after=retry_after_seconds(response.headers.get("Retry-After")),
                remediation=f"Lower the {self.source} request rate or sync later.",
            )
        raise UpstreamError(f"{self.source} answered {status} ({where}).", status=status, body=body)


def _where(url: str, client: httpx.Client) -> str:
    """Host and path of a request, never its query string (it may carry tokens)."""
    full = client.base_url.join(url) if not url.startswith("http") else httpx.URL(url)
    parts = urlsplit(str(full))
    return f"{parts.netloc}{parts.path}"


def _decode(response: httpx.Response, source: str) -> Any:
    if response.status_code == 204 or not response.content:
        return None
    try:
        return json.loads(response.content)
    except ValueError as exc:
        raise MalformedBody(
            f"{source} sent a body that is not JSON ({len(response.content)} bytes).",
            status=response.status_code,
            body=response.text[:_BODY_EXCERPT],
        ) from exc

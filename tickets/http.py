"""The transport of the ticket clients: timeouts, bounded retries, one error per failure.

Same policy as the connectors (``connectors/http.py``, whose ``make_client`` and
``retry_after_seconds`` are reused): retry transport errors, 429 (and GitHub's 403 with
``Retry-After``) and 5xx with jittered exponential waits that never undercut
``Retry-After``. One difference matters here: a create is not idempotent, so a create
request is retried only when the service cannot have acted on it (the connection never
opened, rate limited, 503). Any other failure of a create surfaces at once; the desk
then finds the ticket by its correlation id before trying again, instead of opening a
second one.

Every failure becomes a ``TicketingFailed`` (a ``core.errors.TicketingError``) with one
line for the operator; nothing logs headers or bodies (they carry credentials and
finding details).
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from connectors.http import make_client, retry_after_seconds
from core.errors import TicketingError

__all__ = ["ErrorExplainer", "RetryPolicy", "TicketHttp", "TicketingFailed", "make_client"]

log = logging.getLogger(__name__)

# (status, decoded error body or None) -> (what went wrong, what to do)
ErrorExplainer = Callable[[int, Any], tuple[str, str]]


class TicketingFailed(TicketingError):
    """A ticket system refused or could not be reached; nothing was delivered."""

    def __init__(
        self,
        message: str,
        *,
        target: str,
        status: int | None = None,
        remediation: str | None = None,
    ) -> None:
        super().__init__(message, remediation=remediation)
        self.target = target
        self.status = status


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    backoff_base_s: float = 0.25
    backoff_max_s: float = 8.0
    retry_after_cap_s: float = 60.0


class _Transient(Exception):
    """A retryable answer (429, 5xx); carries the response for the final error."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response.status_code)
        self.response = response
        self.retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        # GitHub's secondary rate limit answers 403 with Retry-After
        self.rate_limited = response.status_code == 429 or self.retry_after is not None


class TicketHttp:
    """JSON requests to one ticket system under the retry policy.

    Args:
        target: the system's name for messages ("jira").
        client: the injected ``httpx.Client`` (base URL, auth, timeouts).
        explain: turns an error status and body into a message and a remediation.
        policy: retry bounds.
        sleep: how to wait between attempts (tests count the waits).
    """

    def __init__(
        self,
        target: str,
        client: httpx.Client,
        *,
        explain: ErrorExplainer,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.target = target
        self.client = client
        self.policy = policy or RetryPolicy()
        self.waits: list[float] = []
        self._explain = explain
        self._sleep = sleep or time.sleep

    def close(self) -> None:
        self.client.close()

    def request(self, method: str, url: str, *, unsafe: bool = False, **kwargs: Any) -> Any:
        """Send one request; returns the decoded JSON body (``None`` when empty).

        Args:
            unsafe: a create that must not run twice; retried only when the service
                surely did not act on it.

        Raises:
            TicketingFailed: refused, unreachable, or still failing after the retries.
        """
        retrying = Retrying(
            stop=stop_after_attempt(self.policy.attempts),
            wait=self._wait,
            retry=retry_if_exception(_never_ran if unsafe else _transient),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            response: httpx.Response = retrying(self._attempt, method, url, kwargs)
        except _Transient as exc:
            response = exc.response
        except httpx.TransportError as exc:
            where = _where(self.client, url)
            raise TicketingFailed(
                f"{self.target}: cannot reach {where} ({type(exc).__name__}).",
                target=self.target,
                remediation=f"Check the {self.target} URL and the network, then retry.",
            ) from exc
        if response.status_code >= 400:
            raise self._failure(response)
        return _decode(response)

    def _attempt(self, method: str, url: str, kwargs: dict[str, Any]) -> httpx.Response:
        response = self.client.request(method, url, **kwargs)
        log.debug(
            "%s %s %s -> %s", self.target, method, _where(self.client, url), response.status_code
        )
        status = response.status_code
        if status == 429 or status >= 500 or (status == 403 and "Retry-After" in response.headers):
            raise _Transient(response)
        return response

    def _wait(self, state: RetryCallState) -> float:
        p = self.policy
        backoff = min(p.backoff_max_s, p.backoff_base_s * 2.0 ** (state.attempt_number - 1))
        backoff *= 0.5 + random.random()  # noqa: S311 - jitter, not security
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Transient) and exc.retry_after is not None:
            backoff = max(backoff, min(exc.retry_after, p.retry_after_cap_s))
        self.waits.append(backoff)
        return backoff

    def _failure(self, response: httpx.Response) -> TicketingFailed:
        try:
            body: Any = json.loads(response.content) if response.content else None
        except ValueError:
            body = None
        message, remediation = self._explain(response.status_code, body)
        return TicketingFailed(
            f"{message} ({response.status_code} from {_where(self.client, str(response.url))}).",
            target=self.target,
            status=response.status_code,
            remediation=remediation,
        )


def _transient(exc: BaseException) -> bool:
    return isinstance(exc, _Transient | httpx.TransportError)


def _never_ran(exc: BaseException) -> bool:
    if isinstance(exc, _Transient):
        return exc.rate_limited or exc.response.status_code == 503
    return isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)


def _decode(response: httpx.Response) -> Any:
    if response.status_code == 204 or not response.content:
        return None
    try:
        return json.loads(response.content)
    except ValueError:
        return None


def _where(client: httpx.Client, url: str) -> str:
    """Host and path only: a query string may carry search terms or tokens."""
    full = httpx.URL(url) if url.startswith("http") else client.base_url.join(url)
    return f"{full.host}:{full.port}{full.path}" if full.port else f"{full.host}{full.path}"

"""A thin sync wrapper over the Anthropic SDK: tiers, bounded retries, token accounting.

The SDK's own retries are off (``max_retries=0``) so that one policy, here, decides:
tenacity retries 408, 429, 5xx (529 overloaded included), timeouts and connection
errors, at most ``max_attempts`` times, waiting exponentially with jitter or what
``retry-after`` asks, whichever the server said. A ``retry-after`` longer than
``max_wait_s`` is not waited for: falling back to the offline parser is faster.
Everything that still fails leaves as an ``llm.errors`` type.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any, Self, cast

import anthropic
from pydantic import BaseModel, ConfigDict, Field, SecretStr
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_exponential_jitter

from core.settings import AnthropicSettings
from llm.base import LLMReply, LLMRequest, TextPart, Tier, TokenUsage, ToolCall
from llm.errors import LLMFailed, LLMNotConfigured, LLMRejected, LLMUnavailable

__all__ = ["LLMClient", "LLMConfig", "parse_retry_after"]

_RETRY_STATUSES = frozenset({408, 429})
_DEFAULT_BASE_URL = "https://api.anthropic.com"
_UNAVAILABLE_REASONS = {
    "rate_limited": "Claude is rate limiting this workspace, so the offline parser answered.",
    "overloaded": "Claude is overloaded right now, so the offline parser answered.",
}


class LLMConfig(BaseModel):
    """How to reach Claude and which models to use for which tier."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    api_key: SecretStr | None = None
    # Always passed to the SDK, so its ANTHROPIC_BASE_URL fallback never applies.
    base_url: str = _DEFAULT_BASE_URL
    fast_model: str = "claude-haiku-4-5"
    # claude-sonnet-4-5 is deprecated in anthropic 2.12 (warns; EOL 2026-11-30).
    large_model: str = "claude-sonnet-4-6"
    timeout_s: float = Field(default=20.0, gt=0)  # per attempt
    max_attempts: int = Field(default=3, ge=1, le=5)
    backoff_s: float = Field(default=0.5, ge=0)  # first backoff; doubles per attempt
    max_wait_s: float = Field(default=4.0, ge=0)  # longest single wait, retry-after included

    @classmethod
    def from_settings(cls, settings: AnthropicSettings, **overrides: Any) -> LLMConfig:
        """The config for ``settings``, with any field overridden by keyword.

        Args:
            settings: the ``anthropic`` part of ``core.settings.Settings``.
            **overrides: other ``LLMConfig`` fields (models, timeout, retry bounds).

        Returns:
            The config.
        """
        base = {"api_key": settings.api_key, "base_url": settings.base_url or _DEFAULT_BASE_URL}
        return cls.model_validate({**base, **overrides})

    def model(self, tier: Tier) -> str:
        return self.fast_model if tier == "fast" else self.large_model


def parse_retry_after(headers: Any) -> float | None:
    """Seconds a response asks to wait (``retry-after-ms``, ``retry-after`` secs or date).

    >>> parse_retry_after({"retry-after": "2"})
    2.0
    >>> parse_retry_after({"retry-after-ms": "250"})
    0.25
    >>> parse_retry_after({}) is None
    True
    """
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(float(millis) / 1000.0, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        return max(parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
    except (TypeError, ValueError):
        return None


def _retry_after(err: BaseException) -> float | None:
    if isinstance(err, anthropic.APIStatusError):
        return parse_retry_after(err.response.headers)
    return None


class LLMClient:
    """Claude through the Messages API, sync, with one retry policy and a token tally.

    Args:
        config: keys, base URL, models, timeouts and retry bounds.
        sleep: how to wait between attempts; tests pass a recorder so nothing sleeps.

    Raises:
        LLMNotConfigured: ``config`` has no API key.
    """

    def __init__(self, config: LLMConfig, *, sleep: Callable[[float], None] = time.sleep) -> None:
        if config.api_key is None:
            raise LLMNotConfigured("No Anthropic API key is configured.")
        self.config = config
        self._sleep = sleep
        self._sdk = anthropic.Anthropic(
            api_key=config.api_key.get_secret_value(),
            base_url=config.base_url,
            timeout=config.timeout_s,
            max_retries=0,
        )
        self._backoff = wait_exponential_jitter(
            multiplier=config.backoff_s, max=config.max_wait_s, jitter=config.backoff_s
        )
        self._lock = threading.Lock()
        self._usage = TokenUsage()
        self.calls = 0

    @property
    def usage(self) -> TokenUsage:
        """Tokens used by every successful call of this client so far."""
        return self._usage

    def model_for(self, tier: Tier) -> str:
        return self.config.model(tier)

    def create(self, request: LLMRequest) -> LLMReply:
        """Send one Messages API request, retrying transient failures within bounds.

        Args:
            request: system blocks, messages, tools and the model tier.

        Returns:
            The reply, with its token usage.

        Raises:
            LLMUnavailable: timeouts, 429/5xx/529 or connection errors outlasted the retries.
            LLMRejected: a client error retrying cannot fix (bad key, bad request).
        """
        retrying = Retrying(
            stop=stop_after_attempt(self.config.max_attempts),
            wait=self._wait,
            retry=retry_if_exception(self._transient),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            message = retrying(self._send, request)
        except anthropic.APIError as err:
            attempts = int(retrying.statistics.get("attempt_number", 1))
            raise _to_failure(err, attempts) from err
        except anthropic.AnthropicError as err:  # raised by the SDK before any reply
            raise LLMUnavailable(f"The Anthropic SDK failed: {err}", cause="sdk_error") from err
        reply = _to_reply(message)
        with self._lock:
            self._usage = self._usage + reply.usage
            self.calls += 1
        return reply

    def close(self) -> None:
        self._sdk.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _send(self, request: LLMRequest) -> anthropic.types.Message:
        kwargs: dict[str, Any] = {
            "model": self.model_for(request.tier),
            "max_tokens": request.max_tokens,
            "system": list(request.system),
            "messages": list(request.messages),
        }
        if request.tools:
            kwargs["tools"] = list(request.tools)
        if request.tool_choice is not None:
            kwargs["tool_choice"] = request.tool_choice
        # Our JSON already has the Messages API shape; the SDK's TypedDicts only type it.
        return cast(anthropic.types.Message, self._sdk.messages.create(**kwargs))

    def _transient(self, err: BaseException) -> bool:
        if isinstance(err, anthropic.APIConnectionError):  # timeouts included
            return True
        if not isinstance(err, anthropic.APIStatusError):
            return False
        if err.response.headers.get("x-should-retry") == "false":
            return False
        if err.status_code not in _RETRY_STATUSES and err.status_code < 500:
            return False
        wait = _retry_after(err)
        return wait is None or wait <= self.config.max_wait_s

    def _wait(self, state: RetryCallState) -> float:
        err = state.outcome.exception() if state.outcome else None
        asked = _retry_after(err) if err is not None else None
        if asked is not None:
            return min(asked, self.config.max_wait_s)
        return float(self._backoff(state))


def _to_reply(message: anthropic.types.Message) -> LLMReply:
    parts: list[TextPart | ToolCall] = []
    for block in message.content:
        if block.type == "text":
            parts.append(TextPart(text=block.text))
        elif block.type == "tool_use":
            parts.append(ToolCall(id=block.id, name=block.name, input=dict(block.input)))
    usage = message.usage
    return LLMReply(
        id=message.id,
        model=str(message.model),
        stop_reason=message.stop_reason,
        content=tuple(parts),
        usage=TokenUsage(
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cache_creation_input_tokens=usage.cache_creation_input_tokens or 0,
            cache_read_input_tokens=usage.cache_read_input_tokens or 0,
        ),
    )


def _to_failure(err: anthropic.APIError, attempts: int) -> LLMFailed:
    """The ``llm.errors`` type for an SDK error that retrying did not cure."""
    if isinstance(err, anthropic.APITimeoutError):
        return LLMUnavailable(
            f"Claude did not answer within the timeout ({attempts} attempts).",
            cause="timeout",
            attempts=attempts,
            reason="Claude took too long to answer, so the offline parser answered.",
        )
    if isinstance(err, anthropic.APIConnectionError):
        return LLMUnavailable(
            f"Claude could not be reached ({attempts} attempts).",
            cause="unreachable",
            attempts=attempts,
        )
    if not isinstance(err, anthropic.APIStatusError):
        return LLMUnavailable(
            "Claude's reply did not have the expected shape.", cause="bad_response"
        )
    status, request_id = err.status_code, err.request_id
    if status in _RETRY_STATUSES or status >= 500:
        cause = {429: "rate_limited", 529: "overloaded"}.get(status, "server_error")
        return LLMUnavailable(
            f"Claude answered HTTP {status} ({err.type or 'error'}) after {attempts} attempts.",
            cause=cause,
            status=status,
            attempts=attempts,
            retry_after=_retry_after(err),
            request_id=request_id,
            reason=_UNAVAILABLE_REASONS.get(cause),
        )
    return LLMRejected(
        f"Claude refused the request: HTTP {status} ({err.type or 'error'}).",
        status=status,
        request_id=request_id,
        reason="Claude refused the request, so the offline parser answered.",
    )

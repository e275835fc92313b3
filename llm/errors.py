"""Why an LLM path gave up, as types the router can branch on.

Every error here means "answer with the offline parser instead". Each carries a stable
``code`` (for ``bot/messages.py`` to word) and a short ``reason`` that is safe to show a
user: it never holds exception text, prompt text or anything the model wrote::

    LLMError (core.errors)
    └── LLMFailed
        ├── LLMNotConfigured      no API key
        ├── LLMUnavailable        timeouts, 429/5xx/529 after bounded retries, unreachable
        ├── LLMRejected           a 4xx the API will not change its mind about (auth, bad request)
        ├── BudgetExhausted       the user's monthly token budget is used up
        ├── RateLimitedLocally    the user asked too often this minute
        └── TranslationInvalid    the model's output did not validate, twice
"""

from __future__ import annotations

from typing import ClassVar

from core.errors import LLMError

__all__ = [
    "BudgetExhausted",
    "LLMFailed",
    "LLMNotConfigured",
    "LLMRejected",
    "LLMUnavailable",
    "RateLimitedLocally",
    "TranslationInvalid",
]


class LLMFailed(LLMError):
    """An LLM call failed for a reason the caller can name; fall back and say why.

    Args:
        message: what went wrong, for the log.
        reason: one short sentence for the user; defaults to the class's wording.
        remediation: what an operator can do about it.
    """

    code: ClassVar[str] = "failed"
    default_reason: ClassVar[str] = "Claude could not answer, so the offline parser did."

    def __init__(
        self, message: str, *, reason: str | None = None, remediation: str | None = None
    ) -> None:
        super().__init__(message, remediation=remediation)
        self.reason = reason or self.default_reason


class LLMNotConfigured(LLMFailed):
    code = "not_configured"
    default_reason = "Claude is not configured here, so the offline parser answered."


class LLMUnavailable(LLMFailed):
    """The API could not be used after bounded retries.

    ``cause`` is one of ``timeout``, ``unreachable``, ``rate_limited``, ``overloaded``,
    ``server_error``, ``bad_response``, ``sdk_error``.
    """

    code = "unavailable"
    default_reason = "Claude is unavailable right now, so the offline parser answered."
    default_remediation = "Usually transient; if it persists check status.anthropic.com."

    def __init__(
        self,
        message: str,
        *,
        cause: str,
        status: int | None = None,
        attempts: int = 1,
        retry_after: float | None = None,
        request_id: str | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(message, reason=reason)
        self.cause = cause
        self.status = status
        self.attempts = attempts
        self.retry_after = retry_after
        self.request_id = request_id


class LLMRejected(LLMFailed):
    """A client error (401, 403, 400, 404 ...) that retrying cannot fix."""

    code = "rejected"
    default_remediation = "Check the API key and model names in the Anthropic settings."

    def __init__(
        self,
        message: str,
        *,
        status: int,
        request_id: str | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(message, reason=reason)
        self.status = status
        self.request_id = request_id


class BudgetExhausted(LLMFailed):
    code = "budget_exhausted"
    default_reason = "Your monthly Claude budget is used up, so the offline parser answered."
    default_remediation = "Raise the user's monthly token budget, or wait for next month."

    def __init__(self, message: str, *, user_id: str, used: int, limit: int) -> None:
        super().__init__(message)
        self.user_id = user_id
        self.used = used
        self.limit = limit


class RateLimitedLocally(LLMFailed):
    code = "rate_limited"
    default_reason = "You asked Claude a lot this minute, so the offline parser answered."
    default_remediation = "Raise the per-user requests-per-minute limit if this is routine."

    def __init__(self, message: str, *, user_id: str, retry_after: float) -> None:
        super().__init__(message)
        self.user_id = user_id
        self.retry_after = retry_after


class TranslationInvalid(LLMFailed):
    """The model answered, but not with something that validates (after one retry)."""

    code = "invalid_output"
    default_reason = (
        "Claude's reading of the question did not check out, so the offline parser answered."
    )
    default_remediation = "Add the question to prompts/examples/query_examples.yaml as a case."

    def __init__(self, message: str, *, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []

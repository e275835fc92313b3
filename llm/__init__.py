"""Model clients: the Anthropic SDK behind one retry policy, and a fake for tests.

The client (and with it the Anthropic SDK, ~1 s of imports) loads on first use, so a
process that never calls Claude (`posture serve` with Claude off) never pays for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from llm.base import LLM, Json, LLMReply, LLMRequest, TextPart, Tier, TokenUsage, ToolCall
from llm.errors import (
    BudgetExhausted,
    LLMFailed,
    LLMNotConfigured,
    LLMRejected,
    LLMUnavailable,
    RateLimitedLocally,
    TranslationInvalid,
)
from llm.fake import FakeLLM

if TYPE_CHECKING:
    from llm.client import LLMClient, LLMConfig, parse_retry_after

_LAZY = {"LLMClient", "LLMConfig", "parse_retry_after"}


def __getattr__(name: str) -> Any:
    """``llm.LLMClient`` and friends, imported from ``llm.client`` when first asked for."""
    if name in _LAZY:
        from llm import client

        return getattr(client, name)
    raise AttributeError(f"module 'llm' has no attribute {name!r}")


__all__ = [
    "LLM",
    "BudgetExhausted",
    "FakeLLM",
    "Json",
    "LLMClient",
    "LLMConfig",
    "LLMFailed",
    "LLMNotConfigured",
    "LLMRejected",
    "LLMReply",
    "LLMRequest",
    "LLMUnavailable",
    "RateLimitedLocally",
    "TextPart",
    "Tier",
    "TokenUsage",
    "ToolCall",
    "TranslationInvalid",
    "parse_retry_after",
]

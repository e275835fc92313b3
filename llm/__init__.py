"""Model clients: the Anthropic SDK behind one retry policy, and a fake for tests."""

from __future__ import annotations

from llm.base import LLM, Json, LLMReply, LLMRequest, TextPart, Tier, TokenUsage, ToolCall
from llm.client import LLMClient, LLMConfig, parse_retry_after
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

"""What goes to a model and what comes back, independent of the SDK.

``LLMClient`` (the Anthropic SDK) and ``FakeLLM`` both speak these types, so callers
such as the Claude translator never touch SDK objects and unit tests need no network.
Request content is plain JSON in the Messages API shape (``{"type": "text", ...}``).
"""

from __future__ import annotations

from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["LLM", "Json", "LLMReply", "LLMRequest", "TextPart", "Tier", "TokenUsage", "ToolCall"]

Json = dict[str, Any]
Tier = Literal["fast", "large"]  # fast: translation; large: drafting fixes and summaries


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TokenUsage(_Frozen):
    """Tokens one call (or a sum of calls) used, as the API's ``usage`` reports them.

    >>> a = TokenUsage(input_tokens=10, output_tokens=5, cache_read_input_tokens=100)
    >>> (a + a).total
    230
    """

    input_tokens: int = 0
    output_tokens: int = 0
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0

    @property
    def total(self) -> int:
        """Every token processed: what the monthly budget counts."""
        return (
            self.input_tokens
            + self.output_tokens
            + self.cache_creation_input_tokens
            + self.cache_read_input_tokens
        )

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            cache_creation_input_tokens=(
                self.cache_creation_input_tokens + other.cache_creation_input_tokens
            ),
            cache_read_input_tokens=self.cache_read_input_tokens + other.cache_read_input_tokens,
        )


class TextPart(_Frozen):
    type: Literal["text"] = "text"
    text: str


class ToolCall(_Frozen):
    type: Literal["tool_use"] = "tool_use"
    id: str
    name: str
    input: Json


class LLMRequest(_Frozen):
    """One Messages API call: system blocks, turns, tools."""

    system: tuple[Json, ...]
    messages: tuple[Json, ...]
    tools: tuple[Json, ...] = ()
    tool_choice: Json | None = None
    tier: Tier = "fast"
    max_tokens: int = Field(default=1024, ge=1)


class LLMReply(_Frozen):
    """The assistant's message, reduced to what callers use."""

    id: str
    model: str
    stop_reason: str | None
    content: tuple[TextPart | ToolCall, ...]
    usage: TokenUsage

    @property
    def tool_calls(self) -> list[ToolCall]:
        return [part for part in self.content if isinstance(part, ToolCall)]

    @property
    def text(self) -> str:
        return "".join(part.text for part in self.content if isinstance(part, TextPart))

    def as_message(self) -> Json:
        """This reply as an ``assistant`` turn, to send back with a tool result."""
        return {"role": "assistant", "content": [part.model_dump() for part in self.content]}


class LLM(Protocol):
    """What a caller needs from a model client: the real one or the fake."""

    def model_for(self, tier: Tier) -> str: ...

    def create(self, request: LLMRequest) -> LLMReply: ...

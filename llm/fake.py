"""A deterministic stand-in for ``LLMClient`` in unit tests.

It replays scripted replies (or errors) in order, or asks a responder function, and
records every request, so a test can assert what would have been sent without a
network or a fake server. Tests of the HTTP path use ``tests/fakes/anthropic_server``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable

from llm.base import Json, LLMReply, LLMRequest, TextPart, Tier, TokenUsage, ToolCall
from llm.errors import LLMFailed, LLMUnavailable

__all__ = ["FakeLLM"]

_DEFAULT_USAGE = TokenUsage(input_tokens=100, output_tokens=20)


class FakeLLM:
    """Replies from a script; records requests; tallies usage like ``LLMClient``.

    Args:
        replies: replies or ``LLMFailed`` errors to give, in order.
        responder: called for a request when the script is empty.

    >>> fake = FakeLLM([FakeLLM.tool_reply("query_spec", {"view": "functions"})])
    >>> request = LLMRequest(system=(), messages=({"role": "user", "content": "hi"},))
    >>> fake.create(request).tool_calls[0].input
    {'view': 'functions'}
    >>> len(fake.requests)
    1
    """

    def __init__(
        self,
        replies: Iterable[LLMReply | LLMFailed] = (),
        *,
        responder: Callable[[LLMRequest], LLMReply] | None = None,
    ) -> None:
        self._script: deque[LLMReply | LLMFailed] = deque(replies)
        self._responder = responder
        self.requests: list[LLMRequest] = []
        self.usage = TokenUsage()

    def model_for(self, tier: Tier) -> str:
        return f"fake-{tier}"

    def create(self, request: LLMRequest) -> LLMReply:
        """The next scripted reply (or raise the next scripted error).

        Args:
            request: recorded in ``requests``.

        Returns:
            The reply.

        Raises:
            LLMFailed: the script says so, or nothing is left to reply with.
        """
        self.requests.append(request)
        if self._script:
            step = self._script.popleft()
        elif self._responder is not None:
            step = self._responder(request)
        else:
            raise LLMUnavailable("FakeLLM has no scripted reply left.", cause="server_error")
        if isinstance(step, LLMFailed):
            raise step
        self.usage = self.usage + step.usage
        return step

    def push(self, *steps: LLMReply | LLMFailed) -> None:
        self._script.extend(steps)

    @staticmethod
    def tool_reply(name: str, tool_input: Json, *, usage: TokenUsage = _DEFAULT_USAGE) -> LLMReply:
        """A reply that calls tool ``name`` with ``tool_input``."""
        call = ToolCall(id=f"toolu_fake_{name}", name=name, input=tool_input)
        return LLMReply(
            id="msg_fake", model="fake-fast", stop_reason="tool_use", content=(call,), usage=usage
        )

    @staticmethod
    def text_reply(text: str, *, usage: TokenUsage = _DEFAULT_USAGE) -> LLMReply:
        """A reply with text only (no tool call)."""
        return LLMReply(
            id="msg_fake",
            model="fake-fast",
            stop_reason="end_turn",
            content=(TextPart(text=text),),
            usage=usage,
        )

"""Dialogs: the ask form, and any reply shown in a dialog (Explain)."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import InputBlock, PlainTextInputElement, PlainTextObject
from slack_sdk.models.views import View

from bot import messages
from bot.views.common import cut, section
from pipeline.question import MAX_QUESTION_CHARS

__all__ = ["ASK_BLOCK", "ASK_CALLBACK", "ASK_INPUT", "ask_modal", "loading_modal", "reply_modal"]

ASK_CALLBACK = "ask_modal"
ASK_BLOCK = "question"
ASK_INPUT = "text"
_TITLE_LIMIT = 24


def ask_modal(*, channel: str | None = None, thread_ts: str | None = None) -> dict[str, Any]:
    """The ask form; the answer goes back to ``channel`` (or a DM) when submitted."""
    element = PlainTextInputElement(
        action_id=ASK_INPUT,
        multiline=True,
        max_length=MAX_QUESTION_CHARS,
        placeholder=messages.ASK_MODAL_PLACEHOLDER,
    )
    view = View(
        type="modal",
        callback_id=ASK_CALLBACK,
        title=PlainTextObject(text=cut(messages.ASK_MODAL_TITLE, _TITLE_LIMIT)),
        submit=PlainTextObject(text=messages.ASK_MODAL_SUBMIT),
        close=PlainTextObject(text=messages.CLOSE),
        private_metadata=json.dumps({"channel": channel, "thread_ts": thread_ts}),
        blocks=[InputBlock(block_id=ASK_BLOCK, label=messages.ASK_MODAL_LABEL, element=element)],
    )
    return view.to_dict()


def reply_modal(title: str, blocks: list[dict[str, Any]]) -> dict[str, Any]:
    """A read-only dialog around already-built blocks."""
    view = View(
        type="modal",
        title=PlainTextObject(text=cut(title, _TITLE_LIMIT)),
        close=PlainTextObject(text=messages.CLOSE),
        blocks=blocks,
    )
    return view.to_dict()


def loading_modal(title: str) -> dict[str, Any]:
    """Opened at once (a trigger id lives three seconds), updated when the work is done."""
    return reply_modal(title, [section(messages.EXPLAIN_LOADING).to_dict()])

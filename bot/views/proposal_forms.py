"""Dialogs of the proposal flow: the reason for a rejection, the draft to edit, and the
terms of a suppression. Each carries the ids it needs in ``private_metadata``."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    DatePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot import messages
from bot import proposal_messages as words
from bot.views.common import context, cut, escape
from proposals.edits import editable_parts
from proposals.models import Proposal

__all__ = [
    "EDIT_CALLBACK",
    "INPUT",
    "REASON_BLOCK",
    "REJECT_CALLBACK",
    "SUPPRESS_CALLBACK",
    "SUPPRESS_EXPIRY",
    "SUPPRESS_KIND",
    "edit_modal",
    "form_values",
    "metadata",
    "reject_modal",
    "suppress_modal",
]

REJECT_CALLBACK = "proposal_reject_form"
EDIT_CALLBACK = "proposal_edit_form"
SUPPRESS_CALLBACK = "proposal_suppress_form"
REASON_BLOCK = "reason"
SUPPRESS_KIND = "suppression_kind"
SUPPRESS_EXPIRY = "expires"
INPUT = "value"
_FIELD_LIMIT = 3000  # Slack's plain_text_input maximum


def _modal(
    callback: str, title: str, submit: str, meta: dict[str, Any], blocks: list[Any]
) -> dict[str, Any]:
    view = View(
        type="modal",
        callback_id=callback,
        title=PlainTextObject(text=cut(title, 24)),
        submit=PlainTextObject(text=submit),
        close=PlainTextObject(text=messages.CLOSE),
        private_metadata=json.dumps(meta),
        blocks=blocks,
    )
    return view.to_dict()


def _text_input(block_id: str, label: str, initial: str = "", *, min_length: int = 0) -> InputBlock:
    element = PlainTextInputElement(
        action_id=INPUT,
        multiline=True,
        initial_value=initial or None,
        max_length=_FIELD_LIMIT,
        min_length=min_length or None,
    )
    return InputBlock(
        block_id=block_id, label=cut(label, 2000), element=element, optional=not min_length
    )


def reject_modal(proposal_id: str, *, channel: str | None) -> dict[str, Any]:
    """Asks why; the rejection happens on submit."""
    blocks = [_text_input(REASON_BLOCK, words.REJECT_LABEL, min_length=3)]
    meta = {"proposal_id": proposal_id, "channel": channel}
    return _modal(REJECT_CALLBACK, words.REJECT_TITLE, words.REJECT_SUBMIT, meta, blocks)


def edit_modal(p: Proposal, *, channel: str | None) -> dict[str, Any]:
    """One field per editable part of the draft; parts too long for Slack are named."""
    blocks: list[Any] = []
    for part, text in editable_parts(p.draft).items():
        label = words.EDIT_LABEL_NOTES if part == "notes" else part.removeprefix("native:")
        if len(text) > _FIELD_LIMIT:
            blocks.append(context(words.EDIT_TOO_LONG.format(part=escape(part), length=len(text))))
            continue
        blocks.append(_text_input(part, label, text))
    meta = {"proposal_id": p.id, "channel": channel}
    return _modal(EDIT_CALLBACK, words.EDIT_TITLE, words.EDIT_SUBMIT, meta, blocks)


def suppress_modal(
    finding_id: str, *, channel: str | None, question: str | None, today: date
) -> dict[str, Any]:
    """Accept risk or false positive, a reason, and an expiry (default: 90 days)."""
    options = [Option(value=k, text=v) for k, v in words.SUPPRESS_KINDS.items()]
    kind = StaticSelectElement(action_id=INPUT, options=options, initial_option=options[0])
    expiry = DatePickerElement(
        action_id=INPUT, initial_date=date.fromordinal(today.toordinal() + 90).isoformat()
    )
    blocks = [
        InputBlock(block_id=SUPPRESS_KIND, label=words.SUPPRESS_KIND, element=kind),
        _text_input(REASON_BLOCK, words.SUPPRESS_REASON, min_length=3),
        InputBlock(block_id=SUPPRESS_EXPIRY, label=words.SUPPRESS_EXPIRY, element=expiry),
    ]
    meta = {"finding_id": finding_id, "channel": channel, "question": cut(question or "", 500)}
    return _modal(SUPPRESS_CALLBACK, words.SUPPRESS_TITLE, words.SUPPRESS_SUBMIT, meta, blocks)


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    """The dialog's ``private_metadata`` as a dict (empty when missing or broken)."""
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return meta if isinstance(meta, dict) else {}


def form_values(view: dict[str, Any]) -> dict[str, str]:
    """Block id -> what was typed, picked or chosen in a submitted dialog."""
    out: dict[str, str] = {}
    values = (view.get("state") or {}).get("values") or {}
    for block_id, actions in values.items():
        field = (actions or {}).get(INPUT) or {}
        picked = field.get("selected_option") or {}
        out[str(block_id)] = str(
            field.get("value") or field.get("selected_date") or picked.get("value") or ""
        )
    return out

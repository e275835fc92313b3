"""The ask form: opened from the global shortcut or a help message; its submission is
checked in the acknowledgement (errors show under the field) and answered after."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import messages
from bot.delivery import Place
from bot.views.modals import ASK_BLOCK, ASK_CALLBACK, ASK_INPUT, ask_modal
from pipeline.question import MAX_QUESTION_CHARS

if TYPE_CHECKING:
    from bot.app import Services

__all__ = ["SHORTCUT", "register", "submitted_question"]

SHORTCUT = "posture_ask"


def submitted_question(view: dict[str, Any]) -> str:
    """The text typed into the form's question field."""
    values = ((view.get("state") or {}).get("values") or {}).get(ASK_BLOCK) or {}
    return str((values.get(ASK_INPUT) or {}).get("value") or "").strip()


def _problem(question: str) -> str | None:
    if not question:
        return messages.ASK_MODAL_EMPTY
    if len(question) > MAX_QUESTION_CHARS:
        return messages.TOO_LONG.format(length=len(question), limit=MAX_QUESTION_CHARS)
    return None


def _destination(view: dict[str, Any], user: str) -> tuple[str, str | None]:
    """The channel (and thread) the form was opened from; the person's DM otherwise."""
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        meta = {}
    channel = meta.get("channel") if isinstance(meta, dict) else None
    thread = meta.get("thread_ts") if isinstance(meta, dict) else None
    return (str(channel), thread) if channel else (user, None)


def register(app: App, services: Services) -> None:
    desk, courier = services.desk, services.courier

    def check(ack: Ack, view: dict[str, Any]) -> None:
        problem = _problem(submitted_question(view))
        if problem is not None:
            ack(response_action="errors", errors={ASK_BLOCK: problem})
            return
        ack()

    def answer_form(body: dict[str, Any], view: dict[str, Any]) -> None:
        question = submitted_question(view)
        if _problem(question) is not None:
            return
        user = str((body.get("user") or {}).get("id") or "unknown")
        channel, thread = _destination(view, user)
        place = Place(
            channel=channel, user=user, team=(body.get("team") or {}).get("id"), thread_ts=thread
        )
        courier.converse(place, lambda: desk.ask(question, user=user))

    def acknowledge(ack: Ack) -> None:
        ack()

    def open_form(body: dict[str, Any], client: WebClient) -> None:
        courier.safely(
            lambda: client.views_open(trigger_id=str(body.get("trigger_id")), view=ask_modal()),
            "opening the ask form",
        )

    app.view(ASK_CALLBACK)(ack=check, lazy=[answer_form])
    app.shortcut(SHORTCUT)(ack=acknowledge, lazy=[open_form])

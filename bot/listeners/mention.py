"""@Posture Copilot in a channel: answer in the thread."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltContext

from bot.delivery import Place

if TYPE_CHECKING:
    from bot.app import Services

__all__ = ["question_text", "register"]

_MENTION = re.compile(r"<@([A-Z0-9]+)(\|[^>]*)?>")


def question_text(text: str, bot_user_id: str | None) -> str:
    """The message without the bot's own mention(s).

    >>> question_text("<@U0BOT> public lambdas <@U0BOT|posture>", "U0BOT")
    'public lambdas'
    """
    return " ".join(
        _MENTION.sub(lambda m: "" if m.group(1) == bot_user_id else m.group(0), text).split()
    )


def register(app: App, services: Services) -> None:
    def acknowledge(ack: Ack) -> None:
        ack()

    def answer_mention(event: dict[str, Any], context: BoltContext) -> None:
        user = str(event.get("user") or "unknown")
        place = Place(
            channel=str(event["channel"]),
            user=user,
            team=context.team_id,
            thread_ts=str(event.get("thread_ts") or event["ts"]),
        )
        question = question_text(str(event.get("text") or ""), context.bot_user_id)
        services.courier.converse(place, lambda: services.desk.ask(question, user=user))

    app.event("app_mention")(ack=acknowledge, lazy=[answer_mention])

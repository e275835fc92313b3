"""A direct message to the app (outside an assistant thread): answer in the DM.

Other message events the app receives (edits, deletions, bot messages) are acknowledged
and ignored, so Slack never counts them as failures and retries them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltContext

from bot.delivery import Place

if TYPE_CHECKING:
    from bot.app import Services

__all__ = ["is_plain_dm", "register"]


def is_plain_dm(event: dict[str, Any]) -> bool:
    """A person's new top-level message in a DM with the app.

    >>> is_plain_dm({"channel_type": "im", "user": "U1", "text": "hi"})
    True
    >>> is_plain_dm({"channel_type": "im", "subtype": "message_changed"})
    False
    """
    return (
        event.get("channel_type") == "im"
        and event.get("subtype") is None
        and not event.get("bot_id")
        and not event.get("thread_ts")
    )


def register(app: App, services: Services) -> None:
    def acknowledge(ack: Ack) -> None:
        ack()

    def answer_dm(event: dict[str, Any], context: BoltContext) -> None:
        user = str(event.get("user") or "unknown")
        place = Place(channel=str(event["channel"]), user=user, team=context.team_id)
        question = str(event.get("text") or "")
        services.courier.converse(place, lambda: services.desk.ask(question, user=user))

    app.event("message", matchers=[is_plain_dm])(ack=acknowledge, lazy=[answer_dm])
    app.event("message")(acknowledge)

"""Buttons and menus on the app's messages (block_actions).

Each press is acknowledged at once; the reply follows: a replaced message (paging, a
picked reading), an ephemeral one (SQL, native filters, thanks), a file (CSV), or a
dialog (Explain, the ask form) opened on the press's short-lived trigger id.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import messages
from bot.buttons import ACTION_PATTERN
from bot.delivery import Place
from bot.proposal_desk import from_row
from bot.views.modals import ask_modal, loading_modal, reply_modal
from proposals import ProposalKind

if TYPE_CHECKING:
    from bot.app import Services
    from bot.replies import Reply

__all__ = ["action_value", "place_of", "register"]


def action_value(action: dict[str, Any]) -> str:
    """What the pressed element carries: a button's value or the chosen menu option's."""
    selected = action.get("selected_option")
    if isinstance(selected, dict):
        return str(selected.get("value") or "")
    return str(action.get("value") or "")


def place_of(body: dict[str, Any]) -> Place:
    """Where the pressed message lives, from a block_actions payload."""
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    user = str((body.get("user") or {}).get("id") or "unknown")
    return Place(
        channel=str(channel or user),
        user=user,
        team=(body.get("team") or {}).get("id"),
        thread_ts=message.get("thread_ts") or container.get("thread_ts"),
        message_ts=container.get("message_ts") or message.get("ts"),
        response_url=body.get("response_url"),
    )


def register(app: App, services: Services) -> None:
    desk, courier = services.desk, services.courier

    def acknowledge(ack: Ack) -> None:
        ack()

    def press(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        place = place_of(body)
        user, action_id, value = place.user, str(action.get("action_id")), action_value(action)
        if action_id == "row_menu" and not value.startswith("explain:"):  # Draft fix / ticket…
            trigger, cache = str(body.get("trigger_id")), desk.cache
            courier.safely(
                lambda: from_row(
                    services.proposals,
                    client,
                    cache,
                    value,
                    user=user,
                    channel=place.channel,
                    trigger_id=trigger,
                ),
                "drafting from a row",
            )
            return
        if action_id == "row_menu":
            trigger = str(body.get("trigger_id"))
            courier.safely(
                lambda: _in_dialog(
                    services, client, trigger, lambda: desk.act(action_id, value, user=user)
                ),
                "explaining a row",
            )
            return
        if action_id == "compliance_tickets":
            reply = courier.guarded(lambda: _compliance_tickets(services, place, value))
        else:
            reply = courier.guarded(lambda: desk.act(action_id, value, user=user))
        courier.deliver(place, reply)

    def open_form(body: dict[str, Any], client: WebClient) -> None:
        place = place_of(body)
        form = ask_modal(channel=place.channel, thread_ts=place.thread_ts)
        courier.safely(
            lambda: client.views_open(trigger_id=str(body.get("trigger_id")), view=form),
            "opening the ask form",
        )

    app.action(ACTION_PATTERN)(ack=acknowledge, lazy=[press])
    app.action("ask_open_modal")(ack=acknowledge, lazy=[open_form])
    app.action(re.compile(".*"))(acknowledge)  # anything else: acknowledged, nothing to do


def _compliance_tickets(services: Services, place: Place, value: str) -> Reply:
    """Draft tickets on a compliance summary: each control's riskiest finding is proposed
    through the approval flow (shown only, when no workflow database is wired in)."""
    proposals = services.proposals

    def propose(finding_id: str, question: str) -> None:
        assert proposals is not None
        proposals.draft(
            finding_id,
            ProposalKind.TICKET,
            user=place.user,
            channel=place.channel,
            question=question,
        )

    return services.desk.compliance.act(
        "compliance_tickets",
        value,
        user=place.user,
        propose=propose if proposals is not None else None,
    )


def _in_dialog(
    services: Services, client: WebClient, trigger_id: str, work: Callable[[], Reply]
) -> None:
    """Open a loading dialog at once, then fill it with the reply."""
    opened = client.views_open(trigger_id=trigger_id, view=loading_modal(messages.EXPLAIN_TITLE))
    view = opened.get("view") or {}
    reply: Reply = services.courier.guarded(work)
    title = reply.modal_title or messages.EXPLAIN_TITLE
    client.views_update(
        view_id=str(view.get("id")), hash=view.get("hash"), view=reply_modal(title, reply.blocks)
    )

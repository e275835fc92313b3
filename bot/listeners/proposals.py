"""Proposal buttons and dialogs: Approve, Reject (asks why), Edit (the draft in a
dialog), Retry; the row menu's Draft fix / Draft ticket / Suppress….

Each handler acknowledges at once and only extracts who, which proposal and where; the
work runs lazily in ``bot.proposal_desk``. An edited draft is checked in the
acknowledgement, so a broken edit shows its reason under the field it came from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App

from bot.listeners.actions import action_value, place_of
from bot.views.proposal_forms import (
    EDIT_CALLBACK,
    REJECT_CALLBACK,
    SUPPRESS_CALLBACK,
    form_values,
    metadata,
)

if TYPE_CHECKING:
    from bot.app import Services

__all__ = ["register"]


def _user(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id") or "unknown")


def register(app: App, services: Services) -> None:
    desk = services.proposals
    if desk is None:
        return

    def acknowledge(ack: Ack) -> None:
        ack()

    def press(body: dict[str, Any], action: dict[str, Any]) -> None:
        place, action_id = place_of(body), str(action.get("action_id"))
        proposal_id, trigger = action_value(action), str(body.get("trigger_id"))
        where = {"user": place.user, "channel": place.channel}
        if action_id == "proposal_approve":
            desk.approve(proposal_id, message_ts=place.message_ts, **where)
        elif action_id == "proposal_retry":
            desk.retry(proposal_id, message_ts=place.message_ts, **where)
        elif action_id == "proposal_reject":
            desk.reject_form(proposal_id, trigger_id=trigger, **where)
        elif action_id == "proposal_edit":
            desk.edit_form(proposal_id, trigger_id=trigger, **where)

    def check_edit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        problems = desk.edit_problems(metadata(view), form_values(view), _user(body))
        if problems:
            ack(response_action="errors", errors=problems)
        else:
            ack()

    def edited(body: dict[str, Any], view: dict[str, Any]) -> None:
        values, user = form_values(view), _user(body)
        if not desk.edit_problems(metadata(view), values, user):
            desk.submit_edit(metadata(view), values, user)

    def rejected(body: dict[str, Any], view: dict[str, Any]) -> None:
        desk.submit_reject(metadata(view), form_values(view), _user(body))

    def suppressed(body: dict[str, Any], view: dict[str, Any]) -> None:
        desk.submit_suppression(metadata(view), form_values(view), _user(body))

    for action_id in ("proposal_approve", "proposal_reject", "proposal_edit", "proposal_retry"):
        app.action(action_id)(ack=acknowledge, lazy=[press])
    app.view(EDIT_CALLBACK)(ack=check_edit, lazy=[edited])
    app.view(REJECT_CALLBACK)(ack=acknowledge, lazy=[rejected])
    app.view(SUPPRESS_CALLBACK)(ack=acknowledge, lazy=[suppressed])

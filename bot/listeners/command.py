"""`/posture [ask|top|status|compliance|help] …`.

Help, an unknown subcommand and a question that is empty or too long are answered in
the acknowledgement itself; everything else acknowledges with a short status and is
answered through the command's response_url.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App

from bot import messages
from bot.delivery import Place
from bot.slash import parse_command, parse_compliance
from bot.views.common import cut, escape

if TYPE_CHECKING:
    from bot.app import Services
    from bot.desk import AnswerDesk

__all__ = ["COMMAND", "acknowledge_command", "register"]

COMMAND = "/posture"


def _status_text(text: str) -> str:
    command = parse_command(text)
    if command.name == "ask":
        return messages.ACK_QUESTION.format(question=escape(cut(command.argument, 80)))
    if command.name == "compliance":
        framework = parse_compliance(command.argument).framework
        return messages.ACK_COMPLIANCE.format(framework=escape(cut(framework, 40)))
    return messages.ACK_WORKING


def acknowledge_command(desk: AnswerDesk, ack: Ack, text: str) -> None:
    """The acknowledgement of `/posture <text>`: a quick answer, or a short status.

    Shared by the Bolt listener and the HTTP server's early ack (bot/fast_ack.py), so
    both send the same body.
    """
    quick = desk.quick_command(text)
    if quick is not None:
        ack(text=quick.text, blocks=quick.blocks, response_type="ephemeral")
        return
    ack(text=_status_text(text), response_type="ephemeral")


def register(app: App, services: Services) -> None:
    desk, courier = services.desk, services.courier

    def acknowledge(ack: Ack, command: dict[str, Any]) -> None:
        acknowledge_command(desk, ack, str(command.get("text") or ""))

    def run_command(command: dict[str, Any]) -> None:
        text = str(command.get("text") or "")
        if desk.quick_command(text) is not None:
            return  # answered in the acknowledgement
        user = str(command.get("user_id") or "unknown")
        place = Place(
            channel=str(command.get("channel_id") or user),
            user=user,
            team=command.get("team_id"),
            response_url=command.get("response_url"),
        )
        reply = courier.guarded(lambda: desk.command(text, user=user))
        if reply.ephemeral:  # status, a refusal, an error: in place of the status note
            courier.deliver(place, replace(reply, replace=True))
            return
        courier.deliver(place, reply)
        courier.delete_original(place)

    app.command(COMMAND)(ack=acknowledge, lazy=[run_command])

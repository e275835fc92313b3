"""``register_listeners(app, services)``: one module per kind of request Slack sends.

Every listener is an ack function (runs in the request's thread, acknowledges within
milliseconds) plus a lazy function (runs on the worker pool): the lazy part extracts
context, calls the desk, and hands the reply to the courier.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App

from bot.listeners import actions, assistant, command, dm, mention, proposals, views

if TYPE_CHECKING:
    from bot.app import Services

__all__ = ["register_listeners"]


def register_listeners(app: App, services: Services) -> None:
    """Register every listener; the assistant middleware first, so assistant threads are
    answered there and never reach the plain DM listener."""
    assistant.register(app, services)
    mention.register(app, services)
    dm.register(app, services)
    command.register(app, services)
    proposals.register(app, services)  # before actions: its catch-all acknowledges the rest
    actions.register(app, services)
    views.register(app, services)

"""What Slack sends when people press proposal buttons or submit proposal dialogs."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

from tests.fakes.slack_server import TEAM_ID


def _user(user: str) -> dict[str, str]:
    return {"id": user, "username": user.lower(), "team_id": TEAM_ID}


def button_body(
    user: str, channel: str, message_ts: str, action: dict[str, Any], *, trigger: str = "7.trigger"
) -> str:
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": _user(user),
        "api_app_id": "A0FAKEAPP1",
        "token": "legacy-unused",
        "trigger_id": trigger,
        "container": {"type": "message", "message_ts": message_ts, "channel_id": channel},
        "channel": {"id": channel, "name": "team"},
        "message": {"ts": message_ts, "text": "proposal"},
        "actions": [{"block_id": "b1", "action_ts": str(time.time()), **action}],
    }
    return urlencode({"payload": json.dumps(payload)})


def submission_body(user: str, view: dict[str, Any], values: dict[str, dict[str, Any]]) -> str:
    """A view_submission of ``view`` (as the app opened it) with ``values`` per block."""
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": _user(user),
        "api_app_id": "A0FAKEAPP1",
        "token": "legacy-unused",
        "trigger_id": "8.trigger",
        "view": {
            "id": view.get("id", "V0FORM0002"),
            "type": "modal",
            "callback_id": view["callback_id"],
            "private_metadata": view.get("private_metadata", "{}"),
            "hash": "h2",
            "team_id": TEAM_ID,
            "state": {"values": {block: {"value": v} for block, v in values.items()}},
        },
    }
    return urlencode({"payload": json.dumps(payload)})


def typed(text: str) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": text}

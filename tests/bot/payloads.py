"""What Slack sends the app: event callbacks, slash commands, interactions; signed."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

from tests.fakes.slack_server import BOT_USER_ID, TEAM_ID, signed_headers

CHANNEL = "C0CHANNEL1"
DM_CHANNEL = "D0DIRECT01"
USER = "U0ALICE001"
FORM = "application/x-www-form-urlencoded"
_ids = itertools.count(1)


def event_body(event: dict[str, Any], *, event_id: str | None = None) -> str:
    return json.dumps(
        {
            "token": "legacy-unused",
            "team_id": TEAM_ID,
            "api_app_id": "A0FAKEAPP1",
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):08d}",
            "event_time": int(time.time()),
            "event": event,
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
        }
    )


def mention(text: str, *, ts: str = "1700000100.000100", thread_ts: str | None = None) -> dict:
    event = {
        "type": "app_mention",
        "user": USER,
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": ts,
        "channel": CHANNEL,
        "event_ts": ts,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def direct_message(
    text: str, *, ts: str = "1700000200.000100", thread_ts: str | None = None
) -> dict:
    event = {
        "type": "message",
        "channel_type": "im",
        "user": USER,
        "text": text,
        "ts": ts,
        "channel": DM_CHANNEL,
        "event_ts": ts,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def command_body(text: str, *, response_url: str, channel: str = CHANNEL) -> str:
    return urlencode(
        {
            "token": "legacy-unused",
            "team_id": TEAM_ID,
            "team_domain": "fake",
            "channel_id": channel,
            "channel_name": "security",
            "user_id": USER,
            "user_name": "alice",
            "command": "/posture",
            "text": text,
            "api_app_id": "A0FAKEAPP1",
            "response_url": response_url,
            "trigger_id": f"{next(_ids)}.trigger",
        }
    )


def action_body(
    action: dict[str, Any],
    *,
    response_url: str | None = None,
    message: dict[str, Any] | None = None,
    channel: str = CHANNEL,
) -> str:
    message = message or {"ts": "1700000300.000100", "text": "answer"}
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": {"id": USER, "username": "alice", "team_id": TEAM_ID},
        "api_app_id": "A0FAKEAPP1",
        "token": "legacy-unused",
        "trigger_id": "13345.trigger",
        "container": {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": channel,
            "is_ephemeral": False,
        },
        "channel": {"id": channel, "name": "security"},
        "message": message,
        "actions": [{"block_id": "b1", "action_ts": str(time.time()), **action}],
    }
    if response_url:
        payload["response_url"] = response_url
    return urlencode({"payload": json.dumps(payload)})


def view_submission_body(question: str, *, private_metadata: str = "{}") -> str:
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": {"id": USER, "username": "alice", "team_id": TEAM_ID},
        "api_app_id": "A0FAKEAPP1",
        "token": "legacy-unused",
        "trigger_id": "1.trigger",
        "view": {
            "id": "V0FORM0001",
            "type": "modal",
            "callback_id": "ask_modal",
            "private_metadata": private_metadata,
            "hash": "h1",
            "team_id": TEAM_ID,
            "state": {
                "values": {"question": {"text": {"type": "plain_text_input", "value": question}}}
            },
        },
    }
    return urlencode({"payload": json.dumps(payload)})


def shortcut_body(callback_id: str) -> str:
    payload = {
        "type": "shortcut",
        "callback_id": callback_id,
        "trigger_id": "2.trigger",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "token": "legacy-unused",
        "user": {"id": USER, "username": "alice", "team_id": TEAM_ID},
        "action_ts": str(time.time()),
    }
    return urlencode({"payload": json.dumps(payload)})


def signed(
    body: str, *, content_type: str = "application/json", timestamp: int | None = None, **extra: str
) -> dict[str, list[str]]:
    headers = signed_headers(body, content_type=content_type, timestamp=timestamp)
    headers.update(extra)
    return {k: [v] for k, v in headers.items()}

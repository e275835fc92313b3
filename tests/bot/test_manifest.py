"""manifest.yml is a valid app manifest and matches what the code does."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.listeners.command import COMMAND
from bot.listeners.views import SHORTCUT
from bot.views.help import help_examples
from querygen.catalog import load_catalog
from tests.conftest import REPO

# Web API method -> the bot scope it needs (docs.slack.dev/reference/methods)
SCOPES = {
    "chat_postMessage": "chat:write",
    "chat_update": "chat:write",
    "chat_postEphemeral": "chat:write",
    "chat_delete": "chat:write",
    "chat_stream": "chat:write",
    "chat_startStream": "chat:write",
    "chat_appendStream": "chat:write",
    "chat_stopStream": "chat:write",
    "views_open": None,  # no scope: needs a trigger id
    "views_update": None,
    "files_upload_v2": "files:write",
    "assistant_threads_setStatus": "assistant:write",
    "assistant_threads_setTitle": "assistant:write",
    "assistant_threads_setSuggestedPrompts": "assistant:write",
    "users_info": "users:read",
    "usergroups_users_list": "usergroups:read",  # RBAC by user group
}
EVENTS = {
    "app_mention": ("app_mention", "app_mentions:read"),
    "message": ("message.im", "im:history"),
}
_CALL = re.compile(r"\bclient\.([a-z]+_[A-Za-z0-9_]+)\(")


def manifest() -> dict:
    return yaml.safe_load((REPO / "manifest.yml").read_text())


def code() -> str:
    return "\n".join(p.read_text() for p in sorted((REPO / "bot").rglob("*.py")))


def test_it_has_the_parts_slack_requires():
    m = manifest()
    assert m["_metadata"]["major_version"] == 2
    info = m["display_information"]
    assert info["name"] and len(info["description"]) <= 140
    assert 175 <= len(info["long_description"]) <= 4000
    assert re.fullmatch(r"#[0-9a-f]{6}", info["background_color"])
    assert m["features"]["bot_user"]["display_name"]
    settings = m["settings"]
    assert settings["socket_mode_enabled"] is True
    assert settings["token_rotation_enabled"] is False
    assert settings["interactivity"]["is_enabled"] is True


def test_every_web_api_call_in_the_code_has_its_scope():
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    called = set(_CALL.findall(code()))
    assert called, "the pattern no longer finds the client calls"
    unknown = called - SCOPES.keys()
    assert not unknown, f"add these methods and their scopes to SCOPES: {unknown}"
    missing = {SCOPES[m] for m in called if SCOPES[m]} - scopes
    assert not missing


def test_every_event_the_app_listens_to_is_subscribed_with_its_scope():
    m = manifest()
    events = set(m["settings"]["event_subscriptions"]["bot_events"])
    scopes = set(m["oauth_config"]["scopes"]["bot"])
    for listened in re.findall(r'app\.event\("([a-z_]+)"', code()):
        subscription, scope = EVENTS[listened]
        assert subscription in events and scope in scopes
    assert {"assistant_thread_started", "assistant_thread_context_changed"} <= events


def test_the_command_shortcut_and_prompts_match_the_code():
    features = manifest()["features"]
    [command] = features["slash_commands"]
    assert command["command"] == COMMAND and "top [n] [team|env]" in command["usage_hint"]
    assert "compliance soc2|cis|iso27001 [env] [team]" in command["usage_hint"]
    assert [s["callback_id"] for s in features["shortcuts"]] == [SHORTCUT]
    prompts = [p["message"] for p in features["assistant_view"]["suggested_prompts"]]
    assert prompts == help_examples(load_catalog())[:4]
    assert all(len(p["title"]) <= 75 for p in features["assistant_view"]["suggested_prompts"])


def test_no_scope_is_requested_twice():
    bot = manifest()["oauth_config"]["scopes"]["bot"]
    assert len(bot) == len(set(bot)) and isinstance(bot, list)
    assert Path(REPO / "manifest.yml").read_text().count("xox") == 0  # no tokens in it

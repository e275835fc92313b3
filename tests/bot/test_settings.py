"""Slack's own variable names and POSTURE_SLACK__*; a missing one is a one-line error."""

from __future__ import annotations

import pytest

from bot.app import build_app, build_services, web_client
from core.errors import ConfigError
from core.settings import Settings, SlackSettings
from tests.bot.conftest import slack_settings
from tests.fakes.slack_server import FakeSlack


def test_slack_names_are_read(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s-1")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")
    slack = Settings().slack
    assert slack.bot_token.get_secret_value() == "xoxb-1"
    assert slack.app_token.get_secret_value() == "xapp-1"
    assert slack.signing_secret.get_secret_value() == "s-1"
    assert slack.api_url == "http://127.0.0.1:9/api/"


def test_posture_names_are_read_and_win(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-slack")
    monkeypatch.setenv("POSTURE_SLACK__BOT_TOKEN", "xoxb-posture")
    monkeypatch.setenv("POSTURE_SLACK__PORT", "4000")
    monkeypatch.setenv("POSTURE_SLACK__STREAMING", "false")
    slack = Settings().slack
    assert slack.bot_token.get_secret_value() == "xoxb-posture"
    assert slack.port == 4000 and slack.streaming is False


def test_defaults_without_any_variable():
    slack = Settings().slack
    assert slack.bot_token is None and slack.api_url == "https://slack.com/api/"
    assert (slack.host, slack.port, slack.send_interval_s) == ("0.0.0.0", 3000, 1.0)


def test_a_missing_bot_token_is_named():
    with pytest.raises(ConfigError) as caught:
        web_client(SlackSettings())
    assert caught.value.one_line().startswith("SLACK_BOT_TOKEN is not set.")


def test_a_missing_signing_secret_is_named_in_http_mode_only(slack: FakeSlack, copilot):
    settings = slack_settings(slack, signing_secret=None)
    services = build_services(settings, copilot)
    try:
        with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET is not set"):
            build_app(settings, services)
        assert build_app(settings, services, socket_mode=True) is not None
    finally:
        services.close()


def test_a_refused_token_is_a_config_error(slack: FakeSlack, copilot):
    slack.fail_next("auth.test", "invalid_auth")
    settings = slack_settings(slack)
    services = build_services(settings, copilot)
    try:
        with pytest.raises(ConfigError, match="Slack refused SLACK_BOT_TOKEN"):
            build_app(settings, services)
    finally:
        services.close()


def test_an_api_url_without_a_slash_still_works(slack: FakeSlack):
    settings = slack_settings(slack, api_url=slack.base_url.rstrip("/"))
    assert web_client(settings.slack).auth_test()["ok"] is True

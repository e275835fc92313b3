"""`serve` picks Socket Mode when an app token is set, HTTP mode otherwise."""

from __future__ import annotations

from bot import runners
from tests.bot.conftest import slack_settings


def test_the_app_token_chooses_socket_mode(monkeypatch, slack, services):
    chosen: list[str] = []
    monkeypatch.setattr(runners, "serve_socket_mode", lambda *a, **k: chosen.append("socket"))
    monkeypatch.setattr(
        runners, "serve_http", lambda *a, host, port, **k: chosen.append(f"http {host}:{port}")
    )
    runners.serve(slack_settings(slack, app_token="xapp-1-fake"), services)
    runners.serve(slack_settings(slack, port=4321), services)
    runners.serve(slack_settings(slack), services, host="127.0.0.1", port=5000)
    assert chosen == ["socket", "http 0.0.0.0:4321", "http 127.0.0.1:5000"]

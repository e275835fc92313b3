"""The early ack: same body as Bolt's, only for signed `/posture` commands, and the
answer still arrives through Bolt's lazy listener afterwards."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from slack_bolt import App

from bot.app import Services
from bot.fast_ack import make_command_fast_ack
from bot.http_server import SlackHTTPServer, make_server
from tests.bot import payloads
from tests.bot.conftest import dispatch
from tests.fakes.slack_server import SIGNING_SECRET, FakeSlack, signed_headers


def _headers(body: str, **kw: str) -> dict[str, list[str]]:
    signed = signed_headers(body, content_type=payloads.FORM, **kw)
    return {k.lower(): [v] for k, v in signed.items()}


@pytest.mark.parametrize("text", ["ask admin roles", "help", "frobnicate", "ask " + "x" * 3000])
def test_the_early_ack_is_the_listeners_ack(
    app: App, services: Services, slack: FakeSlack, text: str
) -> None:
    fast = make_command_fast_ack(SIGNING_SECRET, services.desk)
    body = payloads.command_body(text, response_url=slack.response_url())
    early = fast(body, _headers(body))
    bolt = dispatch(app, body, content_type=payloads.FORM)
    assert early is not None
    assert (early.status, early.body) == (bolt.status, bolt.body)
    assert early.headers["content-type"] == bolt.headers["content-type"]


def test_unsigned_retried_and_other_requests_are_left_to_bolt(
    services: Services, slack: FakeSlack
) -> None:
    fast = make_command_fast_ack(SIGNING_SECRET, services.desk)
    body = payloads.command_body("ask admin roles", response_url=slack.response_url())
    assert fast(body, _headers(body, secret="not-the-secret")) is None
    assert fast(body, {"content-type": [payloads.FORM]}) is None
    retried = {**_headers(body), "x-slack-retry-num": ["1"]}
    assert fast(body, retried) is None
    other = body.replace("command=%2Fposture", "command=%2Fother")
    assert fast(other, _headers(other)) is None
    event = '{"type": "event_callback"}'
    assert fast(event, {k.lower(): [v] for k, v in signed_headers(event).items()}) is None


@pytest.fixture
def fast_server(app: App, services: Services) -> Iterator[SlackHTTPServer]:
    running = make_server(
        app, "127.0.0.1", 0, fast_ack=make_command_fast_ack(SIGNING_SECRET, services.desk)
    )
    thread = running.start_in_thread()
    yield running
    running.shutdown()
    running.server_close()
    thread.join(timeout=5)


def test_acked_early_then_answered_through_bolt(
    fast_server: SlackHTTPServer, slack: FakeSlack
) -> None:
    body = payloads.command_body("ask admin roles", response_url=slack.response_url())
    started = time.perf_counter()
    response = httpx.post(
        f"{fast_server.url}/slack/events",
        content=body.encode(),
        headers=signed_headers(body, content_type=payloads.FORM),
        timeout=5,
    )
    assert time.perf_counter() - started < 1.0
    assert response.status_code == 200
    assert response.json()["response_type"] == "ephemeral"
    answer, _ = slack.wait_for("response_url", 2)
    assert answer.args["blocks"][0]["text"]["text"] == "admin roles"


def test_a_bad_signature_still_gets_bolts_401(
    fast_server: SlackHTTPServer, slack: FakeSlack
) -> None:
    body = payloads.command_body("ask admin roles", response_url=slack.response_url())
    headers = signed_headers(body, content_type=payloads.FORM, secret="not-the-secret")
    response = httpx.post(
        f"{fast_server.url}/slack/events", content=body.encode(), headers=headers, timeout=5
    )
    assert response.status_code == 401
    assert [m for m in slack.methods() if m != "auth.test"] == []

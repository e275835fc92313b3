"""The AI app surface: assistant threads, suggested prompts, title, status, streaming."""

from __future__ import annotations

import pytest

from bot import messages
from bot.app import build_app, build_services
from bot.views.help import help_examples
from querygen.catalog import load_catalog
from tests.bot import payloads
from tests.bot.conftest import dispatch, slack_settings, texts
from tests.fakes.slack_server import FakeSlack

THREAD = "1700000400.000100"


def thread_started() -> dict:
    return {
        "type": "assistant_thread_started",
        "event_ts": "1700000400.000200",
        "assistant_thread": {
            "user_id": payloads.USER,
            "channel_id": payloads.DM_CHANNEL,
            "thread_ts": THREAD,
            "context": {},
        },
    }


def test_a_new_thread_gets_a_greeting_and_prompts_from_the_catalog(app, slack: FakeSlack):
    assert dispatch(app, payloads.event_body(thread_started())).status == 200
    [prompts] = slack.wait_for("assistant.threads.setSuggestedPrompts")
    assert prompts.args["thread_ts"] == THREAD and prompts.args["title"] == messages.SUGGESTED_TITLE
    wanted = help_examples(load_catalog())[:4]
    assert [p["message"] for p in prompts.args["prompts"]] == wanted
    [greeting] = slack.wait_for("chat.postMessage")
    assert greeting.args["text"] == messages.GREETING and greeting.args["thread_ts"] == THREAD


def test_a_question_sets_title_and_status_then_streams_the_answer(app, slack: FakeSlack):
    event = payloads.direct_message(
        "public prod Lambdas touching PII", ts="1700000400.000300", thread_ts=THREAD
    )
    dispatch(app, payloads.event_body(event))
    [stop] = slack.wait_for("chat.stopStream")
    [title] = slack.calls_to("assistant.threads.setTitle")
    assert title.args["title"] == "public prod Lambdas touching PII"
    [status] = slack.calls_to("assistant.threads.setStatus")
    assert status.args["status"] == messages.THINKING
    methods = slack.methods()
    assert methods.index("assistant.threads.setStatus") < methods.index("chat.startStream")
    [start] = slack.calls_to("chat.startStream")
    assert start.args["recipient_user_id"] == payloads.USER and start.args["thread_ts"] == THREAD
    streamed = slack.messages[(payloads.DM_CHANNEL, stop.args["ts"])]
    assert streamed["text"].startswith("58 functions. Riskiest: revokeApiKey")
    body = texts(stop.args["blocks"])
    assert "*1. revokeApiKey*" in body and "answer_feedback" in str(stop.args["blocks"])
    assert slack.calls_to("chat.postMessage") == []  # no placeholder in assistant threads


def test_the_title_is_set_once_per_thread(app, slack: FakeSlack):
    for n, question in enumerate(["admin roles", "public buckets"]):
        event = payloads.direct_message(question, ts=f"1700000400.00040{n}", thread_ts=THREAD)
        dispatch(app, payloads.event_body(event))
        slack.wait_for("chat.stopStream", n + 1)
    assert len(slack.calls_to("assistant.threads.setTitle")) == 1


@pytest.fixture
def slack_without_streaming():
    with FakeSlack(streaming=False) as fake:
        yield fake


def test_without_streaming_the_answer_is_posted_and_streaming_not_retried(
    slack_without_streaming: FakeSlack, copilot, audit
):
    slack = slack_without_streaming
    settings = slack_settings(slack)
    services = build_services(settings, copilot, audit=audit)
    try:
        app = build_app(settings, services)
        for n, question in enumerate(["admin roles", "how many privileged workloads?"]):
            event = payloads.direct_message(question, ts=f"1700000400.00050{n}", thread_ts=THREAD)
            dispatch(app, payloads.event_body(event))
            slack.wait_for("chat.postMessage", n + 1)
        first, second = slack.calls_to("chat.postMessage")
        assert first.args["blocks"][0]["text"]["text"] == "admin roles"
        assert first.args["thread_ts"] == THREAD
        assert len(slack.calls_to("chat.startStream")) == 1  # learnt once, then posts
    finally:
        services.close()

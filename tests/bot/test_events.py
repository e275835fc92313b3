"""Mentions and direct messages, signed like Slack's, dispatched through the app."""

from __future__ import annotations

import time

from slack_bolt import BoltRequest

from bot import messages
from tests.bot import payloads
from tests.bot.conftest import dispatch, texts
from tests.fakes.slack_server import FakeSlack


def test_a_mention_gets_a_status_then_the_ranked_answer_in_its_thread(app, slack: FakeSlack):
    started = time.perf_counter()
    response = dispatch(
        app, payloads.event_body(payloads.mention("public prod Lambdas touching PII"))
    )
    assert response.status == 200
    assert time.perf_counter() - started < 1.0  # acknowledged before any work

    [status] = slack.wait_for("chat.postMessage")
    assert status.args["text"] == messages.LOOKING
    assert status.args["thread_ts"] == "1700000100.000100"
    [update] = slack.wait_for("chat.update")
    blocks = update.args["blocks"]
    assert (update.args["channel"], update.args["ts"]) in slack.messages
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "public prod Lambdas touching PII"},
    }
    assert blocks[1]["text"]["text"].startswith("58 functions. Riskiest:")
    body = texts(blocks)
    assert "`serverless function` · `public` · `prod` · `AWS Lambda` · `PII`" in body
    assert "*1. revokeApiKey*" in body and "risk *9.58*" in body
    assert "1–10 of 58" in body
    assert "Data: " in body and "wiz" in body


def test_the_update_replaces_the_status_message(app, slack: FakeSlack):
    dispatch(app, payloads.event_body(payloads.mention("how many critical findings are open?")))
    [status] = slack.wait_for("chat.postMessage")
    [update] = slack.wait_for("chat.update")
    posted = slack.messages[(update.args["channel"], update.args["ts"])]
    assert posted["text"] == "1,551 findings."
    assert update.args["channel"] == payloads.CHANNEL


def test_a_direct_message_is_answered_in_the_dm(app, slack: FakeSlack):
    dispatch(app, payloads.event_body(payloads.direct_message("open critical findings per team")))
    [status] = slack.wait_for("chat.postMessage")
    assert status.args["channel"] == payloads.DM_CHANNEL and "thread_ts" not in status.args
    [update] = slack.wait_for("chat.update")
    body = texts(update.args["blocks"])
    assert "```team      count\npayments    330" in body


def test_a_retried_event_is_answered_once(app, slack: FakeSlack):
    body = payloads.event_body(payloads.mention("admin roles"), event_id="Ev0RETRY01")
    assert dispatch(app, body).status == 200
    again = dispatch(
        app, body, **{"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"}
    )
    assert again.status == 200
    slack.wait_for("chat.update")
    third = dispatch(app, body, **{"x-slack-retry-num": "2"})
    assert third.status == 200
    # a later, unrelated event proves the queue drained: still one answer for the first
    dispatch(app, payloads.event_body(payloads.mention("admin roles", ts="1700000999.000001")))
    slack.wait_for("chat.update", 2)
    answered = [
        c
        for c in slack.calls_to("chat.postMessage")
        if c.args.get("thread_ts") == "1700000100.000100"
    ]
    assert len(answered) == 1


def test_a_bad_signature_is_refused_and_nothing_happens(app, slack: FakeSlack):
    body = payloads.event_body(payloads.mention("admin roles"))
    headers = payloads.signed(body)
    headers["x-slack-signature"] = ["v0=" + "0" * 64]
    response = app.dispatch(BoltRequest(body=body, headers=headers))
    assert response.status == 401
    assert [m for m in slack.methods() if m != "auth.test"] == []


def test_a_timestamp_older_than_five_minutes_is_refused(app, slack: FakeSlack):
    body = payloads.event_body(payloads.mention("admin roles"))
    response = dispatch(app, body, timestamp=int(time.time()) - 5 * 60 - 10)
    assert response.status == 401
    assert [m for m in slack.methods() if m != "auth.test"] == []


def test_an_empty_mention_gets_help(app, slack: FakeSlack):
    dispatch(app, payloads.event_body(payloads.mention("")))
    [update] = slack.wait_for("chat.update")
    body = texts(update.args["blocks"])
    assert messages.HELP_HEADER in body
    assert "public prod functions with PII" in body  # examples from the catalog


def test_a_four_thousand_character_question_gets_a_polite_cap(app, slack: FakeSlack):
    dispatch(app, payloads.event_body(payloads.mention("lambdas " * 500)))
    [update] = slack.wait_for("chat.update")
    assert update.args["text"] == messages.TOO_LONG.format(length=3999, limit=2000)


def test_edits_and_bot_messages_are_acknowledged_and_ignored(app, slack: FakeSlack):
    edited = {
        "type": "message",
        "subtype": "message_changed",
        "channel": payloads.DM_CHANNEL,
        "channel_type": "im",
        "ts": "1.2",
    }
    assert dispatch(app, payloads.event_body(edited)).status == 200
    assert [m for m in slack.methods() if m != "auth.test"] == []


def test_a_failure_shows_an_incident_id_not_the_exception(
    app, slack: FakeSlack, services, monkeypatch, caplog
):
    def explode(question, *, user):
        raise RuntimeError("duckdb: secret path /srv/data and token xoxb-123")

    monkeypatch.setattr(services.desk, "ask", explode)
    dispatch(app, payloads.event_body(payloads.mention("admin roles")))
    [update] = slack.wait_for("chat.update")
    shown = texts(update.args["blocks"])
    assert "inc-" in shown and "xoxb" not in shown and "duckdb" not in shown
    incident = shown.split("`")[1]
    assert any(incident in r.getMessage() for r in caplog.records)

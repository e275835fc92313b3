"""`/posture` and its subcommands, acknowledged at once and answered via response_url."""

from __future__ import annotations

import json

from bot import messages
from tests.bot import payloads
from tests.bot.conftest import action_ids, dispatch, texts
from tests.fakes.slack_server import FakeSlack


def command(app, slack: FakeSlack, text: str, name: str = "cmd"):
    body = payloads.command_body(text, response_url=slack.response_url(name))
    response = dispatch(app, body, content_type=payloads.FORM)
    assert response.status == 200
    return json.loads(response.body) if response.body else {}


def test_ask_acknowledges_with_a_status_then_answers_in_channel(app, slack: FakeSlack):
    ack = command(app, slack, "ask public prod Lambdas touching PII")
    assert ack == {
        "text": messages.ACK_QUESTION.format(question="public prod Lambdas touching PII"),
        "response_type": "ephemeral",
    }
    answer, tidy = slack.wait_for("response_url", 2)
    assert answer.args["response_type"] == "in_channel"
    assert answer.args["replace_original"] is False
    body = texts(answer.args["blocks"])
    assert answer.args["blocks"][0]["text"]["text"] == "public prod Lambdas touching PII"
    assert "*1. revokeApiKey*" in body and "1–10 of 58" in body
    assert tidy.args == {"delete_original": True, "_name": "cmd"}
    assert [m for m in slack.methods() if m not in ("auth.test", "response_url")] == []


def test_every_answer_carries_its_buttons_and_feedback(app, slack: FakeSlack):
    command(app, slack, "ask public prod Lambdas touching PII")
    [answer, _] = slack.wait_for("response_url", 2)
    ids = action_ids(answer.args["blocks"])
    assert ids.count("row_menu") == 10
    for wanted in (
        "answer_page_next",
        "answer_sql",
        "answer_native_wiz",
        "answer_native_prisma",
        "answer_native_lacework",
        "answer_csv",
        "answer_feedback",
    ):
        assert wanted in ids
    feedback = answer.args["blocks"][-1]
    assert feedback["type"] == "context_actions"
    element = feedback["elements"][0]
    assert element["type"] == "feedback_buttons"
    assert element["positive_button"]["value"].startswith("good:")
    assert element["negative_button"]["value"].startswith("bad:")


def test_help_is_answered_in_the_acknowledgement(app, slack: FakeSlack):
    ack = command(app, slack, "help")
    assert ack["response_type"] == "ephemeral"
    body = texts(ack["blocks"])
    assert messages.HELP_HEADER in body and "`/posture top [n] [team|env]`" in body
    assert "`/posture compliance soc2|cis|iso27001 [env] [team]`" in body
    assert "help_example_0" in action_ids(ack["blocks"])
    assert slack.calls_to("response_url") == []


def test_no_text_is_help(app, slack: FakeSlack):
    ack = command(app, slack, "")
    assert messages.HELP_HEADER in texts(ack["blocks"])


def test_an_unknown_subcommand_gets_help_and_offers_to_ask_it(app, slack: FakeSlack):
    ack = command(app, slack, "lambdas with admin")
    body = texts(ack["blocks"])
    assert messages.UNKNOWN_SUBCOMMAND.format(word="lambdas") in body
    assert messages.HELP_HEADER in body
    [offer] = [b["accessory"] for b in ack["blocks"] if b.get("accessory")]
    assert offer["action_id"] == "ask_this" and offer["value"] == "lambdas with admin"


def test_ask_with_nothing_is_help(app, slack: FakeSlack):
    ack = command(app, slack, "ask   ")
    assert messages.HELP_HEADER in texts(ack["blocks"])


def test_a_very_long_question_is_capped_politely(app, slack: FakeSlack):
    ack = command(app, slack, "ask " + "x" * 4000)
    assert ack["text"] == messages.TOO_LONG.format(length=4000, limit=2000)
    assert slack.calls_to("response_url") == []


def test_top_ranks_the_open_findings_of_a_team(app, slack: FakeSlack):
    ack = command(app, slack, "top 5 payments")
    assert ack["text"] == messages.ACK_WORKING
    answer, _ = slack.wait_for("response_url", 2)
    blocks = answer.args["blocks"]
    assert blocks[0]["text"]["text"] == "top 5 riskiest open findings in payments"
    body = texts(blocks)
    assert "`top 5` · `riskiest first` · `payments`" in body
    assert body.count("· payments ·") == 5  # every row is the team's
    assert ":red_circle: critical" in body and "in CISA KEV" in body  # severity, top factors


def test_top_with_an_unknown_scope_names_the_known_ones(app, slack: FakeSlack):
    command(app, slack, "top 3 nosuchteam")
    [reply] = slack.wait_for("response_url")
    assert reply.args["replace_original"] is True
    text = texts(reply.args["blocks"])
    assert "`nosuchteam`" in text and "payments" in text and "prod" in text


def test_status_replaces_the_working_note_with_sources_and_freshness(app, slack: FakeSlack):
    command(app, slack, "status")
    [reply] = slack.wait_for("response_url")
    assert reply.args["replace_original"] is True
    body = texts(reply.args["blocks"])
    assert messages.STATUS_HEADER in body
    assert "20,464" in body and "wiz" in body and "last sync" in body


def test_the_command_answer_falls_back_to_the_web_api_when_the_url_is_spent(app, slack):
    name = "spent"
    slack.response_uses[name] = 5
    command(app, slack, "ask admin roles", name=name)
    [posted] = slack.wait_for("chat.postMessage")
    assert posted.args["channel"] == payloads.CHANNEL
    assert "admin roles" in texts(posted.args["blocks"])

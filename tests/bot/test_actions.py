"""Every button on an answer, pressed the way Slack sends it (block_actions)."""

from __future__ import annotations

import csv
import io
import json

from bot import messages
from tests.bot import payloads
from tests.bot.conftest import dispatch, texts
from tests.fakes.slack_server import FakeSlack

QUESTION = "public prod Lambdas touching PII"


def ask(app, slack: FakeSlack, question: str = QUESTION) -> list[dict]:
    """An answer posted through `/posture ask`, as its blocks."""
    body = payloads.command_body(f"ask {question}", response_url=slack.response_url("ask"))
    dispatch(app, body, content_type=payloads.FORM)
    answer = slack.wait_for("response_url", where=lambda c: "blocks" in c.args)[0]
    return answer.args["blocks"]


def element(blocks: list[dict], action_id: str) -> dict:
    for block in blocks:
        for candidate in [block.get("accessory"), *block.get("elements", [])]:
            if isinstance(candidate, dict) and candidate.get("action_id") == action_id:
                return candidate
    raise AssertionError(f"no {action_id} in the message")


def press(
    app,
    slack: FakeSlack,
    blocks: list[dict],
    action_id: str,
    *,
    value: str | None = None,
    url: str = "press",
    option: int = 0,
) -> None:
    found = element(blocks, action_id)
    action = {"action_id": action_id, "type": found["type"]}
    if found["type"] == "overflow":
        action["selected_option"] = found["options"][option]
    else:
        action["value"] = value if value is not None else found["value"]
    message = {"ts": "1700000300.000100", "text": "answer", "blocks": blocks}
    body = payloads.action_body(action, response_url=slack.response_url(url), message=message)
    response = dispatch(app, body, content_type=payloads.FORM)
    assert response.status == 200 and response.body == ""


def test_show_more_replaces_the_message_with_the_next_page(app, slack: FakeSlack):
    blocks = ask(app, slack)
    press(app, slack, blocks, "answer_page_next")
    [page] = slack.wait_for("response_url", where=lambda c: c.args["_name"] == "press")
    assert page.args["replace_original"] is True
    body = texts(page.args["blocks"])
    assert "*11. " in body and "*1. revokeApiKey*" not in body and "11–20 of 58" in body
    press(app, slack, page.args["blocks"], "answer_page_prev", url="back")
    [back] = slack.wait_for("response_url", where=lambda c: c.args["_name"] == "back")
    assert "*1. revokeApiKey*" in texts(back.args["blocks"])


def test_show_sql_is_ephemeral_and_shows_the_guarded_sql(app, slack: FakeSlack):
    press(app, slack, ask(app, slack), "answer_sql")
    [reply] = slack.wait_for("response_url", where=lambda c: c.args["_name"] == "press")
    assert reply.args["response_type"] == "ephemeral"
    body = texts(reply.args["blocks"])
    assert "```SELECT" in body and "FROM functions" in body and "LIMIT" in body


def test_show_as_wiz_filter_shows_the_graphql(app, slack: FakeSlack):
    press(app, slack, ask(app, slack, "public prod lambdas"), "answer_native_wiz")
    [reply] = slack.wait_for("response_url", where=lambda c: c.args["_name"] == "press")
    assert reply.args["response_type"] == "ephemeral"
    body = texts(reply.args["blocks"])
    assert "As a Wiz request" in body and "```" in body


def test_show_as_prisma_filter_shows_the_alerts_filter(app, slack: FakeSlack):
    press(app, slack, ask(app, slack, "open critical findings"), "answer_native_prisma")
    [reply] = slack.wait_for("response_url", where=lambda c: c.args["_name"] == "press")
    body = texts(reply.args["blocks"])
    assert "As a Prisma Cloud request" in body and "```" in body


def test_what_a_platform_cannot_say_is_refused_politely(app, slack: FakeSlack):
    press(app, slack, ask(app, slack, "open critical findings"), "answer_native_lacework")
    [reply] = slack.wait_for("response_url", where=lambda c: c.args["_name"] == "press")
    body = texts(reply.args["blocks"])
    assert body.startswith("Lacework cannot express this question as a filter: alerts over")
    assert "findings store instead" in body


def test_a_platform_that_cannot_say_it_refuses_politely(app, slack: FakeSlack):
    press(app, slack, ask(app, slack, "top 5 riskiest findings in payments"), "answer_native_wiz")
    [reply] = slack.wait_for("response_url", where=lambda c: c.args["_name"] == "press")
    assert "Wiz cannot express this question as a filter" in texts(reply.args["blocks"])


def test_export_csv_uploads_every_row_through_files_upload_v2(app, slack: FakeSlack):
    press(app, slack, ask(app, slack, "lambdas"), "answer_csv")
    [done] = slack.wait_for("files.completeUploadExternal")
    [url] = slack.calls_to("files.getUploadURLExternal")
    assert url.args["filename"] == "posture-lambdas.csv"
    assert done.args["channel_id"] == payloads.CHANNEL
    assert done.args["thread_ts"] == "1700000300.000100"
    assert "292 rows" in done.args["initial_comment"]
    [file_id] = slack.uploads
    rows = list(csv.reader(io.StringIO(slack.uploads[file_id].decode())))
    assert rows[0][:2] == ["name", "service"] and len(rows) == 293  # all, not just 200


def test_explain_opens_a_dialog_then_fills_it(app, slack: FakeSlack):
    press(app, slack, ask(app, slack), "row_menu", option=0)
    [opened] = slack.wait_for("views.open")
    assert messages.EXPLAIN_LOADING in texts(opened.args["view"]["blocks"])
    [updated] = slack.wait_for("views.update")
    assert updated.args["hash"]  # the hash views.open returned: no lost update
    body = texts(updated.args["view"]["blocks"])
    assert body.startswith("revokeApiKey (risk 9.58)")
    assert messages.EXPLAIN_WHY in body and messages.EXPLAIN_SCENARIO in body
    assert messages.EXPLAIN_REACH in body and "via assumes role" in body


def test_a_picked_reading_replaces_the_clarification_with_its_answer(app, slack: FakeSlack):
    blocks = ask(app, slack, "stuff things")
    assert messages.CLARIFY_HINT in texts(blocks)
    press(app, slack, blocks, "clarify_0")
    [reply] = slack.wait_for("response_url", where=lambda c: c.args["_name"] == "press")
    assert reply.args["replace_original"] is True
    assert "resources" in reply.args["blocks"][1]["text"]["text"]


def test_feedback_is_stored_with_the_question(app, slack: FakeSlack, audit):
    press(
        app,
        slack,
        ask(app, slack),
        "answer_feedback",
        value=element(ask(app, slack), "answer_feedback")["negative_button"]["value"],
    )
    [thanks] = slack.wait_for("response_url", where=lambda c: c.args["_name"] == "press")
    assert thanks.args["response_type"] == "ephemeral"
    assert messages.FEEDBACK_THANKS_BAD in texts(thanks.args["blocks"])
    [record] = [r for r in audit.records() if r.action == "answer.feedback"]
    assert record.details["rating"] == "bad" and record.details["question"] == QUESTION
    assert record.details["spec"]["view"] == "functions" and record.actor == payloads.USER
    assert audit.verify().ok


def test_a_help_example_is_asked_and_answered(app, slack: FakeSlack):
    ack = dispatch(
        app,
        payloads.command_body("help", response_url=slack.response_url("h")),
        content_type=payloads.FORM,
    )
    press(app, slack, json.loads(ack.body)["blocks"], "help_example_1")
    [reply] = slack.wait_for("response_url", where=lambda c: c.args["_name"] == "press")
    assert reply.args["response_type"] == "in_channel"
    assert reply.args["blocks"][0]["text"]["text"] == "top 5 riskiest functions in prod"


def test_ask_in_a_form_opens_the_modal(app, slack: FakeSlack):
    message = [
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "ask_open_modal",
                    "value": "form",
                    "text": {"type": "plain_text", "text": "Ask in a form…"},
                }
            ],
        }
    ]
    press(app, slack, message, "ask_open_modal")
    [opened] = slack.wait_for("views.open")
    view = opened.args["view"]
    assert view["callback_id"] == "ask_modal" and view["blocks"][0]["type"] == "input"
    assert '"channel": "C0CHANNEL1"' in view["private_metadata"]


def test_a_button_on_a_forgotten_answer_says_so(app, slack: FakeSlack):
    blocks = ask(app, slack)
    press(app, slack, blocks, "answer_sql", value="000000000000")
    [reply] = slack.wait_for("response_url", where=lambda c: c.args["_name"] == "press")
    assert texts(reply.args["blocks"]) == messages.EXPIRED


def test_a_spent_response_url_falls_back_to_the_web_api(app, slack: FakeSlack):
    blocks = ask(app, slack)
    slack.messages[(payloads.CHANNEL, "1700000300.000100")] = {"ts": "1700000300.000100"}
    slack.response_uses["press"] = 5  # Slack honours a response_url five times
    press(app, slack, blocks, "answer_page_next")
    [update] = slack.wait_for("chat.update")
    assert update.args["ts"] == "1700000300.000100"
    assert "11–20 of 58" in texts(update.args["blocks"])
    press(app, slack, blocks, "answer_sql")
    [whisper] = slack.wait_for("chat.postEphemeral")
    assert whisper.args["user"] == payloads.USER and "```SELECT" in texts(whisper.args["blocks"])

"""The ask form: the global shortcut opens it; a submission is checked in the
acknowledgement and answered where the form was opened from."""

from __future__ import annotations

import json

from bot import messages
from tests.bot import payloads
from tests.bot.conftest import dispatch, texts
from tests.fakes.slack_server import FakeSlack


def submit(app, question: str, *, metadata: dict | None = None):
    body = payloads.view_submission_body(question, private_metadata=json.dumps(metadata or {}))
    return dispatch(app, body, content_type=payloads.FORM)


def test_the_shortcut_opens_the_form(app, slack: FakeSlack):
    response = dispatch(app, payloads.shortcut_body("posture_ask"), content_type=payloads.FORM)
    assert response.status == 200
    [opened] = slack.wait_for("views.open")
    assert opened.args["trigger_id"] == "2.trigger"
    assert opened.args["view"]["blocks"][0]["element"]["max_length"] == 2000


def test_a_submission_closes_the_form_and_answers_in_its_channel(app, slack: FakeSlack):
    response = submit(
        app, "admin roles", metadata={"channel": "C0CHANNEL1", "thread_ts": "1700000500.000001"}
    )
    assert response.status == 200 and response.body == ""
    [status] = slack.wait_for("chat.postMessage")
    assert status.args["channel"] == "C0CHANNEL1"
    assert status.args["thread_ts"] == "1700000500.000001"
    [update] = slack.wait_for("chat.update")
    assert update.args["blocks"][0]["text"]["text"] == "admin roles"
    assert "IAM role" in texts(update.args["blocks"])


def test_a_submission_from_the_shortcut_is_answered_in_a_dm(app, slack: FakeSlack):
    submit(app, "how many privileged workloads?")
    [status] = slack.wait_for("chat.postMessage")
    assert status.args["channel"] == payloads.USER
    [update] = slack.wait_for("chat.update")
    assert update.args["channel"] == "D" + payloads.USER[1:]  # the DM's own id


def test_an_empty_submission_shows_an_error_under_the_field(app, slack: FakeSlack):
    response = submit(app, "   ")
    assert json.loads(response.body) == {
        "response_action": "errors",
        "errors": {"question": messages.ASK_MODAL_EMPTY},
    }
    assert [m for m in slack.methods() if m != "auth.test"] == []


def test_a_too_long_submission_shows_the_cap_under_the_field(app, slack: FakeSlack):
    response = submit(app, "y" * 2500)
    errors = json.loads(response.body)["errors"]
    assert errors["question"] == messages.TOO_LONG.format(length=2500, limit=2000)

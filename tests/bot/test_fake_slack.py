"""The fake answers as Slack does, so the app's error handling is tested for real."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from tests.fakes.slack_server import FakeSlack


def test_tokens_methods_and_shapes(slack: FakeSlack):
    with pytest.raises(SlackApiError) as caught:
        WebClient(token="xoxb-wrong", base_url=slack.base_url).auth_test()
    assert caught.value.response.data == {"ok": False, "error": "invalid_auth"}
    client = WebClient(token=slack.token, base_url=slack.base_url)
    with pytest.raises(SlackApiError, match="unknown_method"):
        client.api_call("no.such.method")
    user = client.users_info(user="U0ALICE001")["user"]
    assert user["id"] == "U0ALICE001" and user["profile"]["display_name"]
    with pytest.raises(SlackApiError, match="message_not_found"):
        client.chat_update(channel="C1", ts="1.1", text="x")
    posted = client.chat_postMessage(channel="C1", text="hi")
    assert posted["ok"] and posted["message"]["text"] == "hi"
    with pytest.raises(SlackApiError, match="invalid_blocks"):
        client.chat_postMessage(channel="C1", text="x", blocks=[{"type": "divider"}] * 51)


def test_a_response_url_is_honoured_five_times(slack: FakeSlack):
    hook = WebhookClient(slack.response_url("five"))
    statuses = [hook.send(text="x").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [404]


def test_uploads_need_the_file_bytes_first(slack: FakeSlack):
    client = WebClient(token=slack.token, base_url=slack.base_url)
    done = client.files_upload_v2(channel="C1", content="a,b\n", filename="x.csv", title="x")
    assert done["file"]["size"] == 4
    with pytest.raises(SlackApiError, match="file_not_found"):
        client.files_completeUploadExternal(files=[{"id": "F404", "title": "missing"}])

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


def test_upload_v2_three_steps_share_one_message_in_the_thread(slack: FakeSlack):
    client = WebClient(token=slack.token, base_url=slack.base_url)
    done = client.files_upload_v2(
        channel="C1",
        thread_ts="1700000001.000001",
        initial_comment="two files",
        file_uploads=[
            {"filename": "r.html", "content": "<p>hi</p>", "title": "Report"},
            {"filename": "chart.png", "content": b"\x89PNG\r\n\x1a\nxx", "title": "Chart"},
        ],
    )
    assert [m for m in slack.methods() if m != "upload"] == [
        "files.getUploadURLExternal",
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]
    [first, _] = slack.calls_to("files.getUploadURLExternal")
    assert first.args["filename"] == "r.html" and first.args["length"] == "9"
    report, chart = slack.shared_files("C1")
    assert (report.title, report.mimetype, report.text()) == ("Report", "text/html", "<p>hi</p>")
    assert (chart.mimetype, chart.content) == ("image/png", b"\x89PNG\r\n\x1a\nxx")
    assert [f["id"] for f in done["files"]] == [report.id, chart.id]
    assert done["files"][1]["size"] == 10 and done["files"][1]["filetype"] == "png"
    [share] = [m for m in slack.messages.values() if m.get("subtype") == "file_share"]
    assert share["text"] == "two files" and share["thread_ts"] == "1700000001.000001"
    assert [f["name"] for f in share["files"]] == ["r.html", "chart.png"]


def test_the_upload_url_takes_a_multipart_form_too(slack: FakeSlack):
    import httpx

    client = WebClient(token=slack.token, base_url=slack.base_url)
    url = client.files_getUploadURLExternal(filename="a.csv", length=4)
    with httpx.Client() as http:
        answer = http.post(url["upload_url"], files={"file": ("a.csv", b"a,b\n", "text/csv")})
    assert (answer.status_code, answer.text) == (200, "OK - 4")
    client.files_completeUploadExternal(files=[{"id": url["file_id"]}], channel_id="C1")
    [shared] = slack.shared_files("C1")
    assert shared.content == b"a,b\n" and shared.title == "a.csv"


def test_completing_needs_the_bytes_a_channel_for_a_thread_and_happens_once(slack: FakeSlack):
    client = WebClient(token=slack.token, base_url=slack.base_url)
    with pytest.raises(SlackApiError, match="invalid_arguments"):
        client.files_getUploadURLExternal(filename="empty.txt", length=0)
    url = client.files_getUploadURLExternal(filename="x.txt", length=1)
    with pytest.raises(SlackApiError, match="file_not_found"):  # no bytes posted yet
        client.files_completeUploadExternal(files=[{"id": url["file_id"]}], channel_id="C1")
    WebhookClient(url["upload_url"]).send_dict({})  # any body will do as the bytes
    with pytest.raises(SlackApiError, match="invalid_arguments"):
        client.files_completeUploadExternal(files=[{"id": url["file_id"]}], thread_ts="1.1")
    client.files_completeUploadExternal(files=[{"id": url["file_id"]}])  # private: not shared
    assert slack.shared_files() == []
    with pytest.raises(SlackApiError, match="file_not_found"):
        client.files_completeUploadExternal(files=[{"id": url["file_id"]}], channel_id="C1")
    unknown = WebhookClient(f"{slack.root}/upload/v1/F404").send_dict({})
    assert unknown.status_code == 404

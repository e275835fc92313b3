"""The fake Messages API keeps the real API's contract, so tests against it mean something."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.fakes.anthropic_server import FakeAnthropic

BODY = {
    "model": "claude-haiku-4-5",
    "max_tokens": 10,
    "messages": [{"role": "user", "content": "x"}],
}


@pytest.fixture
def api() -> Iterator[FakeAnthropic]:
    with FakeAnthropic() as server:
        yield server


def post(api: FakeAnthropic, headers: dict[str, str], body: object = BODY) -> httpx.Response:
    return httpx.post(f"{api.base_url}/v1/messages", json=body, headers=headers, timeout=5)


def test_x_api_key_and_version_are_required(api: FakeAnthropic) -> None:
    api.push_text("hello")
    ok = post(api, {"x-api-key": api.api_key, "anthropic-version": "2023-06-01"})
    assert ok.status_code == 200
    assert ok.json()["content"] == [{"type": "text", "text": "hello"}]
    assert ok.headers["request-id"]

    wrong = post(api, {"x-api-key": "nope", "anthropic-version": "2023-06-01"})
    assert wrong.status_code == 401
    assert wrong.json()["error"]["type"] == "authentication_error"

    unversioned = post(api, {"x-api-key": api.api_key})
    assert unversioned.status_code == 400
    assert unversioned.json()["type"] == "error"


def test_incomplete_body_and_empty_script(api: FakeAnthropic) -> None:
    headers = {"authorization": f"Bearer {api.api_key}", "anthropic-version": "2023-06-01"}
    assert post(api, headers, {"model": "m"}).status_code == 400
    empty = post(api, headers)
    assert empty.status_code == 500
    assert "no scripted reply" in empty.json()["error"]["message"]
    assert len(api.requests) == 2


def test_error_shapes_match_the_api(api: FakeAnthropic) -> None:
    headers = {"x-api-key": api.api_key, "anthropic-version": "2023-06-01"}
    api.push_overloaded()
    api.push_rate_limit(retry_after=7)
    overloaded = post(api, headers)
    assert overloaded.status_code == 529
    assert overloaded.json() == {
        "type": "error",
        "error": {"type": "overloaded_error", "message": "Overloaded"},
    }
    limited = post(api, headers)
    assert (limited.status_code, limited.headers["retry-after"]) == (429, "7")
    assert limited.json()["error"]["type"] == "rate_limit_error"

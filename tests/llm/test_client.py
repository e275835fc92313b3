"""LLMClient against the fake Messages API, through the real anthropic SDK."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from core.settings import AnthropicSettings
from llm import FakeLLM, LLMClient, LLMConfig, LLMRequest, TokenUsage
from llm.errors import LLMNotConfigured, LLMRejected, LLMUnavailable
from tests.fakes.anthropic_server import FakeAnthropic

SYSTEM = ({"type": "text", "text": "static", "cache_control": {"type": "ephemeral"}},)
QUESTION = ({"role": "user", "content": [{"type": "text", "text": "hi"}]},)
TOOL = {"name": "query_spec", "input_schema": {"type": "object", "properties": {}}}


@pytest.fixture
def api() -> Iterator[FakeAnthropic]:
    with FakeAnthropic() as server:
        yield server


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(api: FakeAnthropic, sleeps: list[float]) -> Iterator[LLMClient]:
    config = LLMConfig(
        api_key=SecretStr(api.api_key), base_url=api.base_url, timeout_s=0.5, max_wait_s=2.0
    )
    with LLMClient(config, sleep=sleeps.append) as llm:
        yield llm


def request(**overrides: object) -> LLMRequest:
    fields: dict[str, object] = {"system": SYSTEM, "messages": QUESTION, "tools": (TOOL,)}
    fields["tool_choice"] = {"type": "any"}
    return LLMRequest.model_validate({**fields, **overrides})


def test_request_shape_and_tool_use_reply(api: FakeAnthropic, client: LLMClient) -> None:
    api.push_tool_use("query_spec", {"view": "functions"})
    reply = client.create(request())

    assert [call.input for call in reply.tool_calls] == [{"view": "functions"}]
    assert reply.stop_reason == "tool_use"
    sent = api.requests[0]
    assert sent.path == "/v1/messages"
    assert sent.headers["anthropic-version"]
    assert sent.body["model"] == "claude-haiku-4-5"
    assert sent.body["system"] == list(SYSTEM)
    assert sent.body["tools"] == [TOOL]
    assert sent.body["tool_choice"] == {"type": "any"}
    assert sent.body["max_tokens"] == 1024


def test_large_tier_uses_the_drafting_model(api: FakeAnthropic, client: LLMClient) -> None:
    api.push_text("a draft")
    reply = client.create(request(tier="large", tools=(), tool_choice=None))
    assert reply.text == "a draft"
    assert api.bodies[0]["model"] == "claude-sonnet-4-6"
    assert "tools" not in api.bodies[0] and "tool_choice" not in api.bodies[0]


def test_tokens_are_accounted_per_reply_and_in_total(api: FakeAnthropic, client: LLMClient) -> None:
    usage = {
        "input_tokens": 50,
        "output_tokens": 20,
        "cache_creation_input_tokens": 7000,
        "cache_read_input_tokens": 0,
    }
    api.push_tool_use("query_spec", {}, usage=usage)
    api.push_tool_use("query_spec", {}, usage={**usage, "cache_creation_input_tokens": 0})
    first = client.create(request())
    client.create(request())
    assert first.usage == TokenUsage(
        input_tokens=50, output_tokens=20, cache_creation_input_tokens=7000
    )
    assert client.usage.total == 7000 + 2 * 70
    assert client.calls == 2


def test_429_waits_what_retry_after_says_then_succeeds(
    api: FakeAnthropic, client: LLMClient, sleeps: list[float]
) -> None:
    api.push_rate_limit(retry_after=1.5)
    api.push_tool_use("query_spec", {"view": "images"})
    reply = client.create(request())
    assert reply.tool_calls[0].input == {"view": "images"}
    assert sleeps == [1.5]
    assert len(api.requests) == 2


def test_500_is_retried_with_bounded_backoff(
    api: FakeAnthropic, client: LLMClient, sleeps: list[float]
) -> None:
    api.push_server_error()
    api.push_server_error()
    api.push_text("ok")
    assert client.create(request()).text == "ok"
    assert len(sleeps) == 2
    assert all(0 < s <= 2.0 for s in sleeps)


def test_529_overloaded_gives_up_after_three_attempts(
    api: FakeAnthropic, client: LLMClient, sleeps: list[float]
) -> None:
    for _ in range(4):
        api.push_overloaded()
    with pytest.raises(LLMUnavailable) as caught:
        client.create(request())
    err = caught.value
    assert (err.cause, err.status, err.attempts) == ("overloaded", 529, 3)
    assert err.request_id and err.request_id.startswith("req_fake")
    assert "overloaded" in err.reason
    assert len(api.requests) == 3
    assert len(sleeps) == 2
    assert client.usage.total == 0


def test_timeout_gives_up_after_three_attempts(api: FakeAnthropic, sleeps: list[float]) -> None:
    for _ in range(3):
        api.push_slow(3.0)
    config = LLMConfig(api_key=SecretStr(api.api_key), base_url=api.base_url, timeout_s=0.2)
    with LLMClient(config, sleep=sleeps.append) as llm, pytest.raises(LLMUnavailable) as caught:
        llm.create(request())
    assert (caught.value.cause, caught.value.attempts) == ("timeout", 3)
    assert "too long" in caught.value.reason
    assert len(api.requests) == 3


def test_retry_after_longer_than_the_bound_is_not_waited_for(
    api: FakeAnthropic, client: LLMClient, sleeps: list[float]
) -> None:
    api.push_rate_limit(retry_after=30)
    with pytest.raises(LLMUnavailable) as caught:
        client.create(request())
    assert (caught.value.cause, caught.value.retry_after) == ("rate_limited", 30.0)
    assert sleeps == []
    assert len(api.requests) == 1


def test_bad_key_is_rejected_without_retrying(api: FakeAnthropic, sleeps: list[float]) -> None:
    config = LLMConfig(api_key=SecretStr("sk-ant-wrong"), base_url=api.base_url)
    with LLMClient(config, sleep=sleeps.append) as llm, pytest.raises(LLMRejected) as caught:
        llm.create(request())
    assert caught.value.status == 401
    assert len(api.requests) == 1 and sleeps == []


def test_unreachable_api_is_unavailable(sleeps: list[float]) -> None:
    with FakeAnthropic() as server:
        url = server.base_url  # the port is free again once the server stops
    config = LLMConfig(api_key=SecretStr("sk-ant-x"), base_url=url, timeout_s=0.5)
    with LLMClient(config, sleep=sleeps.append) as llm, pytest.raises(LLMUnavailable) as caught:
        llm.create(request())
    assert caught.value.cause == "unreachable"
    assert caught.value.attempts == 3


def test_no_key_means_not_configured() -> None:
    with pytest.raises(LLMNotConfigured) as caught:
        LLMClient(LLMConfig())
    assert caught.value.code == "not_configured"


def test_config_from_settings() -> None:
    settings = AnthropicSettings(api_key=SecretStr("sk-ant-x"), base_url=None)
    config = LLMConfig.from_settings(settings, fast_model="claude-haiku-4-5-20251001")
    assert config.base_url == "https://api.anthropic.com"
    assert config.model("fast") == "claude-haiku-4-5-20251001"
    assert config.model("large") == "claude-sonnet-4-6"


def test_default_models_are_not_deprecated_in_the_installed_sdk() -> None:
    from anthropic.resources.messages.messages import DEPRECATED_MODELS

    config = LLMConfig()
    assert config.fast_model not in DEPRECATED_MODELS
    assert config.large_model not in DEPRECATED_MODELS


def test_fake_llm_replays_errors_and_tallies() -> None:
    fake = FakeLLM([LLMUnavailable("down", cause="overloaded"), FakeLLM.text_reply("hi")])
    with pytest.raises(LLMUnavailable):
        fake.create(request())
    assert fake.create(request()).text == "hi"
    assert fake.usage.total == 120
    with pytest.raises(LLMUnavailable):
        fake.create(request())  # nothing scripted left
    assert len(fake.requests) == 3

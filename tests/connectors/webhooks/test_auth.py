"""Per-platform webhook authentication, each way each platform documents."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr

from connectors.webhooks import Unauthenticated, WebhookRequest, sign, verify
from core.ticketing_settings import WebhookSettings, WebhookSource

NOW = 1_800_000_000
BODY = b'{"issue": {"id": "1"}}'


def request(source="wiz", headers=None, query=None, body=BODY) -> WebhookRequest:
    return WebhookRequest(source, headers or {}, query or {}, body, datetime.now(UTC))


def check(config: WebhookSource, req: WebhookRequest) -> str:
    return verify(req.source, config, req, now=NOW, window_s=300)


def refused(config: WebhookSource, req: WebhookRequest) -> str:
    with pytest.raises(Unauthenticated) as caught:
        check(config, req)
    return caught.value.reason


def test_nothing_configured_refuses_everything():
    assert refused(WebhookSource(), request(headers={"authorization": "Bearer x"})) == (
        "no webhook secret is configured for wiz"
    )


def test_wiz_bearer_token():
    config = WebhookSource(token=SecretStr("s3cret"))
    assert check(config, request(headers={"authorization": "Bearer s3cret"})) == "token"
    assert refused(config, request(headers={"authorization": "Bearer s3cre"})) == (
        "the token does not match"
    )
    assert refused(config, request()) == "no credentials were presented"


def test_basic_auth_checks_user_and_password():
    config = WebhookSource(username="wiz", password=SecretStr("pw"))

    def basic(user: str, password: str) -> dict[str, str]:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        return {"authorization": f"Basic {token}"}

    assert check(config, request(headers=basic("wiz", "pw"))) == "basic"
    assert "does not match" in refused(config, request(headers=basic("wiz", "no")))
    assert "does not match" in refused(config, request(headers=basic("other", "pw")))
    assert refused(config, request(headers={"authorization": "Basic !!!"})) == (
        "no credentials were presented"
    )


def test_prisma_custom_header_with_or_without_bearer():
    config = WebhookSource(token=SecretStr("tok"), token_header="X-Auth-Token")
    assert check(config, request("prisma", {"x-auth-token": "tok"})) == "token"
    assert check(config, request("prisma", {"x-auth-token": "Bearer tok"})) == "token"
    assert refused(config, request("prisma", {"authorization": "Bearer tok"})) == (
        "no credentials were presented"
    )


def test_lacework_token_in_the_url_and_only_for_lacework():
    config = WebhookSource(token=SecretStr("lw"))
    assert check(config, request("lacework", query={"api-token": "lw"})) == "token"
    assert refused(config, request("wiz", query={"api-token": "lw"})) == (
        "no credentials were presented"
    )


def test_hmac_signature_with_replay_window():
    config = WebhookSource(hmac_secret=SecretStr("k"), token=SecretStr("t"))
    good = {"x-posture-timestamp": str(NOW), "x-posture-signature": sign("k", NOW, BODY)}
    assert check(config, request(headers=good)) == "hmac"
    tampered = request(headers=good, body=BODY + b" ")
    assert refused(config, tampered) == "the signature does not match the body"
    old = {"x-posture-timestamp": str(NOW - 301), "x-posture-signature": sign("k", NOW - 301, BODY)}
    assert "replay window" in refused(config, request(headers=old))
    # with an HMAC secret set, the token alone no longer passes
    assert "are required" in refused(config, request(headers={"authorization": "Bearer t"}))


def test_settings_come_from_variables(monkeypatch):
    from core.settings import Settings

    monkeypatch.setenv("POSTURE_WEBHOOKS__ORCA__TOKEN", "from-env")
    settings = Settings()
    assert settings.webhooks.orca.token.get_secret_value() == "from-env"
    assert not settings.webhooks.wiz.configured
    assert isinstance(settings.webhooks, WebhookSettings)
    with pytest.raises(KeyError):
        settings.webhooks.source("snyk")

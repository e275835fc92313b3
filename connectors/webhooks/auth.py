"""Is this webhook call really from the platform? Each platform's own way, checked in
constant time.

What each platform documents (none of the four signs its payloads):

- **Wiz** automation action "Webhook" (``webhook_params`` in the Wiz Terraform provider,
  AxtonGrams/terraform-provider-wiz docs/resources/automation_action.md): either
  ``auth_token`` ("For auth bearer specify token"), sent as ``Authorization: Bearer``,
  or ``auth_username`` / ``auth_password`` for HTTP basic auth.
- **Prisma Cloud** webhook integration (prisma-cloud-docs, administration/
  configure-external-integrations-on-prisma-cloud/integrate-prisma-cloud-with-webhooks
  .adoc): "You can include an authentication token in the custom header" - any header
  name, so ``token_header`` is configurable and the value may carry a ``Bearer`` prefix.
  Prisma Cloud Compute webhooks take a username and password (basic auth).
- **Lacework** alert channel "Webhook" (lacework_alert_channel_webhook, Lacework
  Terraform provider): no auth headers; "enter the API token as part of the URL eg.
  https://webhook.com?api-token=123", so the token may come as the ``api-token`` query
  parameter.
- **Orca** webhook integration: one "API Key" field sent as the ``Authorization``
  header; integrators document it as ``Bearer <token>`` (Panther's Orca guide: "Bearer
  authentication ... is the only authentication method Orca Security supports").

Where a platform offers no signature, a relay in front of us (an API gateway or a
function) can sign instead: HMAC-SHA256 over ``"<unix timestamp>.<raw body>"``, hex in
``X-Posture-Signature: sha256=<hex>`` with the timestamp in ``X-Posture-Timestamp``, the
same construction as Slack's request signing; calls outside the replay window are
refused. When an HMAC secret is set it is required.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

from connectors.webhooks.request import WebhookRequest
from core.ticketing_settings import WebhookSource

__all__ = ["DEFAULT_TOKEN_QUERY", "Unauthenticated", "sign", "verify"]

# the query parameter a platform documents for a token in the URL
DEFAULT_TOKEN_QUERY = {"lacework": "api-token"}


class Unauthenticated(Exception):
    """The call does not prove it comes from the platform; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value a relay sends.

    >>> sign("s", 1, b"{}")[:7]
    'sha256='
    """
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _check_hmac(config: WebhookSource, request: WebhookRequest, now: float, window: int) -> str:
    assert config.hmac_secret is not None
    stamp = request.headers.get(config.timestamp_header.lower())
    given = request.headers.get(config.signature_header.lower())
    if not stamp or not given:
        raise Unauthenticated(
            f"the {config.signature_header} and {config.timestamp_header} headers are required"
        )
    if not stamp.isdigit() or abs(now - int(stamp)) > window:
        raise Unauthenticated(f"the timestamp is outside the {window} s replay window")
    expected = sign(config.hmac_secret.get_secret_value(), int(stamp), request.body)
    if not _same(given, expected):
        raise Unauthenticated("the signature does not match the body")
    return "hmac"


def _presented_token(source: str, config: WebhookSource, request: WebhookRequest) -> str | None:
    value = request.headers.get(config.token_header.lower())
    if value:
        scheme, _, rest = value.partition(" ")
        if scheme.lower() == "bearer" and rest:
            return rest.strip()
        if scheme.lower() != "basic":
            return value.strip()
    query_name = config.token_query or DEFAULT_TOKEN_QUERY.get(source)
    return request.query.get(query_name) if query_name else None


def _basic_credentials(request: WebhookRequest) -> tuple[str, str] | None:
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, sep, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user, password) if sep else None


def _check_shared(source: str, config: WebhookSource, request: WebhookRequest) -> str:
    token = _presented_token(source, config, request)
    if config.token is not None and token is not None:
        if _same(token, config.token.get_secret_value()):
            return "token"
        raise Unauthenticated("the token does not match")
    basic = _basic_credentials(request)
    if config.username and config.password is not None and basic is not None:
        user_ok = _same(basic[0], config.username)
        password_ok = _same(basic[1], config.password.get_secret_value())
        if user_ok and password_ok:  # both compared, whatever the first says
            return "basic"
        raise Unauthenticated("the user name or password does not match")
    raise Unauthenticated("no credentials were presented")


def verify(
    source: str, config: WebhookSource, request: WebhookRequest, *, now: float, window_s: int
) -> str:
    """Check the call; returns the method that passed (``hmac``, ``token`` or ``basic``).

    Raises:
        Unauthenticated: nothing is configured for the source, or the proof is missing
            or wrong.
    """
    if not config.configured:
        raise Unauthenticated(f"no webhook secret is configured for {source}")
    if config.hmac_secret is not None:
        return _check_hmac(config, request, now, window_s)
    return _check_shared(source, config, request)

"""Credentials and endpoints for the systems fixes are delivered to, and webhook secrets.

Plain models nested in ``core.settings.Settings``; each field says where the value comes
from. Base URLs are configuration so tests point them at loopback fakes.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr

__all__ = [
    "GitHubSettings",
    "JiraSettings",
    "ServiceNowSettings",
    "WebhookSettings",
    "WebhookSource",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class JiraSettings(_Frozen):
    # Jira Cloud site, e.g. https://acme.atlassian.net
    base_url: str | None = None
    # the account's email and an API token (id.atlassian.com > Security > API tokens)
    email: str | None = None
    api_token: SecretStr | None = None
    issue_type: str = "Task"

    @property
    def configured(self) -> bool:
        return bool(self.base_url and self.email and self.api_token)


class ServiceNowSettings(_Frozen):
    # the instance, e.g. https://acme.service-now.com
    instance_url: str | None = None
    # a user with the itil role (basic auth)
    username: str | None = None
    password: SecretStr | None = None

    @property
    def configured(self) -> bool:
        return bool(self.instance_url and self.username and self.password)


class GitHubSettings(_Frozen):
    # https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server
    api_url: str = "https://api.github.com"
    # a fine-grained token with contents:write and pull_requests:write on the team repos
    token: SecretStr | None = None
    base_branch: str = "main"

    @property
    def configured(self) -> bool:
        return self.token is not None


class WebhookSource(_Frozen):
    """How one platform proves a webhook call is its own; set one method or more.

    Unset everywhere means the platform's calls are refused with 401: nothing is ever
    accepted unauthenticated. connectors/webhooks/auth.py cites each platform's docs.
    """

    # a shared token: "Authorization: Bearer <token>" (Wiz "Token (Bearer)", Orca's API
    # Key field), the raw value of ``token_header`` (a Prisma Cloud custom header), or
    # the ``token_query`` parameter (Lacework puts the token in the webhook URL)
    token: SecretStr | None = None
    token_header: str = "authorization"
    token_query: str | None = None  # None: the platform's documented default, if any
    # HTTP basic auth (Wiz webhook action "Basic", Prisma Cloud Compute credentials)
    username: str | None = None
    password: SecretStr | None = None
    # HMAC-SHA256 over "<timestamp>.<raw body>", for a signing relay in front of us;
    # when set it is required (a token or password alone no longer passes)
    hmac_secret: SecretStr | None = None
    signature_header: str = "x-posture-signature"
    timestamp_header: str = "x-posture-timestamp"

    @property
    def configured(self) -> bool:
        return bool(self.token or (self.username and self.password) or self.hmac_secret)


class WebhookSettings(_Frozen):
    """The webhook inbox (``POST /webhooks/{source}`` on the bot's HTTP server).

    Set from ``POSTURE_WEBHOOKS__WIZ__TOKEN`` and the like, or ``webhooks:`` in
    posture.yaml.
    """

    wiz: WebhookSource = Field(default_factory=WebhookSource)
    prisma: WebhookSource = Field(default_factory=WebhookSource)
    lacework: WebhookSource = Field(default_factory=WebhookSource)
    orca: WebhookSource = Field(default_factory=WebhookSource)
    # largest body accepted; a Prisma Cloud batch of alerts is the biggest we expect
    max_body_bytes: int = Field(default=5 * 1024 * 1024, ge=1024, le=64 * 1024 * 1024)
    # signed calls older or newer than this are replays (or a clock gone wrong)
    replay_window_s: int = Field(default=300, ge=10, le=3600)

    def source(self, name: str) -> WebhookSource:
        """The settings of one source (``wiz``, ``prisma``, ``lacework`` or ``orca``)."""
        value = getattr(self, name, None)
        if not isinstance(value, WebhookSource):
            raise KeyError(name)
        return value

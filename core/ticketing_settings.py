"""Credentials and endpoints for the systems fixes are delivered to, and webhook secrets.

Plain models nested in ``core.settings.Settings``; each field says where the value comes
from. Base URLs are configuration so tests point them at loopback fakes.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr

__all__ = ["GitHubSettings", "JiraSettings", "ServiceNowSettings", "WebhookSettings"]


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


class WebhookSettings(_Frozen):
    """Shared secrets the CNAPPs sign or authenticate their webhook calls with.

    Filled in by the webhook inbox (connectors/webhooks); unset means that source's
    webhooks are refused with 401.
    """

    secrets: dict[str, SecretStr] = Field(default_factory=dict)

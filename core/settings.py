"""Configuration: the only module that reads environment variables.

Everything else receives a ``Settings`` (or the part of it it needs) by constructor
injection, so tests build their own and nothing reads the environment at import time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import platformdirs
import yaml
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

from core.errors import ConfigError
from core.routing import AccessSettings, TeamRoute
from core.source_settings import (
    SOURCE_NAMES,
    HttpSettings,
    LaceworkSettings,
    OrcaSettings,
    PrismaSettings,
    RateLimit,
    SyncSettings,
    WizSettings,
)
from core.ticketing_settings import (
    GitHubSettings,
    JiraSettings,
    ServiceNowSettings,
    WebhookSettings,
)

__all__ = [
    "SOURCE_NAMES",
    "AccessSettings",
    "AnthropicSettings",
    "GitHubSettings",
    "HttpSettings",
    "JiraSettings",
    "LaceworkSettings",
    "OrcaSettings",
    "PrismaSettings",
    "RateLimit",
    "ServiceNowSettings",
    "Settings",
    "SlackSettings",
    "StoreSettings",
    "SyncSettings",
    "TeamRoute",
    "WebhookSettings",
    "WizSettings",
    "config_file_path",
]


def _default_home() -> Path:
    return Path(platformdirs.user_data_dir("posture-copilot", appauthor=False))


class StoreSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    # DuckDB memory cap for one process; DuckDB's own default is 80% of RAM.
    memory_limit: str = "4GB"
    # Wall-clock limit for one user query, seconds.
    query_timeout_s: float = 10.0


class SlackSettings(BaseSettings):
    """The Slack app's credentials and runner options.

    Slack's own variable names (``SLACK_BOT_TOKEN``, ``SLACK_APP_TOKEN``,
    ``SLACK_SIGNING_SECRET``, ``SLACK_API_URL``) work, as do ``POSTURE_SLACK__*``; the
    latter win when both are set. A nested ``BaseSettings`` because the unprefixed names
    are outside ``Settings``' prefix.
    """

    model_config = SettingsConfigDict(
        env_prefix="POSTURE_SLACK__", extra="ignore", frozen=True, populate_by_name=True
    )

    # Basic Information > Credentials > Signing Secret
    signing_secret: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "signing_secret", "POSTURE_SLACK__SIGNING_SECRET", "SLACK_SIGNING_SECRET"
        ),
    )
    # OAuth & Permissions > Bot User OAuth Token (xoxb-...)
    bot_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("bot_token", "POSTURE_SLACK__BOT_TOKEN", "SLACK_BOT_TOKEN"),
    )
    # Basic Information > App-Level Tokens (xapp-..., connections:write) for Socket Mode
    app_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("app_token", "POSTURE_SLACK__APP_TOKEN", "SLACK_APP_TOKEN"),
    )
    # Web API base; a fake Slack on loopback in tests, or a proxy
    api_url: str = Field(
        default="https://slack.com/api/",
        validation_alias=AliasChoices("api_url", "POSTURE_SLACK__API_URL", "SLACK_API_URL"),
    )
    # HTTP mode: where `posture serve` listens for Slack's requests (Request URL)
    host: str = "0.0.0.0"
    port: int = Field(default=3000, ge=1, le=65535)
    # Threads that answer questions after Slack's request was acknowledged; answering is
    # CPU-bound under one GIL, so more threads only slow the acknowledgements down
    workers: int = Field(default=4, ge=1, le=64)
    # Slack allows about one message a second per channel
    send_interval_s: float = Field(default=1.0, ge=0.0, le=10.0)
    # chat.startStream / appendStream / stopStream in assistant threads, when Slack offers it
    streaming: bool = True


class AnthropicSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    # console.anthropic.com > API Keys; ANTHROPIC_API_KEY works too. Unset: offline only.
    api_key: SecretStr | None = None
    # API base; a fake Messages API on loopback in tests
    base_url: str | None = None
    # the small fast model translates questions; the larger one drafts fixes and summaries
    fast_model: str = "claude-haiku-4-5"
    large_model: str = "claude-sonnet-4-6"
    # per user: requests a minute, and tokens a calendar month (UTC), before falling back
    requests_per_minute: int = 10
    monthly_tokens: int = 2_000_000


class _ConfigFile(YamlConfigSettingsSource):
    """The YAML file, with a syntax error turned into a line that names the file."""

    def _read_file(self, file_path: Any) -> dict[str, Any]:
        try:
            data = super()._read_file(file_path)
        except yaml.YAMLError as exc:
            raise ConfigError(
                f"The config file {file_path} is not valid YAML ({exc.__class__.__name__}).",
                remediation="Fix the file (`python -m yaml` or any YAML linter shows where).",
            ) from None
        if not isinstance(data, dict):
            raise ConfigError(
                f"The config file {file_path} must hold a mapping at the top level.",
                remediation="Start it with keys such as `teams:` and `access:`.",
            )
        return data


def config_file_path() -> Path:
    """The YAML config file: ``$POSTURE_CONFIG``, else ``$POSTURE_HOME/posture.yaml``.

    Teams, routing and RBAC are lists and maps that read badly as variables, so they
    live in this file; variables still win over it for anything set both ways.
    """
    explicit = os.environ.get("POSTURE_CONFIG")
    if explicit:
        return Path(explicit)
    home = os.environ.get("POSTURE_HOME")
    return (Path(home) if home else _default_home()) / "posture.yaml"


class Settings(BaseSettings):
    """All configuration, read from ``POSTURE_*`` variables (nested with ``__``) and the
    YAML file at ``config_file_path()`` (variables win).

    ``POSTURE_HOME`` is the data dir holding ``posture.duckdb``; it defaults to the
    per-user data dir (``~/.local/share/posture-copilot`` on Linux).
    """

    model_config = SettingsConfigDict(
        env_prefix="POSTURE_", env_nested_delimiter="__", extra="ignore", frozen=True
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        yaml_file = _ConfigFile(settings_cls, yaml_file=config_file_path())
        return init_settings, env_settings, dotenv_settings, yaml_file, file_secret_settings

    home: Path = Field(default_factory=_default_home)
    store: StoreSettings = Field(default_factory=StoreSettings)
    slack: SlackSettings = Field(default_factory=SlackSettings)
    anthropic: AnthropicSettings = Field(default_factory=AnthropicSettings)
    wiz: WizSettings = Field(default_factory=WizSettings)
    prisma: PrismaSettings = Field(default_factory=PrismaSettings)
    lacework: LaceworkSettings = Field(default_factory=LaceworkSettings)
    orca: OrcaSettings = Field(default_factory=OrcaSettings)
    http: HttpSettings = Field(default_factory=HttpSettings)
    sync: SyncSettings = Field(default_factory=SyncSettings)
    # The Anthropic SDK's own variable, accepted as well as POSTURE_ANTHROPIC__API_KEY.
    anthropic_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("ANTHROPIC_API_KEY")
    )
    # owner team -> where its tickets, pull requests and Slack messages go, and who may do what
    teams: dict[str, TeamRoute] = Field(default_factory=dict)
    access: AccessSettings = Field(default_factory=AccessSettings)
    jira: JiraSettings = Field(default_factory=JiraSettings)
    servicenow: ServiceNowSettings = Field(default_factory=ServiceNowSettings)
    github: GitHubSettings = Field(default_factory=GitHubSettings)
    webhooks: WebhookSettings = Field(default_factory=WebhookSettings)

    @property
    def store_path(self) -> Path:
        return self.home / "posture.duckdb"

    @property
    def workflow_path(self) -> Path:
        """Proposals, tickets, the webhook inbox: SQLite, safe for several processes."""
        return self.home / "workflow.sqlite3"

    @property
    def audit_path(self) -> Path:
        return self.home / "audit.jsonl"

    @property
    def admin_path(self) -> Path:
        """Switches an admin sets at run time (Claude on/off), with who set them."""
        return self.home / "admin.json"

    @property
    def claude_api_key(self) -> SecretStr | None:
        return self.anthropic.api_key or self.anthropic_api_key

    def configured_sources(self) -> list[str]:
        """The CNAPP sources with enough settings to connect, in a fixed order."""
        return [n for n in SOURCE_NAMES if getattr(self, n).configured]

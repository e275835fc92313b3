"""Configuration: the only module that reads environment variables.

Everything else receives a ``Settings`` (or the part of it it needs) by constructor
injection, so tests build their own and nothing reads the environment at import time.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["AnthropicSettings", "Settings", "SlackSettings", "StoreSettings"]


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


class Settings(BaseSettings):
    """All configuration, read from ``POSTURE_*`` variables (nested with ``__``).

    ``POSTURE_HOME`` is the data dir holding ``posture.duckdb``; it defaults to the
    per-user data dir (``~/.local/share/posture-copilot`` on Linux).
    """

    model_config = SettingsConfigDict(
        env_prefix="POSTURE_", env_nested_delimiter="__", extra="ignore", frozen=True
    )

    home: Path = Field(default_factory=_default_home)
    store: StoreSettings = Field(default_factory=StoreSettings)
    slack: SlackSettings = Field(default_factory=SlackSettings)
    anthropic: AnthropicSettings = Field(default_factory=AnthropicSettings)
    # The Anthropic SDK's own variable, accepted as well as POSTURE_ANTHROPIC__API_KEY.
    anthropic_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("ANTHROPIC_API_KEY")
    )

    @property
    def store_path(self) -> Path:
        return self.home / "posture.duckdb"

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

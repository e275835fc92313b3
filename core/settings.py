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


class SlackSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    # Basic Information > Credentials > Signing Secret
    signing_secret: SecretStr | None = None
    # OAuth & Permissions > Bot User OAuth Token (xoxb-...)
    bot_token: SecretStr | None = None
    # Basic Information > App-Level Tokens (xapp-..., connections:write) for Socket Mode
    app_token: SecretStr | None = None
    # Web API base; a fake Slack on loopback in tests
    api_url: str = "https://slack.com/api/"


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

"""CNAPP source settings, nested in ``core.settings.Settings`` as ``wiz``, ``prisma``,
``lacework``, ``orca``, ``http`` and ``sync``: ``POSTURE_<SOURCE>__*`` variables (e.g.
``POSTURE_WIZ__CLIENT_ID``) or the config file.

Secrets are SecretStr: they print as ********** and are unwrapped only when a request
needs them. Rate limits default to what each vendor publishes; where a vendor publishes
none, the default is a conservative guess, marked as such.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr

__all__ = [
    "SOURCE_NAMES",
    "HttpSettings",
    "LaceworkSettings",
    "OrcaSettings",
    "PrismaSettings",
    "RateLimit",
    "SyncSettings",
    "WizSettings",
]

SOURCE_NAMES = ("wiz", "prisma", "lacework", "orca")


class _Frozen(BaseModel):
    """A connector settings block: immutable, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class RateLimit(_Frozen):
    """``requests`` per ``per_s`` seconds on average, ``burst`` back to back."""

    requests: float = Field(gt=0)
    per_s: float = Field(default=1.0, gt=0)
    burst: int = Field(default=1, ge=1)


class HttpSettings(_Frozen):
    """Timeouts and retries every CNAPP client shares (``POSTURE_HTTP__*``)."""

    connect_timeout_s: float = Field(default=5.0, gt=0)
    # a page of 500 Wiz vulnerability findings can take several seconds to build
    read_timeout_s: float = Field(default=60.0, gt=0)
    attempts: int = Field(default=6, ge=1, le=20)
    backoff_base_s: float = Field(default=0.5, ge=0)
    backoff_max_s: float = Field(default=30.0, ge=0)
    retry_after_cap_s: float = Field(default=120.0, ge=0)


class WizSettings(_Frozen):
    # Settings > Access Management > Service Accounts > (account) > Client ID / Secret
    client_id: str | None = None
    client_secret: SecretStr | None = None
    # Your data center's GraphQL endpoint: User Settings > Tenant > API Endpoint URL,
    # e.g. https://api.us17.app.wiz.io/graphql
    api_url: str | None = None
    # Cognito-era tenants use https://auth.wiz.io/oauth/token with audience "beyond-api"
    auth_url: str = "https://auth.app.wiz.io/oauth/token"
    audience: str = "wiz-api"
    portal_url: str = "https://app.wiz.io"
    # Wiz pages hold at most 500 nodes (`first` <= 500)
    page_size: int = Field(default=500, ge=1, le=500)
    # Wiz does not publish one number for every tenant; 3 requests a second is a guess
    rate: RateLimit = RateLimit(requests=3, burst=3)

    @property
    def configured(self) -> bool:
        return bool(self.client_id and self.client_secret and self.api_url)


class PrismaSettings(_Frozen):
    # The stack's API URL (api, api2, api3, api.eu, api.anz, ...): see pan.dev "API URLs"
    api_url: str = "https://api.prismacloud.io"
    # Settings > Access Control > Access Keys: Access Key ID / Secret Key
    access_key_id: str | None = None
    secret_key: SecretStr | None = None
    # Runtime Security > System > Utilities > Path to Console (Compute API base)
    compute_url: str | None = None
    app_url: str = "https://app.prismacloud.io"
    alert_page_size: int = Field(default=1000, ge=1, le=10000)  # alerts v2: limit <= 10,000
    config_page_size: int = Field(default=1000, ge=1, le=10000)
    compute_page_size: int = Field(default=50, ge=1, le=50)  # Compute lists: limit <= 50
    # Tokens live 10 minutes; extend them with time to spare
    token_ttl_s: float = Field(default=600.0, gt=0)
    refresh_margin_s: float = Field(default=120.0, ge=0)
    # POST /v2/alert: "Request rate limit: 2/sec, Burst limit: 10/sec" (Alerts OpenAPI)
    rate: RateLimit = RateLimit(requests=2, burst=10)

    @property
    def configured(self) -> bool:
        return bool(self.access_key_id and self.secret_key)


class LaceworkSettings(_Frozen):
    # The account subdomain: "acme" for https://acme.lacework.net
    account: str | None = None
    api_url: str | None = None  # defaults to https://<account>.lacework.net
    console_url: str | None = None  # defaults to api_url
    # Settings > Configuration > API keys: Key ID / Secret
    key_id: str | None = None
    secret: SecretStr | None = None
    sub_account: str | None = None  # sent as Account-Name for organisation sub-accounts
    token_expiry_s: int = Field(default=3600, ge=300, le=86400)
    # search time filters are chunked into windows of this many days
    window_days: float = Field(default=7.0, gt=0)
    lookback_days: float = Field(default=180.0, gt=0)  # how far back a full sync reaches
    # Lacework limits API calls per hour; 480/hour is the documented default at writing
    rate: RateLimit = RateLimit(requests=480, per_s=3600, burst=60)

    @property
    def base_url(self) -> str | None:
        if self.api_url:
            return self.api_url.rstrip("/")
        return f"https://{self.account}.lacework.net" if self.account else None

    @property
    def console(self) -> str:
        return (self.console_url or self.base_url or "https://lacework.net").rstrip("/")

    @property
    def configured(self) -> bool:
        return bool(self.base_url and self.key_id and self.secret)


class OrcaSettings(_Frozen):
    api_url: str = "https://api.orcasecurity.io"  # EU tenants: https://app.eu.orcasecurity.io
    # Settings > Users & Permissions > API > Add API token
    api_token: SecretStr | None = None
    app_url: str = "https://app.orcasecurity.io"
    page_size: int = Field(default=1000, ge=1, le=1000)
    # Orca publishes no general limit; 5 requests a second is a guess
    rate: RateLimit = RateLimit(requests=5, burst=5)

    @property
    def configured(self) -> bool:
        return self.api_token is not None


class SyncSettings(_Frozen):
    # an incremental sync asks for changes since the previous start minus this margin,
    # so a clock difference with the platform loses nothing (upserts make repeats harmless)
    overlap_s: float = Field(default=300.0, ge=0)
    # pages are committed in groups of at least this many records (1: every page alone);
    # a crash costs at most one group, and fewer, larger MERGEs keep a big store fast
    commit_records: int = Field(default=2000, ge=1)

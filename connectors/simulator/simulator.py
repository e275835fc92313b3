"""The simulator as one object: estate in, four platforms on one loopback port out.

>>> from estate import generate_estate
>>> sim = Simulator(generate_estate(seed=1, scale=0.02)).start()
>>> sim.connector_settings().wiz.api_url.endswith("/wiz/graphql")
True
>>> sim.stop()
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any

from connectors.simulator.faults import FaultPlan, ServerLimit
from connectors.simulator.lacework import LaceworkApi
from connectors.simulator.orca import OrcaApi
from connectors.simulator.prisma import PrismaApi
from connectors.simulator.server import Credentials, SimServer
from connectors.simulator.state import SimState
from connectors.simulator.wiz import WizApi
from core.settings import (
    HttpSettings,
    LaceworkSettings,
    OrcaSettings,
    PrismaSettings,
    RateLimit,
    Settings,
    SyncSettings,
    WizSettings,
)
from estate import Estate, generate_estate

__all__ = ["PUBLISHED_LIMITS", "Simulator"]

# Server-side limits: each platform's published limit with a little slack, so a client
# that keeps to its own bucket is never refused (see core.settings for the sources).
PUBLISHED_LIMITS: dict[str, tuple[float, int]] = {
    "wiz": (4.0, 6),
    "prisma": (2.5, 12),
    "lacework": (600 / 3600, 80),
    "orca": (6.0, 8),
}
_FAST = RateLimit(requests=10_000, burst=10_000)
_FAST_HTTP = HttpSettings(
    attempts=10, backoff_base_s=0.01, backoff_max_s=0.2, retry_after_cap_s=2.0
)


class Simulator:
    """Wiz, Prisma Cloud, Lacework and Orca serving one estate.

    Args:
        estate: what to serve.
        faults: which faults to inject, how often, from which seed.
        limits: per-platform (requests a second, burst) enforced with 429s; None for none.
        prisma_token_ttl_s: how long a Prisma Cloud token lives (10 minutes there).
        lacework_rows: rows per Lacework page (5,000 there).
    """

    def __init__(
        self,
        estate: Estate,
        *,
        faults: FaultPlan | None = None,
        limits: dict[str, tuple[float, int]] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        prisma_token_ttl_s: float = 600.0,
        lacework_rows: int = 5000,
        credentials: Credentials | None = None,
    ) -> None:
        self.estate = estate
        self.state = SimState(estate)
        self.server = SimServer(
            self.state,
            faults=faults or FaultPlan(),
            limits={k: ServerLimit(rate, burst) for k, (rate, burst) in (limits or {}).items()},
            credentials=credentials or Credentials(),
            host=host,
            port=port,
        )
        self.server.platforms = {
            "wiz": WizApi(self.server),
            "prisma": PrismaApi(self.server, token_ttl_s=prisma_token_ttl_s),
            "lacework": LaceworkApi(self.server, rows_per_page=lacework_rows),
            "orca": OrcaApi(self.server),
        }

    @classmethod
    def from_seed(
        cls, seed: int = 7, scale: float = 1.0, now: datetime | None = None, **kwargs: object
    ) -> Simulator:
        """A simulator for ``generate_estate(seed, scale, now)``."""
        return cls(generate_estate(seed=seed, scale=scale, now=now), **kwargs)  # type: ignore[arg-type]

    def start(self) -> Simulator:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def lookback_days(self) -> float:
        """Days back to the oldest change the estate holds, with a day to spare."""
        oldest = min(
            (row[0] for coll in self.state.findings.values() for row in coll.items[:1]),
            default=self.estate.now,
        )
        return max(1.0, (datetime.now(UTC) - oldest) / timedelta(days=1) + 1)

    def connector_settings(
        self,
        *,
        fast: bool = True,
        page_size: int | None = None,
        http: HttpSettings | None = None,
        commit_records: int | None = None,
    ) -> Settings:
        """Settings that point every source at this simulator with its credentials.

        ``fast`` lifts the client-side rate limits, shortens backoff and commits in big
        groups (tests, the demo); without it the published defaults apply. ``page_size``
        shrinks pages so a small estate still spans many; ``commit_records`` 1 commits
        every page on its own.
        """
        extra: dict[str, Any] = {"rate": _FAST} if fast else {}
        lookback = self.lookback_days()
        return Settings(
            **self._platforms(page_size, extra),
            lacework=LaceworkSettings(
                api_url=f"{self.base_url}/lacework",
                console_url="https://acme.lacework.net",
                key_id=self.server.credentials.lacework_key_id,
                secret=self.server.credentials.lacework_secret,
                lookback_days=lookback,
                window_days=lookback if fast else 7.0,
                **extra,
            ),
            sync=SyncSettings(commit_records=commit_records or (20_000 if fast else 2000)),
            http=http or (_FAST_HTTP if fast else HttpSettings()),
        )

    def _platforms(self, page_size: int | None, extra: dict[str, Any]) -> dict[str, Any]:
        base, creds, size = self.base_url, self.server.credentials, page_size or 500
        return {
            "wiz": WizSettings(
                client_id=creds.wiz_client_id,
                client_secret=creds.wiz_client_secret,
                api_url=f"{base}/wiz/graphql",
                auth_url=f"{base}/wiz/oauth/token",
                page_size=min(size, 500),
                **extra,
            ),
            "prisma": PrismaSettings(
                api_url=f"{base}/prisma",
                compute_url=f"{base}/prisma/compute",
                access_key_id=creds.prisma_access_key_id,
                secret_key=creds.prisma_secret_key,
                alert_page_size=page_size or 1000,
                config_page_size=page_size or 1000,
                compute_page_size=min(size, 50),
                **extra,
            ),
            "orca": OrcaSettings(
                api_url=f"{base}/orca",
                api_token=creds.orca_api_token,
                page_size=min(size, 1000),
                **extra,
            ),
        }

"""Orca Security: a static API token and query endpoints paged by ``next_page_token``.

Auth: every request carries ``Authorization: Token <api token>`` (Orca's API token
page; the same header Cortex XSOAR's Orca collector sends). Alerts:
``GET /api/query/alerts`` with ``limit``, a ``dsl_filter`` range on
``state.last_updated`` for changes since the last sync (sorted ascending), and
``next_page_token`` from the previous answer while ``has_next_page_token``. Assets:
``GET /api/query/assets`` the same way on ``state.last_seen``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import partial

import httpx

from connectors.base import RawPage, StreamSpec
from connectors.client import HttpConnector, source_http
from connectors.common import iso
from connectors.orca.mapping import alert_to_finding, asset_to_models
from core.errors import ConfigError
from core.models import Source
from core.settings import HttpSettings, OrcaSettings

__all__ = ["OrcaAuth", "OrcaClient"]


class OrcaAuth:
    """The API token: nothing to fetch and nothing to refresh."""

    def __init__(self, settings: OrcaSettings) -> None:
        self._s = settings

    def headers(self) -> dict[str, str]:
        assert self._s.api_token is not None
        return {"Authorization": f"Token {self._s.api_token.get_secret_value()}"}

    def refresh(self) -> None:
        """A refused API token stays refused; the next 401 becomes an AuthError."""


class OrcaClient(HttpConnector):
    """Assets and alerts from one Orca organisation."""

    source = Source.ORCA

    def __init__(
        self,
        settings: OrcaSettings,
        *,
        http: HttpSettings | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not settings.configured:
            raise ConfigError("orca: set POSTURE_ORCA__API_TOKEN (and POSTURE_ORCA__API_URL).")
        super().__init__(
            source_http(
                "orca",
                settings.rate,
                http,
                base_url=settings.api_url.rstrip("/"),
                transport=transport,
                sleep=sleep,
            )
        )
        self.settings = settings
        self.auth = OrcaAuth(settings)

    def authenticate(self) -> None:
        """Orca has no token endpoint: a one-row query proves the token works."""
        self.http.send_json(
            "GET", "/api/query/alerts", params={"limit": 1}, headers=self.auth.headers()
        )

    def streams(self) -> list[StreamSpec]:
        app = self.settings.app_url
        return [
            StreamSpec(
                "assets",
                "assets",
                partial(self._query, "assets", "state.last_seen"),
                asset_to_models,
            ),
            StreamSpec(
                "alerts",
                "findings",
                partial(self._query, "alerts", "state.last_updated"),
                lambda alert: [alert_to_finding(alert, app_url=app)],
            ),
        ]

    def _query(
        self, what: str, field: str, since: datetime | None, resume: str | None
    ) -> Iterator[RawPage]:
        """Follow ``next_page_token`` while ``has_next_page_token``."""
        dsl = {
            "filter": [{"field": field, "range": {"gt": iso(since)}}] if since else [],
            "sort": [{"field": field, "order": "asc"}],
        }
        params: dict[str, str | int] = {
            "limit": self.settings.page_size,
            "dsl_filter": json.dumps(dsl),
        }
        token = resume
        while True:
            page, _ = self.http.send_json(
                "GET",
                f"/api/query/{what}",
                headers=self.auth.headers(),
                params={**params, **({"next_page_token": token} if token else {})},
            )
            token = page.get("next_page_token") if page.get("has_next_page_token") else None
            yield RawPage(what, list(page.get("data") or []), token or None)
            if not token:
                return

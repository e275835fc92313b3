"""Prisma Cloud: CSPM alerts and RQL config search, Compute image and function scans.

CSPM auth (pan.dev "Login"): ``POST /login`` with ``{"username": <access key id>,
"password": <secret key>}`` returns a JWT sent as ``x-redlock-auth``; it lives 10
minutes and ``GET /auth_token/extend`` renews it, which the client does before expiry.
Alerts (pan.dev "List Alerts V2 - POST"): ``POST /v2/alert`` with a ``timeRange``,
``limit`` (<= 10,000) and ``pageToken`` = the previous ``nextPageToken``; 2 requests a
second, bursts of 10. Config search: ``POST /search/config`` then
``/search/config/page``. Compute (pan.dev "Compute API"): ``POST /api/v1/authenticate``
gives a bearer token; ``GET /api/v1/images`` and ``/api/v1/serverless`` page with
``offset``/``limit`` and report ``Total-Count``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import partial
from typing import Any

import httpx

from connectors.base import RawPage, StreamSpec
from connectors.client import HttpConnector, source_http
from connectors.common import epoch_ms
from connectors.http import SourceHttp
from connectors.prisma.columnar import columnar_alerts
from connectors.prisma.compute_mapping import function_to_models, image_to_models
from connectors.prisma.mapping import alert_to_finding, config_item_to_models
from core.errors import AuthError, ConfigError
from core.models import Source
from core.settings import HttpSettings, PrismaSettings

__all__ = ["ComputeAuth", "PrismaAuth", "PrismaClient"]

# everything the other streams do not cover: images and functions come from Compute
CONFIG_RQL = "config from cloud.resource where cloud.type IN ('aws', 'azure', 'gcp')"


class PrismaAuth:
    """The CSPM JWT: logged in once, extended before its 10 minutes run out."""

    def __init__(
        self,
        http: SourceHttp,
        settings: PrismaSettings,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http, self._s, self._clock = http, settings, clock
        self._token: str | None = None
        self._issued = 0.0

    def headers(self) -> dict[str, str]:
        if self._token is None:
            self.refresh()
        elif self._clock() - self._issued >= self._s.token_ttl_s - self._s.refresh_margin_s:
            self._extend()
        return {"x-redlock-auth": str(self._token)}

    def _extend(self) -> None:
        """Renew the token; one revoked meanwhile means logging in again."""
        try:
            body, _ = self._http.send_json(
                "GET",
                f"{self._s.api_url.rstrip('/')}/auth_token/extend",
                headers={"x-redlock-auth": str(self._token)},
            )
        except AuthError:
            self.refresh()
            return
        self._token, self._issued = str(body["token"]), self._clock()

    def refresh(self) -> None:
        s = self._s
        assert s.access_key_id and s.secret_key, "checked by PrismaClient"
        body, _ = self._http.send_json(
            "POST",
            f"{s.api_url.rstrip('/')}/login",
            json={"username": s.access_key_id, "password": s.secret_key.get_secret_value()},
        )
        self._token, self._issued = str(body["token"]), self._clock()


class ComputeAuth:
    """The Compute console's bearer token (the same access key)."""

    def __init__(self, http: SourceHttp, settings: PrismaSettings) -> None:
        self._http, self._s = http, settings
        self._token: str | None = None

    def headers(self) -> dict[str, str]:
        if self._token is None:
            self.refresh()
        return {"Authorization": f"Bearer {self._token}"}

    def refresh(self) -> None:
        s = self._s
        assert s.compute_url and s.access_key_id and s.secret_key
        body, _ = self._http.send_json(
            "POST",
            f"{s.compute_url.rstrip('/')}/api/v1/authenticate",
            json={"username": s.access_key_id, "password": s.secret_key.get_secret_value()},
        )
        self._token = str(body["token"])


class PrismaClient(HttpConnector):
    """Alerts, config resources and (with a Compute URL) image and function scans."""

    source = Source.PRISMA

    def __init__(
        self,
        settings: PrismaSettings,
        *,
        http: HttpSettings | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if not settings.configured:
            raise ConfigError(
                "prisma: set POSTURE_PRISMA__ACCESS_KEY_ID and "
                "POSTURE_PRISMA__SECRET_KEY (and POSTURE_PRISMA__API_URL)."
            )
        super().__init__(
            source_http("prisma", settings.rate, http, transport=transport, sleep=sleep)
        )
        self.settings, self._now = settings, now
        self.auth = PrismaAuth(self.http, settings)
        self.compute_auth = ComputeAuth(self.http, settings) if settings.compute_url else None

    def authenticate(self) -> None:
        self.auth.refresh()
        if self.compute_auth is not None:
            self.compute_auth.refresh()

    def streams(self) -> list[StreamSpec]:
        app = self.settings.app_url
        out = []
        if self.compute_auth is not None:
            out += [
                StreamSpec("images", "assets", partial(self._compute, "images"), image_to_models),
                StreamSpec(
                    "functions", "assets", partial(self._compute, "serverless"), function_to_models
                ),
            ]
        out += [
            StreamSpec("resources", "assets", self._config, config_item_to_models),
            StreamSpec(
                "alerts",
                "findings",
                self._alerts,
                lambda item: [alert_to_finding(item, app_url=app)],
                columnar=columnar_alerts(app),
            ),
        ]
        return out

    def _url(self, path: str) -> str:
        return f"{self.settings.api_url.rstrip('/')}{path}"

    def _alerts(self, since: datetime | None, resume: str | None) -> Iterator[RawPage]:
        """Alerts updated in [since, now], following ``nextPageToken``."""
        time_range: dict[str, Any] = {"type": "to_now", "value": "epoch"}
        if since is not None:
            time_range = {
                "type": "absolute",
                "value": {"startTime": epoch_ms(since), "endTime": epoch_ms(self._now())},
            }
        body: dict[str, Any] = {
            "timeRange": time_range,
            "filters": [],
            "detailed": True,
            "limit": self.settings.alert_page_size,
            "sortBy": ["lastUpdated:asc"],
        }
        token = resume
        while True:
            page, _ = self.http.send_json(
                "POST",
                self._url("/v2/alert"),
                auth=self.auth,
                json={**body, **({"pageToken": token} if token else {})},
            )
            token = page.get("nextPageToken") or None
            yield RawPage("alerts", list(page.get("items") or []), token)
            if token is None:
                return

    def _config(self, since: datetime | None, resume: str | None) -> Iterator[RawPage]:
        """Every config resource: a search, then its pages (no changed-since filter)."""
        limit, token = self.settings.config_page_size, resume
        while True:
            if token is None:
                body, _ = self.http.send_json(
                    "POST",
                    self._url("/search/config"),
                    auth=self.auth,
                    json={
                        "query": CONFIG_RQL,
                        "limit": limit,
                        "withResourceJson": True,
                        "timeRange": {"type": "to_now", "value": "epoch"},
                    },
                )
                page = body.get("data") or {}
            else:
                page, _ = self.http.send_json(
                    "POST",
                    self._url("/search/config/page"),
                    auth=self.auth,
                    json={"pageToken": token, "limit": limit, "withResourceJson": True},
                )
            token = page.get("nextPageToken") or None
            yield RawPage("resources", list(page.get("items") or []), token)
            if token is None:
                return

    def _compute(self, kind: str, since: datetime | None, resume: str | None) -> Iterator[RawPage]:
        """A Compute list by ``offset``/``limit`` until ``Total-Count`` is reached."""
        assert self.settings.compute_url and self.compute_auth is not None
        url = f"{self.settings.compute_url.rstrip('/')}/api/v1/{kind}"
        stream = "images" if kind == "images" else "functions"
        offset, limit = int(resume or 0), self.settings.compute_page_size
        while True:
            items, response = self.http.send_json(
                "GET", url, auth=self.compute_auth, params={"offset": offset, "limit": limit}
            )
            items = list(items or [])
            total = int(response.headers.get("Total-Count") or offset + len(items))
            offset += len(items)
            done = not items or offset >= total
            yield RawPage(stream, items, None if done else str(offset))
            if done:
                return

"""Lacework (FortiCNAPP) API v2: access tokens, time-windowed searches, next-page URLs.

Auth (API reference, "API Access Keys and Tokens"): ``POST /api/v2/access/tokens``
with header ``X-LW-UAKS: <secret>`` and body ``{"keyId": ..., "expiryTime": 3600}``
returns ``{"token", "expiresAt"}``, sent as ``Authorization: Bearer``. The searches take
a ``timeFilter`` ({startTime, endTime}); the client walks the range in windows of
``window_days`` and, within a window, follows ``paging.urls.nextPage`` (a GET URL)
until it is null. Rows per page are the server's (5,000).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import httpx

from connectors.base import RawPage, StreamSpec
from connectors.client import HttpConnector, source_http
from connectors.common import iso, parse_time
from connectors.http import SourceHttp
from connectors.lacework.columnar import columnar_container_vulns
from connectors.lacework.mapping import (
    alert_to_finding,
    container_vuln_to_finding,
    inventory_to_models,
)
from core.errors import ConfigError
from core.models import Source
from core.settings import HttpSettings, LaceworkSettings

__all__ = ["LaceworkAuth", "LaceworkClient"]

_SEARCH = {
    "resources": "/api/v2/Inventory/search",
    "vulnerabilities": "/api/v2/Vulnerabilities/Containers/search",
    "alerts": "/api/v2/Alerts/search",
}
_CSPS = ("AWS", "Azure", "GCP")


class LaceworkAuth:
    """Temporary access tokens from the key id and secret."""

    def __init__(
        self,
        http: SourceHttp,
        settings: LaceworkSettings,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._http, self._s, self._clock = http, settings, clock
        self._token: str | None = None
        self._expires = datetime.min.replace(tzinfo=UTC)

    def headers(self) -> dict[str, str]:
        if self._token is None or self._clock() >= self._expires - timedelta(minutes=2):
            self.refresh()
        headers = {"Authorization": f"Bearer {self._token}"}
        if self._s.sub_account:
            headers["Account-Name"] = self._s.sub_account
        return headers

    def refresh(self) -> None:
        s = self._s
        assert s.base_url and s.key_id and s.secret, "checked by LaceworkClient"
        body, _ = self._http.send_json(
            "POST",
            f"{s.base_url}/api/v2/access/tokens",
            headers={"X-LW-UAKS": s.secret.get_secret_value()},
            json={"keyId": s.key_id, "expiryTime": s.token_expiry_s},
        )
        self._token = str(body["token"])
        self._expires = parse_time(body.get("expiresAt")) or (
            self._clock() + timedelta(seconds=s.token_expiry_s)
        )


class LaceworkClient(HttpConnector):
    """Inventory, container vulnerabilities and alerts from one Lacework account."""

    source = Source.LACEWORK

    def __init__(
        self,
        settings: LaceworkSettings,
        *,
        http: HttpSettings | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if not settings.configured:
            raise ConfigError(
                "lacework: set POSTURE_LACEWORK__ACCOUNT (or __API_URL), "
                "POSTURE_LACEWORK__KEY_ID and POSTURE_LACEWORK__SECRET."
            )
        super().__init__(
            source_http("lacework", settings.rate, http, transport=transport, sleep=sleep)
        )
        self.settings, self._now = settings, now
        self.auth = LaceworkAuth(self.http, settings, clock=now)

    def authenticate(self) -> None:
        self.auth.refresh()

    def streams(self) -> list[StreamSpec]:
        console = self.settings.console
        return [
            StreamSpec(
                "resources", "assets", partial(self._search, "resources"), inventory_to_models
            ),
            StreamSpec(
                "vulnerabilities",
                "findings",
                partial(self._search, "vulnerabilities"),
                lambda row: [container_vuln_to_finding(row, console_url=console)],
                columnar=columnar_container_vulns(console),
            ),
            StreamSpec(
                "alerts",
                "findings",
                partial(self._search, "alerts"),
                lambda row: [alert_to_finding(row, console_url=console)],
            ),
        ]

    def _windows(
        self, since: datetime | None, start_at: datetime | None
    ) -> Iterator[tuple[datetime, datetime]]:
        now = self._now()
        start = start_at or since or now - timedelta(days=self.settings.lookback_days)
        step = timedelta(days=self.settings.window_days)
        while start < now:
            end = min(start + step, now)
            yield start, end
            start = end

    def _search(self, stream: str, since: datetime | None, resume: str | None) -> Iterator[RawPage]:
        """Every window, every cloud (inventory), every next page: one page per yield.

        A page's resume token names its window, its cloud and the next-page URL (null when
        that window and cloud are done), which is where a resumed stream starts.
        """
        state = json.loads(resume) if resume else None
        start_at = parse_time(state["start"]) if state else None
        csps = _CSPS if stream == "resources" else (None,)
        for start, end in self._windows(since, start_at):
            for csp in csps:
                next_url = None
                if state is not None and start == start_at:
                    order = csps.index(csp) - csps.index(state["csp"])
                    if order < 0 or (order == 0 and not state["next"]):
                        continue  # done before the interruption
                    next_url = state["next"] if order == 0 else None
                yield from self._window(stream, start, end, csp, next_url)

    def _window(
        self, stream: str, start: datetime, end: datetime, csp: str | None, next_url: str | None
    ) -> Iterator[RawPage]:
        assert self.settings.base_url
        body: dict[str, Any] = {
            "timeFilter": {"startTime": iso(start), "endTime": iso(end)},
            "filters": [],
        }
        if csp:
            body["csp"] = csp
        url = next_url
        while True:
            if url is None:
                page, _ = self.http.send_json(
                    "POST", f"{self.settings.base_url}{_SEARCH[stream]}", auth=self.auth, json=body
                )
            else:
                page, _ = self.http.send_json("GET", url, auth=self.auth)
            url = ((page.get("paging") or {}).get("urls") or {}).get("nextPage")
            token = json.dumps({"start": iso(start), "csp": csp, "next": url})
            yield RawPage(stream, list(page.get("data") or []), token)
            if not url:
                return

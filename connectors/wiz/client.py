"""Wiz: OAuth2 client credentials, then GraphQL with cursor paging.

Auth (Wiz docs, "Authentication"): ``POST https://auth.app.wiz.io/oauth/token`` with a
form body ``grant_type=client_credentials&client_id=...&client_secret=...&
audience=wiz-api`` returns ``access_token`` and ``expires_in``; requests then go to the
tenant's data-center endpoint (``https://api.<dc>.app.wiz.io/graphql``) with
``Authorization: Bearer``. Paging: ``first`` (at most 500) and ``after`` = the previous
``pageInfo.endCursor`` while ``hasNextPage``. Incremental: ``filterBy.updatedAt.after``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import partial
from typing import Any

import httpx

from connectors.base import RawPage, StreamSpec
from connectors.client import HttpConnector, source_http
from connectors.common import iso
from connectors.http import SourceHttp
from connectors.wiz.columnar import COLUMNAR_VULNERABILITIES
from connectors.wiz.mapping import issue_to_finding, resource_to_models, vulnerability_to_finding
from connectors.wiz.queries import CLOUD_RESOURCES, ISSUES, VULNERABILITY_FINDINGS
from core.errors import ConfigError, UpstreamError
from core.models import Source
from core.settings import HttpSettings, WizSettings

__all__ = ["WizAuth", "WizClient"]

_EXPIRY_MARGIN_S = 60.0


class WizAuth:
    """Client-credentials tokens, fetched when missing or about to expire."""

    def __init__(
        self, http: SourceHttp, settings: WizSettings, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._http, self._settings, self._clock = http, settings, clock
        self._token: str | None = None
        self._expires = 0.0

    def headers(self) -> dict[str, str]:
        if self._token is None or self._clock() >= self._expires:
            self.refresh()
        return {"Authorization": f"Bearer {self._token}"}

    def refresh(self) -> None:
        s = self._settings
        assert s.client_id and s.client_secret, "checked by WizClient"
        form = {
            "grant_type": "client_credentials",
            "client_id": s.client_id,
            "client_secret": s.client_secret.get_secret_value(),
            "audience": s.audience,
        }
        body, _ = self._http.send_json(
            "POST",
            s.auth_url,
            data=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        self._token = str(body["access_token"])
        lifetime = float(body.get("expires_in") or 3600)
        self._expires = self._clock() + max(lifetime - _EXPIRY_MARGIN_S, lifetime / 2)


class WizClient(HttpConnector):
    """Issues, vulnerability findings and cloud resources from one Wiz tenant."""

    source = Source.WIZ

    def __init__(
        self,
        settings: WizSettings,
        *,
        http: HttpSettings | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not settings.configured:
            raise ConfigError(
                "wiz: set POSTURE_WIZ__CLIENT_ID, POSTURE_WIZ__CLIENT_SECRET and "
                "POSTURE_WIZ__API_URL."
            )
        super().__init__(source_http("wiz", settings.rate, http, transport=transport, sleep=sleep))
        self.settings = settings
        self.auth = WizAuth(self.http, settings)

    def authenticate(self) -> None:
        self.auth.refresh()

    def streams(self) -> list[StreamSpec]:
        portal = self.settings.portal_url
        return [
            StreamSpec(
                "resources",
                "assets",
                partial(self._pages, "resources", CLOUD_RESOURCES, "cloudResources"),
                resource_to_models,
            ),
            StreamSpec(
                "issues",
                "findings",
                partial(self._pages, "issues", ISSUES, "issues"),
                lambda node: [issue_to_finding(node, portal_url=portal)],
            ),
            StreamSpec(
                "vulnerabilities",
                "findings",
                partial(
                    self._pages, "vulnerabilities", VULNERABILITY_FINDINGS, "vulnerabilityFindings"
                ),
                lambda node: [vulnerability_to_finding(node)],
                columnar=COLUMNAR_VULNERABILITIES,
            ),
        ]

    def _query(self, document: str, variables: dict[str, Any], root: str) -> dict[str, Any]:
        assert self.settings.api_url
        body, _ = self.http.send_json(
            "POST",
            self.settings.api_url,
            auth=self.auth,
            json={"query": document, "variables": variables},
        )
        if not isinstance(body, dict) or body.get("errors") or not body.get("data"):
            errors = body.get("errors") if isinstance(body, dict) else None
            raise UpstreamError(
                f"wiz: the GraphQL query failed: {str(errors)[:300]}",
                status=200,
                body=str(errors)[:500],
            )
        connection: dict[str, Any] = body["data"][root]
        return connection

    def _pages(
        self, stream: str, document: str, root: str, since: datetime | None, resume: str | None
    ) -> Iterator[RawPage]:
        """Follow ``endCursor`` until ``hasNextPage`` is false, one page per yield."""
        after = resume
        filter_by = {"updatedAt": {"after": iso(since)}} if since else {}
        while True:
            variables = {"first": self.settings.page_size, "after": after, "filterBy": filter_by}
            connection = self._query(document, variables, root)
            info = connection.get("pageInfo") or {}
            cursor = info.get("endCursor") if info.get("hasNextPage") else None
            yield RawPage(stream, list(connection.get("nodes") or []), cursor)
            if cursor is None:
                return
            after = cursor

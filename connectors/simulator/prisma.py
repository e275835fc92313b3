"""The simulated Prisma Cloud: CSPM (login, alerts v2, RQL config search) and Compute.

CSPM: ``POST /prisma/login`` returns a JWT for ``x-redlock-auth`` that lives
``token_ttl_s`` (10 minutes by default) and ``GET /prisma/auth_token/extend`` renews it;
``POST /prisma/v2/alert`` pages with ``limit``/``pageToken``/``nextPageToken``;
``POST /prisma/search/config`` and ``/search/config/page`` serve the other resources.
Compute: ``POST /prisma/compute/api/v1/authenticate`` and ``GET .../images`` and
``.../serverless`` with ``offset``/``limit`` (at most 50) and a ``Total-Count`` header.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from connectors.common import parse_time
from connectors.inventory import encode
from connectors.simulator.http import (
    BadRequest,
    Request,
    Response,
    fingerprint,
    page_of,
    read_token,
    write_token,
)
from connectors.simulator.prisma_render import (
    config_item,
    render_alert,
    render_function,
    render_image,
)
from connectors.simulator.server import SimServer
from core.models import Resource, ResourceKind, Source

__all__ = ["PrismaApi"]

_OTHER_KINDS = set(ResourceKind) - {ResourceKind.IMAGE, ResourceKind.FUNCTION}
COMPUTE_MAX = 50
ALERT_MAX = 10_000


class PrismaApi:
    name = "prisma"

    def __init__(self, sim: SimServer, *, token_ttl_s: float = 600.0) -> None:
        self.sim = sim
        self.token_ttl_s = token_ttl_s

    def is_auth(self, req: Request) -> bool:
        return req.path in ("/login", "/compute/api/v1/authenticate")

    def token(self, req: Request) -> str | None:
        if req.path.startswith("/compute/"):
            return req.credential()
        return req.credential("x-redlock-auth", scheme="")

    def unauthorized(self) -> Response:
        return Response(401, {"message": "invalid_token"})

    def handle(self, req: Request) -> Response:
        if req.path in ("/login", "/compute/api/v1/authenticate") and req.method == "POST":
            return self._login(req.json() or {}, compute=req.path != "/login")
        if not self.sim.tokens.valid(self.token(req)):
            return self.unauthorized()
        routes = {
            ("GET", "/auth_token/extend"): lambda: self._extend(),
            ("POST", "/v2/alert"): lambda: self._alerts(req.json() or {}),
            ("POST", "/search/config"): lambda: self._config(req.json() or {}, first=True),
            ("POST", "/search/config/page"): lambda: self._config(req.json() or {}, first=False),
            ("GET", "/compute/api/v1/images"): lambda: self._compute(req, ResourceKind.IMAGE),
            ("GET", "/compute/api/v1/serverless"): lambda: self._compute(
                req, ResourceKind.FUNCTION
            ),
        }
        route = routes.get((req.method, req.path))
        return route() if route else Response(404, {"message": "not found"})

    def _login(self, body: dict[str, Any], *, compute: bool) -> Response:
        creds = self.sim.credentials
        if (body.get("username"), body.get("password")) != (
            creds.prisma_access_key_id,
            creds.prisma_secret_key,
        ):
            return Response(401, {"message": "invalid_credentials"})
        token = self.sim.tokens.issue("prisma", self.token_ttl_s)
        extra = {} if compute else {"message": "login_successful", "customerNames": []}
        return Response(200, {"token": token, **extra})

    def _extend(self) -> Response:
        return Response(
            200,
            {
                "token": self.sim.tokens.issue("prisma", self.token_ttl_s),
                "message": "login_successful",
            },
        )

    def _alerts(self, body: dict[str, Any]) -> Response:
        limit = int(body.get("limit") or ALERT_MAX)
        if not 1 <= limit <= ALERT_MAX:
            raise BadRequest(f"limit must be between 1 and {ALERT_MAX}")
        since = _since(body.get("timeRange") or {})
        query = fingerprint("prisma-alerts", since, body.get("filters"))
        offset = read_token(body.get("pageToken"), query)
        state = self.sim.state
        with state.lock:
            rows = state.findings_of(Source.PRISMA).since(since)
            chunk, following = page_of(rows, offset, limit)
            items = [
                render_alert(f, state.estate_resources.get(f.resource_id), m) for m, _, f in chunk
            ]
        return Response(
            200,
            {
                "totalRows": len(rows),
                "items": items,
                "nextPageToken": write_token(following, query) if following is not None else None,
            },
        )

    def _config(self, body: dict[str, Any], *, first: bool) -> Response:
        limit = int(body.get("limit") or 1000)
        query = fingerprint("prisma-config")
        offset = 0 if first else read_token(body.get("pageToken"), query)
        state = self.sim.state
        with state.lock:
            rows = state.resources_of(Source.PRISMA, _OTHER_KINDS)
            chunk, following = page_of(rows, offset, limit)
            items = [config_item(r, self._document(r)) for r in chunk]
        token = write_token(following, query) if following is not None else None
        page = {"items": items, "nextPageToken": token, "totalRows": len(rows)}
        return Response(200, {"query": body.get("query"), "data": page} if first else page)

    def _compute(self, req: Request, kind: ResourceKind) -> Response:
        offset, limit = int(req.query.get("offset", 0)), int(req.query.get("limit", COMPUTE_MAX))
        if not 1 <= limit <= COMPUTE_MAX or offset < 0:
            raise BadRequest(f"limit must be between 1 and {COMPUTE_MAX}")
        state = self.sim.state
        render = render_image if kind is ResourceKind.IMAGE else render_function
        with state.lock:
            rows = state.resources_of(Source.PRISMA, {kind})
            items = [render(r, self._document(r)) for r in rows[offset : offset + limit]]
        return Response(200, items, {"Total-Count": str(len(rows))})

    def _document(self, r: Resource) -> dict[str, Any]:
        state = self.sim.state
        return encode(
            r, state.edges_from.get(r.resource_id, ()), state.grants_of.get(r.resource_id, ())
        )


def _since(time_range: dict[str, Any]) -> datetime | None:
    """The start of an absolute time range (``to_now``/``epoch`` means everything)."""
    if time_range.get("type") == "absolute":
        return parse_time((time_range.get("value") or {}).get("startTime"))
    return None

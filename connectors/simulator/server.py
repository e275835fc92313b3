"""One loopback HTTP server that plays Wiz, Prisma Cloud, Lacework and Orca at once.

Each platform lives under its own prefix (``/wiz``, ``/prisma``, ``/lacework``,
``/orca``) with its own auth, paging and limits; a request first meets the fault
injector, then the platform's rate limit, then the platform. Every request is recorded
(method, path, query, headers, JSON body) so contract tests can assert what a client
sent.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit

from connectors.simulator.faults import FaultInjector, FaultPlan, ServerLimit, TokenStore
from connectors.simulator.http import BadRequest, Request, Response
from connectors.simulator.state import SimState

__all__ = ["Credentials", "PlatformApi", "Recorded", "SimServer"]


@dataclass(frozen=True)
class Credentials:
    """What the simulator accepts; anything else is refused with 401."""

    wiz_client_id: str = "posture-sim-wiz-client"
    wiz_client_secret: str = "posture-sim-wiz-secret"
    prisma_access_key_id: str = "posture-sim-prisma-key"
    prisma_secret_key: str = "posture-sim-prisma-secret"
    lacework_key_id: str = "POSTURE_SIM_LACEWORK_KEY"
    lacework_secret: str = "_posture-sim-lacework-secret"
    orca_api_token: str = "posture-sim-orca-token"


@dataclass(frozen=True)
class Recorded:
    platform: str
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


class PlatformApi(Protocol):
    """One platform's API inside the simulator."""

    name: str

    def is_auth(self, req: Request) -> bool: ...

    def token(self, req: Request) -> str | None: ...

    def unauthorized(self) -> Response: ...

    def handle(self, req: Request) -> Response: ...


class _Drop(Exception):
    """Close the connection without answering."""


@dataclass
class SimServer:
    """The HTTP side: routing, faults, limits, recording. Platforms plug in by name."""

    state: SimState
    faults: FaultPlan = field(default_factory=FaultPlan)
    limits: dict[str, ServerLimit] = field(default_factory=dict)
    credentials: Credentials = field(default_factory=Credentials)
    host: str = "127.0.0.1"
    port: int = 0
    record_limit: int = 10_000

    def __post_init__(self) -> None:
        self.tokens = TokenStore()
        self.injector = FaultInjector(self.faults)
        self.platforms: dict[str, PlatformApi] = {}
        self.requests: deque[Recorded] = deque(maxlen=self.record_limit)
        self.data_pages = 0  # data responses answered 200, for tests that kill mid-sync
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "start() the simulator first"
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> SimServer:
        handler = type("Handler", (_Handler,), {"sim": self})
        self._httpd = ThreadingHTTPServer((self.host, self.port), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, daemon=True, name="posture-simulator"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def dispatch(self, prefix: str, req: Request) -> Response:
        """Answer one request: faults first, then the rate limit, then the platform."""
        api = self.platforms.get(prefix)
        if api is None:
            return Response(404, {"message": f"no platform at /{prefix}"})
        self.requests.append(_record(prefix, req))
        is_auth, token = api.is_auth(req), api.token(req)
        fault = self.injector.draw(data=not is_auth, has_token=token is not None)
        early = self._early_fault(fault, api, token)
        if early is not None:
            return early
        limit = self.limits.get(prefix)
        if limit is not None and not limit.allow():
            return _too_many(self.faults.retry_after_s)
        try:
            response = api.handle(req)
        except BadRequest as exc:
            response = Response(400, {"message": str(exc)})
        if response.status == 200 and not is_auth:
            self.data_pages += 1
        if fault == "malformed" and response.status == 200:
            response.headers["X-Posture-Malformed"] = "1"
        return response

    def _early_fault(
        self, fault: str | None, api: PlatformApi, token: str | None
    ) -> Response | None:
        if fault == "drop":
            raise _Drop()
        if fault == "slow":
            time.sleep(self.faults.slow_s)
        if fault == "rate_limit":
            return _too_many(self.faults.retry_after_s)
        if fault == "server_error":
            status = (500, 502, 503)[self.injector.injected["server_error"] % 3]
            return Response(status, {"message": "simulated upstream failure"})
        if fault == "token_expiry":
            self.tokens.revoke(token)
            return api.unauthorized()
        return None


def _too_many(retry_after: int) -> Response:
    return Response(429, {"message": "Too Many Requests"}, {"Retry-After": str(retry_after)})


def _record(prefix: str, req: Request) -> Recorded:
    try:
        body = json.loads(req.body) if req.body else None
    except ValueError:
        body = req.body.decode(errors="replace")
    return Recorded(prefix, req.method, req.path, dict(req.query), dict(req.headers), body)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    sim: SimServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        """Quiet: tests and the CLI print their own summaries."""

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        prefix, _, rest = parts.path.lstrip("/").partition("/")
        length = int(self.headers.get("Content-Length") or 0)
        req = Request(
            method=self.command,
            path="/" + rest,
            query=dict(parse_qsl(parts.query)),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
        )
        try:
            response = self.sim.dispatch(prefix, req)
        except _Drop:
            self.close_connection = True
            return
        body = response.encode()
        if response.headers.pop("X-Posture-Malformed", None):
            body = body[: max(1, len(body) // 2)]
        self.send_response(response.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    do_GET = _serve
    do_POST = _serve

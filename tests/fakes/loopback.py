"""The plumbing the ticket-system fakes share: a JSON HTTP server on a free loopback port.

Each fake subclasses ``LoopbackFake`` and implements ``authorized`` and ``route``; this
module records every call (method, path, query, decoded body, headers), answers
scripted failures first (``fail_next``: a 503 with ``Retry-After``, a 429 ...), and
stops cleanly on exit so no socket outlives the test.
"""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

__all__ = ["Call", "LoopbackFake", "Reply"]


@dataclass(frozen=True)
class Call:
    """One request the fake received."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str] = field(repr=False)


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _Failure:
    reply: Reply
    method: str | None
    path: str | None  # a regex searched in the path
    times: int


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        raw = self.rfile.read(int(self.headers.get("content-length") or 0))
        headers = {k.lower(): v for k, v in self.headers.items()}
        reply = self.server.fake.handle(self.command, parts.path, parts.query, headers, raw)
        payload = b"" if reply.body is None else json.dumps(reply.body).encode("utf-8")
        try:
            self.send_response(reply.status)
            self.send_header("content-type", "application/json; charset=utf-8")
            self.send_header("content-length", str(len(payload)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: LoopbackFake

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


class LoopbackFake:
    """Base of a fake API; a context manager that runs its server thread."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.lock = threading.RLock()
        self._failures: deque[_Failure] = deque()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def fail_next(
        self,
        status: int,
        *,
        times: int = 1,
        body: Any = None,
        headers: dict[str, str] | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        """Answer the next ``times`` matching requests with ``status`` instead."""
        with self.lock:
            reply = Reply(status, body if body is not None else {}, headers or {})
            self._failures.append(_Failure(reply, method, path, times))

    def calls_to(self, method: str, path: str) -> list[Call]:
        """Recorded calls with that method whose path matches the regex ``path``."""
        with self.lock:
            return [c for c in self.calls if c.method == method and re.fullmatch(path, c.path)]

    def handle(
        self, method: str, path: str, query: str, headers: dict[str, str], raw: bytes
    ) -> Reply:
        args = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            return Reply(400, {"message": "Problems parsing JSON"})
        with self.lock:
            self.calls.append(Call(method, path, args, body, headers))
            failure = self._scripted(method, path)
            if failure is not None:
                return failure
            if not self.authorized(headers):
                return self.unauthorized()
            return self.route(method, path, args, body)

    def _scripted(self, method: str, path: str) -> Reply | None:
        for failure in self._failures:
            if failure.method and failure.method != method:
                continue
            if failure.path and not re.search(failure.path, path):
                continue
            failure.times -= 1
            if failure.times <= 0:
                self._failures.remove(failure)
            return failure.reply
        return None

    # --- what a subclass provides ---------------------------------------------------

    def authorized(self, headers: dict[str, str]) -> bool:
        raise NotImplementedError

    def unauthorized(self) -> Reply:
        raise NotImplementedError

    def route(self, method: str, path: str, args: dict[str, str], body: Any) -> Reply:
        raise NotImplementedError

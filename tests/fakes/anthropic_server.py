"""A fake Anthropic Messages API: a real HTTP server on loopback, on a free port.

The product talks to it through the real ``anthropic`` SDK (``base_url``), so the whole
stack runs: request building, headers, JSON, status mapping, timeouts. It checks the
API key (``x-api-key`` or ``Authorization: Bearer``, as SDK versions differ) and the
``anthropic-version`` header, records every request body, and answers from a script:
tool calls, text, 429 with ``retry-after``, 529 ``overloaded_error``, 500, or a reply
that comes too late. An empty script answers 500, so a test that expects fewer calls
than were made fails loudly.

    with FakeAnthropic() as api:
        api.push_tool_use("query_spec", {"view": "functions"})
        client = LLMClient(LLMConfig(api_key=api.api_key, base_url=api.base_url))
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

__all__ = ["FakeAnthropic", "RecordedRequest", "Scripted"]

API_KEY = "sk-ant-fake-test-key-0000"


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    headers: dict[str, str]
    raw: str  # the body exactly as it arrived, for "nothing secret left" checks
    body: dict[str, Any]


@dataclass
class Scripted:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message}}


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("content-length") or 0)).decode("utf-8")
        fake = self.server.fake
        body = json.loads(raw) if raw else {}
        fake.record(RecordedRequest(self.path, dict(self.headers.items()), raw, body))
        self._answer(fake.respond(self.path, self.headers, body))

    def _answer(self, reply: Scripted) -> None:
        if reply.delay_s and self.server.fake.stopping.wait(reply.delay_s):
            return
        payload = json.dumps(reply.body).encode("utf-8")
        try:
            self.send_response(reply.status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.send_header("request-id", f"req_fake_{len(self.server.fake.requests)}")
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except OSError:  # the client gave up (its timeout): nothing to answer
            pass

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    fake: FakeAnthropic
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up mid-reply is expected in timeout tests


class FakeAnthropic:
    """The fake API; a context manager that starts and stops its server thread."""

    def __init__(self, *, api_key: str = API_KEY) -> None:
        self.api_key = api_key
        self.requests: list[RecordedRequest] = []
        self.stopping = threading.Event()
        self._script: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self._ids = 0
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def bodies(self) -> list[dict[str, Any]]:
        return [r.body for r in self.requests if r.path == "/v1/messages"]

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def respond(self, path: str, headers: Any, body: dict[str, Any]) -> Scripted:
        """The reply to one request: checks first, then the next scripted step."""
        if path != "/v1/messages":
            return Scripted(404, _error("not_found_error", f"no route {path}"))
        key = headers.get("x-api-key") or headers.get("authorization", "").removeprefix("Bearer ")
        if key != self.api_key:
            return Scripted(401, _error("authentication_error", "invalid x-api-key"))
        if not headers.get("anthropic-version"):
            return Scripted(400, _error("invalid_request_error", "anthropic-version missing"))
        missing = [k for k in ("model", "max_tokens", "messages") if k not in body]
        if missing:
            return Scripted(400, _error("invalid_request_error", f"missing {missing}"))
        with self._lock:
            if self._script:
                step = self._script.popleft()
                return step
        return Scripted(500, _error("api_error", "fake: no scripted reply left"))

    # --- the script ---------------------------------------------------------------

    def push(self, step: Scripted) -> None:
        with self._lock:
            self._script.append(step)

    def push_tool_use(
        self, name: str, tool_input: dict[str, Any], *, usage: dict[str, int] | None = None
    ) -> None:
        self._ids += 1
        block = {"type": "tool_use", "id": f"toolu_fake_{self._ids:04d}", "name": name}
        self.push(Scripted(200, _message([{**block, "input": tool_input}], "tool_use", usage)))

    def push_text(self, text: str, *, usage: dict[str, int] | None = None) -> None:
        self.push(Scripted(200, _message([{"type": "text", "text": text}], "end_turn", usage)))

    def push_rate_limit(self, retry_after: float = 1) -> None:
        body = _error("rate_limit_error", "Number of request tokens has exceeded your limit.")
        self.push(Scripted(429, body, {"retry-after": f"{retry_after:g}"}))

    def push_overloaded(self) -> None:
        self.push(Scripted(529, _error("overloaded_error", "Overloaded")))

    def push_server_error(self) -> None:
        self.push(Scripted(500, _error("api_error", "Internal server error")))

    def push_slow(self, delay_s: float) -> None:
        """A reply that arrives after ``delay_s``: longer than the client's timeout."""
        self.push(
            Scripted(200, _message([{"type": "text", "text": "late"}], "end_turn"), {}, delay_s)
        )


def _message(
    content: list[dict[str, Any]], stop_reason: str, usage: dict[str, int] | None = None
) -> dict[str, Any]:
    return {
        "id": "msg_fake_01",
        "type": "message",
        "role": "assistant",
        "model": "claude-haiku-4-5",
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": usage
        or {
            "input_tokens": 120,
            "output_tokens": 40,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 6000,
        },
    }

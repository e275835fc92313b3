"""HTTP mode: a threaded server for Slack's requests at ``/slack/events``, the CNAPP
webhook inbox at ``/webhooks/{source}``, and ``/healthz``.

The standard library's ``ThreadingHTTPServer`` (a thread per connection) in front of
``App.dispatch``: Bolt verifies the signature and the timestamp and answers 401 itself.
Bodies are capped, slow clients time out, and the request log goes to ``logging``.
With a ``fast_ack`` (bot/fast_ack.py) a signed slash command is acknowledged before Bolt
runs, and Bolt gets the request afterwards on one background thread, in arrival order.
Behind a load balancer, terminate TLS there; Slack only calls HTTPS Request URLs.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from slack_bolt import App, BoltRequest, BoltResponse

from bot.app import lower_priority
from bot.fast_ack import FastAck
from connectors.webhooks import WebhookReceiver, WebhookRequest

__all__ = ["EVENTS_PATH", "HEALTH_PATH", "WEBHOOKS_PATH", "SlackHTTPServer", "make_server"]

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
WEBHOOKS_PATH = "/webhooks/"  # + source: wiz, prisma, lacework, orca
MAX_BODY = 1024 * 1024  # Slack's payloads are far smaller; anything this big is not Slack


class SlackHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # Slack bursts (a channel full of people) must not be refused
    app: App
    webhooks: WebhookReceiver | None = None
    fast_ack: FastAck | None = None
    _deferred: ThreadPoolExecutor | None = None

    def defer(self, request: BoltRequest) -> None:
        """Bolt's dispatch of an already acknowledged request, after the response left."""
        if self._deferred is None:  # pragma: no cover - make_server sets it with fast_ack
            raise RuntimeError("defer needs the server built with a fast_ack")
        self._deferred.submit(self._dispatch_quietly, request)

    def _dispatch_quietly(self, request: BoltRequest) -> None:
        response = self.app.dispatch(request)
        if response.status != 200:  # the early ack verified it, so this is unexpected
            logger.warning("Bolt answered %s after the early ack", response.status)

    def server_close(self) -> None:
        super().server_close()
        if self._deferred is not None:
            self._deferred.shutdown(wait=True)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def start_in_thread(self) -> threading.Thread:
        """Serve from a daemon thread (tests, benchmarks); stop with ``shutdown()``."""
        thread = threading.Thread(
            target=self.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name="slack-http",
        )
        thread.start()
        return thread


class _Handler(BaseHTTPRequestHandler):
    server: SlackHTTPServer
    protocol_version = "HTTP/1.1"
    timeout = 15  # seconds a client may take to send its request
    # headers and body leave in two writes; with Nagle on, the body waits for the
    # client's delayed ACK (~40 ms on Linux) on every response
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        if urlsplit(self.path).path == HEALTH_PATH:
            self._send(200, json.dumps({"ok": True}), {"content-type": ["application/json"]})
        else:
            self._send(404, "not found", {})

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        if parts.path.startswith(WEBHOOKS_PATH) and self.server.webhooks is not None:
            self._webhook(self.server.webhooks, parts.path[len(WEBHOOKS_PATH) :], parts.query)
            return
        if parts.path != EVENTS_PATH:
            self._send(404, "not found", {})
            return
        raw = self._body(MAX_BODY)
        if raw is None:
            return
        body = raw.decode("utf-8", errors="replace")
        headers: dict[str, str | Sequence[str]] = {k.lower(): [v] for k, v in self.headers.items()}
        early = self.server.fast_ack(body, headers) if self.server.fast_ack else None
        request = BoltRequest(body=body, query=parts.query, headers=headers)
        if early is not None:
            self._send(early.status, early.body, early.headers)
            self.server.defer(request)
            return
        response: BoltResponse = self.server.app.dispatch(request)
        self._send(response.status, response.body, response.headers)

    def _body(self, limit: int) -> bytes | None:
        """The request body, or None once 411 / 413 has been answered."""
        length = self.headers.get("content-length")
        if length is None or not length.isdigit():
            self._send(411, "length required", {})
            return None
        if int(length) > limit:
            self._send(413, "payload too large", {})
            self.close_connection = True
            return None
        return self.rfile.read(int(length))

    def _webhook(self, receiver: WebhookReceiver, source: str, query: str) -> None:
        """Answer a CNAPP webhook; the receiver commits the event before the 2xx."""
        raw = self._body(receiver.max_body)
        if raw is None:
            return
        request = WebhookRequest(
            source=source,
            headers={k.lower(): v for k, v in self.headers.items()},
            query=dict(parse_qsl(query)),
            body=raw,
            received_at=datetime.now(UTC),
        )
        answer = receiver.handle(request)
        self._send(answer.status, json.dumps(answer.body), {"content-type": ["application/json"]})

    def _send(self, status: int, body: str, headers: dict[str, Any]) -> None:
        payload = body.encode("utf-8")
        self.send_response(status)
        for name, values in headers.items():
            if name.lower() in ("content-length", "connection"):
                continue
            for value in values if isinstance(values, list) else [values]:
                self.send_header(name, str(value))
        if not any(n.lower() == "content-type" for n in headers):
            self.send_header("content-type", "text/plain;charset=utf-8")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        # query strings may carry a webhook token (Lacework puts it in the URL)
        safe = [a.split("?")[0] + " …" if isinstance(a, str) and "?" in a else a for a in args]
        logger.debug("%s " + format, self.address_string(), *safe)


def make_server(
    app: App,
    host: str = "0.0.0.0",
    port: int = 3000,
    *,
    webhooks: WebhookReceiver | None = None,
    fast_ack: FastAck | None = None,
) -> SlackHTTPServer:
    """Bind the server (port 0 picks a free one); call ``serve_forever()`` to run it.

    Without ``webhooks`` the ``/webhooks/`` paths answer 404.
    """
    server = SlackHTTPServer((host, port), _Handler)
    server.app = app
    server.webhooks = webhooks
    server.fast_ack = fast_ack
    if fast_ack is not None:  # one thread, so Bolt sees requests in arrival order
        server._deferred = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="bolt-after-ack", initializer=lower_priority
        )
    return server

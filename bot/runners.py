"""Running the app: Socket Mode when an app token is set, otherwise HTTP mode."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType

from bot.app import Services, build_app, require
from bot.fast_ack import make_command_fast_ack
from bot.http_server import EVENTS_PATH, HEALTH_PATH, WEBHOOKS_PATH, make_server
from bot.webhooks import start_webhooks
from core.settings import Settings

__all__ = ["serve", "serve_http", "serve_socket_mode"]

logger = logging.getLogger(__name__)

Announce = Callable[[str], None]

# How often a running Python thread hands the GIL over (CPython's default is 5 ms). The
# server's accept loop, the request threads and the answer workers share one GIL; at
# 5 ms every hand-over in a burst of acks waits behind an answer being computed, and
# the hundredth ack of a burst took ~700 ms on 2 cores. At 0.5 ms it takes ~50 ms.
GIL_SWITCH_INTERVAL_S = 0.0005


def _stop_on_sigterm() -> None:
    """SIGTERM (docker stop, systemd) ends the process the way Ctrl-C does, so the
    server closes and answers under way finish."""
    if threading.current_thread() is not threading.main_thread():
        return

    def _raise(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _raise)


def serve_http(
    settings: Settings, services: Services, *, host: str, port: int, announce: Announce
) -> None:
    """Serve Slack's HTTP requests until interrupted.

    Raises:
        ConfigError: the signing secret or the bot token is missing or refused.
    """
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    app = build_app(settings, services)
    webhooks = start_webhooks(settings, services)
    secret = require(settings.slack.signing_secret, "SLACK_SIGNING_SECRET")
    server = make_server(
        app,
        host,
        port,
        webhooks=webhooks.receiver,
        fast_ack=make_command_fast_ack(secret, services.desk),
    )
    announce(f"HTTP mode: Slack Request URL {server.url}{EVENTS_PATH}, health {HEALTH_PATH}")
    announce(f"CNAPP webhooks: {server.url}{WEBHOOKS_PATH}{{wiz,prisma,lacework,orca}}")
    _stop_on_sigterm()
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        announce("stopping")
    finally:
        server.server_close()
        webhooks.close()
        services.close()


def serve_socket_mode(settings: Settings, services: Services, *, announce: Announce) -> None:
    """Hold a Socket Mode connection until interrupted (no public URL needed).

    Raises:
        ConfigError: the app or bot token is missing or refused.
    """
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    app_token = require(settings.slack.app_token, "SLACK_APP_TOKEN")
    app = build_app(settings, services, socket_mode=True)
    handler = SocketModeHandler(app, app_token)
    announce("Socket Mode: connecting to Slack")
    _stop_on_sigterm()
    try:
        handler.start()  # type: ignore[no-untyped-call]
    except KeyboardInterrupt:
        announce("stopping")
    finally:
        handler.close()  # type: ignore[no-untyped-call]
        services.close()


def serve(
    settings: Settings,
    services: Services,
    *,
    host: str | None = None,
    port: int | None = None,
    announce: Announce = logger.info,
) -> None:
    """Socket Mode when ``SLACK_APP_TOKEN`` is set, else HTTP on ``host:port``."""
    if settings.slack.app_token is not None and settings.slack.app_token.get_secret_value():
        serve_socket_mode(settings, services, announce=announce)
        return
    serve_http(
        settings,
        services,
        host=host or settings.slack.host,
        port=port or settings.slack.port,
        announce=announce,
    )

"""The Bolt app: ``build_services(settings, copilot)`` and ``build_app(settings, services)``.

Sync Bolt in ``process_before_response`` mode with lazy listeners: each listener's ack
function runs in the request's own thread and only acknowledges (so Slack hears back in
milliseconds whatever the load), and the work runs after, on the ``workers`` pool.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from pydantic import SecretStr
from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.delivery import Courier
from bot.desk import AnswerDesk
from bot.listeners import register_listeners
from bot.listeners.assistant import MemoryThreadContextStore
from bot.memory import AnswerCache, ExpiringSet, ResponseUrlBudget
from bot.middleware import DedupeRetries
from bot.proposal_desk import ProposalDesk
from bot.send_queue import ChannelSendQueue
from core.errors import ConfigError
from core.settings import Settings, SlackSettings
from governance.audit import AuditLog
from pipeline import Copilot

__all__ = ["Services", "build_app", "build_services", "lower_priority", "require", "web_client"]

logger = logging.getLogger(__name__)

_WHERE = {
    "SLACK_BOT_TOKEN": "the Bot User OAuth Token (xoxb-…) from OAuth & Permissions",
    "SLACK_SIGNING_SECRET": "the Signing Secret from Basic Information > App Credentials",
    "SLACK_APP_TOKEN": "an App-Level Token (xapp-…) with connections:write",
}


def require(value: SecretStr | None, name: str) -> str:
    """The secret's value, or a one-line ConfigError naming the variable.

    Raises:
        ConfigError: the variable is unset or empty.
    """
    secret = value.get_secret_value().strip() if value is not None else ""
    if not secret:
        raise ConfigError(f"{name} is not set.", remediation=f"Set it to {_WHERE[name]}.")
    return secret


def web_client(slack: SlackSettings) -> WebClient:
    """The Web API client: bot token, base URL (``SLACK_API_URL``), retries on 429."""
    base_url = slack.api_url if slack.api_url.endswith("/") else slack.api_url + "/"
    client = WebClient(
        token=require(slack.bot_token, "SLACK_BOT_TOKEN"), base_url=base_url, timeout=10
    )
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    return client


def lower_priority(niceness: int = 10) -> None:
    """Lower this thread's OS scheduling priority (Linux: a thread's nice value).

    Answers are computed on worker threads in the same process as the HTTP server; when
    both want a core, the kernel now runs the request threads first, so an ack is not
    queued behind an answer. Where threads cannot be reniced this does nothing.
    """
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), niceness)
    except (AttributeError, OSError):  # not Linux, or not permitted
        return


class _QuietTokenNote(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns that the client's token wins; the
    client was built from the same setting, so the warning only confuses operators."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def _quiet_bolt() -> None:
    bolt = logging.getLogger("slack_bolt.App")
    if not any(isinstance(f, _QuietTokenNote) for f in bolt.filters):
        bolt.addFilter(_QuietTokenNote())


@dataclass
class Services:
    """What the listeners need, built once per process and passed in (no globals)."""

    desk: AnswerDesk
    courier: Courier
    executor: ThreadPoolExecutor
    proposals: ProposalDesk | None = None  # None: no workflow database wired in
    seen_events: ExpiringSet = field(default_factory=ExpiringSet)
    titled_threads: ExpiringSet = field(default_factory=lambda: ExpiringSet(ttl_s=86_400))

    def close(self) -> None:
        """Let queued sends leave without waiting, and finish the answers under way."""
        self.courier.queue.close()
        self.executor.shutdown(wait=True, cancel_futures=False)
        if self.proposals is not None:
            self.proposals.service.close()


def build_services(
    settings: Settings,
    copilot: Copilot,
    *,
    audit: AuditLog | None = None,
    client: WebClient | None = None,
    proposals: Callable[[WebClient], ProposalDesk] | None = None,
) -> Services:
    """Wire the desk, the courier and the worker pool (and the proposal desk, built by
    ``proposals`` around the same Web API client; see ``bot.proposal_wiring``).

    Raises:
        ConfigError: the bot token is missing (and no client was given).
    """
    slack = settings.slack
    courier = Courier(
        client or web_client(slack),
        queue=ChannelSendQueue(slack.send_interval_s),
        budget=ResponseUrlBudget(),
        streaming=slack.streaming,
    )
    desk = AnswerDesk(copilot, audit=audit, cache=AnswerCache())
    executor = ThreadPoolExecutor(
        max_workers=slack.workers, thread_name_prefix="posture-bot", initializer=lower_priority
    )
    desk_of_proposals = proposals(courier.client) if proposals is not None else None
    return Services(desk=desk, courier=courier, executor=executor, proposals=desk_of_proposals)


def build_app(settings: Settings, services: Services, *, socket_mode: bool = False) -> App:
    """The Bolt app with every listener registered.

    Args:
        settings: the signing secret is required unless ``socket_mode``.
        services: from ``build_services``.
        socket_mode: requests arrive over Slack's WebSocket (not signed).

    Raises:
        ConfigError: the signing secret is missing, or Slack refused the bot token.
    """
    _quiet_bolt()
    secret = "" if socket_mode else require(settings.slack.signing_secret, "SLACK_SIGNING_SECRET")
    try:
        app = App(
            name="posture-copilot",
            client=services.courier.client,
            signing_secret=secret,
            process_before_response=True,
            listener_executor=services.executor,
            assistant_thread_context_store=MemoryThreadContextStore(),
        )
    except BoltError as exc:
        raise ConfigError(
            "Slack refused SLACK_BOT_TOKEN (auth.test failed).",
            remediation="Reinstall the app and copy the Bot User OAuth Token again.",
        ) from exc
    app.use(DedupeRetries(services.seen_events))
    register_listeners(app, services)
    return app

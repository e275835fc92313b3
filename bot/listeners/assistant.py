"""Slack's AI app surface through Bolt's ``Assistant`` middleware: a new assistant
thread gets a greeting and suggested prompts drawn from the catalog; each question sets
the thread's title, shows "thinking…" at once, then streams the answer."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Assistant, AssistantThreadContext, BoltContext
from slack_bolt.context.assistant.thread_context_store.store import (
    AssistantThreadContextStore,
)
from slack_sdk import WebClient

from bot import messages
from bot.delivery import Place
from bot.views.common import cut
from bot.views.help import suggested_prompts

if TYPE_CHECKING:
    from bot.app import Services

__all__ = ["MemoryThreadContextStore", "register"]

_TITLE_LIMIT = 80


class MemoryThreadContextStore(AssistantThreadContextStore):
    """Which channel a person was viewing when they opened the thread, kept in memory
    (bounded), instead of Bolt's default that rewrites the first reply's metadata."""

    def __init__(self, size: int = 5000) -> None:
        self._items: OrderedDict[tuple[str, str], dict[str, str]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def save(self, *, channel_id: str, thread_ts: str, context: dict[str, str]) -> None:
        with self._lock:
            self._items[(channel_id, thread_ts)] = dict(context)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def find(self, *, channel_id: str, thread_ts: str) -> AssistantThreadContext | None:
        with self._lock:
            found = self._items.get((channel_id, thread_ts))
        return AssistantThreadContext(found) if found else None


def _acknowledge(ack: Ack) -> None:
    ack()


def _greeter(services: Services) -> Callable[..., None]:
    courier, catalog = services.courier, services.desk.catalog

    def greet(event: dict[str, Any], client: WebClient) -> None:
        thread = event.get("assistant_thread") or {}
        channel, thread_ts = str(thread.get("channel_id")), str(thread.get("thread_ts"))

        def send() -> None:
            courier.queue.send(
                channel,
                lambda: client.chat_postMessage(
                    channel=channel, thread_ts=thread_ts, text=messages.GREETING
                ),
            )
            client.assistant_threads_setSuggestedPrompts(
                channel_id=channel,
                thread_ts=thread_ts,
                title=messages.SUGGESTED_TITLE,
                prompts=suggested_prompts(catalog),
            )

        courier.safely(send, "greeting an assistant thread")

    return greet


def _answerer(services: Services) -> Callable[..., None]:
    desk, courier = services.desk, services.courier

    def answer(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        user = str(event.get("user") or "unknown")
        channel, thread_ts = str(event["channel"]), str(event["thread_ts"])
        question = str(event.get("text") or "")
        if question.strip() and services.titled_threads.add_new(f"{channel}:{thread_ts}"):
            title = cut(question.strip(), _TITLE_LIMIT)
            courier.safely(
                lambda: client.assistant_threads_setTitle(
                    channel_id=channel, thread_ts=thread_ts, title=title
                ),
                "titling an assistant thread",
            )
        place = Place(
            channel=channel, user=user, team=context.team_id, thread_ts=thread_ts, assistant=True
        )
        courier.converse(place, lambda: desk.ask(question, user=user))

    return answer


def register(app: App, services: Services) -> None:
    assistant = Assistant()
    assistant.thread_started(lazy=[_greeter(services)])(_acknowledge)
    assistant.user_message(lazy=[_answerer(services)])(_acknowledge)
    app.assistant(assistant)

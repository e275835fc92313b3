"""A per-channel send queue: Slack allows about one message a second in each channel.

Sends to one channel leave in the order they were queued, at least ``interval_s`` apart;
different channels never wait for each other. A channel's drainer thread lives only
while it has work, so idle channels cost nothing.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

__all__ = ["ChannelSendQueue"]

_PRUNE_AT = 512


class _Channel:
    def __init__(self) -> None:
        self.jobs: deque[tuple[Callable[[], Any], Future[Any]]] = deque()
        self.draining = False
        self.last_sent = float("-inf")


class ChannelSendQueue:
    """Run send calls one channel at a time, spaced by ``interval_s``.

    >>> queue = ChannelSendQueue(interval_s=0)
    >>> queue.submit("C1", lambda: "sent").result(timeout=5)
    'sent'
    """

    def __init__(self, interval_s: float = 1.0, *, clock: Callable[[], float] = time.monotonic):
        self.interval_s = interval_s
        self._clock = clock
        self._lock = threading.Lock()
        self._channels: dict[str, _Channel] = {}
        self._stopped = threading.Event()

    def submit(self, channel: str, send: Callable[[], Any]) -> Future[Any]:
        """Queue ``send`` for ``channel``; the future holds its result or its exception."""
        future: Future[Any] = Future()
        with self._lock:
            if len(self._channels) > _PRUNE_AT:
                self._prune()
            state = self._channels.setdefault(channel, _Channel())
            state.jobs.append((send, future))
            if not state.draining:
                state.draining = True
                threading.Thread(
                    target=self._drain,
                    args=(channel, state),
                    daemon=True,
                    name=f"slack-send-{channel}",
                ).start()
        return future

    def send(self, channel: str, send: Callable[[], Any], timeout: float = 60.0) -> Any:
        """Queue ``send`` and wait for its result (re-raising what it raised)."""
        return self.submit(channel, send).result(timeout=timeout)

    def _prune(self) -> None:
        """Forget idle channels whose last send no longer constrains the next one."""
        now = self._clock()
        for name, state in list(self._channels.items()):
            if not state.draining and now - state.last_sent > self.interval_s:
                del self._channels[name]

    def close(self) -> None:
        """Stop waiting between sends; queued sends still run."""
        self._stopped.set()

    def _drain(self, channel: str, state: _Channel) -> None:
        while True:
            with self._lock:
                if not state.jobs:
                    state.draining = False
                    return
                send, future = state.jobs.popleft()
            wait = state.last_sent + self.interval_s - self._clock()
            if wait > 0:
                self._stopped.wait(wait)
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(send())
                except BaseException as exc:  # handed to the waiting caller
                    future.set_exception(exc)
            state.last_sent = self._clock()

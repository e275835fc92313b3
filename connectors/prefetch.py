"""Fetch the next page while the current one is mapped and committed.

A real platform answers a page in hundreds of milliseconds; waiting for it and then
spending as long writing it doubles a sync. One background thread runs the stream's
generator (every request, retry and token refresh stays on that thread) and hands pages
over through a small queue. Only pages the consumer has committed are ever
checkpointed, so a page fetched ahead and lost in a crash is simply fetched again.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

__all__ = ["prefetched"]

T = TypeVar("T")
_DONE = object()


def prefetched(pages: Iterator[T], depth: int = 2) -> Iterator[T]:
    """Yield what ``pages`` yields, fetching up to ``depth`` items ahead on a thread.

    An exception in the producer is raised in the consumer at the same position; a
    consumer that stops early stops the producer at its next hand-over.

    >>> list(prefetched(iter(range(5))))
    [0, 1, 2, 3, 4]
    """
    handoff: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in pages:
                if not put(item):
                    return
            put(_DONE)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the consumer
            put(exc)

    worker = threading.Thread(target=produce, name="posture-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            item = handoff.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join(timeout=5)

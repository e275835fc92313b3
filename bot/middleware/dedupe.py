"""Slack's retries never produce a second answer.

Slack resends an event (``X-Slack-Retry-Num: 1..3``) when it did not see our
acknowledgement in time, and Socket Mode redelivers too. Each event carries an
``event_id``; one already taken is acknowledged again and dropped. A retry of an event
this process never saw (the first attempt was lost, or we restarted) is answered.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

from bot.memory import ExpiringSet

__all__ = ["DedupeRetries"]

logger = logging.getLogger(__name__)


class DedupeRetries(Middleware):
    def __init__(self, seen: ExpiringSet) -> None:
        self.seen = seen

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        event_id = req.body.get("event_id") if isinstance(req.body, dict) else None
        if req.lazy_only or not event_id or self.seen.add_new(str(event_id)):
            return next()
        retry = req.headers.get("x-slack-retry-num", ["?"])
        logger.info("dropping repeated event %s (retry %s)", event_id, retry[0] if retry else "?")
        return BoltResponse(status=200, body="")

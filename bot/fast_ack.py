"""Acknowledging a slash command before Bolt runs: Slack hears back in a millisecond.

Under a burst (a channel full of people asking at once) Bolt's per-request work (request
parsing, matching, deep copies for the lazy listener, ~2 ms of Python each) and the
answers being computed share one GIL, so the hundredth ack waited for the ninety-nine
before it. Here the HTTP server verifies the signature itself (Slack's scheme, through
slack_sdk's verifier: timestamp within five minutes, HMAC-SHA256 of the body), builds
the very acknowledgement the Bolt listener would send (the same function), answers,
and hands the request to Bolt afterwards, which verifies again, acks into the void and
starts the lazy listener that answers through the response_url.

Anything else (events, buttons, modals, a bad signature) goes through Bolt as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from urllib.parse import parse_qs

from slack_bolt import Ack, BoltResponse
from slack_sdk.signature import SignatureVerifier

from bot.desk import AnswerDesk
from bot.listeners.command import COMMAND, acknowledge_command

__all__ = ["FastAck", "make_command_fast_ack"]

Headers = Mapping[str, str | Sequence[str]]
FastAck = Callable[[str, Headers], BoltResponse | None]
_FORM = "application/x-www-form-urlencoded"


def _first(headers: Headers, name: str) -> str:
    value = headers.get(name, "")
    return value if isinstance(value, str) else (value[0] if value else "")


def make_command_fast_ack(signing_secret: str, desk: AnswerDesk) -> FastAck:
    """A function that acks a signed `/posture` command at once, or returns None."""
    verifier = SignatureVerifier(signing_secret)

    def fast_ack(body: str, headers: Headers) -> BoltResponse | None:
        if not _first(headers, "content-type").startswith(_FORM) or "command=" not in body:
            return None
        if _first(headers, "x-slack-retry-num"):
            return None  # retries go through Bolt's dedupe
        timestamp = _first(headers, "x-slack-request-timestamp")
        signature = _first(headers, "x-slack-signature")
        if not timestamp.isdigit() or not verifier.is_valid(body, timestamp, signature):
            return None  # Bolt answers 401 and logs it, as for any bad request
        form = parse_qs(body)
        if form.get("command", [""])[0] != COMMAND or "ssl_check" in form:
            return None
        ack = Ack()  # type: ignore[no-untyped-call]
        acknowledge_command(desk, ack, form.get("text", [""])[0])
        return ack.response

    return fast_ack

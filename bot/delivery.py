"""Getting a Reply to Slack within its limits: a status first, then the answer; new
messages through the per-channel queue; response_url at most five times per URL, with
the Web API behind it; streaming in assistant threads where the workspace offers it.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot import messages
from bot.incidents import log_incident
from bot.memory import ResponseUrlBudget
from bot.replies import Reply, Upload, text_reply
from bot.send_queue import ChannelSendQueue

__all__ = ["Courier", "Place"]

logger = logging.getLogger(__name__)

# Slack's answers to chat.startStream when the workspace, plan or channel cannot stream
_NO_STREAM = {
    "unknown_method",
    "not_allowed_token_type",
    "method_not_supported_for_channel_type",
    "feature_not_enabled",
    "not_supported",
    "missing_scope",
    "invalid_arguments",
    "not_enabled",
    "team_not_allowed",
}
_NOT_IN_CHANNEL = {"not_in_channel", "channel_not_found", "is_archived"}


@dataclass(frozen=True)
class Place:
    """Where a reply goes and what Slack gave us to get it there."""

    channel: str
    user: str
    team: str | None = None
    thread_ts: str | None = None  # reply in this thread
    message_ts: str | None = None  # the message whose button was pressed
    response_url: str | None = None
    assistant: bool = False  # an assistant thread: status and streaming apply


class Courier:
    """Delivers replies; never raises, so a failed send never loses the next one.

    Args:
        client: the Web API client (its base URL may point at a fake or a proxy).
        queue: the per-channel send queue for new messages.
        budget: response_url uses left.
        streaming: try chat.startStream in assistant threads.
        webhook_timeout_s: how long a response_url post may take.
    """

    def __init__(
        self,
        client: WebClient,
        *,
        queue: ChannelSendQueue,
        budget: ResponseUrlBudget,
        streaming: bool = True,
        webhook_timeout_s: int = 10,
    ) -> None:
        self.client = client
        self.queue = queue
        self.budget = budget
        self.streaming = streaming
        self.webhook_timeout_s = webhook_timeout_s
        self._cannot_stream: set[str] = set()
        self._lock = threading.Lock()

    # --- the two shapes of work --------------------------------------------------------

    def guarded(self, work: Callable[[], Reply], what: str = "answering") -> Reply:
        """``work()``, or a friendly error carrying an incident id (the trace goes to the log)."""
        try:
            return work()
        except Exception:
            incident = log_incident(logger, what)
            return text_reply(messages.ERROR.format(incident=incident), ephemeral=True)

    def converse(self, place: Place, work: Callable[[], Reply]) -> None:
        """A question in a thread or DM: status within a second, then the answer."""
        placeholder = self.safely(lambda: self._status(place), "showing a status")
        reply = self.guarded(work)
        self.safely(lambda: self._finish(place, reply, placeholder), "posting an answer")

    def deliver(self, place: Place, reply: Reply) -> None:
        """A reply to a button or a command: replace, whisper, upload or post."""
        self.safely(lambda: self._deliver(place, reply), "delivering a reply")

    def _deliver(self, place: Place, reply: Reply) -> None:
        if reply.upload is not None:
            self._upload(place, reply.upload)
        elif reply.replace:
            self._replace(place, reply)
        elif reply.ephemeral:
            self._ephemeral(place, reply)
        elif reply.in_thread and (place.thread_ts or place.message_ts):
            self._post_message(replace(place, thread_ts=place.thread_ts or place.message_ts), reply)
        else:
            self._post(place, reply)

    def safely(self, send: Callable[[], Any], what: str) -> Any:
        """``send()``; a failure is logged under an incident id and swallowed, since a
        failed send has nowhere left to show an error."""
        try:
            return send()
        except Exception:
            log_incident(logger, what)
            return None

    # --- status and the answer in a thread ---------------------------------------------

    def _status(self, place: Place) -> tuple[str, str] | None:
        """Show progress; returns the placeholder message's (channel, ts), if one was posted."""
        if place.assistant and place.thread_ts:
            self.client.assistant_threads_setStatus(
                channel_id=place.channel,
                thread_ts=place.thread_ts,
                status=messages.THINKING,
                loading_messages=list(messages.LOADING_STATUSES),
            )
            return None
        response = self._queued(
            place.channel,
            lambda: self.client.chat_postMessage(
                channel=place.channel, thread_ts=place.thread_ts, text=messages.LOOKING
            ),
        )
        # posting to a user id lands in the DM, whose own channel id chat.update needs
        return str(response.get("channel") or place.channel), str(response["ts"])

    def _finish(self, place: Place, reply: Reply, placeholder: tuple[str, str] | None) -> None:
        if reply.upload is not None:
            self._upload(place, reply.upload)
            return
        if place.assistant and self._stream(place, reply):
            return
        if placeholder is not None:
            channel, ts = placeholder
            self.client.chat_update(channel=channel, ts=ts, text=reply.text, blocks=reply.blocks)
            return
        self._post_message(place, reply)

    def _stream(self, place: Place, reply: Reply) -> bool:
        """Stream the lead, then the rest as blocks; False when streaming is not offered."""
        team = place.team or ""
        if not (self.streaming and reply.lead and place.thread_ts) or team in self._cannot_stream:
            return False
        stream = self.client.chat_stream(
            channel=place.channel,
            thread_ts=place.thread_ts,
            recipient_team_id=place.team,
            recipient_user_id=place.user,
            buffer_size=1,
        )
        try:
            for piece in _pieces(reply.lead):
                stream.append(markdown_text=piece)
            stream.stop(blocks=reply.tail or None)
            return True
        except SlackApiError as exc:
            error = str(exc.response.get("error", ""))
            if error in _NO_STREAM:
                with self._lock:
                    self._cannot_stream.add(team)
            logger.info("streaming unavailable (%s); posting instead", error)
            if stream.ts is not None:  # started: finish the streamed message in place
                self.client.chat_update(
                    channel=place.channel, ts=stream.ts, text=reply.text, blocks=reply.blocks
                )
                return True
            return False

    # --- replies to buttons and commands -----------------------------------------------

    def _replace(self, place: Place, reply: Reply) -> None:
        body = {"replace_original": True, "text": reply.text, "blocks": reply.blocks}
        if self._respond(place, body):
            return
        if place.message_ts is None and reply.ephemeral:  # nothing to update: say it anew
            self._ephemeral(place, reply)
            return
        if place.message_ts is None:
            self._post(place, reply)
            return
        self.client.chat_update(
            channel=place.channel, ts=place.message_ts, text=reply.text, blocks=reply.blocks
        )

    def _ephemeral(self, place: Place, reply: Reply) -> None:
        body = {
            "response_type": "ephemeral",
            "replace_original": False,
            "text": reply.text,
            "blocks": reply.blocks,
        }
        if self._respond(place, body):
            return
        self.client.chat_postEphemeral(
            channel=place.channel,
            user=place.user,
            thread_ts=place.thread_ts,
            text=reply.text,
            blocks=reply.blocks,
        )

    def _post(self, place: Place, reply: Reply) -> None:
        """A new visible message: in the thread through the Web API, else via response_url
        (which works where the app is not a member, as after a slash command)."""
        if place.thread_ts is None:
            body = {
                "response_type": "in_channel",
                "replace_original": False,
                "text": reply.text,
                "blocks": reply.blocks,
            }
            if self._respond(place, body):
                return
        self._post_message(place, reply)

    def _post_message(self, place: Place, reply: Reply) -> None:
        try:
            self._queued(
                place.channel,
                lambda: self.client.chat_postMessage(
                    channel=place.channel,
                    thread_ts=place.thread_ts,
                    text=reply.text,
                    blocks=reply.blocks,
                ),
            )
        except SlackApiError as exc:
            if exc.response.get("error") not in _NOT_IN_CHANNEL:
                raise
            self._whisper_not_in_channel(place)

    def _whisper_not_in_channel(self, place: Place) -> None:
        note = text_reply(messages.NOT_IN_CHANNEL)
        body = {"response_type": "ephemeral", "text": note.text, "blocks": note.blocks}
        if not self._respond(place, body):  # a DM always works
            self.client.chat_postMessage(channel=place.user, text=note.text, blocks=note.blocks)

    def delete_original(self, place: Place) -> None:
        """Remove the "Looking into it…" note a slash command left (best effort)."""
        self.safely(lambda: self._respond(place, {"delete_original": True}), "tidying up")

    def _upload(self, place: Place, upload: Upload) -> None:
        thread = place.thread_ts or place.message_ts
        files = [
            {"filename": f.filename, "content": f.content, "title": f.title} for f in upload.files
        ]
        try:
            self._queued(
                place.channel,
                lambda: self.client.files_upload_v2(
                    channel=place.channel,
                    thread_ts=thread,
                    file_uploads=files,
                    initial_comment=upload.comment,
                ),
            )
        except SlackApiError as exc:
            missing = exc.response.get("error") in _NOT_IN_CHANNEL
            note = messages.NOT_IN_CHANNEL if missing else messages.FILE_FAILED
            if not missing:
                log_incident(logger, "uploading a file")
            self._ephemeral(place, text_reply(note, ephemeral=True))

    # --- plumbing ------------------------------------------------------------------------

    def _respond(self, place: Place, body: dict[str, Any]) -> bool:
        """Post to the response_url if it has uses left; False means use the Web API."""
        url = place.response_url
        if not url or not self.budget.take(url):
            return False
        response = WebhookClient(url, timeout=self.webhook_timeout_s).send_dict(body)
        if response.status_code == 200:
            return True
        logger.info("response_url answered %s; using the Web API", response.status_code)
        return False

    def _queued(self, channel: str, send: Callable[[], Any]) -> Any:
        return self.queue.send(channel, send)


def _pieces(text: str) -> list[str]:
    """Sentences, so a stream grows a sentence at a time.

    >>> _pieces("One. Two? Three")
    ['One. ', 'Two? ', 'Three']
    """
    parts = re.split(r"(?<=[.!?])\s+", text.strip())
    return [p + " " for p in parts[:-1]] + parts[-1:]

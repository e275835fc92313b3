"""What the desk hands to a surface: a message, where it goes, or a file or a dialog.

The Slack listeners and the terminal chat both take a ``Reply``; only how they deliver
it differs (Web API and response_url for Slack, rich text for the terminal).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.views.common import finish, section

__all__ = ["Attachment", "Reply", "Upload", "text_reply"]


@dataclass(frozen=True)
class Attachment:
    """A further file shared in the same message as an Upload's first."""

    filename: str
    content: str | bytes
    title: str


@dataclass(frozen=True)
class Upload:
    """A file to share next to the answer (CSV export, a report, a chart).

    ``content`` is text (UTF-8 on the wire) or bytes (a PNG); ``extra`` files go into the
    same message, under the one ``comment``.
    """

    filename: str
    content: str | bytes
    title: str
    comment: str
    rows: int
    extra: tuple[Attachment, ...] = ()

    @property
    def files(self) -> tuple[Attachment, ...]:
        """Every file of the upload, the first one first."""
        return (Attachment(self.filename, self.content, self.title), *self.extra)


@dataclass(frozen=True)
class Reply:
    """One thing to show.

    Attributes:
        text: the notification and fallback text (screen readers, push notifications).
        blocks: the Block Kit message.
        ephemeral: only the person who asked sees it.
        replace: it replaces the message whose button was pressed.
        upload: a file to share instead of a message.
        modal_title: show ``blocks`` in a dialog with this title.
        lead: markdown that may stream before the rest arrives (assistant threads).
        tail: the blocks that follow a streamed ``lead``.
        in_thread: post it in the thread of the pressed message (as files are).
    """

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    ephemeral: bool = False
    replace: bool = False
    upload: Upload | None = None
    modal_title: str | None = None
    lead: str | None = None
    tail: list[dict[str, Any]] | None = None
    in_thread: bool = False


def text_reply(text: str, *, ephemeral: bool = False, replace: bool = False) -> Reply:
    """A one-section message."""
    return Reply(text=text, blocks=finish([section(text)]), ephemeral=ephemeral, replace=replace)

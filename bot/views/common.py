"""Shared Block Kit helpers: escaping untrusted text, cutting to Slack's limits, validating.

Every builder returns plain ``dict`` blocks made through slack_sdk's models, whose
``to_dict()`` checks each block's own limits (3,000-character sections, 150-character
headers, 75-character buttons); ``finish`` adds the message-wide 50-block limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

__all__ = [
    "MAX_BLOCKS",
    "SECTION_LIMIT",
    "ago",
    "as_utc",
    "code_block",
    "context",
    "cut",
    "escape",
    "finish",
    "header",
    "number",
    "section",
]

MAX_BLOCKS = 50
SECTION_LIMIT = 3000
HEADER_LIMIT = 150


def escape(text: object) -> str:
    """Slack's three control characters, escaped: untrusted text can neither link,
    mention ``<!channel>`` nor break formatting.

    >>> escape("<!channel> & <https://evil>")
    '&lt;!channel&gt; &amp; &lt;https://evil&gt;'
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut(text: str, limit: int) -> str:
    """``text`` shortened to ``limit`` characters, marked with an ellipsis when cut.

    >>> cut("abcdef", 4)
    'abc…'
    """
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def number(value: Any) -> str:
    """A number as people read it: thousands separated, at most two decimals.

    >>> number(9.5800001), number(1551), number("x")
    ('9.58', '1,551', 'x')
    """
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def as_utc(when: datetime) -> datetime:
    """The store writes naive UTC timestamps; treat them as UTC."""
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def ago(when: datetime, now: datetime) -> str:
    """How long ago, coarsely; a date once it is more than two weeks old.

    >>> now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    >>> ago(datetime(2026, 11, 20, 9), now), ago(datetime(2026, 10, 1), now)
    ('3 h ago', '2026-10-01')
    """
    seconds = (as_utc(now) - as_utc(when)).total_seconds()
    if seconds < 90:
        return "just now"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min ago"
    if seconds < 36 * 3600:
        return f"{round(seconds / 3600)} h ago"
    if seconds < 14 * 86400:
        return f"{round(seconds / 86400)} d ago"
    return as_utc(when).date().isoformat()


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=cut(" ".join(text.split()), HEADER_LIMIT)))


def section(text: str, **kwargs: Any) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=cut(text, SECTION_LIMIT)), **kwargs)


def context(*texts: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=cut(t, SECTION_LIMIT)) for t in texts])


def code_block(text: str, limit: int = SECTION_LIMIT - 8) -> str:
    """Text fenced as code; backtick runs inside are broken so the fence holds.

    >>> code_block("SELECT 1 < 2")
    '```SELECT 1 &lt; 2```'
    """
    safe = escape(text).replace("```", "`\u200b``")
    return f"```{cut(safe, limit)}```"


def finish(blocks: Sequence[Block]) -> list[dict[str, Any]]:
    """Validated block dicts (each model checks its own limits on ``to_dict``).

    Raises:
        ValueError: more blocks than one message may hold (a builder bug).
    """
    if len(blocks) > MAX_BLOCKS:
        raise ValueError(f"{len(blocks)} blocks; Slack allows {MAX_BLOCKS} per message")
    return [b.to_dict() for b in blocks]

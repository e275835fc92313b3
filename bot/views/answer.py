"""An Answer as Block Kit: header, summary, how it was understood, the ranked rows a page
at a time, a compact table for counts and groups, freshness, buttons and feedback."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextActionsBlock,
    DividerBlock,
    FeedbackButtonObject,
    FeedbackButtonsElement,
    Option,
    OverflowMenuElement,
)

from bot import messages, proposal_messages
from bot.views.common import ago, code_block, context, cut, escape, finish, header, section
from bot.views.rows import RISK_COLUMNS, row_line
from bot.views.table import text_table
from pipeline import Answer
from querygen.catalog import Catalog, View
from querygen.native.base import PLATFORM_NAMES

__all__ = ["PAGE_SIZE", "answer_blocks", "page_count", "ranked_view"]

PAGE_SIZE = 10
MAX_CLARIFICATIONS = 5


def ranked_view(answer: Answer, catalog: Catalog) -> View | None:
    """The answer's view, when it has one the catalog knows."""
    if answer.spec is None:
        return None
    return catalog.views.get(answer.spec.view)


def page_count(answer: Answer) -> int:
    return max(1, math.ceil(answer.row_count / PAGE_SIZE))


def answer_blocks(
    answer: Answer, *, answer_id: str, catalog: Catalog, now: datetime, page: int = 0
) -> list[dict[str, Any]]:
    """The whole answer message.

    Args:
        answer: what the pipeline returned.
        answer_id: the key buttons carry to find this answer again.
        catalog: the semantic catalog (names, units, which rows can be explained).
        now: the clock freshness is measured against.
        page: which page of rows to show (0-based; clamped to the last page).
    """
    blocks: list[Block] = [header(answer.question), section(_summary(answer))]
    if answer.understood:
        chips = " · ".join(f"`{escape(c)}`" for c in answer.understood)
        blocks.append(context(f"{messages.UNDERSTOOD} {chips}"))
    blocks += _body(answer, answer_id, catalog, page)
    blocks.append(context(_footer(answer, now)))
    buttons = _buttons(answer, answer_id)
    if buttons:
        blocks.append(ActionsBlock(block_id="answer_actions", elements=buttons))
    blocks.append(_feedback(answer_id))
    return finish(blocks)


def _summary(answer: Answer) -> str:
    text = escape(answer.summary)
    if answer.kind == "yes_no" and answer.verdict is not None:
        return f"{messages.YES if answer.verdict else messages.NO} {text}"
    return text


def _body(answer: Answer, answer_id: str, catalog: Catalog, page: int) -> list[Block]:
    if answer.kind == "clarify":
        return _clarify(answer, answer_id)
    if answer.kind == "unsupported":
        notes = [escape(n) for n in answer.notes if n] + [messages.UNSUPPORTED_HINT]
        return [context(*notes[:10])]
    if answer.kind == "groups":
        table = text_table(answer.columns, answer.rows, value_header=messages.GROUP_VALUE_HEADER)
        return [section(code_block(table.text)), *_more_rows(table.left_out)]
    if answer.kind == "rows" and answer.rows:
        return _rows(answer, answer_id, catalog, page)
    if answer.kind == "rows":
        return [context(_empty_hint(answer))]
    return []


def _more_rows(left_out: int) -> list[Block]:
    return [context(messages.TABLE_MORE.format(more=left_out))] if left_out else []


def _empty_hint(answer: Answer) -> str:
    chips = [c for c in answer.understood if c != answer.understood[0]] if answer.understood else []
    if chips:
        return messages.EMPTY_HINT.format(chip=escape(chips[-1]))
    return messages.EMPTY_HINT_PLAIN


def _rows(answer: Answer, answer_id: str, catalog: Catalog, page: int) -> list[Block]:
    view = ranked_view(answer, catalog)
    page = min(max(page, 0), page_count(answer) - 1)
    first = page * PAGE_SIZE
    shown = answer.rows[first : first + PAGE_SIZE]
    explainable = (
        view is not None
        and view.key in answer.columns
        and any(c in answer.columns for c in RISK_COLUMNS)
    )
    blocks: list[Block] = [DividerBlock()]
    for offset, row in enumerate(shown):
        index = first + offset
        drafts = view is not None and view.key == "finding_id"
        accessory = _row_menu(answer_id, index, drafts=drafts) if explainable else None
        blocks.append(section(row_line(answer.columns, row, view, index + 1), accessory=accessory))
    total = answer.total if answer.total > answer.row_count else answer.row_count
    where = messages.ROWS_RANGE.format(first=first + 1, last=first + len(shown), total=f"{total:,}")
    notes = [where]
    if answer.total > answer.row_count and first + len(shown) >= answer.row_count:
        notes.append(messages.ROWS_CUT.format(shown=answer.row_count, cap=5000))
    blocks.append(context(" · ".join(notes)))
    pager = _pager(answer, answer_id, page)
    if pager:
        blocks.append(ActionsBlock(block_id=f"pager_{page}", elements=pager))
    return blocks


def _row_menu(answer_id: str, index: int, *, drafts: bool = False) -> OverflowMenuElement:
    """Explain; and for findings, Draft fix / Draft ticket / Suppress… (proposals)."""
    options = [Option(value=f"explain:{answer_id}:{index}", text=messages.MENU_EXPLAIN)]
    if drafts:
        options += [
            Option(value=f"{choice}:{answer_id}:{index}", text=label)
            for choice, label in (
                ("fix", proposal_messages.MENU_DRAFT_FIX),
                ("ticket", proposal_messages.MENU_DRAFT_TICKET),
                ("suppress", proposal_messages.MENU_SUPPRESS),
            )
        ]
    return OverflowMenuElement(action_id="row_menu", options=options)


def _pager(answer: Answer, answer_id: str, page: int) -> list[ButtonElement]:
    buttons = []
    if page > 0:
        buttons.append(
            ButtonElement(
                text=messages.BUTTON_PREVIOUS,
                action_id="answer_page_prev",
                value=f"{answer_id}:{page - 1}",
            )
        )
    if page + 1 < page_count(answer):
        buttons.append(
            ButtonElement(
                text=messages.BUTTON_MORE,
                action_id="answer_page_next",
                value=f"{answer_id}:{page + 1}",
            )
        )
    return buttons


def _clarify(answer: Answer, answer_id: str) -> list[Block]:
    choices = answer.clarifications[:MAX_CLARIFICATIONS]
    if not choices:
        return [context(messages.UNSUPPORTED_HINT)]
    buttons = [
        ButtonElement(text=cut(c.label, 75), action_id=f"clarify_{i}", value=f"{answer_id}:{i}")
        for i, c in enumerate(choices)
    ]
    return [ActionsBlock(block_id="clarify", elements=buttons), context(messages.CLARIFY_HINT)]


def _footer(answer: Answer, now: datetime) -> str:
    took = messages.ANSWERED_IN.format(ms=answer.elapsed_ms)
    parts = []
    for f in answer.freshness:
        when = f.last_sync_at or f.last_seen
        parts.append(f"{escape(f.source)} {ago(when, now)}" if when else escape(f.source))
    if parts:
        return f"{messages.DATA_FRESHNESS.format(sources=', '.join(parts))} · {took}"
    if answer.kind in ("clarify", "unsupported"):  # nothing was read, so no data to date
        return took
    return f"{messages.NO_SOURCES} · {took}"


def _buttons(answer: Answer, answer_id: str) -> list[ButtonElement]:
    buttons: list[ButtonElement] = []
    if answer.sql:
        buttons.append(
            ButtonElement(text=messages.BUTTON_SQL, action_id="answer_sql", value=answer_id)
        )
    if answer.spec is not None and answer.kind in ("rows", "yes_no"):
        buttons += [
            ButtonElement(
                text=messages.BUTTON_NATIVE.format(platform=name),
                action_id=f"answer_native_{key}",
                value=answer_id,
            )
            for key, name in PLATFORM_NAMES.items()
        ]
    if answer.rows and answer.kind in ("rows", "groups"):
        buttons.append(
            ButtonElement(text=messages.BUTTON_CSV, action_id="answer_csv", value=answer_id)
        )
    return buttons


def _feedback(answer_id: str) -> ContextActionsBlock:
    """Slack's own thumbs up / down element, carrying which answer it rates."""
    element = FeedbackButtonsElement(
        action_id="answer_feedback",
        positive_button=FeedbackButtonObject(
            text=messages.FEEDBACK_GOOD,
            value=f"good:{answer_id}",
            accessibility_label=messages.FEEDBACK_GOOD_LABEL,
        ),
        negative_button=FeedbackButtonObject(
            text=messages.FEEDBACK_BAD,
            value=f"bad:{answer_id}",
            accessibility_label=messages.FEEDBACK_BAD_LABEL,
        ),
    )
    return ContextActionsBlock(block_id="feedback", elements=[element])

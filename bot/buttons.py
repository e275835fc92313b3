"""Button presses on an answer: paging, SQL, native filters, CSV, Explain, a picked
reading, feedback. Values are ``<answer id>[:<arg>]`` written by ``bot.views``."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot import messages
from bot.export import EXPORT_LIMIT, csv_filename, to_csv
from bot.memory import Stored
from bot.replies import Reply, Upload, text_reply
from bot.views.answer import ranked_view
from bot.views.common import cut
from bot.views.details import native_blocks, not_expressible_blocks, sql_blocks
from bot.views.explain import explain_blocks
from core.errors import QueryRejected
from governance.audit import AuditEvent
from pipeline.explain import explain_row
from querygen.native import NotExpressible, compile_native
from querygen.native.base import PLATFORM_NAMES

if TYPE_CHECKING:
    from bot.desk import AnswerDesk

__all__ = ["ACTION_PATTERN", "Press", "act", "feedback"]

# every action id the answer, help and clarification messages carry
ACTION_PATTERN = re.compile(
    r"^(answer_page_(prev|next)|answer_sql|answer_native_(wiz|prisma|lacework)|answer_csv"
    r"|row_menu|clarify_\d+|answer_feedback|help_example_\d+|ask_this"
    r"|compliance_(export_html|export_md|trend|tickets))$"
)


@dataclass(frozen=True)
class Press:
    """One press on an answer's button: the answer, its id, the button's argument, who."""

    stored: Stored
    answer_id: str
    arg: str
    user: str


def _split(value: str) -> tuple[str, str]:
    answer_id, _, arg = value.partition(":")
    return answer_id, arg


def _index(text: str) -> int:
    return int(text) if text.isdigit() else -1


def act(desk: AnswerDesk, action_id: str, value: str, *, user: str) -> Reply:
    """The reply to one button press (or menu choice).

    Raises:
        KeyError: an action id this app never puts on a message.
    """
    if action_id.startswith(("help_example_", "ask_this")):
        return desk.ask(value, user=user)
    if action_id == "answer_feedback":
        return feedback(desk, value, user=user)
    if action_id.startswith("compliance_"):
        return desk.compliance.act(action_id, value, user=user)
    if action_id == "row_menu":  # "explain:<answer id>:<row>"
        value = value.removeprefix("explain:")
    name = next((h for h in _HANDLERS if action_id.startswith(h)), None)
    if name is None:
        raise KeyError(action_id)
    answer_id, arg = _split(value)
    stored = desk.cache.get(answer_id)
    if stored is None:
        return text_reply(messages.EXPIRED, ephemeral=True)
    if name == "answer_native":
        arg = action_id.removeprefix("answer_native_")
    if name == "clarify":
        arg = arg or action_id.removeprefix("clarify_")
    return _HANDLERS[name](desk, Press(stored, answer_id, arg, user))


def _page(desk: AnswerDesk, press: Press) -> Reply:
    return desk.answer_reply(
        press.stored.answer,
        press.stored.user,
        page=max(_index(press.arg), 0),
        answer_id=press.answer_id,
        replace=True,
    )


def _sql(desk: AnswerDesk, press: Press) -> Reply:
    return Reply(
        text=messages.BUTTON_SQL, blocks=sql_blocks(press.stored.answer.sql), ephemeral=True
    )


def _native(desk: AnswerDesk, press: Press) -> Reply:
    answer, platform = press.stored.answer, press.arg
    name = messages.BUTTON_NATIVE.format(platform=PLATFORM_NAMES.get(platform, platform))
    if answer.spec is None:
        return text_reply(
            messages.NATIVE_NO_SPEC.format(platform=PLATFORM_NAMES[platform]), ephemeral=True
        )
    try:
        native = compile_native(answer.spec, desk.catalog, platform)
    except NotExpressible as exc:
        return Reply(text=name, blocks=not_expressible_blocks(exc), ephemeral=True)
    except QueryRejected as exc:
        refusal = NotExpressible(platform, exc.message, remediation=exc.remediation)
        return Reply(text=name, blocks=not_expressible_blocks(refusal), ephemeral=True)
    return Reply(text=name, blocks=native_blocks(native), ephemeral=True)


def _export(desk: AnswerDesk, press: Press) -> Reply:
    stored = press.stored
    answer = stored.answer
    if answer.spec is not None and answer.total > answer.row_count:
        limit = min(answer.total, EXPORT_LIMIT)
        spec = answer.spec.model_copy(update={"limit": limit})
        answer = desk.answer_spec(spec, question=answer.question)
    if not answer.rows:
        return text_reply(messages.CSV_EMPTY, ephemeral=True)
    question = cut(stored.answer.question, 120)
    upload = Upload(
        filename=csv_filename(stored.answer.question),
        content=to_csv(answer.columns, answer.rows),
        title=messages.CSV_TITLE.format(question=question),
        comment=messages.CSV_COMMENT.format(rows=answer.row_count, question=question),
        rows=answer.row_count,
    )
    return Reply(text=upload.comment, upload=upload)


def _explain(desk: AnswerDesk, press: Press) -> Reply:
    answer = press.stored.answer
    view = ranked_view(answer, desk.catalog)
    index = _index(press.arg)
    if view is None or view.key not in answer.columns or not 0 <= index < answer.row_count:
        return text_reply(messages.EXPLAIN_NOT_RANKED, ephemeral=True)
    key = answer.rows[index][answer.columns.index(view.key)]
    explanation = explain_row(desk.copilot, view.name, str(key))
    if explanation is None:
        return text_reply(messages.EXPLAIN_NOT_FOUND, ephemeral=True)
    return Reply(
        text=f"{messages.EXPLAIN_TITLE}: {explanation.name}",
        blocks=explain_blocks(explanation),
        modal_title=messages.EXPLAIN_TITLE,
    )


def _clarify(desk: AnswerDesk, press: Press) -> Reply:
    stored, user = press.stored, press.user
    choices = stored.answer.clarifications
    index = _index(press.arg)
    if not 0 <= index < len(choices):
        return text_reply(messages.EXPIRED, ephemeral=True)
    choice = choices[index]
    answer = desk.answer_spec(choice.spec, question=stored.answer.question)
    answer = desk.with_row_keys(answer.model_copy(update={"understood": [choice.label]}))
    desk.record(answer, user, picked=choice.label)
    return desk.answer_reply(answer, user, replace=True)


def feedback(desk: AnswerDesk, value: str, *, user: str) -> Reply:
    """Record 👍 / 👎 with the question it rates ("good:<id>" or "bad:<id>")."""
    rating, _, answer_id = value.partition(":")
    rating = "good" if rating == "good" else "bad"
    stored = desk.cache.get(answer_id)
    if stored is not None:
        desk.record(
            stored.answer, user, action="answer.feedback", rating=rating, answer_id=answer_id
        )
    elif desk.audit is not None:
        desk.audit.append(
            AuditEvent(
                action="answer.feedback",
                actor=user,
                details={"rating": rating, "answer_id": answer_id},
            )
        )
    text = messages.FEEDBACK_THANKS_GOOD if rating == "good" else messages.FEEDBACK_THANKS_BAD
    return text_reply(text, ephemeral=True)


_HANDLERS: dict[str, Callable[[AnswerDesk, Press], Reply]] = {
    "answer_page": _page,
    "answer_sql": _sql,
    "answer_native": _native,
    "answer_csv": _export,
    "row_menu": _explain,
    "clarify": _clarify,
}

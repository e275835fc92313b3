"""The ephemeral details under an answer: the SQL that ran, the same question as a Wiz,
Prisma Cloud or Lacework filter, and polite refusals when a platform cannot say it."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import Block

from bot import messages
from bot.views.common import SECTION_LIMIT, code_block, context, escape, finish, section
from querygen.native.base import PLATFORM_NAMES, NativeFilter, NotExpressible

__all__ = ["native_blocks", "not_expressible_blocks", "sql_blocks"]

_CODE_LIMIT = SECTION_LIMIT - 200


def _code(text: str) -> list[Block]:
    blocks: list[Block] = [section(code_block(text, _CODE_LIMIT))]
    if len(escape(text)) > _CODE_LIMIT:
        blocks.append(context(messages.TEXT_CUT))
    return blocks


def sql_blocks(sql: str | None) -> list[dict[str, Any]]:
    """The guarded SQL, as it ran."""
    if not sql:
        return finish([section(messages.SQL_NONE)])
    return finish([section(messages.SQL_TITLE), *_code(sql)])


def _native_text(native: NativeFilter) -> str:
    if native.query is not None:
        text = native.query
        if native.variables:
            text += "\n\nvariables: " + json.dumps(native.variables, indent=2, default=str)
        return text
    return json.dumps(native.body or {}, indent=2, default=str)


def native_blocks(native: NativeFilter) -> list[dict[str, Any]]:
    """The platform request: endpoint, query or body, and the notes that qualify it."""
    title = messages.NATIVE_TITLE.format(
        platform=PLATFORM_NAMES[native.platform], endpoint=escape(native.endpoint)
    )
    blocks: list[Block] = [section(title), *_code(_native_text(native))]
    notes = [messages.NATIVE_NOTE.format(note=escape(n)) for n in native.notes[:10]]
    if notes:
        blocks.append(context(*notes))
    return finish(blocks)


def not_expressible_blocks(exc: NotExpressible) -> list[dict[str, Any]]:
    """The platform's limit in one sentence, and where the answer can be had instead."""
    text = messages.NATIVE_NOT_EXPRESSIBLE.format(
        platform=PLATFORM_NAMES.get(exc.platform, exc.platform),
        what=escape(exc.what),
        hint=escape(exc.remediation),
    )
    return finish([section(text)])

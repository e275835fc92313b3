"""A proposal as a Slack message: what it changes, why, where it goes, and its state;
Approve / Reject / Edit while it waits, Retry after a failed delivery.

Button values carry only the proposal id; everything else is read back from the
workflow database when a button is pressed.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot import proposal_messages as words
from bot.views.common import (
    SECTION_LIMIT,
    code_block,
    context,
    cut,
    escape,
    finish,
    header,
    section,
)
from proposals.models import Proposal, ProposalState

__all__ = ["PROPOSAL_ACTIONS", "proposal_blocks", "proposal_text", "shown_code"]

PROPOSAL_ACTIONS = ("proposal_approve", "proposal_reject", "proposal_edit", "proposal_retry")
_CODE_LIMIT = SECTION_LIMIT - 200  # room for the fence and the cut note


def shown_code(p: Proposal) -> tuple[str, str] | None:
    """(label, text) of the code the message shows: the diff, else the first code block."""
    fix = p.draft.remediation
    if fix is None:
        return None
    if fix.diff:
        return "diff", fix.diff
    for label, text in (
        *fix.code.native_iac.items(),
        ("terraform", fix.code.terraform),
        ("cli", fix.code.cli),
    ):
        if text:
            return label, text
    return None


def _facts(p: Proposal) -> str:
    finding = escape(p.finding_id.replace("`", "'"))  # keep the inline code span whole
    lines = [
        f"*{escape(cut(p.title, 200))}*",
        f"`{finding}` · {escape(p.severity)} · team *{escape(p.team)}*",
        escape(cut(p.draft.risk_in_words, 300)),
    ]
    if p.target is not None and p.state is ProposalState.PENDING:
        lines.append(f"Goes to {words.TARGETS[p.target.value]} when approved.")
    if p.suppression is not None:
        kind = words.SUPPRESS_KINDS[p.suppression.kind.value]
        until = p.suppression.expires_at.date().isoformat()
        lines.append(f"{kind} until {until}: {escape(cut(p.suppression.reason, 500))}")
    if p.draft.notes:
        lines.append(f"_Note:_ {escape(cut(p.draft.notes, 500))}")
    return "\n".join(lines)


def proposal_text(p: Proposal) -> str:
    """The state line (also the notification text of an update)."""
    receipt = p.receipt
    return words.STATE[p.state.value].format(
        team=escape(p.team),
        by=p.decided_by or "unknown",
        url=receipt.url if receipt else "",
        key=escape(receipt.key) if receipt else "",
        reason=escape(cut(p.reason or "", 500)),
    )


def _buttons(p: Proposal) -> list[ButtonElement]:
    if p.state is ProposalState.PENDING:
        return [
            ButtonElement(
                text=words.APPROVE, action_id="proposal_approve", value=p.id, style="primary"
            ),
            ButtonElement(
                text=words.REJECT, action_id="proposal_reject", value=p.id, style="danger"
            ),
            ButtonElement(text=words.EDIT, action_id="proposal_edit", value=p.id),
        ]
    if p.state is ProposalState.FAILED:
        return [ButtonElement(text=words.RETRY, action_id="proposal_retry", value=p.id)]
    return []


def proposal_blocks(p: Proposal) -> list[dict[str, Any]]:
    """The proposal message, within Slack's limits (long code is cut with a note)."""
    title = words.HEADER[p.kind.value].format(summary=p.draft.summary)
    blocks: list[Block] = [header(cut(title, 150)), section(_facts(p))]
    code = shown_code(p)
    if code is not None:
        label, text = code
        body = code_block(text, _CODE_LIMIT)
        note = f"\n{words.CUT_NOTE}" if len(escape(text)) > _CODE_LIMIT else ""
        blocks.append(section(f"*{escape(label)}*\n{body}{note}"))
    blocks.append(section(proposal_text(p)))
    buttons = _buttons(p)
    if buttons:
        blocks.append(ActionsBlock(block_id=f"proposal_{p.state.value}", elements=buttons))
    drafter = p.draft.model or p.draft.drafter or "offline draft"
    blocks.append(
        context(words.REQUESTED.format(user=p.requested_by, id=p.id, drafter=escape(drafter)))
    )
    return finish(blocks)

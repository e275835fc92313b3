"""Explain, in a dialog: why the row ranks high, a likely attack, and what it can reach."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, DividerBlock

from bot import messages
from bot.views.common import context, cut, escape, finish, header, number, section
from pipeline.explain import Explanation

__all__ = ["explain_blocks"]


def _reach_line(name: str, kind: str, data: tuple[str, ...], path: tuple[str, ...]) -> str:
    held = f", holds {', '.join(data)}" if data else ""
    via = " → ".join(p.replace("_", " ") for p in path)
    return f"• *{escape(cut(name, 80))}* ({escape(kind)}{escape(held)}) via {escape(via)}"


def explain_blocks(explanation: Explanation) -> list[dict[str, Any]]:
    """The explanation as blocks (a dialog's body, or a message in the terminal)."""
    title = explanation.name
    if explanation.score is not None:
        title += f" (risk {number(explanation.score)})"
    blocks: list[Block] = [header(title)]
    if explanation.reasons:
        reasons = "\n".join(f"• {escape(r)}" for r in explanation.reasons)
        blocks.append(section(f"{messages.EXPLAIN_WHY}\n{reasons}"))
    else:
        blocks.append(section(messages.EXPLAIN_NO_FACTORS))
    if explanation.scenario:
        blocks.append(section(f"{messages.EXPLAIN_SCENARIO}\n{escape(explanation.scenario)}"))
    blocks.append(DividerBlock())
    if explanation.reach:
        lines = [_reach_line(r.name, r.kind, r.data_classes, r.path) for r in explanation.reach]
        more = explanation.reach_total - len(explanation.reach)
        if more > 0:
            lines.append(messages.EXPLAIN_REACH_MORE.format(more=more))
        blocks.append(section(f"{messages.EXPLAIN_REACH}\n" + "\n".join(lines)))
    else:
        blocks.append(section(f"{messages.EXPLAIN_REACH}\n{messages.EXPLAIN_REACH_NONE}"))
    if explanation.findings:
        found = "\n".join(f"• {escape(cut(f, 200))}" for f in explanation.findings)
        blocks.append(context(f"{messages.EXPLAIN_FINDINGS}\n{found}"))
    return finish(blocks)

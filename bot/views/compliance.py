"""`/posture compliance`: the snapshot summary with its buttons, the framework help, and
the list of ticket drafts. Finding titles and resource names are untrusted: escaped, cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot import messages
from bot.views.common import context, cut, escape, finish, header, number, section
from compliance import ComplianceSummary, Framework, TicketDraft
from compliance.summary import ControlChange, SnapshotDiff

__all__ = [
    "COMPLIANCE_ACTIONS",
    "drafts_blocks",
    "frameworks_blocks",
    "pct",
    "plural",
    "summary_blocks",
]

COMPLIANCE_ACTIONS = {
    "compliance_export_html": messages.BUTTON_EXPORT_EVIDENCE,
    "compliance_export_md": messages.BUTTON_EXPORT_MARKDOWN,
    "compliance_trend": messages.BUTTON_SHOW_TREND,
    "compliance_tickets": messages.BUTTON_DRAFT_TICKETS,
}
FAILING_SHOWN = 8
CHANGES_SHOWN = 10
TITLE_CUT = 120


def pct(rate: float | None) -> str:
    """A pass rate as people read it.

    >>> pct(0.3333), pct(None)
    ('33%', 'n/a')
    """
    return "n/a" if rate is None else f"{rate * 100:.0f}%"


def plural(n: int, noun: str) -> str:
    """``1 finding``, ``1,551 findings``.

    >>> plural(1, "resource"), plural(1551, "finding")
    ('1 resource', '1,551 findings')
    """
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def frameworks_blocks(lead: str, frameworks: Sequence[Framework]) -> list[dict[str, Any]]:
    """What to type, and the frameworks on offer."""
    lines = [
        messages.COMPLIANCE_FRAMEWORK_LINE.format(id=f.id, name=f.name, version=f.version)
        for f in frameworks
    ]
    usage = messages.COMPLIANCE_USAGE.format(frameworks=", ".join(f"`{f.id}`" for f in frameworks))
    return finish([section(lead), section("\n".join(lines)), section(usage)])


def _controls(changes: tuple[ControlChange, ...]) -> str:
    shown = ", ".join(f"`{c.control_id}`" for c in changes[:CHANGES_SHOWN])
    more = len(changes) - CHANGES_SHOWN
    return shown + (f" and {more:,} more" if more > 0 else "")


def _changes_text(summary: ComplianceSummary, diff: SnapshotDiff | None) -> str:
    if diff is None:
        return messages.COMPLIANCE_NO_BASELINE.format(framework=summary.framework)
    delta = ""
    if diff.pass_rate_delta is not None:
        delta = f" ({diff.pass_rate_delta * 100:+.0f} pts)"
    lines = [
        messages.COMPLIANCE_CHANGES.format(
            when=f"{diff.previous_taken_at:%Y-%m-%d %H:%M} UTC",
            before=pct(diff.previous_pass_rate),
            after=pct(summary.pass_rate),
            delta=delta,
        )
    ]
    if diff.newly_failing:
        lines.append(
            messages.COMPLIANCE_NEWLY_FAILING.format(controls=_controls(diff.newly_failing))
        )
    if diff.newly_passing:
        lines.append(
            messages.COMPLIANCE_NEWLY_PASSING.format(controls=_controls(diff.newly_passing))
        )
    if diff.other_changes:
        lines.append(
            messages.COMPLIANCE_OTHER_CHANGES.format(controls=_controls(diff.other_changes))
        )
    if diff.unchanged:
        lines.append(messages.COMPLIANCE_UNCHANGED)
    return "\n".join(lines)


def _failing_text(summary: ComplianceSummary) -> str:
    if not summary.failing:
        return messages.COMPLIANCE_NONE_FAILING
    lines = [messages.COMPLIANCE_FAILING]
    for r in summary.failing[:FAILING_SHOWN]:
        line = messages.COMPLIANCE_FAILING_LINE.format(
            control=escape(r.control_id),
            title=escape(cut(r.title, TITLE_CUT)),
            risk="-" if r.max_risk_score is None else number(round(r.max_risk_score, 1)),
            findings=plural(r.failing_findings, "finding"),
            resources=plural(r.failing_resources, "resource"),
        )
        if r.worst_finding:
            line += messages.COMPLIANCE_WORST.format(finding=escape(cut(r.worst_finding, 100)))
        lines.append(line)
    more = len(summary.failing) - FAILING_SHOWN
    if more > 0:
        lines.append(messages.COMPLIANCE_FAILING_MORE.format(more=more))
    return "\n".join(lines)


def _buttons(value: str, failing: bool) -> ActionsBlock:
    wanted = [a for a in COMPLIANCE_ACTIONS if failing or a != "compliance_tickets"]
    elements = [
        ButtonElement(
            text=COMPLIANCE_ACTIONS[a],
            action_id=a,
            value=value,
            style="primary" if a == "compliance_export_html" else None,
        )
        for a in wanted
    ]
    return ActionsBlock(block_id="compliance_actions", elements=elements)


def summary_blocks(summary: ComplianceSummary, *, value: str) -> list[dict[str, Any]]:
    """The summary: pass rate, what changed, failing controls by risk, and the buttons.

    Args:
        summary: from ``compliance_summary``.
        value: what each button carries (see ``bot.compliance_desk``); at most 2,000 chars.
    """
    rate = messages.COMPLIANCE_RATE.format(
        rate=pct(summary.pass_rate),
        passed=summary.passed,
        failed=summary.failed,
        not_assessed=summary.not_assessed,
        total=summary.total,
    )
    blocks: list[Block] = [
        header(
            messages.COMPLIANCE_HEADER.format(
                framework=summary.framework_name, scope=summary.scope_label
            )
        ),
        section(rate),
        section(_changes_text(summary, summary.changes)),
        section(_failing_text(summary)),
    ]
    if summary.not_assessed_controls:
        names = ", ".join(f"`{cid}` ({escape(why)})" for cid, why in summary.not_assessed_controls)
        blocks.append(section(messages.COMPLIANCE_NOT_ASSESSED.format(controls=names)))
    blocks.append(_buttons(value, bool(summary.failing)))
    sources = ", ".join(summary.snapshot.sources) or messages.COMPLIANCE_NO_SOURCES
    when = f"{summary.taken_at:%Y-%m-%d %H:%M}"
    blocks.append(context(messages.COMPLIANCE_FOOTER.format(when=when, sources=sources)))
    return finish(blocks)


def _draft_text(n: int, draft: TicketDraft) -> str:
    risk = "-" if draft.max_risk_score is None else number(round(draft.max_risk_score, 1))
    lines = [
        messages.DRAFT_LINE.format(
            n=n,
            title=escape(draft.title),
            priority=draft.priority,
            risk=risk,
            findings=plural(draft.failing_findings, "finding"),
            resources=plural(draft.failing_resources, "resource"),
        )
    ]
    names = ", ".join(
        f"`{escape(cut(r.resource_name or r.resource_id, 60))}` "
        f"({'-' if r.max_risk_score is None else number(round(r.max_risk_score, 1))})"
        for r in draft.resources[:5]
    )
    more = draft.failing_resources - min(len(draft.resources), 5)
    if more > 0:
        names += messages.DRAFT_RESOURCES_MORE.format(more=more)
    lines.append(messages.DRAFT_RESOURCES.format(resources=names))
    for g in draft.guidance[:3]:
        if g.fix:
            lines.append(messages.DRAFT_FIX.format(fix=f"_{escape(g.title)}_: {escape(g.fix)}"))
    return "\n".join(lines)


def drafts_blocks(
    summary: ComplianceSummary, drafts: Sequence[TicketDraft], *, user: str
) -> list[dict[str, Any]]:
    """The drafts, one section each, and the note that each becomes a proposal."""
    title = messages.DRAFTS_HEADER.format(
        framework=summary.framework_name, scope=summary.scope_label
    )
    if not drafts:
        return finish([header(title), section(messages.DRAFTS_NONE)])
    blocks: list[Block] = [
        header(title),
        section(messages.DRAFTS_INTRO.format(count=len(drafts))),
    ]
    blocks += [section(_draft_text(n, d)) for n, d in enumerate(drafts, start=1)]
    blocks.append(context(messages.DRAFTS_NOTE.format(user=f"<@{escape(user)}>")))
    return finish(blocks)

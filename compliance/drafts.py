"""Ticket drafts for the failing controls of a snapshot: one per control, riskiest first.

A draft is what a person would otherwise copy out of the report by hand: the control,
the failing resources with the risk behind them, the findings as evidence, and how to fix
each failing check (``fix`` in ``checks.json``). Drafts are pure data; turning one into a
Jira, ServiceNow or GitHub ticket is the ticketing flow's job, after a human approves it.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from compliance.mapping import load_checks
from compliance.snapshot import ControlResult, Evidence, Status
from compliance.summary import ComplianceSummary

__all__ = [
    "DraftGuidance",
    "DraftResource",
    "Priority",
    "TicketDraft",
    "priority_for",
    "ticket_drafts",
]

Priority = Literal["Highest", "High", "Medium", "Low"]  # Jira's default priority names
DEFAULT_LIMIT = 5
RESOURCES_PER_DRAFT = 10
EVIDENCE_PER_DRAFT = 10
TITLE_LIMIT = 255  # Jira's summary limit, the tightest of the ticket systems
# (lowest max risk score, priority), checked top down; scores are 0-10 (risk/score.py)
_PRIORITIES: tuple[tuple[float, Priority], ...] = ((8.0, "Highest"), (6.0, "High"), (4.0, "Medium"))


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DraftResource(_Frozen):
    """A failing resource with the risk of its worst finding under this control."""

    resource_id: str
    resource_name: str | None
    resource_kind: str | None
    environment: str | None
    team: str | None
    max_risk_score: float | None
    findings: int
    checks: tuple[str, ...]


class DraftGuidance(_Frozen):
    """How to make one failing check pass."""

    check_id: str
    title: str
    fix: str | None
    references: tuple[str, ...]


class TicketDraft(_Frozen):
    """One ticket to propose. ``key`` is stable across snapshots of the same scope, so the
    proposals flow can deduplicate a control that is still failing."""

    key: str
    title: str
    priority: Priority
    framework: str
    framework_name: str
    control_id: str
    control_title: str
    control_reason: str
    scope_label: str
    taken_at: datetime
    max_risk_score: float | None
    failing_findings: int
    failing_resources: int
    resources: tuple[DraftResource, ...]  # riskiest first, at most RESOURCES_PER_DRAFT
    evidence: tuple[Evidence, ...]  # riskiest first, at most EVIDENCE_PER_DRAFT
    guidance: tuple[DraftGuidance, ...]  # failing checks, in order of their riskiest finding


def priority_for(max_risk: float | None) -> Priority:
    """The ticket priority for a control's highest risk score.

    >>> priority_for(8.4), priority_for(6.0), priority_for(None)
    ('Highest', 'High', 'Low')
    """
    score = max_risk or 0.0
    return next((p for floor, p in _PRIORITIES if score >= floor), "Low")


def _resources(evidence: tuple[Evidence, ...], limit: int) -> tuple[DraftResource, ...]:
    grouped: OrderedDict[str, list[Evidence]] = OrderedDict()
    for e in evidence:  # already riskiest first, so each group's first is its worst
        grouped.setdefault(e.resource_id, []).append(e)
    out = []
    for resource_id, items in list(grouped.items())[:limit]:
        worst = items[0]
        out.append(
            DraftResource(
                resource_id=resource_id,
                resource_name=worst.resource_name,
                resource_kind=worst.resource_kind,
                environment=worst.environment,
                team=worst.team,
                max_risk_score=worst.risk_score,
                findings=len(items),
                checks=tuple(dict.fromkeys(e.check_id for e in items)),
            )
        )
    return tuple(out)


def _guidance(result: ControlResult) -> tuple[DraftGuidance, ...]:
    checks = load_checks().checks
    failing = dict.fromkeys(e.check_id for e in result.evidence)
    return tuple(
        DraftGuidance(
            check_id=c,
            title=checks[c].title,
            fix=checks[c].fix,
            references=checks[c].references,
        )
        for c in failing
        if c in checks
    )


def _title(summary: ComplianceSummary, result: ControlResult) -> str:
    noun = "resource" if result.failing_resources == 1 else "resources"
    title = (
        f"[{summary.framework.upper()} {result.control_id}] {result.title}: "
        f"{result.failing_resources} failing {noun} ({summary.scope_label})"
    )
    return title if len(title) <= TITLE_LIMIT else title[: TITLE_LIMIT - 1] + "…"


def _draft(summary: ComplianceSummary, result: ControlResult, resources: int) -> TicketDraft:
    return TicketDraft(
        key=f"{summary.framework}:{result.control_id}:{summary.scope.key}",
        title=_title(summary, result),
        priority=priority_for(result.max_risk_score),
        framework=summary.framework,
        framework_name=summary.framework_name,
        control_id=result.control_id,
        control_title=result.title,
        control_reason=result.reason,
        scope_label=summary.scope_label,
        taken_at=summary.taken_at,
        max_risk_score=result.max_risk_score,
        failing_findings=result.failing_findings,
        failing_resources=result.failing_resources,
        resources=_resources(result.evidence, resources),
        evidence=result.evidence[:EVIDENCE_PER_DRAFT],
        guidance=_guidance(result),
    )


def ticket_drafts(
    summary: ComplianceSummary,
    limit: int = DEFAULT_LIMIT,
    *,
    resources: int = RESOURCES_PER_DRAFT,
) -> tuple[TicketDraft, ...]:
    """Drafts for the ``limit`` riskiest failing controls of a summary.

    Args:
        summary: from ``compliance_summary`` (its snapshot carries the evidence).
        limit: how many controls, in the summary's risk order.
        resources: failing resources listed per draft (the counts stay exact).

    Returns:
        The drafts, riskiest control first; empty when nothing fails.
    """
    drafts = []
    for ranked in summary.failing[: max(limit, 0)]:
        result = summary.snapshot.result(ranked.control_id)
        if result.status is Status.FAIL:
            drafts.append(_draft(summary, result, resources))
    return tuple(drafts)

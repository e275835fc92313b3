"""From a finding to a proposal's draft: the fix (validated), the words, the owner team.

Reads the finding through the read-only findings store (the semantic ``findings``
view), asks ``remediation.draft_fix`` for a fix, and picks where it goes from the owner
team's route in ``posture.yaml``: a pull request when the team has a repository and
there is code, else the team's Jira project or ServiceNow group.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.errors import ValidationFailed
from core.query import ValidatedQuery
from core.routing import AccessSettings, TeamRoute
from proposals.models import ProposalDraft, ProposalKind
from remediation import NoAutomaticFix, draft_fix, load_context
from remediation.context import FINDING_ID, select_where
from remediation.registry import Drafter
from store import FindingsStore
from tickets.models import TicketTarget

__all__ = ["FindingFacts", "draft_for", "owner_team", "pick_target", "read_finding"]

FindingFacts = dict[str, Any]
_NO_TEAM = "unowned"


def read_finding(store: FindingsStore, finding_id: str) -> FindingFacts:
    """The finding's row in the ``findings`` view, as a dict.

    Raises:
        ValidationFailed: the id is malformed or names no finding.
    """
    if not FINDING_ID.fullmatch(finding_id):
        raise ValidationFailed(
            "That is not a finding id.", remediation="Use the id a findings answer shows."
        )
    sql = select_where("findings", finding_id=finding_id)
    result = store.query(ValidatedQuery(sql=sql, views=("findings",), row_limit=1))
    if not result.rows:
        raise ValidationFailed(f"No finding {finding_id} in the store.")
    return dict(zip(result.columns, result.rows[0], strict=True))


def owner_team(facts: FindingFacts, teams: Mapping[str, TeamRoute], access: AccessSettings) -> str:
    """The finding's team when it has a route; else the fallback team; else its label."""
    team = str(facts.get("team") or "")
    if team in teams:
        return team
    if access.fallback_team:
        return access.fallback_team
    return team or _NO_TEAM


def pick_target(kind: ProposalKind, route: TeamRoute | None, *, has_code: bool) -> TicketTarget:
    """Where an approved proposal of ``kind`` goes for a team with ``route``.

    Raises:
        ValidationFailed: the team has no destination configured.
    """
    if route is not None:
        if kind is ProposalKind.FIX and has_code and route.github_repo:
            return TicketTarget.GITHUB
        if route.jira_project:
            return TicketTarget.JIRA
        if route.servicenow_group:
            return TicketTarget.SERVICENOW
        if route.github_repo:
            return TicketTarget.GITHUB
    raise ValidationFailed(
        "This finding's team has nowhere to deliver tickets.",
        remediation="Give the team a jira_project, servicenow_group or github_repo in "
        "posture.yaml (or set access.fallback_team).",
    )


def risk_in_words(facts: FindingFacts) -> str:
    """``prod function · public · PII · risk 9.1`` for a ticket's first line.

    >>> risk_in_words({"environment": "prod", "resource_kind": "function",
    ...                "is_public": True, "data_classes": ["PII"], "risk_score": 9.14})
    'prod function · public · PII · risk 9.1'
    """
    parts = [
        " ".join(str(facts[k]) for k in ("environment", "resource_kind") if facts.get(k)),
        "public" if facts.get("is_public") else "",
        ", ".join(str(d) for d in facts.get("data_classes") or []),
        f"risk {float(facts['risk_score']):.1f}" if facts.get("risk_score") is not None else "",
    ]
    return " · ".join(p for p in parts if p) or str(facts.get("severity") or "unknown risk")


def _evidence(facts: FindingFacts) -> tuple[str, ...]:
    factors = facts.get("risk_factors") or []
    lines = [
        f"{f.get('detail') or f.get('name')} (+{float(f.get('points') or 0):.1f})"
        for f in factors
        if isinstance(f, dict)
    ]
    where = " / ".join(str(facts[k]) for k in ("cloud", "account", "region") if facts.get(k))
    head = [f"Resource: {facts.get('resource_name') or facts.get('resource_id')} ({where})"]
    return tuple(line[:4000] for line in head + lines[:8])


def draft_for(
    store: FindingsStore,
    facts: FindingFacts,
    kind: ProposalKind,
    *,
    question: str | None,
    llm: Drafter | None = None,
) -> ProposalDraft:
    """The draft of a fix or ticket for one finding (suppressions carry no draft code).

    Raises:
        ValidationFailed: a fix was asked for a finding no drafter can fix safely.
    """
    base: dict[str, Any] = {
        "risk_in_words": risk_in_words(facts),
        "evidence": _evidence(facts),
        "console_url": facts.get("console_url"),
        "risk_score": facts.get("risk_score"),
        "question": question,
    }
    title = str(facts.get("title") or facts["finding_id"])
    if kind is not ProposalKind.FIX:
        summary = "Suppress" if kind is ProposalKind.SUPPRESSION else "Investigate and fix"
        return ProposalDraft(summary=f"{summary}: {title}", **base)
    result = draft_fix(load_context(store, str(facts["finding_id"])), llm=llm)
    if isinstance(result, NoAutomaticFix):
        raise ValidationFailed(
            result.reason,
            remediation="Draft a ticket instead; a person can fix it from the finding.",
        )
    return ProposalDraft(summary=result.summary, remediation=result, drafter=result.drafter, **base)

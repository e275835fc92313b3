"""What `posture demo` shows of proposals: a fix drafted, approved and delivered.

The demo never touches a real ticket system: it starts the loopback Jira and GitHub the
tests use (``tests/fakes``, present in a repo checkout), routes the demo estate's teams
to them with one requester and one approver each, and delivers through the same
``bot.proposal_wiring.build_deliverer`` the Slack app uses.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot.proposal_wiring import build_deliverer
from core.query import ValidatedQuery
from core.routing import AccessSettings, TeamRoute
from core.settings import Settings
from governance.audit import AuditLog
from posture_cli.proposal_commands import outcome_line
from proposals import ProposalKind, ProposalService, ProposalStore, Rbac
from store import FindingsStore
from workflow import WorkflowDB

__all__ = [
    "DEMO_APPROVER",
    "DEMO_REQUESTER",
    "demo_proposal_text",
    "demo_teams",
    "local_ticket_systems",
]

DEMO_REQUESTER = "U0DEMOREQ1"
DEMO_APPROVER = "U0DEMOAPP1"
_DEMO_SQL = (
    "SELECT finding_id FROM findings WHERE status = 'open' AND type = 'privileged_container' "
    "ORDER BY risk_score DESC, finding_id LIMIT 1"
)
_ESTATE_TEAMS = ("payments", "identity", "platform", "data", "growth", "search")


def demo_teams() -> dict[str, TeamRoute]:
    """A route per demo-estate team: a Jira project, a GitHub repo, two people."""
    return {
        team: TeamRoute(
            jira_project=team[:3].upper(),
            github_repo=f"acme/{team}-infra",
            requesters=(DEMO_REQUESTER,),
            approvers=(DEMO_APPROVER,),
        )
        for team in _ESTATE_TEAMS
    }


@contextmanager
def local_ticket_systems(teams: dict[str, TeamRoute]) -> Iterator[dict[str, Any] | None]:
    """Loopback Jira and GitHub holding the teams' projects and repos, as settings values.

    Yields None outside a repo checkout (the fakes live in ``tests/fakes``).
    """
    try:
        from tests.fakes import github_server, jira_server
    except ImportError:
        yield None
        return
    projects = tuple(sorted({r.jira_project for r in teams.values() if r.jira_project}))
    repos = tuple(sorted({r.github_repo for r in teams.values() if r.github_repo}))
    with (
        jira_server.FakeJira(projects=projects) as jira,
        github_server.FakeGitHub(repos=repos) as github,
    ):
        yield {
            "jira": {
                "base_url": jira.base_url,
                "email": jira_server.EMAIL,
                "api_token": jira_server.TOKEN,
            },
            "github": {"api_url": github.base_url, "token": github_server.TOKEN},
        }


def demo_proposal_text(store: FindingsStore, settings: Settings) -> str:
    """Draft the riskiest privileged container's fix, approve it, deliver it; as a transcript."""
    rows = store.query(ValidatedQuery(sql=_DEMO_SQL)).rows
    if not rows:
        return ""
    teams = demo_teams()
    with local_ticket_systems(teams) as systems:
        if systems is None:
            return "\n(fix delivery is shown from a repo checkout, where the local fakes live)"
        # the fakes forget their tickets when the demo ends, so the records of them go too
        with tempfile.TemporaryDirectory(prefix="posture-demo-") as scratch:
            demo = Settings(home=Path(scratch), teams=teams, access=AccessSettings(), **systems)
            return _draft_approve_deliver(store, demo, str(rows[0][0]), settings.audit_path)


def _draft_approve_deliver(
    store: FindingsStore, settings: Settings, finding_id: str, audit_path: Path
) -> str:
    with WorkflowDB(settings.workflow_path) as db:
        service = ProposalService(
            ProposalStore(db),
            store,
            rbac=Rbac(settings.teams, settings.access),
            deliverer=build_deliverer(settings, db),
            audit=AuditLog(audit_path),
            teams=settings.teams,
            access=settings.access,
        )
        try:
            drafted = service.draft(finding_id, ProposalKind.FIX, user=DEMO_REQUESTER)
            p = drafted.proposal
            target = p.target.value if p.target else "-"
            return "\n".join(
                [
                    f"\n> Draft fix on {finding_id} (as {DEMO_REQUESTER}, a requester of {p.team})",
                    f"{outcome_line(drafted)} -> {target}: {p.draft.summary}",
                    f"> Approve {p.id} (as {DEMO_APPROVER}, an approver of {p.team})",
                    outcome_line(service.approve(p.id, user=DEMO_APPROVER)),
                ]
            )
        finally:
            closer = getattr(service.deliverer, "close", None)
            if callable(closer):
                closer()

"""What `posture demo` shows of proposals: a fix drafted, approved and delivered.

Without a ``posture.yaml`` the demo uses built-in teams (one requester and one approver
for every team of the demo estate) so the flow runs end to end; delivery goes through
``bot.proposal_wiring.build_deliverer``, the same wiring point the Slack app uses.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.query import ValidatedQuery
from core.routing import AccessSettings, TeamRoute
from core.settings import Settings
from governance.audit import AuditLog
from posture_cli.proposal_commands import outcome_line
from proposals import ProposalKind, ProposalService, ProposalStore, Rbac
from store import FindingsStore
from tickets.models import Deliverer
from workflow import WorkflowDB

__all__ = ["DEMO_APPROVER", "DEMO_REQUESTER", "demo_proposal_text", "demo_teams"]

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


def demo_proposal_text(store: FindingsStore, settings: Settings, deliverer: Deliverer) -> str:
    """Draft the riskiest privileged container's fix, approve it, deliver it; as a transcript."""
    rows = store.query(ValidatedQuery(sql=_DEMO_SQL)).rows
    if not rows:
        return ""
    finding_id = str(rows[0][0])
    teams: Mapping[str, TeamRoute] = settings.teams or demo_teams()
    access = settings.access if settings.teams else AccessSettings()
    with WorkflowDB(settings.workflow_path) as db:
        service = ProposalService(
            ProposalStore(db),
            store,
            rbac=Rbac(teams, access),
            deliverer=deliverer,
            audit=AuditLog(settings.audit_path),
            teams=teams,
            access=access,
        )
        drafted = service.draft(finding_id, ProposalKind.FIX, user=DEMO_REQUESTER)
        p = drafted.proposal
        lines = [
            f"\n> Draft fix on {finding_id} (as {DEMO_REQUESTER}, a requester of {p.team})",
            f"{outcome_line(drafted)} -> {p.target.value if p.target else '-'}: {p.draft.summary}",
            f"> Approve {p.id} (as {DEMO_APPROVER}, an approver of {p.team})",
            outcome_line(service.approve(p.id, user=DEMO_APPROVER)),
        ]
    return "\n".join(lines)

"""Building the proposal flow from settings: the workflow database, RBAC with Slack user
groups, the audit trail, and — in ``build_deliverer`` — where approved proposals go.

``build_deliverer`` is the single wiring point for ticket delivery: the ticket desk
(Jira, ServiceNow, GitHub from ``Settings``) over the same workflow database as the
proposals. A target that is not configured fails delivery with a retryable reason
(kept, audited, and retried with one click once it is configured).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from slack_sdk import WebClient

from bot.proposal_desk import ProposalDesk
from core.settings import Settings
from governance.audit import AuditLog
from pipeline.services import llm_fix_drafter
from proposals import CachedGroups, ProposalService, ProposalStore, Rbac
from store import FindingsStore
from tickets import TicketDesk
from tickets.models import Deliverer
from workflow import WorkflowDB

__all__ = [
    "build_deliverer",
    "build_proposal_service",
    "build_proposal_desk",
    "slack_group_members",
    "suppressed_ids",
    "suppressed_ids_in",
]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def slack_group_members(client: WebClient) -> Callable[[str], list[str]]:
    """A fetch function for ``CachedGroups``: a user group's members from Slack."""

    def fetch(group_id: str) -> list[str]:
        response = client.usergroups_users_list(usergroup=group_id)
        return [str(u) for u in response.get("users") or []]

    return fetch


def build_deliverer(settings: Settings, db: WorkflowDB) -> TicketDesk:
    """Where approved proposals are delivered: the ticket desk over ``db``."""
    return TicketDesk.from_settings(settings, db)


def build_proposal_service(
    settings: Settings,
    findings: FindingsStore,
    *,
    audit: AuditLog,
    groups: CachedGroups | None = None,
    deliverer: Deliverer | None = None,
    clock: Callable[[], datetime] = _utcnow,
) -> ProposalService:
    """The workflow over ``settings.workflow_path`` (the caller calls ``service.close()``)."""
    db = WorkflowDB(settings.workflow_path)
    return ProposalService(
        ProposalStore(db),
        findings,
        rbac=Rbac(settings.teams, settings.access, groups),
        deliverer=deliverer or build_deliverer(settings, db),
        fix_drafter=llm_fix_drafter(settings),
        audit=audit,
        teams=settings.teams,
        access=settings.access,
        clock=clock,
    )


def build_proposal_desk(
    settings: Settings,
    findings: FindingsStore,
    client: WebClient,
    *,
    audit: AuditLog,
    deliverer: Deliverer | None = None,
    clock: Callable[[], datetime] = _utcnow,
) -> ProposalDesk:
    """The Slack side of the flow; user groups resolve through ``usergroups.users.list``."""
    groups = CachedGroups(slack_group_members(client))
    service = build_proposal_service(
        settings, findings, audit=audit, groups=groups, deliverer=deliverer, clock=clock
    )
    return ProposalDesk(service, client)


def suppressed_ids(
    store: ProposalStore, clock: Callable[[], datetime] = _utcnow
) -> Callable[[], frozenset[str]]:
    """The provider ``pipeline.Copilot(suppressed=...)`` takes: ids suppressed right now."""
    return lambda: store.suppressed_ids(clock())


def suppressed_ids_in(
    path: Path, clock: Callable[[], datetime] = _utcnow
) -> Callable[[], frozenset[str]]:
    """The same provider for one-shot commands: opens the workflow database per call,
    and finds nothing when it does not exist yet (without creating it)."""

    def current() -> frozenset[str]:
        if not path.exists():
            return frozenset()
        with WorkflowDB(path) as db:
            return ProposalStore(db).suppressed_ids(clock())

    return current

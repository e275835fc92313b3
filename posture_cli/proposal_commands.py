"""`posture proposals` and `posture suppressions`: the proposal flow from a terminal.

The same ``ProposalService`` the Slack app uses, so `--as USER_ID` goes through the same
RBAC (a viewer is refused here too) and every step lands in the same audit trail.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from typing import Annotated

import typer

from bot.app import web_client
from bot.proposal_wiring import build_proposal_service, slack_group_members
from core.errors import PolicyDenied
from core.settings import Settings
from governance.audit import AuditLog
from posture_cli.errors import exits_cleanly
from proposals import (
    CachedGroups,
    Outcome,
    Proposal,
    ProposalKind,
    ProposalService,
    ProposalState,
    Suppression,
    SuppressionKind,
    close_resolved,
    sweep_suppressions,
)
from store import FindingsStore

__all__ = ["format_proposal", "outcome_line", "register"]

proposals_app = typer.Typer(help="Drafted fixes, tickets and suppressions.", no_args_is_help=True)
suppressions_app = typer.Typer(help="Suppressed findings and their expiry.", no_args_is_help=True)
_AS = typer.Option(..., "--as", help="Your Slack user ID (RBAC applies as in Slack).")


@contextmanager
def _service() -> Iterator[ProposalService]:
    settings = Settings()
    groups = (
        CachedGroups(slack_group_members(web_client(settings.slack)))
        if settings.slack.bot_token
        else None
    )
    with FindingsStore(settings.store_path, read_only=True) as store:
        service = build_proposal_service(
            settings, store, audit=AuditLog(settings.audit_path), groups=groups
        )
        try:
            yield service
        finally:
            service.close()


def format_proposal(p: Proposal) -> str:
    """One proposal as a terminal block."""
    lines = [
        f"{p.id}  {p.kind.value}  {p.state.value}  team {p.team}  -> {p.target or '-'}",
        f"  finding   {p.finding_id} ({p.severity})",
        f"  summary   {p.draft.summary}",
        f"  risk      {p.draft.risk_in_words}",
        f"  requested {p.requested_by} at {p.created_at:%Y-%m-%d %H:%M}",
    ]
    if p.decided_by:
        lines.append(f"  decided   {p.decided_by}" + (f": {p.reason}" if p.reason else ""))
    if p.receipt:
        lines.append(f"  delivered {p.receipt.key} {p.receipt.url}")
    if p.suppression:
        s = p.suppression
        lines.append(f"  suppress  {s.kind.value} until {s.expires_at:%Y-%m-%d}: {s.reason}")
    return "\n".join(lines)


def outcome_line(outcome: Outcome) -> str:
    """What a decision did, in one line; a refusal raises instead.

    Raises:
        PolicyDenied: RBAC refused it (the refusal is in the audit trail).
    """
    p = outcome.proposal
    if outcome.status == "refused" and outcome.refusal is not None:
        raise PolicyDenied(outcome.refusal.reason, remediation="Ask an approver of the team.")
    if outcome.status == "already":
        return f"{p.id} is already {p.state.value}" + (
            f" by {p.decided_by}" if p.decided_by else ""
        )
    if p.receipt is not None:
        return f"{p.id} {outcome.status}: {p.receipt.key} {p.receipt.url}"
    return f"{p.id} {outcome.status}" + (f": {p.reason}" if p.reason else "")


@proposals_app.command("list")
@exits_cleanly
def list_command(
    state: Annotated[
        list[ProposalState] | None, typer.Option(help="Only these states (repeatable).")
    ] = None,
    kind: Annotated[ProposalKind | None, typer.Option(help="Only this kind.")] = None,
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """Proposals, newest first."""
    with _service() as service:
        found = service.store.find(states=state or (), kind=kind)
    for p in found:
        typer.echo(p.model_dump_json() if as_json else format_proposal(p))


@proposals_app.command("show")
@exits_cleanly
def show_command(proposal_id: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """One proposal, with its draft."""
    with _service() as service:
        p = service.store.require(proposal_id)
    if as_json:
        typer.echo(json.dumps(p.model_dump(mode="json"), indent=2))
        return
    typer.echo(format_proposal(p))
    fix = p.draft.remediation
    if fix is not None:
        typer.echo(f"\n{fix.recommendation}\n\n{fix.diff or fix.code.terraform or fix.code.cli}")


@proposals_app.command("draft")
@exits_cleanly
def draft_command(
    finding_id: str,
    kind: Annotated[ProposalKind, typer.Option(help="fix or ticket.")] = ProposalKind.FIX,
    user: str = _AS,
) -> None:
    """Draft a fix or ticket for one finding (it waits for an approver)."""
    with _service() as service:
        typer.echo(outcome_line(service.draft(finding_id, kind, user=user)))


@proposals_app.command("approve")
@exits_cleanly
def approve_command(proposal_id: str, user: str = _AS) -> None:
    """Approve a proposal; a fix or ticket is delivered once."""
    with _service() as service:
        typer.echo(outcome_line(service.approve(proposal_id, user=user)))


@proposals_app.command("reject")
@exits_cleanly
def reject_command(
    proposal_id: str,
    user: str = _AS,
    reason: str = typer.Option(..., help="Why (kept with the proposal and audited)."),
) -> None:
    """Reject a proposal with a reason; nothing is delivered."""
    with _service() as service:
        typer.echo(outcome_line(service.reject(proposal_id, user=user, reason=reason)))


@proposals_app.command("retry")
@exits_cleanly
def retry_command(proposal_id: str, user: str = _AS) -> None:
    """Deliver a proposal whose delivery failed, once more."""
    with _service() as service:
        typer.echo(outcome_line(service.retry(proposal_id, user=user)))


@proposals_app.command("sweep")
@exits_cleanly
def sweep_command() -> None:
    """Close proposals whose finding is resolved; end expired suppressions."""
    with _service() as service:
        closed = close_resolved(service, service.findings)
        expired = sweep_suppressions(service)
    typer.echo(f"closed {len(closed)}, expired {len(expired)}")


@suppressions_app.command("list")
@exits_cleanly
def suppressions_list() -> None:
    """Suppressions proposed or in force, with their expiry."""
    with _service() as service:
        found = service.store.find(
            kind=ProposalKind.SUPPRESSION, states=[ProposalState.PENDING, ProposalState.APPROVED]
        )
    for p in found:
        typer.echo(format_proposal(p))


@suppressions_app.command("add")
@exits_cleanly
def suppressions_add(
    finding_id: str,
    user: str = _AS,
    kind: Annotated[SuppressionKind, typer.Option()] = SuppressionKind.ACCEPT_RISK,
    reason: str = typer.Option(..., help="Why the finding may be ignored."),
    days: int = typer.Option(90, help="Days until it expires (at most 366)."),
) -> None:
    """Propose a suppression (it takes effect once an approver approves it)."""
    with _service() as service:
        day = (service.clock() + timedelta(days=days)).date()
        terms = Suppression(
            kind=kind, reason=reason, expires_at=datetime.combine(day, time(23, 59), UTC)
        )
        outcome = service.draft(finding_id, ProposalKind.SUPPRESSION, user=user, suppression=terms)
        typer.echo(outcome_line(outcome))


@suppressions_app.command("sweep")
@exits_cleanly
def suppressions_sweep() -> None:
    """End every suppression whose expiry has passed (audited); the finding ranks again."""
    with _service() as service:
        ended = sweep_suppressions(service)
    for p in ended:
        typer.echo(f"{p.id} expired: {p.finding_id}")
    typer.echo(f"expired {len(ended)}")


def register(app: typer.Typer) -> None:
    """Add `posture proposals …` and `posture suppressions …`."""
    app.add_typer(proposals_app, name="proposals")
    app.add_typer(suppressions_app, name="suppressions")

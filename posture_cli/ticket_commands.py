"""`posture tickets list|refresh`: the delivered tickets and what became of them."""

from __future__ import annotations

import json

import typer

from core.settings import Settings
from posture_cli.errors import exits_cleanly
from store import FindingsStore
from tickets import (
    ClosedButOpen,
    StatusChange,
    TicketDesk,
    TicketRecord,
    closed_but_still_open,
    refresh_statuses,
)
from workflow import WorkflowDB

__all__ = ["format_records", "register"]

tickets_app = typer.Typer(help="Tickets and pull requests delivered for approved proposals.")
_STATES = ("pending", "open", "closed", "failed")


def format_records(records: list[TicketRecord]) -> str:
    """One line per delivery: state, target, ticket, finding, team, when."""
    if not records:
        return "No deliveries recorded.\n"
    lines = []
    for r in records:
        ticket = r.key or "-"
        how = "" if r.created is None else (" (opened)" if r.created else " (commented)")
        line = f"{r.state:<8} {r.target.value:<10} {ticket:<28} {r.source}:{r.finding_id}"
        line += f"  team {r.team}{how}  {r.updated_at[:19]}"
        if r.state == "failed" and r.last_error:
            line += f"\n         last error: {r.last_error}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def _format_changes(changes: list[StatusChange], stale: list[ClosedButOpen]) -> str:
    out = [f"{len(changes)} ticket(s) changed state."]
    out += [f"  {c.key} {c.before.value} -> {c.after.value} ({c.remote_status})" for c in changes]
    if stale:
        out.append(f"{len(stale)} closed ticket(s) whose finding is still open:")
        out += [f"  {s.key} {s.source}:{s.finding_id} ({s.url})" for s in stale]
    return "\n".join(out) + "\n"


@tickets_app.command("list")
@exits_cleanly
def list_tickets(
    state: str | None = typer.Option(None, help=f"Only this state: {', '.join(_STATES)}."),
    as_json: bool = typer.Option(False, "--json", help="One JSON array."),
) -> None:
    """List recorded deliveries, newest first."""
    if state is not None and state not in _STATES:
        raise typer.BadParameter(f"state must be one of {', '.join(_STATES)}")
    settings = Settings()
    with WorkflowDB(settings.workflow_path) as db:
        desk = TicketDesk.from_settings(settings, db)
        records = desk.records(states=(state,) if state else ())
    if as_json:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in records], indent=2))
    else:
        typer.echo(format_records(records), nl=False)


@tickets_app.command("refresh")
@exits_cleanly
def refresh(
    as_json: bool = typer.Option(False, "--json", help="One JSON object."),
) -> None:
    """Poll open tickets for status changes; name closed ones whose finding is still open."""
    settings = Settings()
    with WorkflowDB(settings.workflow_path) as db, TicketDesk.from_settings(settings, db) as desk:
        changes = refresh_statuses(desk)
        stale: list[ClosedButOpen] = []
        if settings.store_path.exists():
            with FindingsStore(settings.store_path, read_only=True) as store:
                stale = closed_but_still_open(desk.book, store)
    if as_json:
        payload = {
            "changes": [c.model_dump(mode="json") for c in changes],
            "closed_but_open": [s.model_dump(mode="json") for s in stale],
        }
        typer.echo(json.dumps(payload, indent=2))
    else:
        typer.echo(_format_changes(changes, stale), nl=False)


def register(app: typer.Typer) -> None:
    """Add `posture tickets ...` to the CLI."""
    app.add_typer(tickets_app, name="tickets")

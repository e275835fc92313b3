"""`posture webhooks status|apply`: the webhook inbox from the command line.

`posture serve` receives and processes webhooks but holds the findings store read-only;
`apply` (or the next `posture sync`, which applies first) loads what it processed.
"""

from __future__ import annotations

import typer

from connectors.webhooks import WebhookInbox, apply_pending
from core.settings import Settings
from posture_cli.errors import exits_cleanly
from store import FindingsStore
from workflow import WorkflowDB

__all__ = ["apply_command", "register", "status_command"]


def status_command() -> None:
    """Webhook events by state: pending, processed, failed, not yet applied, dead letters."""
    settings = Settings()
    with WorkflowDB(settings.workflow_path) as db:
        counts = WebhookInbox(db).counts()
    for name in ("pending", "processed", "failed", "unapplied", "dead_letter"):
        typer.echo(f"{name:<12} {counts.get(name, 0):>8,}")


def apply_command() -> None:
    """Load processed webhook events into the findings store (idempotent)."""
    settings = Settings()
    with (
        WorkflowDB(settings.workflow_path) as db,
        FindingsStore(settings.store_path, memory_limit=settings.store.memory_limit) as store,
    ):
        report = apply_pending(WebhookInbox(db), store)
    typer.echo(report.line())


def register(app: typer.Typer) -> None:
    """Add `webhooks status` and `webhooks apply` to the `posture` app."""
    group = typer.Typer(help="The CNAPP webhook inbox.", no_args_is_help=True)
    group.command("status")(exits_cleanly(status_command))
    group.command("apply")(exits_cleanly(apply_command))
    app.add_typer(group, name="webhooks")

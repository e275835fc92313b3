"""`posture audit`: recent records, `verify` (also `--verify`), and `export` to JSONL."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from core.errors import CopilotError, ValidationFailed
from core.settings import Settings
from governance.audit import AuditLog
from posture_cli.errors import exits_cleanly

__all__ = ["AuditBroken", "register", "verify_trail"]


class AuditBroken(CopilotError):
    default_remediation = "Restore audit.jsonl from a backup and investigate who changed it."


def verify_trail(log: AuditLog) -> str:
    """The verdict line, or ``AuditBroken`` naming the line and record that break it.

    Raises:
        AuditBroken: a record was edited, inserted or deleted.
    """
    report = log.verify()
    if not report.ok:
        where = f" at line {report.first_bad_line}" if report.first_bad_line else ""
        raise AuditBroken(f"The audit trail breaks{where}: {report.reason}.")
    return f"audit trail intact: {report.records} records"


def _since(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(
            f"{text[:40]} is not a date.", remediation="Use YYYY-MM-DD or an ISO timestamp."
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


audit_app = typer.Typer(
    help="The audit trail: recent records, a check that nobody edited it, an export.",
    invoke_without_command=True,
    no_args_is_help=False,
)


@audit_app.callback()
@exits_cleanly
def audit(
    ctx: typer.Context,
    verify: bool = typer.Option(False, "--verify", help="Check the hash chain (= `verify`)."),
    last: int = typer.Option(10, help="How many recent records to show."),
) -> None:
    """The audit trail: recent records, or a check that nobody edited it."""
    if ctx.invoked_subcommand:
        return
    log = AuditLog(Settings().audit_path)
    if verify:
        typer.echo(verify_trail(log))
        return
    for record in log.records()[-last:]:
        typer.echo(
            f"{record.seq:6} {record.at:%Y-%m-%d %H:%M:%S} {record.actor:12} {record.action}"
        )


@audit_app.command("verify")
@exits_cleanly
def verify_command() -> None:
    """Check the hash chain; name the first edited, inserted or deleted record."""
    typer.echo(verify_trail(AuditLog(Settings().audit_path)))


@audit_app.command("export")
@exits_cleanly
def export_command(
    out: Annotated[Path | None, typer.Option("--out", help="Write here, not stdout.")] = None,
    since: str | None = typer.Option(None, "--since", help="Only records at or after DATE."),
) -> None:
    """Write the records as JSON Lines (hashes included, so the copy can be verified)."""
    log = AuditLog(Settings().audit_path)
    start = _since(since)
    if out is None:
        log.export(sys.stdout, since=start)
        return
    with open(out, "w", encoding="utf-8") as handle:
        count = log.export(handle, since=start)
    typer.echo(f"wrote {count} records to {out}", err=True)


def register(app: typer.Typer) -> None:
    """Add `posture audit [--verify] | verify | export` to the `posture` app."""
    app.add_typer(audit_app, name="audit")

"""`posture compliance`: a framework snapshot in the terminal, as a report, or as a trend.

Wired in by the lead with ``compliance_commands.register(app)``.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from compliance import compliance_summary, make_scope, sync_mappings
from compliance.chart import trend_png
from compliance.export import write_report
from compliance.history import trend
from compliance.mapping import load_framework
from compliance.summary import ComplianceSummary
from core.errors import ValidationFailed
from core.settings import Settings
from posture_cli.errors import exits_cleanly
from store import FindingsStore

__all__ = ["format_summary", "register"]

_TOP = 10


class Format(StrEnum):
    MD = "md"
    HTML = "html"
    CSV = "csv"


def _pct(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate * 100:.0f}%"


def format_summary(summary: ComplianceSummary) -> str:
    """The summary as plain terminal text."""
    lines = [
        f"{summary.framework_name} - {summary.scope_label} - {summary.taken_at:%Y-%m-%d %H:%M} UTC",
        f"Pass rate {_pct(summary.pass_rate)}: {summary.passed} passed, {summary.failed} "
        f"failed, {summary.not_assessed} not assessed (could not verify), "
        f"{summary.total} controls.",
    ]
    if summary.changes:
        c = summary.changes
        lines.append(
            f"Since {c.previous_taken_at:%Y-%m-%d %H:%M}: pass rate "
            f"{_pct(c.previous_pass_rate)} -> {_pct(summary.pass_rate)}; "
            f"{len(c.newly_failing)} newly failing, {len(c.newly_passing)} newly passing."
        )
    if summary.failing:
        lines.append("Failing controls, riskiest first:")
        for r in summary.failing[:_TOP]:
            risk = "-" if r.max_risk_score is None else f"{r.max_risk_score:.1f}"
            lines.append(
                f"  {r.control_id:<10} risk {risk:>4}  {r.failing_findings} findings on "
                f"{r.failing_resources} resources  {r.title}"
            )
        if len(summary.failing) > _TOP:
            lines.append(f"  ... and {len(summary.failing) - _TOP} more")
    for control_id, reason in summary.not_assessed_controls:
        lines.append(f"  not assessed {control_id}: {reason}")
    return "\n".join(lines)


def _trend(store: FindingsStore, framework: str, scope_key: str, out: Path) -> Path:
    points = trend(store, framework, scope_key)
    path = out / f"{framework}-trend.png" if out.is_dir() else out
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(trend_png(points))
    return path


def register(app: typer.Typer) -> None:
    """Add the `compliance` command to the `posture` app."""

    @app.command()
    @exits_cleanly
    def compliance(
        framework: Annotated[str, typer.Argument(help="cis, soc2 or iso27001")],
        env: Annotated[str | None, typer.Option("--env", help="prod, staging or dev")] = None,
        team: Annotated[str | None, typer.Option("--team", help="owning team")] = None,
        cloud: Annotated[str | None, typer.Option("--cloud", help="aws, azure or gcp")] = None,
        account: Annotated[str | None, typer.Option("--account", help="cloud account")] = None,
        fmt: Annotated[
            Format | None, typer.Option("--format", help="write a report: md, html or csv")
        ] = None,
        out: Annotated[
            Path | None,
            typer.Option("--out", help="report directory; with --trend, the PNG (or its dir)"),
        ] = None,
        show_trend: Annotated[
            bool, typer.Option("--trend", help="draw the pass rate over stored snapshots")
        ] = False,
        save: Annotated[bool, typer.Option("--save/--no-save", help="store this snapshot")] = True,
    ) -> None:
        """Snapshot a compliance framework from the current findings."""
        settings = Settings()
        fw = load_framework(framework)
        scope = make_scope(env, team, cloud, account)
        with FindingsStore(settings.store_path, memory_limit=settings.store.memory_limit) as store:
            sync_mappings(store)
            if show_trend:
                if out is None:
                    raise ValidationFailed(
                        "--trend needs --out.", remediation="Add --out chart.png."
                    )
                typer.echo(str(_trend(store, fw.id, scope.key, out)))
                return
            summary = compliance_summary(
                store, fw.id, env, team, cloud=cloud, account=account, save=save
            )
            if fmt is not None:
                typer.echo(str(write_report(summary, out or Path("."), fmt.value)))
                return
            typer.echo(format_summary(summary))

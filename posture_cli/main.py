"""`posture`: the command line. Every command is a thin shell over library functions."""

from __future__ import annotations

import json
import sys

import typer

from bot.proposal_wiring import suppressed_ids_in
from bot.terminal import run_scripted_chat
from compliance import compliance_summary
from core.errors import ConfigError
from core.settings import Settings
from governance.audit import AuditLog
from governance.switches import set_claude
from pipeline import Copilot
from pipeline.services import build_copilot, claude_state
from posture_cli import (
    audit_commands,
    compliance_commands,
    connector_commands,
    import_commands,
    proposal_commands,
    remediation_commands,
    slack_commands,
    ticket_commands,
    webhook_commands,
)
from posture_cli.answer_text import format_answer
from posture_cli.compliance_commands import format_summary
from posture_cli.demo import demo_sync_lines, load_demo_estate, sync_demo_estate
from posture_cli.errors import exits_cleanly
from posture_cli.native_text import native_filter_text
from posture_cli.proposal_demo import demo_proposal_text
from posture_cli.remediation_commands import demo_fix_text
from posture_cli.render import format_status, human_bytes
from querygen.catalog import load_catalog
from querygen.catalog_doc import render_markdown
from store import FindingsStore

__all__ = ["app"]


app = typer.Typer(
    name="posture",
    help="Posture Copilot: ask your cloud-security findings questions in plain words.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _settings() -> Settings:
    return Settings()


@app.command()
@exits_cleanly
def demo(
    seed: int = typer.Option(7, help="Estate seed: the same seed gives the same estate."),
    scale: float = typer.Option(1.0, help="1.0 is ~2,000 resources and ~20,000 findings."),
) -> None:
    """Fill the store at $POSTURE_HOME with the demo estate and show what it holds."""
    settings = _settings()
    report = sync_demo_estate(
        settings.store_path, seed=seed, scale=scale, memory_limit=settings.store.memory_limit
    )
    typer.echo("\n".join(demo_sync_lines(report)) + "\n")
    with FindingsStore(settings.store_path, read_only=True) as store:
        typer.echo(format_status(store.status()))
        copilot = _copilot(settings, store)
        typer.echo("\nThe chat, as Slack shows it (`posture chat` to ask your own):")
        run_scripted_chat(copilot, DEMO_QUESTIONS, sys.stdout, export_dir=settings.home / "exports")
        typer.echo("\n> /posture compliance soc2")
        typer.echo(format_summary(compliance_summary(store, "soc2")))
        typer.echo(demo_fix_text(store))
        typer.echo(demo_proposal_text(store, settings))
    typer.echo('\nNext: `posture ask "your question"`, `posture status`, `posture catalog`.')


DEMO_QUESTIONS = (
    "public prod Lambdas touching PII",
    "which container images running in prod have critical CVEs with known exploits?",
    "open critical findings per team",
    "top 5 riskiest serverless functions in prod",
    "is processPayment exposed to the internet?",
)


def _copilot(settings: Settings, store: FindingsStore) -> Copilot:
    copilot = build_copilot(settings, store)
    copilot.suppressed = suppressed_ids_in(settings.workflow_path)  # rankings leave them out
    return copilot


@app.command()
@exits_cleanly
def ask(
    question: str = typer.Argument(..., help="The question, in plain words."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object."),
    sql: bool = typer.Option(False, "--sql", help="Also print the SQL that ran."),
    as_platform: str | None = typer.Option(
        None, "--as", help="Also print the question as a wiz, prisma or lacework API filter."
    ),
) -> None:
    """Answer one question over the store."""
    settings = _settings()
    with FindingsStore(settings.store_path, read_only=True) as store:
        answer = _copilot(settings, store).ask(question, user="cli")
    if as_platform:
        typer.echo(native_filter_text(answer, as_platform))
        return
    if as_json:
        typer.echo(json.dumps(answer.report(), indent=2, default=str))
    else:
        typer.echo(format_answer(answer, show_sql=sql))


@app.command()
@exits_cleanly
def status(as_json: bool = typer.Option(False, "--json", help="One JSON object.")) -> None:
    """What is in the store, and how fresh each source is."""
    settings = _settings()
    with FindingsStore(settings.store_path, read_only=True) as store:
        current = store.status()
    if as_json:
        typer.echo(json.dumps(current.model_dump(mode="json"), indent=2))
    else:
        typer.echo(format_status(current))


@app.command()
@exits_cleanly
def migrate() -> None:
    """Bring the store's schema up to date (also rebuilds the semantic views)."""
    settings = _settings()
    with FindingsStore(settings.store_path) as store:
        typer.echo(f"store at schema v{store.status().schema_version}: {settings.store_path}")


@app.command()
@exits_cleanly
def estate(
    scale: float = typer.Option(1.0, help="1.0 is ~20,000 findings; 50 is ~1,000,000."),
    seed: int = typer.Option(7, help="Estate seed."),
) -> None:
    """Write a generated estate straight into the store (for benchmarks)."""
    settings = _settings()
    report = load_demo_estate(
        settings.store_path, seed=seed, scale=scale, memory_limit=settings.store.memory_limit
    )
    size = settings.store_path.stat().st_size
    typer.echo(
        f"{report.counts.get('findings', 0)} findings, {report.counts.get('resources', 0)} "
        f"resources in {report.elapsed_s:.1f} s; store {human_bytes(size)}"
    )


@app.command()
@exits_cleanly
def claude(
    switch: str = typer.Argument(..., help="on, off or status"),
    by: str = typer.Option("", "--by", help="Who is switching (recorded in the audit trail)."),
) -> None:
    """Turn the Claude translator on or off (audited), or show whether it is on."""
    settings = _settings()
    if switch == "status":
        typer.echo(f"claude: {claude_state(settings)}")
        return
    if switch not in ("on", "off") or not by.strip():
        raise ConfigError(
            "`posture claude` takes on, off or status; on and off need --by NAME.",
            remediation="For example: posture claude on --by alice",
        )
    set_claude(
        settings.admin_path, AuditLog(settings.audit_path), enabled=switch == "on", by=by.strip()
    )
    typer.echo(f"claude: {claude_state(settings)} (set by {by.strip()})")


@app.command()
def catalog(
    markdown: bool = typer.Option(False, "--markdown", help="Print docs/semantic-views.md."),
) -> None:
    """The semantic views and their columns: what questions can be about."""
    current = load_catalog()
    if markdown:
        typer.echo(render_markdown(current), nl=False)
        return
    for view in current.views.values():
        typer.echo(f"{view.name:16} {view.description}")
        typer.echo(f"{'':16} columns: {', '.join(view.columns)}")


compliance_commands.register(app)
remediation_commands.register(app)
slack_commands.register(app)
connector_commands.register(app)
import_commands.register(app)
ticket_commands.register(app)
webhook_commands.register(app)
audit_commands.register(app)
proposal_commands.register(app)

if __name__ == "__main__":
    app()

"""`posture serve` (the Slack app) and `posture chat` (the same answers in a terminal)."""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer
from rich.console import Console

from bot import build_services, run_scripted_chat, serve
from bot.app import require
from bot.desk import AnswerDesk
from bot.proposal_wiring import build_proposal_desk, suppressed_ids
from bot.sweeper import ProposalSweeper
from bot.terminal import TerminalChat, prompt_lines
from core.settings import Settings
from governance.audit import AuditLog
from pipeline import Copilot
from posture_cli.errors import exits_cleanly
from proposals import ProposalStore
from querygen.catalog import load_catalog
from store import FindingsStore
from workflow import WorkflowDB

__all__ = ["chat_command", "register", "serve_command"]


def _copilot(settings: Settings, store: FindingsStore) -> Copilot:
    return Copilot(store, load_catalog(), audit=AuditLog(settings.home / "audit.jsonl"))


def _check_credentials(settings: Settings) -> None:
    """Fail before opening anything, naming the first missing variable."""
    slack = settings.slack
    require(slack.bot_token, "SLACK_BOT_TOKEN")
    if slack.app_token is None or not slack.app_token.get_secret_value():
        require(slack.signing_secret, "SLACK_SIGNING_SECRET")


def serve_command(
    port: Annotated[
        int | None, typer.Option(help="HTTP mode port (default $POSTURE_SLACK__PORT or 3000).")
    ] = None,
    host: Annotated[str | None, typer.Option(help="HTTP mode address (default 0.0.0.0).")] = None,
    log_level: Annotated[str, typer.Option(help="DEBUG, INFO, WARNING or ERROR.")] = "INFO",
) -> None:
    """Run the Slack app: Socket Mode when SLACK_APP_TOKEN is set, else HTTP mode."""
    logging.basicConfig(
        level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = Settings()
    _check_credentials(settings)
    with (
        FindingsStore(settings.store_path, read_only=True) as store,
        WorkflowDB(settings.workflow_path) as workflow,
    ):
        copilot = _copilot(settings, store)
        copilot.suppressed = suppressed_ids(ProposalStore(workflow))
        audit = AuditLog(settings.audit_path)
        services = build_services(
            settings,
            copilot,
            audit=copilot.audit,
            proposals=lambda client: build_proposal_desk(settings, store, client, audit=audit),
        )
        sweeper = ProposalSweeper(services.proposals) if services.proposals else None
        if sweeper is not None:
            sweeper.start()  # expiries and resolved findings move proposals without a click
        try:
            serve(settings, services, host=host, port=port, announce=typer.echo)
        finally:
            if sweeper is not None:
                sweeper.stop()


def chat_command(
    questions: Annotated[
        list[str] | None,
        typer.Argument(help="Questions to ask in order, then exit (a scripted chat)."),
    ] = None,
) -> None:
    """Ask questions in the terminal and see the answers as Slack shows them."""
    settings = Settings()
    exports = settings.home / "exports"
    with FindingsStore(settings.store_path, read_only=True) as store:
        copilot = _copilot(settings, store)
        if questions:
            run_scripted_chat(copilot, questions, sys.stdout, export_dir=exports)
        elif sys.stdin.isatty():
            console = Console()
            desk = AnswerDesk(copilot, audit=copilot.audit)
            TerminalChat(desk, console, export_dir=exports).run(prompt_lines(console))
        else:  # piped: one question per line, echoed like a transcript
            run_scripted_chat(copilot, sys.stdin, sys.stdout, export_dir=exports)


def register(app: typer.Typer) -> None:
    """Add `serve` and `chat` to the `posture` command."""
    app.command("serve")(exits_cleanly(serve_command))
    app.command("chat")(exits_cleanly(chat_command))

"""`posture simulate` and `posture sync`: the connectors on the command line."""

from __future__ import annotations

import signal
import sys
import threading

import typer

from connectors import run_sync
from connectors.simulator import PUBLISHED_LIMITS, FaultPlan, Simulator
from core.errors import ConnectorError
from core.settings import Settings
from posture_cli.errors import exits_cleanly

__all__ = ["register", "simulate", "sync"]


def _exports(sim: Simulator) -> list[str]:
    """Shell lines that point `posture sync` at the simulator (its own fake secrets)."""
    s = sim.connector_settings(fast=False)
    pairs = {
        "POSTURE_WIZ__CLIENT_ID": s.wiz.client_id,
        "POSTURE_WIZ__API_URL": s.wiz.api_url,
        "POSTURE_WIZ__AUTH_URL": s.wiz.auth_url,
        "POSTURE_PRISMA__API_URL": s.prisma.api_url,
        "POSTURE_PRISMA__COMPUTE_URL": s.prisma.compute_url,
        "POSTURE_PRISMA__ACCESS_KEY_ID": s.prisma.access_key_id,
        "POSTURE_LACEWORK__API_URL": s.lacework.api_url,
        "POSTURE_LACEWORK__CONSOLE_URL": s.lacework.console_url,
        "POSTURE_LACEWORK__KEY_ID": s.lacework.key_id,
        "POSTURE_ORCA__API_URL": s.orca.api_url,
    }
    creds = sim.server.credentials
    pairs |= {
        "POSTURE_WIZ__CLIENT_SECRET": creds.wiz_client_secret,
        "POSTURE_PRISMA__SECRET_KEY": creds.prisma_secret_key,
        "POSTURE_LACEWORK__SECRET": creds.lacework_secret,
        "POSTURE_ORCA__API_TOKEN": creds.orca_api_token,
    }
    return [f"export {k}={v}" for k, v in pairs.items()]


def simulate(
    port: int = typer.Option(8787, help="Loopback port (0 picks a free one)."),
    seed: int = typer.Option(7, help="Estate seed: the same seed serves the same data."),
    scale: float = typer.Option(1.0, help="1.0 is ~2,000 resources and ~20,000 findings."),
    faults: float = typer.Option(0.0, help="Fraction of requests that meet a fault."),
    fault_seed: int = typer.Option(0, help="Seed of the fault sequence."),
    limits: bool = typer.Option(True, help="Enforce the platforms' published rate limits."),
) -> None:
    """Serve the demo estate as Wiz, Prisma Cloud, Lacework and Orca on loopback."""
    plan = FaultPlan(rate=faults, seed=fault_seed)
    sim = Simulator.from_seed(
        seed, scale, faults=plan, port=port, limits=PUBLISHED_LIMITS if limits else None
    ).start()
    stop = threading.Event()
    # Handlers of our own, so Ctrl-C and SIGTERM stop it even when the parent started it
    # with SIGINT ignored (as shells do for background jobs).
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    try:
        typer.echo(
            f"Simulating 4 platforms at {sim.base_url} (seed {seed}, scale {scale:g}, "
            f"faults {faults:.0%}). These settings point `posture sync` at it:"
        )
        typer.echo("\n".join(_exports(sim)))
        typer.echo("Ctrl-C stops it.", err=True)
        while not stop.wait(0.2):
            pass
        typer.echo("stopped", err=True)
    finally:
        sim.stop()


def sync(
    source: list[str] = typer.Option(  # noqa: B008 - typer's repeatable option
        None, "--source", help="A source (repeatable); default: every configured one."
    ),
    full: bool = typer.Option(
        False, "--full", help="Fetch everything and resolve what a source no longer reports."
    ),
    progress: bool | None = typer.Option(
        None, "--progress/--no-progress", help="Progress bar (default: on a terminal)."
    ),
) -> None:
    """Pull findings and assets from the configured CNAPPs into the store."""
    settings = Settings()
    show = sys.stderr.isatty() if progress is None else progress
    report = run_sync(
        settings.store_path,
        settings,
        sources=source or None,
        full=full,
        progress=show,
        memory_limit=settings.store.memory_limit,
        workflow_path=settings.workflow_path,
    )
    typer.echo("\n".join(report.lines()))
    if report.failed:
        names = ", ".join(s.source for s in report.failed)
        raise ConnectorError(
            f"The sync of {names} stopped part-way.",
            remediation="Run `posture sync` again: it resumes where it stopped.",
        )


def register(app: typer.Typer) -> None:
    """Add `simulate` and `sync` to the `posture` app."""
    app.command("simulate")(exits_cleanly(simulate))
    app.command("sync")(exits_cleanly(sync))

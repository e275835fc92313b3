"""`posture import FORMAT FILE` and `posture enrich`: scanner reports and threat intel."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from connectors.importers import import_report
from connectors.intel import EPSS_URL, KEV_URL, enrich_store
from core.models import Cloud
from core.settings import Settings
from governance.audit import AuditLog
from posture_cli.errors import exits_cleanly
from store import FindingsStore

__all__ = ["enrich", "import_file", "register"]


class ReportFormat(StrEnum):
    TRIVY = "trivy"
    GRYPE = "grype"
    PROWLER = "prowler"
    ASFF = "asff"


def import_file(
    fmt: Annotated[
        ReportFormat, typer.Argument(metavar="FORMAT", help="trivy, grype, prowler or asff.")
    ],
    file: Annotated[Path, typer.Argument(help="The scanner's JSON output.")],
    cloud: Annotated[
        Cloud, typer.Option(help="Cloud of images whose registry names none (Docker Hub, ghcr.io).")
    ] = Cloud.AWS,
) -> None:
    """Import a scanner report: Trivy (image, k8s), Grype, Prowler OCSF, Security Hub ASFF."""
    settings = Settings()
    with FindingsStore(settings.store_path, memory_limit=settings.store.memory_limit) as store:
        report = import_report(store, fmt.value, file, default_cloud=cloud)
    for line in report.lines():
        typer.echo(line)


def enrich(
    kev: str = typer.Option(KEV_URL, help="CISA KEV catalog: a path or URL."),
    epss: str = typer.Option(EPSS_URL, help="FIRST EPSS scores CSV (.gz or not): a path or URL."),
    skip_kev: bool = typer.Option(False, "--no-kev", help="Do not apply KEV."),
    skip_epss: bool = typer.Option(False, "--no-epss", help="Do not apply EPSS."),
) -> None:
    """Mark known-exploited CVEs, set EPSS scores, and re-score risk."""
    settings = Settings()
    with FindingsStore(settings.store_path, memory_limit=settings.store.memory_limit) as store:
        outcome = enrich_store(
            store,
            cache_dir=settings.home / "cache",
            kev=None if skip_kev else kev,
            epss=None if skip_epss else epss,
            audit=AuditLog(settings.audit_path),
        )
    r = outcome.report
    for feed in outcome.feeds:
        typer.echo(
            f"{feed.feed}: {feed.table.num_rows:,} CVEs, version {feed.version or '?'} "
            f"from {feed.origin}"
        )
    for note in outcome.notes:
        typer.echo(f"  {note}")
    typer.echo(
        f"{r.newly_kev:,} vulnerabilities newly marked known-exploited "
        f"({r.kev_details_updated:,} with KEV details updated); EPSS updated on "
        f"{r.epss_updated:,}; risk changed on {r.risk_changed:,} open findings "
        f"({r.risk_raised:,} raised). Done in {r.elapsed_s:.2f} s."
    )


def register(app: typer.Typer) -> None:
    """Add `import` and `enrich` to the `posture` app."""
    app.command("import")(exits_cleanly(import_file))
    app.command("enrich")(exits_cleanly(enrich))

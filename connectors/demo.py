"""The demo store, built the way a real one is: by syncing, here from the simulator.

The four CNAPPs come through their (simulated) APIs; Trivy and Prowler findings, which
reach a real store through ``posture import``, are loaded straight from the estate, with
the resources they are about tagged only with those scanners (the store merges the
``sources`` lists). The result equals loading the estate directly, content hash and all.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from connectors.report import SourceReport, SyncReport
from connectors.simulator import Simulator
from connectors.sync import run_sync
from core.errors import StoreError
from core.models import Source
from estate import Estate, generate_estate
from store import DEMO_ORIGIN, Batch, FindingsStore

__all__ = ["scanner_batch", "sync_demo_from_simulator"]

SCANNERS = frozenset((Source.TRIVY, Source.PROWLER))


def scanner_batch(estate: Estate) -> Batch:
    """What the importers would bring: scanner findings and the scanners' view of resources.

    Edges and grants ride with resources no CNAPP watches (none in the demo estate).
    """
    cnapp_watched = {r.resource_id for r in estate.resources if set(r.sources) - SCANNERS}
    resources = tuple(
        r.model_copy(update={"sources": tuple(s for s in r.sources if s in SCANNERS)})
        for r in estate.resources
        if set(r.sources) & SCANNERS
    )
    return Batch(
        resources=resources,
        findings=tuple(f for f in estate.findings if f.source in SCANNERS),
        permissions=tuple(p for p in estate.permissions if p.role_id not in cnapp_watched),
        edges=tuple(e for e in estate.edges if e.from_id not in cnapp_watched),
    )


def _clear_demo_store(path: Path) -> None:
    if not path.exists():
        return
    with FindingsStore(path) as existing:
        if existing.holds_non_demo_data():
            raise StoreError(
                f"The store {path} holds synced data, not only the demo estate.",
                path=str(path),
                remediation="Set POSTURE_HOME to another directory for the demo.",
            )
    for candidate in (path, path.with_name(path.name + ".wal")):
        candidate.unlink(missing_ok=True)


def sync_demo_from_simulator(
    store_path: Path,
    seed: int = 7,
    scale: float = 1.0,
    *,
    now: datetime | None = None,
    memory_limit: str = "4GB",
) -> SyncReport:
    """Rebuild ``store_path`` by a full sync of all four sources from a local simulator.

    Raises:
        StoreError: the store holds data that did not come from the demo.
    """
    started = time.perf_counter()
    _clear_demo_store(store_path)
    estate = generate_estate(seed=seed, scale=scale, now=now)
    with FindingsStore(store_path, memory_limit=memory_limit) as store:
        # derived tables and risk wait for the sync's one rebuild at its end
        loaded = store.load(
            scanner_batch(estate),
            origin=DEMO_ORIGIN,
            note="trivy and prowler findings",
            derive=False,
        )
    with Simulator(estate) as sim:
        report = run_sync(
            store_path,
            sim.connector_settings(fast=True),
            full=True,
            origin=DEMO_ORIGIN,
            memory_limit=memory_limit,
        )
    scanners = SourceReport("trivy+prowler", "direct", datetime.now(UTC))
    scanners.counts.update(loaded.counts)
    report.sources.append(scanners)
    report.elapsed_s = round(time.perf_counter() - started, 3)
    return report

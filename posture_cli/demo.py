"""Filling a store with the demo estate, without ever overwriting real data.

``posture demo`` builds its store the way a real one is built: a full sync of the four
CNAPPs from the local simulator (``sync_demo_estate``). ``load_demo_estate`` writes the
same estate straight in (the same content hash, three times faster): tests and the
benchmarks use it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from compliance import sync_mappings
from connectors import SyncReport, sync_demo_from_simulator
from core.errors import StoreError
from estate import generate_estate
from store import DEMO_ORIGIN, Batch, FindingsStore, LoadReport

__all__ = ["demo_sync_lines", "load_demo_estate", "remove_store_files", "sync_demo_estate"]


def remove_store_files(path: Path) -> None:
    """Delete a store file and its write-ahead log."""
    for candidate in (path, path.with_name(path.name + ".wal")):
        candidate.unlink(missing_ok=True)


def load_demo_estate(
    path: Path,
    *,
    seed: int = 7,
    scale: float = 1.0,
    now: datetime | None = None,
    memory_limit: str = "4GB",
) -> LoadReport:
    """Rebuild ``path`` from the demo estate.

    A store that only ever held demo data is rebuilt from scratch, so its timestamps
    follow today's clock; one that holds synced data is refused.

    Raises:
        StoreError: the store holds data that did not come from the demo.
    """
    if path.exists():
        with FindingsStore(path, memory_limit=memory_limit) as existing:
            if existing.holds_non_demo_data():
                raise StoreError(
                    f"The store {path} holds synced data, not only the demo estate.",
                    path=str(path),
                    remediation="Set POSTURE_HOME to another directory for the demo.",
                )
        remove_store_files(path)
    estate = generate_estate(seed=seed, scale=scale, now=now)
    batch = Batch(
        resources=estate.resources,
        findings=estate.findings,
        permissions=estate.permissions,
        edges=estate.edges,
    )
    with FindingsStore(path, memory_limit=memory_limit) as store:
        report = store.load(batch, origin=DEMO_ORIGIN, note=f"seed={seed} scale={scale:g}")
        sync_mappings(store)  # the controls views read the framework mappings from the store
        return report


def sync_demo_estate(
    path: Path,
    *,
    seed: int = 7,
    scale: float = 1.0,
    now: datetime | None = None,
    memory_limit: str = "4GB",
) -> SyncReport:
    """Rebuild ``path`` by syncing the demo estate from the local CNAPP simulator.

    Raises:
        StoreError: the store holds data that did not come from the demo.
    """
    report = sync_demo_from_simulator(
        path, seed=seed, scale=scale, now=now, memory_limit=memory_limit
    )
    with FindingsStore(path, memory_limit=memory_limit) as store:
        sync_mappings(store)  # the controls views read the framework mappings from the store
    return report


def demo_sync_lines(report: SyncReport) -> list[str]:
    """What the demo says about its sync: each source's counts and rate-limit waits."""
    lines = [f"Synced the demo estate from the local CNAPP simulator in {report.elapsed_s:.1f} s:"]
    for source in report.sources:
        waits = (
            f"waited {source.throttle_wait_s:.1f} s for rate limits ({source.throttle_waits}x)"
            if source.throttle_waits
            else "no rate-limit waits"
        )
        line = source.line() if source.mode != "direct" else _scanner_line(source.counts)
        lines.append(f"  {line}" + ("" if source.mode == "direct" else f"; {waits}"))
    return lines


def _scanner_line(counts: dict[str, int]) -> str:
    return (
        f"trivy+prowler: imported from their reports, {counts.get('findings', 0):,} findings, "
        f"{counts.get('resources', 0):,} resources"
    )

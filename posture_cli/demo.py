"""Filling a store with the demo estate, without ever overwriting real data."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from compliance import sync_mappings
from core.errors import StoreError
from estate import generate_estate
from store import DEMO_ORIGIN, Batch, FindingsStore, LoadReport

__all__ = ["load_demo_estate", "remove_store_files"]


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

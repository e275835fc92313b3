"""Storing snapshots and reading them back: trends and "what changed since last time".

Writes go through ``FindingsStore.transaction()``, reads through ``FindingsStore.cursor()``.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from compliance.mapping import framework_ids, load_checks, load_framework
from compliance.snapshot import Snapshot, Status
from core.errors import StoreError
from store import FindingsStore
from store.compliance_store import (
    CheckRow,
    ControlRow,
    ResultRow,
    SnapshotRow,
    latest_snapshot,
    record_snapshot,
    replace_mappings,
    snapshot_history,
    snapshot_results,
)

__all__ = ["history", "previous", "read_cursor", "record", "sync_mappings", "trend"]


def read_cursor(store: FindingsStore) -> duckdb.DuckDBPyConnection:
    """A fresh cursor on the store's connection, for trusted internal reads."""
    return store.cursor()


def _writable(store: FindingsStore) -> None:
    if store.read_only:
        raise StoreError(
            "This store was opened read-only; snapshots cannot be stored.",
            path=str(store.path),
            remediation="Open the store writable (no other posture process writing).",
        )


def sync_mappings(store: FindingsStore) -> None:
    """Copy the package's framework mappings into the store, for the controls views.

    Raises:
        StoreError: the store is read-only.
    """
    _writable(store)
    registry = load_checks()
    checks = [
        CheckRow(cid, c.title, [k.value for k in c.resource_kinds], [s.value for s in c.sources])
        for cid, c in sorted(registry.checks.items())
    ]
    controls = [
        ControlRow(fw.id, c.id, c.title, c.section, c.description, list(c.checks))
        for fw in (load_framework(f) for f in framework_ids())
        for c in fw.controls
    ]
    with store.transaction() as con:
        replace_mappings(con, checks, controls)


def record(store: FindingsStore, snapshot: Snapshot) -> int:
    """Store a snapshot; returns its id.

    Raises:
        StoreError: the store is read-only.
    """
    _writable(store)
    header = SnapshotRow(
        snapshot_id=0,
        framework=snapshot.framework,
        framework_version=snapshot.framework_version,
        taken_at=snapshot.taken_at,
        scope_key=snapshot.scope.key,
        environment=snapshot.scope.environment and str(snapshot.scope.environment),
        team=snapshot.scope.team,
        cloud=snapshot.scope.cloud and str(snapshot.scope.cloud),
        account=snapshot.scope.account,
        passed=snapshot.count(Status.PASS),
        failed=snapshot.count(Status.FAIL),
        not_assessed=snapshot.count(Status.NOT_ASSESSED),
        pass_rate=snapshot.pass_rate,
        sources=list(snapshot.sources),
    )
    results = [
        ResultRow(
            r.control_id,
            r.status.value,
            r.reason,
            r.failing_findings,
            r.failing_resources,
            r.max_risk_score,
            r.risk_total,
        )
        for r in snapshot.results
    ]
    with store.transaction() as con:
        return record_snapshot(con, header, results)


def history(store: FindingsStore, framework: str, scope_key: str) -> list[SnapshotRow]:
    """Stored snapshots of one framework and scope, oldest first."""
    return snapshot_history(read_cursor(store), framework, scope_key)


def previous(
    store: FindingsStore, framework: str, scope_key: str
) -> tuple[SnapshotRow, list[ResultRow]] | None:
    """The newest stored snapshot of this framework and scope, with its results."""
    cursor = read_cursor(store)
    header = latest_snapshot(cursor, framework, scope_key)
    if header is None:
        return None
    return header, snapshot_results(cursor, header.snapshot_id)


def trend(
    store: FindingsStore, framework: str, scope_key: str
) -> list[tuple[datetime, float | None]]:
    """(taken_at, pass_rate) of the stored snapshots of one framework and scope, oldest first."""
    return [(row.taken_at, row.pass_rate) for row in history(store, framework, scope_key)]

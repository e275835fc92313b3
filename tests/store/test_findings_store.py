"""The store: migrations from empty, idempotent bulk loads, cross-source merge, errors."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import duckdb
import pytest

from core.errors import StoreCorrupt, StoreError, StoreLocked
from core.query import ValidatedQuery
from store import Batch, FindingsStore
from store.migrate import applied_versions, available_migrations
from tests import factories as f

VIEWS = {
    "resources",
    "functions",
    "images",
    "workloads",
    "containers",
    "roles",
    "triggers",
    "buckets",
    "findings",
    "vulnerabilities",
    "permissions",
    "edges",
    "reachable",
    "controls",
    "control_findings",
}


def small_batch() -> Batch:
    return Batch(
        resources=(f.function(), f.role(), f.bucket(), f.image(), f.workload()),
        findings=(f.vuln_finding("wiz"), f.vuln_finding("trivy"), f.misconfig_finding()),
        permissions=tuple(f.permissions()),
        edges=tuple(f.edges()),
    )


@pytest.fixture
def store(tmp_path: Path):
    with FindingsStore(tmp_path / "s.duckdb") as s:
        yield s


def q(sql: str) -> ValidatedQuery:
    return ValidatedQuery(sql=sql)


def test_migrates_an_empty_file_to_the_newest_schema(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    with FindingsStore(path) as store:
        shipped = [m.version for m in available_migrations()]
        assert applied_versions(store._con) == shipped
        names = {
            r[0]
            for r in store.query(
                q("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")
            ).rows
        }
        assert names == VIEWS
    with FindingsStore(path) as again:  # a second open applies nothing twice
        assert applied_versions(again._con) == shipped


def test_loading_the_same_batch_twice_equals_once(store: FindingsStore) -> None:
    store.load(small_batch(), origin="demo")
    once = store.content_hash()
    store.load(small_batch(), origin="demo")
    assert store.content_hash() == once


def test_same_cve_from_two_sources_is_one_vulnerability_row(store: FindingsStore) -> None:
    store.load(small_batch(), origin="demo")
    rows = store.query(q("SELECT cve_id, sources, severity, status FROM vulnerabilities")).rows
    assert rows == (("CVE-2021-44228", ["trivy", "wiz"], "critical", "open"),)
    assert store.query(q("SELECT count(*) FROM findings WHERE cve_id IS NOT NULL")).rows == ((2,),)


def test_a_later_load_merges_sources_and_keeps_first_seen(store: FindingsStore) -> None:
    store.load(Batch(resources=(f.function(),), findings=(f.misconfig_finding(),)), origin="wiz")
    later = f.function(sources=["prisma"], first_seen=f.NOW, last_seen=f.NOW)
    store.load(Batch(resources=(later,)), origin="prisma")
    row = store.query(q("SELECT sources, first_seen FROM functions")).rows[0]
    assert row[0] == ["prisma", "wiz"]
    assert row[1] == f.function().first_seen.replace(tzinfo=None)


def test_open_findings_get_a_risk_score_with_factors(store: FindingsStore) -> None:
    store.load(small_batch(), origin="demo")
    rows = store.query(
        q(
            "SELECT finding_id, risk_score, list_transform(risk_factors, lambda x: x.name) "
            "FROM findings ORDER BY risk_score DESC"
        )
    ).rows
    assert all(0 < r[1] <= 10 for r in rows)
    top = rows[0]
    assert "kev" in top[2] and "environment" in top[2]  # the image runs in prod via workload


def test_resolving_a_finding_clears_its_score(store: FindingsStore) -> None:
    store.load(small_batch(), origin="demo")
    resolved = f.misconfig_finding(status="resolved", resolved_at=f.NOW)
    store.load(Batch(findings=(resolved,)), origin="prowler")
    row = store.query(q("SELECT status, risk_score FROM findings WHERE source = 'prowler'")).rows
    assert row == (("resolved", None),)


def test_views_expose_derived_facts(store: FindingsStore) -> None:
    store.load(small_batch(), origin="demo")
    fn = store.query(q("SELECT role_wildcard_actions, role_is_admin FROM functions")).rows
    assert fn == ((["s3:*"], False),)
    img = store.query(q("SELECT runs_in_prod, workload_count FROM images")).rows
    assert img == ((True, 1),)
    reach = store.query(
        q("SELECT to_name, depth FROM reachable WHERE from_name = 'processPayment' ORDER BY depth")
    ).rows
    assert reach == (("processPayment-role", 1), ("cards-vault", 2))


def test_query_accepts_only_validated_queries(store: FindingsStore) -> None:
    with pytest.raises(TypeError):
        store.query("SELECT 1")  # type: ignore[arg-type]


def test_query_runs_read_only_even_on_a_writable_store(store: FindingsStore) -> None:
    store.load(small_batch(), origin="demo")
    before = store.content_hash()
    with pytest.raises(duckdb.Error):
        store.query(q("DELETE FROM raw.findings"))
    assert store.content_hash() == before


def test_query_cannot_touch_files(store: FindingsStore, tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    with pytest.raises(duckdb.Error, match="(?i)permission|disabled"):
        store.query(q(f"SELECT * FROM read_csv('{secret}')"))


def test_failed_load_leaves_the_store_unchanged(store: FindingsStore) -> None:
    store.load(small_batch(), origin="demo")
    before = store.content_hash()

    class Boom(Exception):
        pass

    from store import findings_store

    original = findings_store.rebuild_derived

    def explode(con: duckdb.DuckDBPyConnection) -> int:
        original(con)
        raise Boom

    findings_store.rebuild_derived = explode  # type: ignore[assignment]
    try:
        with pytest.raises(Boom):
            store.load(Batch(findings=(f.misconfig_finding(severity="low"),)), origin="demo")
    finally:
        findings_store.rebuild_derived = original
    assert store.content_hash() == before


def test_corrupt_file_gives_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.duckdb"
    path.write_bytes(b"this is not a database" * 500)
    with pytest.raises(StoreCorrupt) as exc:
        FindingsStore(path)
    line = exc.value.one_line()
    assert str(path) in line and "\n" not in line and "Move the file aside" in line


def _hold_lock(
    path: str, ready: multiprocessing.synchronize.Event, done: multiprocessing.synchronize.Event
) -> None:
    con = duckdb.connect(path)
    ready.set()
    done.wait(30)
    con.close()


def test_locked_file_gives_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "locked.duckdb"
    FindingsStore(path).close()
    ctx = multiprocessing.get_context("spawn")
    ready, done = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(path), ready, done))
    holder.start()
    try:
        assert ready.wait(30)
        with pytest.raises(StoreLocked) as exc:
            FindingsStore(path)
        assert str(path) in exc.value.one_line()
        assert "Another posture process" in exc.value.one_line()
    finally:
        done.set()
        holder.join(30)


def test_read_only_open_of_a_missing_store_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="No findings store") as exc:
        FindingsStore(tmp_path / "missing.duckdb", read_only=True)
    assert "posture demo" in exc.value.remediation


def test_demo_origin_is_tracked(store: FindingsStore) -> None:
    store.load(small_batch(), origin="demo")
    assert not store.holds_non_demo_data()
    store.load(Batch(findings=(f.misconfig_finding(),)), origin="prowler")
    assert store.holds_non_demo_data()

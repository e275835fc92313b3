"""Snapshot numbers against the hand-counted estate in tests/compliance/estate.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from compliance import Scope, Status, compliance_summary, take_snapshot
from compliance.history import history, read_cursor, trend
from core.errors import ValidationFailed
from store import FindingsStore
from store.batch import Batch
from tests import factories as f
from tests.compliance.estate import batch

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
P, F, N = Status.PASS, Status.FAIL, Status.NOT_ASSESSED


def _statuses(store: FindingsStore, framework: str, scope: Scope | None = None) -> dict:
    snap = take_snapshot(read_cursor(store), framework, scope, now=T0)
    return {r.control_id: r.status for r in snap.results}


def test_cis_all_resources(store: FindingsStore) -> None:
    # synced: prowler, wiz. Fails: admin_access (1.15, 12.9), public_bucket (2.1.4),
    # public_function_url (12.6), deprecated_runtime on devReport (12.11).
    # Not assessed: root MFA (1.4) and CloudTrail (3.1): no source reports them.
    # Passes: the resolved unencrypted_bucket and suppressed run_as_root do not fail.
    assert _statuses(store, "cis") == {
        "AWS-1.4": N, "AWS-1.15": F, "AWS-2.1.4": F, "AWS-3.1": N,
        "CMP-12.3": P, "CMP-12.4": P, "CMP-12.6": F, "CMP-12.9": F, "CMP-12.11": F,
        "K8S-5.1.3": P, "K8S-5.2.2": P, "K8S-5.2.7": P, "K8S-5.2.12": P, "K8S-5.7.3": P,
    }  # fmt: skip
    snap = take_snapshot(read_cursor(store), "cis", now=T0)
    assert (snap.count(P), snap.count(F), snap.count(N)) == (7, 5, 2)
    assert snap.pass_rate == round(7 / 12, 4)


def test_cis_in_prod(store: FindingsStore) -> None:
    # devReport (dev) drops out, so 12.11 passes on processPayment; the role has no
    # environment, so the role-only controls have nothing in prod to check.
    statuses = _statuses(store, "cis", Scope(environment="prod"))
    assert [k for k, v in statuses.items() if v is F] == ["AWS-2.1.4", "CMP-12.6"]
    assert statuses["CMP-12.11"] is P
    assert statuses["AWS-1.15"] is N and statuses["K8S-5.1.3"] is N
    assert sum(v is P for v in statuses.values()) == 6


def test_team_scope(store: FindingsStore) -> None:
    # team data owns only devReport: 12.11 fails, 12.3 and 12.6 pass, the rest have nothing.
    statuses = _statuses(store, "cis", Scope(team="data"))
    assert {k for k, v in statuses.items() if v is F} == {"CMP-12.11"}
    assert {k for k, v in statuses.items() if v is P} == {"CMP-12.3", "CMP-12.6"}


def test_soc2_counts_and_evidence(store: FindingsStore) -> None:
    snap = take_snapshot(read_cursor(store), "soc2", now=T0)
    assert (snap.count(P), snap.count(F), snap.count(N)) == (4, 8, 1)
    cc61 = snap.result("CC6.1")  # admin_access + public_bucket + public_function_url
    assert (cc61.failing_findings, cc61.failing_resources) == (3, 3)
    assert {e.check_id for e in cc61.evidence} == {
        "admin_access", "public_bucket", "public_function_url"
    }  # fmt: skip
    risks = [e.risk_score or 0 for e in cc61.evidence]
    assert risks == sorted(risks, reverse=True) and cc61.max_risk_score == risks[0]
    assert cc61.oldest_failure == min(e.first_seen for e in cc61.evidence)
    cc81 = snap.result("CC8.1")  # vulnerable_package on the image, deprecated_runtime
    assert (cc81.failing_findings, cc81.failing_resources) == (2, 2)
    assert (
        snap.result("CC7.2").status is N and "audit_logging_disabled" in snap.result("CC7.2").reason
    )


def test_no_false_pass_when_no_source_covers(tmp_path: Path) -> None:
    # Only prowler synced: runtime threats and vulnerabilities are not prowler checks,
    # so their controls are not assessed, not passed, even with zero findings.
    only_prowler = Batch(resources=(f.function(), f.workload(), f.image()),
                         findings=(f.misconfig_finding(),))  # fmt: skip
    with FindingsStore(tmp_path / "p.duckdb") as store:
        store.load(only_prowler, origin="test")
        snap = take_snapshot(read_cursor(store), "iso27001", now=T0)
    a87 = snap.result("A.8.7")
    assert a87.status is N and a87.reason.startswith("could not verify")
    assert set(a87.uncovered_checks) == {"crypto_miner", "reverse_shell", "suspicious_process"}
    assert snap.result("A.8.8").status is N  # vulnerable_package: no prowler check
    assert snap.result("A.5.15").status is F  # the public function URL


def test_empty_store_passes_nothing(tmp_path: Path) -> None:
    with FindingsStore(tmp_path / "e.duckdb") as store:
        snap = take_snapshot(read_cursor(store), "soc2", now=T0)
    assert {r.status for r in snap.results} == {N} and snap.pass_rate is None


def test_controls_view_agrees_with_the_snapshot(store: FindingsStore) -> None:
    rows = (
        read_cursor(store)
        .execute(
            "SELECT framework, control_id, status, failing_findings, failing_resources, "
            "max_risk_score, risk_total FROM main.controls"
        )
        .fetchall()
    )
    for fw in ("cis", "soc2", "iso27001"):
        snap = take_snapshot(read_cursor(store), fw, now=T0)
        mine = {(fw, r.control_id, r.status.value, r.failing_findings, r.failing_resources,
                 r.max_risk_score, r.risk_total) for r in snap.results}  # fmt: skip
        assert mine == {r for r in rows if r[0] == fw}


def test_control_findings_answers_cis_failures_in_prod(store: FindingsStore) -> None:
    rows = (
        read_cursor(store)
        .execute(
            "SELECT DISTINCT control_id FROM main.control_findings "
            "WHERE framework = 'cis' AND status = 'open' AND environment = 'prod' ORDER BY 1"
        )
        .fetchall()
    )
    assert [r[0] for r in rows] == ["AWS-2.1.4", "CMP-12.6"]


def _resolve_bucket(store: FindingsStore) -> None:
    store.load(batch(bucket_resolved=True), origin="test")


def test_trend_over_three_snapshots(store: FindingsStore) -> None:
    first = compliance_summary(store, "cis", save=True, now=T0)
    assert first.changes is None and first.snapshot_id == 1
    second = compliance_summary(store, "cis", save=True, now=T0 + timedelta(days=1))
    assert second.changes is not None and second.changes.unchanged
    _resolve_bucket(store)
    third = compliance_summary(store, "cis", save=True, now=T0 + timedelta(days=2))
    assert third.changes is not None
    assert [c.control_id for c in third.changes.newly_passing] == ["AWS-2.1.4"]
    assert third.changes.pass_rate_delta == round(round(8 / 12, 4) - round(7 / 12, 4), 4)
    rates = [rate for _, rate in trend(store, "cis", Scope().key)]
    assert rates == [round(7 / 12, 4), round(7 / 12, 4), round(8 / 12, 4)]
    assert len(history(store, "cis", Scope(environment="prod").key)) == 0


def test_summary_ranks_failing_controls_by_risk(store: FindingsStore) -> None:
    summary = compliance_summary(store, "soc2", now=T0)
    keys = [(r.max_risk_score or 0, r.risk_total) for r in summary.failing]
    assert keys == sorted(keys, reverse=True)
    assert summary.snapshot_id is None and summary.total == 13


def test_bad_scope_is_a_clean_error(store: FindingsStore) -> None:
    with pytest.raises(ValidationFailed, match="Unknown scope"):
        compliance_summary(store, "cis", env="production")


def test_saving_needs_a_writable_store(store: FindingsStore) -> None:
    from core.errors import StoreError

    path = store.path
    store.close()
    with FindingsStore(path, read_only=True) as ro:
        assert compliance_summary(ro, "cis", now=T0).failed == 5
        with pytest.raises(StoreError, match="read-only"):
            compliance_summary(ro, "cis", save=True)

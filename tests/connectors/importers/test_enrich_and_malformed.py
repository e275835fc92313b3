"""Enrichment against the real KEV/EPSS files, and malformed reports leaving the store alone."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from connectors.importers import import_report
from connectors.intel import enrich_store, parse_epss
from core.errors import ImportRejected, ValidationFailed
from governance.audit import AuditLog
from store import FindingsStore

REAL = Path(__file__).resolve().parents[3] / ".." / "shared" / "realdata"
KEV = REAL / "threat-intel" / "cisa_kev.json"
EPSS = REAL / "threat-intel" / "epss_sample_vunnel.csv"


def _kev_ids() -> set[str]:
    return {v["cveID"] for v in json.loads(KEV.read_text())["vulnerabilities"]}


def test_kev_marks_imported_cves_and_raises_their_risk(tmp_path: Path) -> None:
    with FindingsStore(tmp_path / "s.duckdb") as store:
        for name in ("spring4shell-jre11.json", "example-app-debian10.json", "alpine-310.json"):
            import_report(store, "trivy", REAL / "trivy" / "images" / name)
        rows = store._con.execute(
            "SELECT v.cve_id, f.risk_score FROM raw.vulnerabilities v "
            "JOIN raw.findings f USING (vulnerability_id) WHERE NOT v.in_kev"
        ).fetchall()
        expected = {cve for cve, _ in rows if cve in _kev_ids()}
        assert expected  # CVE-2022-22965 (Spring4Shell) is catalogued
        before = {cve: risk for cve, risk in rows}
        audit = AuditLog(tmp_path / "audit.jsonl")
        out = enrich_store(store, cache_dir=tmp_path / "c", kev=str(KEV), epss=None, audit=audit)
        assert out.report.newly_kev == len(expected)
        after = dict(
            store._con.execute(
                "SELECT v.cve_id, f.risk_score FROM raw.vulnerabilities v "
                "JOIN raw.findings f USING (vulnerability_id) WHERE v.in_kev"
            ).fetchall()
        )
        assert set(after) == expected
        assert all(after[c] > before[c] for c in expected)
        assert out.report.risk_raised >= len(expected)
        assert audit.records()[-1].action == "intel.applied" and audit.verify().ok
        again = enrich_store(store, cache_dir=tmp_path / "c", kev=str(KEV), epss=None)
        assert again.report.newly_kev == 0 and again.report.risk_changed == 0


def test_demo_estate_enrichment_matches_the_files(demo_store_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_store_path, path)
    kev_ids = _kev_ids()
    epss_rows = parse_epss(EPSS.read_bytes(), str(EPSS)).table.to_pylist()
    with FindingsStore(path) as store:
        cves = [
            r[0] for r in store._con.execute("SELECT cve_id FROM raw.vulnerabilities").fetchall()
        ]
        out = enrich_store(store, cache_dir=tmp_path / "c", kev=str(KEV), epss=str(EPSS))
        kev_rows = store._con.execute(
            "SELECT count(*) FROM raw.vulnerabilities WHERE kev_date_added IS NOT NULL"
        ).fetchall()[0][0]
        assert kev_rows == sum(1 for c in cves if c in kev_ids)
        assert out.report.epss_updated <= sum(
            1 for c in cves if c in {r["cve_id"] for r in epss_rows}
        )


def test_gzipped_first_feed_sets_epss_and_percentile(tmp_path: Path) -> None:
    with FindingsStore(tmp_path / "s.duckdb") as store:
        import_report(store, "grype", REAL / "grype" / "busybox-1.32.1-epss.json")
        cves = [
            r[0] for r in store._con.execute("SELECT cve_id FROM raw.vulnerabilities").fetchall()
        ]
        lines = [
            "#model_version:v2025.03.14,score_date:2025-09-03T00:00:00Z",
            "cve,epss,percentile",
        ]
        lines += [f"{c},0.{i + 51:02d},0.9" for i, c in enumerate(cves)]
        feed = tmp_path / "epss_scores-current.csv.gz"
        feed.write_bytes(gzip.compress("\n".join(lines).encode()))
        out = enrich_store(store, cache_dir=tmp_path / "c", kev=None, epss=str(feed))
        assert out.feeds[0].version == "2025-09-03"
        assert out.report.epss_updated == len(cves)
        low = store._con.execute(
            "SELECT count(*) FROM main.vulnerabilities WHERE epss <= 0.5 OR epss_percentile <> 0.9"
        ).fetchall()[0][0]
        assert low == 0


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        '{"SchemaVersion": 2, "Results": 7}',
        "[1, 2]",
        '{"matches": "x", "source": {"type": "image"}}',
    ],
)
def test_malformed_reports_are_refused_and_the_store_is_unchanged(
    tmp_path: Path, text: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(text)
    with FindingsStore(tmp_path / "s.duckdb") as store:
        import_report(store, "grype", REAL / "grype" / "debian10-check_all_fields.json")
        before = store.content_hash()
        fmt = "grype" if "matches" in text else "trivy"
        with pytest.raises(ImportRejected) as caught:
            import_report(store, fmt, bad)
        assert caught.value.remediation and "\n" not in caught.value.one_line()
        assert store.content_hash() == before


def test_a_bad_feed_leaves_the_store_unchanged(tmp_path: Path) -> None:
    bad = tmp_path / "kev.json"
    bad.write_text('{"title": "not the catalog"}')
    with FindingsStore(tmp_path / "s.duckdb") as store:
        import_report(store, "trivy", REAL / "trivy" / "images" / "spring4shell-jre11.json")
        before = store.content_hash()
        with pytest.raises(ValidationFailed):
            enrich_store(store, cache_dir=tmp_path / "c", kev=str(bad), epss=None)
        assert store.content_hash() == before

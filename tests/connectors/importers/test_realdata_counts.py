"""Every real scanner report imports, and the store holds what the file holds.

Expected counts are computed here from the raw JSON with the documented dedupe rules,
independently of the mappers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from connectors.importers import import_report
from core.errors import ImportRejected
from store import FindingsStore

REAL = Path(__file__).resolve().parents[3] / ".." / "shared" / "realdata"
_ID = re.compile(r"^(CVE-\d{4}-\d{4,}|GHSA(-[23456789cfghjmpqrvwx]{4}){3}|[A-Z]+-\d{4}-[\w-]+)$")


def _files(*globs: str) -> list[Path]:
    return sorted(p for g in globs for p in REAL.glob(g))


def _trivy_results(results: list[dict[str, Any]], where: str) -> set[tuple[str, ...]]:
    keys: set[tuple[str, ...]] = set()
    for r in results:
        for v in r.get("Vulnerabilities") or []:
            if _ID.match(v["VulnerabilityID"]):
                img = r["Target"].split(" (")[0] if "ClusterName" in where else ""
                keys.add(("v", img, v["VulnerabilityID"], v["PkgName"], v["InstalledVersion"]))
        for m in r.get("Misconfigurations") or []:
            if m.get("Status", "FAIL") == "FAIL":
                keys.add(("m", where, m["ID"]))
        for s in r.get("Secrets") or []:
            keys.add(("s", r["Target"], s["RuleID"], str(s.get("StartLine"))))
    return keys


def expected_trivy(doc: dict[str, Any]) -> int:
    if "ClusterName" not in doc:
        return len(_trivy_results(doc["Results"], "image"))
    keys: set[tuple[str, ...]] = set()
    for obj in (
        doc.get("Resources", []) + doc.get("Vulnerabilities", []) + doc.get("Misconfigurations", [])
    ):
        where = f"ClusterName/{obj['Namespace']}/{obj['Kind']}/{obj['Name']}"
        keys |= _trivy_results(obj.get("Results") or [], where)
    return len(keys)


def expected_grype(doc: dict[str, Any]) -> int:
    return len(
        {
            (m["vulnerability"]["id"], m["artifact"]["name"], m["artifact"]["version"])
            for m in doc["matches"]
        }
    )


def expected_prowler(doc: list[dict[str, Any]]) -> int:
    return sum(1 for e in doc if e["status_code"] == "FAIL")


def expected_asff(doc: Any) -> int:
    findings = doc if isinstance(doc, list) else doc.get("Findings") or doc.get("findings")
    no_verdict = {"PASSED", "NOT_AVAILABLE", "INFOED"}
    return sum(1 for f in findings if (f.get("Compliance") or {}).get("Status") not in no_verdict)


CASES = (
    [
        ("trivy", p, expected_trivy)
        for p in _files("trivy/images/*.json", "trivy/k8s/trivy-k8s-*.json")
    ]
    + [("trivy", p, expected_trivy) for p in _files("trivy-operator/trivy-*.json")]
    + [("grype", p, expected_grype) for p in _files("grype/*.json")]
    + [("prowler", p, expected_prowler) for p in _files("prowler/output/*.ocsf.json")]
    + [
        ("asff", p, expected_asff)
        for p in _files("aws-findings/securityhub_*.json", "**/*.asff.json")
    ]
)


def test_every_supported_real_file_is_covered() -> None:
    assert len(CASES) == 32  # 16 images, 2 k8s, 2 operator-side image reports, 3+4+5
    assert {fmt for fmt, _, _ in CASES} == {"trivy", "grype", "prowler", "asff"}


@pytest.mark.parametrize(("fmt", "path", "expected"), CASES, ids=lambda c: getattr(c, "name", c))
def test_counts_match_the_file_and_reimport_changes_nothing(
    tmp_path: Path, fmt: str, path: Path, expected: Any
) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    want = expected(doc)
    source = {"asff": "securityhub"}.get(fmt, fmt)
    with FindingsStore(tmp_path / "s.duckdb") as store:
        report = import_report(store, fmt, path)
        con = store._con
        held = con.execute(
            "SELECT count(*) FROM raw.findings WHERE source = ?", [source]
        ).fetchall()
        vulns = con.execute(
            "SELECT count(*) FROM raw.findings WHERE source = ? AND vulnerability_id IS NOT NULL",
            [source],
        ).fetchall()
        assert held[0][0] == want == report.counts["findings"]
        assert vulns[0][0] == report.counts["vulnerabilities"]
        before = store.content_hash()
        import_report(store, fmt, path)
        assert store.content_hash() == before


@pytest.mark.parametrize(
    ("fmt", "path", "detected"),
    [
        ("trivy", "trivy/lang/npm.json", "trivy repository"),
        ("trivy", "trivy/misconfig/misconfigurations_and_secrets.json", "trivy filesystem"),
        ("trivy", "trivy/formats/alpine-310.sarif.json", "sarif"),
        ("trivy", "trivy/formats/alpine-310.gitlab.json", "gitlab"),
        ("trivy", "trivy/k8s/minikube-kbom.cdx.json", "cyclonedx"),
        ("trivy", "trivy-operator/vulnerabilityreport_many.json", "trivy-operator"),
        ("asff", "aws-findings/inspector2_many_vul.json", "inspector2"),
        ("prowler", "prowler/output/prowler_v3_many_vuln.json", "prowler-legacy"),
        ("trivy", "grype/busybox-1.32.1-epss.json", "grype"),
        ("prowler", "trivy/formats/alpine-310.asff.json", "asff"),
        ("grype", "prowler/output/example_output_aws.ocsf.json", "prowler"),
    ],
)
def test_other_formats_are_refused_with_a_hint_and_the_store_unchanged(
    tmp_path: Path, fmt: str, path: str, detected: str
) -> None:
    with FindingsStore(tmp_path / "s.duckdb") as store:
        before = store.content_hash()
        with pytest.raises(ImportRejected) as caught:
            import_report(store, fmt, REAL / path)
        assert caught.value.detected == detected
        assert "\n" not in caught.value.one_line() and caught.value.remediation
        assert store.content_hash() == before

"""Every mapper parses the real vendor responses under shared/realdata (read in place)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from connectors.lacework import mapping as lw
from connectors.orca import mapping as orca
from connectors.prisma import compute_mapping as compute
from connectors.prisma import mapping as prisma
from connectors.wiz import mapping as wiz
from core.models import FindingCategory, FindingStatus, Severity, Source


def _json(realdata: Path, path: str) -> Any:
    return json.loads((realdata / path).read_text(encoding="utf-8"))


def test_wiz_issue_keeps_the_model_rules_on_messy_data(realdata: Path) -> None:
    node = _json(realdata, "cnapp-api/wiz/graphql-issues-response.json")["data"]["issues"]["nodes"][
        0
    ]
    f = wiz.issue_to_finding(node)
    assert (f.source, f.source_id) == (Source.WIZ, "fff9cffd-64a7-412c-9535-cf837f4b0b40")
    # IN_PROGRESS is open, so its resolvedAt is dropped; updatedAt < createdAt is clamped
    assert f.status is FindingStatus.OPEN and f.resolved_at is None
    assert f.last_seen >= f.first_seen
    assert f.severity is Severity.INFO  # INFORMATIONAL
    assert f.category is FindingCategory.PERMISSIONS  # "Identity Management" subcategory
    assert f.title.startswith("EKS principals assume roles")
    assert f.description and f.description.startswith("These EKS principals")
    assert f.resource_id.startswith("k8s/clusterrole/")
    assert f.console_url == f"https://app.wiz.io/issues#~(issue~'{f.source_id})"


def test_wiz_vulnerability_finding(realdata: Path) -> None:
    node = _json(realdata, "cnapp-api/wiz/graphql-vulnerabilityFindings-response.json")["data"][
        "vulnerabilityFindings"
    ]["nodes"][0]
    f = wiz.vulnerability_to_finding(node)
    v = f.vulnerability
    assert v is not None and f.category is FindingCategory.VULNERABILITY
    assert (v.cve_id, v.package, v.installed_version) == (
        "CVE-2020-3333",
        "libtiff",
        "4.0.3-35.amzn2",
    )
    assert (v.fixed_version, v.cvss_score, v.epss) == ("4.0.3-35.amzn2.0.1", 5.5, 0.1)
    assert f.severity is Severity.MEDIUM and f.status is FindingStatus.OPEN
    assert f.resource_id == "arn:aws:ec2:us-east-1:998231069301:instance/i-0a0f7e1451da5f4a3"
    assert f.console_url == node["portalUrl"]


def test_prisma_alert_v2(realdata: Path) -> None:
    body = _json(realdata, "cnapp-api/prisma-cloud/alerts-v2-response.json")
    [f] = [prisma.alert_to_finding(item) for item in body["items"]]
    assert (f.source, f.source_id, f.status) == (Source.PRISMA, "N-3910", FindingStatus.OPEN)
    assert f.first_seen == datetime(2023, 9, 6, 12, 30, 41, 966000, tzinfo=UTC)  # epoch ms
    assert f.category is FindingCategory.MISCONFIGURATION  # policyType network
    assert f.severity is Severity.HIGH and f.title.startswith("AWS EC2 instance")
    assert f.type.startswith("aws_ec2_instance_that_is_internet_reachable")
    assert f.console_url == "https://app.prismacloud.io/alerts/overview?alertId=N-3910"


def test_prisma_compute_scan_results(realdata: Path) -> None:
    scans = _json(realdata, "cnapp-api/prisma-cloud/compute-ci-scan-results-list.json")
    images = [compute.image_to_models(scan)[0] for scan in scans]
    assert [r.resource_id for r in images] == [
        "1.dkr.ecr.eu-central-1.amazonaws.com/pythonscript:tag",
        "pythonserver.azurecr.io/pythonserver:tag",
    ]
    assert images[0].image is not None and images[0].image.os == "Ubuntu 22.04.3 LTS"
    assert (images[0].account, images[0].region) == ("1", "eu-central-1")
    issues = compute.scan_compliance_findings(scans[0], resource_id=images[0].resource_id)
    assert [f.title for f in issues] == ["Image should be created with a non-root user"]
    assert issues[0].severity is Severity.HIGH


def test_prisma_twistcli_reports(realdata: Path) -> None:
    seen = datetime(2026, 1, 1, tzinfo=UTC)
    for name in ("twistcli_many_vulns.json", "twistcli_findings_include_packages.json"):
        [result] = _json(realdata, f"cnapp-exports/prisma-cloud/{name}")["results"]
        found = compute.scan_vulnerability_findings(
            result, resource_id=result["id"], observed_at=seen
        )
        assert len(found) == len(result["vulnerabilities"])
        glibc = next(
            f for f in found if f.vulnerability and f.vulnerability.cve_id == "CVE-2018-6485"
        )
        assert glibc.vulnerability is not None
        assert glibc.vulnerability.package_type == "deb"  # from "Debian GNU/Linux 9"
        assert glibc.vulnerability.cvss_vector == "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
        assert compute.scan_compliance_findings(result, resource_id=result["id"], observed_at=seen)


def test_lacework_container_vulnerabilities(realdata: Path) -> None:
    body = _json(realdata, "cnapp-api/lacework/vulnerabilities-containers-search-response.json")
    found = [lw.container_vuln_to_finding(row) for row in body["data"]]
    assert len(found) == body["paging"]["totalRows"] == 2
    assert [f.status for f in found] == [FindingStatus.SUPPRESSED, FindingStatus.OPEN]
    assert {f.resource_id for f in found} == {
        "index.docker.io/techallylw/test-cli-dirty@sha256:"
        "1234d2246518044ef95e3dbd029e51dd477788e5bf8e278e418685aabc3fe28a"
    }
    v = found[0].vulnerability
    assert v is not None and (v.cve_id, v.package_type, v.fixed_version) == (
        "CVE-2017-12670",
        "deb",
        None,
    )


def test_lacework_host_vulnerabilities_use_the_cve_an_advisory_fixes(realdata: Path) -> None:
    body = _json(realdata, "cnapp-api/lacework/vulnerabilities-hosts-search-response.json")
    found = [lw.host_vuln_to_finding(row) for row in body["data"]]
    first = found[0]
    assert first.vulnerability is not None and first.vulnerability.cve_id == "CVE-2019-5482"
    assert first.status is FindingStatus.RESOLVED  # FixedOnDiscovery
    assert first.resource_id == "arn:aws:ec2:us-east-2:123456789038:instance/i-12345678903bd1a6c"
    assert first.vulnerability.package_type == "rpm"  # amzn:2


def test_lacework_alerts(realdata: Path) -> None:
    listed = _json(realdata, "cnapp-api/lacework/alerts-list-response.json")["data"]
    details = _json(realdata, "cnapp-api/lacework/alert-details-response.json")["data"]
    found = [
        lw.alert_to_finding(row, console_url="https://acme.lacework.net")
        for row in [*listed, details]
    ]
    assert [f.source_id for f in found] == ["967278", "967272"]
    assert found[0].severity is Severity.HIGH and found[1].severity is Severity.MEDIUM
    assert found[0].type == "cloud_activity_log_ingestion_failed"
    assert found[1].category is FindingCategory.RUNTIME_THREAT  # file change
    assert found[0].console_url == (
        "https://acme.lacework.net/ui/investigation/monitor/AlertInbox/967278/details"
    )


def test_orca_alert_export(realdata: Path) -> None:
    rows = _json(realdata, "cnapp-exports/orca/orca_alerts_many.json")
    found = [orca.export_row_to_finding(row) for row in rows]
    assert len(found) == len(rows) == 5
    assert [f.severity for f in found] == [
        Severity.LOW,
        Severity.MEDIUM,
        Severity.HIGH,
        Severity.CRITICAL,
        Severity.INFO,
    ]
    assert found[1].category is FindingCategory.PERMISSIONS  # IAM misconfigurations
    closed = found[4]
    assert closed.status is FindingStatus.RESOLVED and closed.resolved_at == closed.last_seen

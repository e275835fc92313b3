"""AWS Security Finding Format (Security Hub ``get-findings``, Prowler/Trivy ``asff`` output).

One finding per ``Findings[]`` entry, keyed by its ``Id`` (plus package and version for a
vulnerability: Trivy's ASFF repeats an ``Id`` for each package a CVE hits), on its first
resource. Status:
``RecordState: ARCHIVED`` or ``Workflow.Status: RESOLVED`` resolve it, ``SUPPRESSED``
suppresses it; ``Compliance.Status: PASSED`` resolves a finding the store holds and is
otherwise left out; ``NOT_AVAILABLE`` (and Prowler's ``INFOED``) gives no verdict and is
left out. A finding with package details (``Vulnerabilities[]``, or Trivy's
``Details.Other``) is a vulnerability; ECR images are identified like every other image
(``registry/repository@digest``) so Inspector findings merge with the CNAPPs'.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from connectors.common import parse_time, slug
from connectors.importers.common import Mapped, ecr_image, severity_of
from core.models import (
    Cloud,
    Finding,
    FindingCategory,
    FindingStatus,
    Resource,
    Severity,
    Source,
    Vulnerability,
)

__all__ = ["asff_findings", "map_asff"]

_THREAT_PREFIXES = ("TTPs", "Effects", "Unusual Behaviors")
_NO_VERDICT = frozenset({"NOT_AVAILABLE", "INFOED", "WARNING"})


def asff_findings(doc: Any) -> list[dict[str, Any]]:
    """The findings list of any ASFF container: a bare list, ``Findings`` or ``findings``."""
    if isinstance(doc, list):
        return doc
    return list(doc.get("Findings") or doc.get("findings") or [])


def _status(raw: dict[str, Any]) -> FindingStatus | None:
    compliance = str((raw.get("Compliance") or {}).get("Status") or "").upper()
    workflow = str((raw.get("Workflow") or {}).get("Status") or "").upper()
    if compliance in _NO_VERDICT:
        return None
    if str(raw.get("RecordState") or "").upper() == "ARCHIVED" or workflow == "RESOLVED":
        return FindingStatus.RESOLVED
    if compliance == "PASSED":
        return FindingStatus.RESOLVED
    return FindingStatus.SUPPRESSED if workflow == "SUPPRESSED" else FindingStatus.OPEN


def _severity(raw: dict[str, Any]) -> Severity:
    sev = raw.get("Severity") or {}
    if sev.get("Label"):
        return severity_of(sev["Label"])
    normalized = sev.get("Normalized")
    if not isinstance(normalized, int | float):
        return Severity.INFO
    bands = ((90, Severity.CRITICAL), (70, Severity.HIGH), (40, Severity.MEDIUM), (1, Severity.LOW))
    return next((s for floor, s in bands if normalized >= floor), Severity.INFO)


def _vulnerability(raw: dict[str, Any], resource: dict[str, Any]) -> Vulnerability | None:
    for vuln in raw.get("Vulnerabilities") or []:
        for pkg in vuln.get("VulnerablePackages") or []:
            version = "-".join(str(pkg[k]) for k in ("Version", "Release") if pkg.get(k))
            cvss = sorted(vuln.get("Cvss") or [], key=lambda c: str(c.get("Version")))
            epss = vuln.get("EpssScore")
            return Vulnerability(
                cve_id=vuln["Id"],
                package=pkg["Name"],
                installed_version=version,
                fixed_version=pkg.get("FixedInVersion") or None,
                cvss_score=cvss[-1].get("BaseScore") if cvss else None,
                cvss_vector=cvss[-1].get("BaseVector") if cvss else None,
                epss=float(epss) if epss is not None else None,
                exploit_available=str(vuln.get("ExploitAvailable") or "").upper() == "YES",
            )
    other = (resource.get("Details") or {}).get("Other") or {}
    if other.get("CVE ID") and other.get("PkgName") and other.get("Installed Package"):
        return Vulnerability(
            cve_id=other["CVE ID"],
            package=other["PkgName"],
            installed_version=other["Installed Package"],
            fixed_version=other.get("Patched Package") or None,
        )
    return None


def _category(raw: dict[str, Any], vuln: Vulnerability | None) -> FindingCategory:
    types = [str(t) for t in raw.get("Types") or []]
    if vuln is not None:
        return FindingCategory.VULNERABILITY
    if any(t.startswith(_THREAT_PREFIXES) for t in types):
        return FindingCategory.RUNTIME_THREAT
    if any("Sensitive Data" in t for t in types):
        return FindingCategory.SECRET
    return FindingCategory.MISCONFIGURATION


def _finding(raw: dict[str, Any], status: FindingStatus, image: Resource | None) -> Finding:
    resource = (raw.get("Resources") or [{}])[0]
    first = parse_time(raw.get("FirstObservedAt")) or parse_time(raw["CreatedAt"])
    last = parse_time(raw.get("LastObservedAt")) or parse_time(raw.get("UpdatedAt")) or first
    assert first is not None and last is not None
    last = max(first, last)
    vuln = _vulnerability(raw, resource)
    generator = str(raw.get("GeneratorId") or "").rsplit("/", 1)[-1]
    return Finding(
        source=Source.SECURITYHUB,
        source_id=f"{raw['Id']}:{vuln.package}@{vuln.installed_version}"
        if vuln
        else str(raw["Id"]),
        resource_id=image.resource_id if image else str(resource.get("Id") or "unknown"),
        category=_category(raw, vuln),
        type="vulnerable_package" if vuln else slug(generator or "finding"),
        title=str(raw.get("Title") or generator or raw["Id"])[:1024],
        description=str(raw.get("Description") or "")[:16384] or None,
        severity=_severity(raw),
        status=status,
        first_seen=first,
        last_seen=last,
        resolved_at=last if status is FindingStatus.RESOLVED else None,
        console_url=((raw.get("Remediation") or {}).get("Recommendation") or {}).get("Url"),
        vulnerability=vuln,
    )


def map_asff(doc: Any, *, observed_at: datetime, default_cloud: Cloud) -> Mapped:
    """Every ASFF finding; ECR images become image resources."""
    out = Mapped()
    for raw in asff_findings(doc):
        status = _status(raw)
        if status is None:
            verdict = (raw.get("Compliance") or {}).get("Status")
            out.skipped[f"compliance status {verdict}: the check gave no verdict"] += 1
            continue
        image = ecr_image((raw.get("Resources") or [{}])[0], observed_at)
        try:
            finding = _finding(raw, status, image)
        except (ValueError, KeyError, TypeError):
            out.skipped["finding without Id, CreatedAt or a valid CVE/package"] += 1
            continue
        out.findings.append(finding)
        if image is not None and status is not FindingStatus.RESOLVED:
            out.resources.append(image)
    return out

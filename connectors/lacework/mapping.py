"""Lacework (FortiCNAPP) API v2 rows to models: vulnerabilities, alerts, inventory.

Shapes from the API v2 reference (Vulnerabilities/Containers/search,
Vulnerabilities/Hosts/search, Alerts, Inventory/search) and the real responses in
shared/realdata/cnapp-api/lacework/. Vulnerability rows have no id of their own: a row's
id is its natural key (resource, CVE, package, version), as a scanner's would be. Host
advisories such as ``ALAS2-2019-1340`` are reported under the first CVE they fix.
"""

from __future__ import annotations

import re
from typing import Any

from connectors.common import ext_of, parse_time, slug
from connectors.inventory import decode
from connectors.rules import rule_by_vendor_id
from core.models import (
    Edge,
    Finding,
    FindingCategory,
    FindingStatus,
    Permission,
    Resource,
    Severity,
    Source,
    Vulnerability,
)

__all__ = [
    "NAMESPACES",
    "PLAIN_ID",
    "SEVERITIES",
    "VULN_STATUSES",
    "alert_to_finding",
    "container_vuln_to_finding",
    "host_vuln_to_finding",
    "inventory_to_models",
]

SEVERITIES: dict[str, Severity] = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
    "info": Severity.INFO,
}
VULN_STATUSES: dict[str, FindingStatus] = {
    "VULNERABLE": FindingStatus.OPEN,
    "NEW": FindingStatus.OPEN,
    "ACTIVE": FindingStatus.OPEN,
    "REOPENED": FindingStatus.OPEN,
    "EXCEPTION": FindingStatus.SUPPRESSED,
    "FIXED": FindingStatus.RESOLVED,
    "FIXEDONDISCOVERY": FindingStatus.RESOLVED,
    "GOOD": FindingStatus.RESOLVED,
}
# featureKey.namespace prefix -> our package_type
NAMESPACES: dict[str, str] = {
    "debian": "deb",
    "ubuntu": "deb",
    "alpine": "apk",
    "amzn": "rpm",
    "rhel": "rpm",
    "centos": "rpm",
    "ol": "rpm",
    "sles": "rpm",
    "npm": "npm",
    "pypi": "pypi",
    "python": "pypi",
    "maven": "maven",
    "java": "maven",
    "go": "go",
    "golang": "go",
    "nuget": "nuget",
    "gem": "gem",
}
_CVE = re.compile(r"CVE-\d{4}-\d{4,}")
PLAIN_ID = re.compile(r"^(CVE-\d{4}-\d{4,}|GHSA(-[23456789cfghjmpqrvwx]{4}){3})$")


def _severity(value: Any) -> Severity:
    return SEVERITIES.get(str(value or "low").lower(), Severity.LOW)


def _cve_id(row: dict[str, Any]) -> str:
    vuln_id = str(row.get("vulnId") or "")
    if PLAIN_ID.match(vuln_id):
        return vuln_id
    found = _CVE.search(str((row.get("cveProps") or {}).get("description") or ""))
    if found is None:
        raise ValueError(f"Lacework advisory {vuln_id or '?'} names no CVE")
    return found.group(0)


def _vulnerability(row: dict[str, Any]) -> Vulnerability:
    feature, fix, ext = row.get("featureKey") or {}, row.get("fixInfo") or {}, ext_of(row)
    cvss3 = ((row.get("cveProps") or {}).get("metadata") or {}).get("NVD", {}).get("CVSSv3", {})
    namespace = str(feature.get("namespace") or "").split(":")[0].lower()
    return Vulnerability(
        cve_id=_cve_id(row),
        package=feature.get("name"),
        package_type=NAMESPACES.get(namespace),
        installed_version=feature.get("version") or feature.get("version_installed"),
        fixed_version=fix.get("fixed_version") or None,
        cvss_score=cvss3.get("Score"),
        cvss_vector=cvss3.get("Vectors"),
        epss=ext.get("epss"),
        in_kev=bool(ext.get("inKev")),
        exploit_available=bool(ext.get("exploit")),
    )


def _lifecycle(row: dict[str, Any], status: FindingStatus) -> tuple[Any, Any, Any]:
    ext = ext_of(row)
    first = parse_time(row.get("startTime"))
    if first is None:
        raise ValueError("a Lacework row needs startTime")
    end = parse_time(row.get("endTime"))
    last = max(parse_time(ext.get("lastSeen")) or end or first, first)
    resolved = None
    if status is FindingStatus.RESOLVED:
        resolved = max(parse_time(ext.get("resolvedAt")) or end or last, first)
    return first, last, resolved


def _vuln_finding(row: dict[str, Any], resource_id: str, console: str) -> Finding:
    vuln = _vulnerability(row)
    status = VULN_STATUSES.get(str(row.get("status") or "VULNERABLE").upper(), FindingStatus.OPEN)
    first, last, resolved = _lifecycle(row, status)
    ext = ext_of(row)
    natural = f"{vuln.cve_id}:{vuln.package}@{vuln.installed_version}:{resource_id}"
    source_id = str(ext.get("sourceId") or natural)
    page = (
        "ui/investigation/monitor/AlertInbox/" + source_id + "/details"
        if source_id.isdigit()
        else "ui/vulnerability"
    )
    return Finding(
        source=Source.LACEWORK,
        source_id=source_id,
        resource_id=resource_id,
        category=FindingCategory.VULNERABILITY,
        type="vulnerable_package",
        title=f"{vuln.cve_id} in {vuln.package} {vuln.installed_version}",
        description=(row.get("cveProps") or {}).get("description") or None,
        severity=_severity(row.get("severity")),
        status=status,
        first_seen=first,
        last_seen=last,
        resolved_at=resolved,
        console_url=f"{console}/{page}",
        vulnerability=vuln,
    )


def container_vuln_to_finding(
    row: dict[str, Any], *, console_url: str = "https://lacework.net"
) -> Finding:
    """A Vulnerabilities/Containers/search row; the image is ``registry/repo@digest``.

    Raises:
        ValueError: no CVE, package, version, image or start time.
    """
    info = (row.get("evalCtx") or {}).get("image_info") or {}
    resource_id = ext_of(row).get("resourceId")
    if not resource_id and info.get("registry") and info.get("repo") and info.get("digest"):
        resource_id = f"{info['registry']}/{info['repo']}@{info['digest']}"
    resource_id = resource_id or row.get("imageId")
    if not resource_id:
        raise ValueError("a Lacework container vulnerability needs an image")
    return _vuln_finding(row, resource_id, console_url.rstrip("/"))


def host_vuln_to_finding(
    row: dict[str, Any], *, console_url: str = "https://lacework.net"
) -> Finding:
    """A Vulnerabilities/Hosts/search row; an EC2 host becomes its instance ARN.

    Raises:
        ValueError: no CVE, package, version or start time.
    """
    tags = row.get("machineTags") or {}
    zone, instance, account = tags.get("Zone"), tags.get("InstanceId"), tags.get("Account")
    if instance and account and zone:
        resource_id = f"arn:aws:ec2:{zone[:-1]}:{account}:instance/{instance}"
    else:
        resource_id = f"host://{(row.get('evalCtx') or {}).get('hostname') or row.get('mid')}"
    return _vuln_finding(row, resource_id, console_url.rstrip("/"))


def _alert_category(row: dict[str, Any]) -> FindingCategory:
    derived = row.get("derivedFields") or {}
    words = (
        f"{derived.get('category', '')} {derived.get('sub_category', '')} "
        f"{row.get('alertType', '')}".lower()
    )
    if any(w in words for w in ("identity", "iam", "permission", "user")):
        return FindingCategory.PERMISSIONS
    if "secret" in words:
        return FindingCategory.SECRET
    if any(w in words for w in ("anomaly", "composite", "process", "file", "threat")):
        return FindingCategory.RUNTIME_THREAT
    return FindingCategory.MISCONFIGURATION


def alert_to_finding(row: dict[str, Any], *, console_url: str = "https://lacework.net") -> Finding:
    """One Alerts row (list or search) as a finding.

    Raises:
        ValueError: no alert id or start time.
    """
    known = rule_by_vendor_id(row.get("policyId"))
    ext = ext_of(row)
    status = (
        FindingStatus(ext["status"])
        if ext.get("status")
        else (
            FindingStatus.RESOLVED
            if str(row.get("status")).lower() == "closed"
            else FindingStatus.OPEN
        )
    )
    first, last, resolved = _lifecycle(row, status)
    info = row.get("alertInfo") or {}
    alert_id = str(row.get("alertId") or "")
    if not alert_id:
        raise ValueError("a Lacework alert needs alertId")
    return Finding(
        source=Source.LACEWORK,
        source_id=alert_id,
        resource_id=ext.get("resourceId") or f"lacework:{row.get('alertType') or 'account'}",
        category=known.category if known else _alert_category(row),
        type=known.type if known else slug(str(row.get("alertType") or row.get("alertName"))),
        title=info.get("subject") or row.get("alertName") or f"Lacework alert {alert_id}",
        description=info.get("description") or None,
        severity=_severity(row.get("severity")),
        status=status,
        first_seen=first,
        last_seen=last,
        resolved_at=resolved,
        console_url=f"{console_url.rstrip('/')}/ui/investigation/monitor/AlertInbox/"
        f"{alert_id}/details",
    )


def inventory_to_models(row: dict[str, Any]) -> list[Resource | Permission | Edge]:
    """One Inventory/search row as a resource.

    Raises:
        ValueError: no resource document (a real ``resourceConfig`` is cloud-native JSON).
    """
    document = ext_of(row).get("resource")
    if not isinstance(document, dict):
        raise ValueError(f"no resource document for Lacework {row.get('resourceType')}")
    return decode(document, Source.LACEWORK)

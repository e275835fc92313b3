"""Orca Security alerts and assets to models.

API alerts (``GET /api/query/alerts``) are nested: ``state`` holds the alert's id,
status, times and risk level, the top level its type, category and asset, as in the
responses Cortex XSOAR's Orca collector parses (demisto/content
Packs/Orca/Integrations/OrcaEventCollector/test_data/get_alerts_test.json). A
vulnerability alert lists its CVEs under ``findings.cve``. The flat export
(shared/realdata/cnapp-exports/orca/orca_alerts_many.json: Title, Status, OrcaScore, ...)
has no ids; its rows get a natural key.
"""

from __future__ import annotations

from typing import Any

from connectors.common import ext_of, parse_time, severity_from_score, slug
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
    "CATEGORIES",
    "RISK_LEVELS",
    "STATUSES",
    "alert_to_finding",
    "asset_to_models",
    "export_row_to_finding",
]

RISK_LEVELS: dict[str, Severity] = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
    "informational": Severity.INFO,
    "info": Severity.INFO,
}
STATUSES: dict[str, FindingStatus] = {
    "open": FindingStatus.OPEN,
    "in_progress": FindingStatus.OPEN,
    "closed": FindingStatus.RESOLVED,
    "resolved": FindingStatus.RESOLVED,
    "dismissed": FindingStatus.SUPPRESSED,
    "snoozed": FindingStatus.SUPPRESSED,
}
# Orca alert categories (as the console lists them) -> ours; others are misconfigurations
CATEGORIES: dict[str, FindingCategory] = {
    "vulnerabilities": FindingCategory.VULNERABILITY,
    "iam misconfigurations": FindingCategory.PERMISSIONS,
    "authentication": FindingCategory.PERMISSIONS,
    "malicious activity": FindingCategory.RUNTIME_THREAT,
    "suspicious activity": FindingCategory.RUNTIME_THREAT,
    "malware": FindingCategory.RUNTIME_THREAT,
}


def _category(name: str | None, title: str) -> FindingCategory:
    """The category of an alert without a CVE; a secret is named in its title."""
    category = CATEGORIES.get(str(name or "").lower(), FindingCategory.MISCONFIGURATION)
    if "secret" in title.lower():
        return FindingCategory.SECRET
    if category is FindingCategory.VULNERABILITY:
        return FindingCategory.MISCONFIGURATION
    return category


def _vulnerability(alert: dict[str, Any]) -> Vulnerability | None:
    cves = (alert.get("findings") or {}).get("cve") or []
    if not cves:
        return None
    cve = cves[0]
    return Vulnerability(
        cve_id=cve.get("cve_id"),
        package=cve.get("package_name"),
        package_type=cve.get("package_type"),
        installed_version=cve.get("package_version"),
        fixed_version=cve.get("fixed_version") or None,
        cvss_score=cve.get("cvss3_score"),
        cvss_vector=cve.get("cvss3_vector"),
        epss=cve.get("epss_score"),
        in_kev=bool(cve.get("is_kev")),
        exploit_available=bool(cve.get("has_exploit")),
    )


def _lifecycle(state: dict[str, Any], status: FindingStatus, ext: dict[str, Any]) -> Any:
    first = parse_time(state.get("created_at"))
    if first is None:
        raise ValueError("an Orca alert needs state.created_at")
    last = max(parse_time(state.get("last_seen")) or first, first)
    resolved = None
    if status is FindingStatus.RESOLVED:
        when = parse_time(ext.get("resolvedAt")) or parse_time(state.get("status_time"))
        resolved = max(when or last, first)
    return first, last, resolved


def _classify(alert: dict[str, Any], vuln: Vulnerability | None) -> tuple[FindingCategory, str]:
    if vuln is not None:
        return FindingCategory.VULNERABILITY, "vulnerable_package"
    known = rule_by_vendor_id(alert.get("type"))
    if known is not None:
        return known.category, known.type
    type_ = slug(str(alert.get("type") or alert.get("type_string") or "orca_alert"))
    return _category(alert.get("category"), type_), type_


def alert_to_finding(
    alert: dict[str, Any], *, app_url: str = "https://app.orcasecurity.io"
) -> Finding:
    """One ``/api/query/alerts`` item as a finding.

    Raises:
        ValueError: no alert id, creation time or asset.
    """
    state, ext, data = alert.get("state") or {}, ext_of(alert), alert.get("data") or {}
    vuln = _vulnerability(alert)
    category, type_ = _classify(alert, vuln)
    status = STATUSES.get(str(state.get("status") or "open").lower(), FindingStatus.OPEN)
    first, last, resolved = _lifecycle(state, status, ext)
    alert_id = state.get("alert_id")
    resource_id = alert.get("cloud_vendor_id") or alert.get("asset_unique_id")
    if not alert_id or not resource_id:
        raise ValueError("an Orca alert needs state.alert_id and an asset")
    title = (
        f"{vuln.cve_id} in {vuln.package} {vuln.installed_version}"
        if vuln
        else data.get("title") or alert.get("type_string") or alert.get("description")
    )
    risk = state.get("risk_level")
    return Finding(
        source=Source.ORCA,
        source_id=alert_id,
        resource_id=resource_id,
        category=category,
        type=type_,
        title=title or f"Orca alert {alert_id}",
        description=data.get("details") or None,
        severity=RISK_LEVELS.get(str(risk).lower()) or severity_from_score(state.get("score")),
        status=status,
        first_seen=first,
        last_seen=last,
        resolved_at=resolved,
        console_url=f"{app_url.rstrip('/')}/alerts/{alert_id}",
        vulnerability=vuln,
    )


def export_row_to_finding(row: dict[str, Any]) -> Finding:
    """One row of Orca's flat alert export (no ids: the key is account, asset, title).

    Raises:
        ValueError: no title, asset or creation time.
    """
    account = (row.get("CloudAccount") or {}).get("Name") or "unknown-account"
    asset = (row.get("Inventory") or {}).get("Name") or row.get("Source")
    title, first = row.get("Title"), parse_time(row.get("CreatedAt"))
    if not title or not asset or first is None:
        raise ValueError("an Orca export row needs Title, Inventory.Name and CreatedAt")
    status = STATUSES.get(str(row.get("Status") or "open").lower(), FindingStatus.OPEN)
    last = max(parse_time(row.get("LastSeen")) or first, first)
    return Finding(
        source=Source.ORCA,
        source_id=f"{account}:{asset}:{slug(title)}",
        resource_id=f"orca://{account}/{asset}",
        category=_category(row.get("Category"), title),
        type=slug(title),
        title=title,
        severity=severity_from_score(row.get("OrcaScore")),
        status=status,
        first_seen=first,
        last_seen=last,
        resolved_at=last if status is FindingStatus.RESOLVED else None,
    )


def asset_to_models(asset: dict[str, Any]) -> list[Resource | Permission | Edge]:
    """One ``/api/query/assets`` item as a resource.

    Raises:
        ValueError: no resource document (Orca's own ``model.data`` is not mapped yet).
    """
    document = ext_of(asset).get("resource")
    if not isinstance(document, dict):
        raise ValueError(f"no resource document for Orca asset {asset.get('asset_type')}")
    return decode(document, Source.ORCA)

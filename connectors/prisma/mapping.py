"""Prisma Cloud CSPM records to models: alerts v2 and RQL config search items.

Alert fields from the Alerts OpenAPI (``AlertModel``, ``PolicyModel``,
``CloudResourceModel``; shared/realdata/cnapp-api/prisma-cloud/openapi/
prisma-cspm-alerts-openapi.json) and the real response alerts-v2-response.json: epoch
millisecond times, ``history`` entries with string ``modifiedOn``, ``policy.policyType``.
A vulnerability alert (``policyType`` ``workload_vulnerability``) carries the CVE in
``metadata`` in Compute's ``vuln.Vulnerability`` shape.
"""

from __future__ import annotations

from typing import Any

from connectors.common import EXT, ext_of, parse_time, slug
from connectors.inventory import decode
from connectors.prisma.compute_mapping import compute_vulnerability
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
    "POLICY_TYPES",
    "SEVERITIES",
    "STATUSES",
    "alert_to_finding",
    "config_item_to_models",
]

SEVERITIES: dict[str, Severity] = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
    "informational": Severity.INFO,
}
# pending_resolution is still open until Prisma Cloud confirms the fix
STATUSES: dict[str, FindingStatus] = {
    "open": FindingStatus.OPEN,
    "pending_resolution": FindingStatus.OPEN,
    "resolved": FindingStatus.RESOLVED,
    "dismissed": FindingStatus.SUPPRESSED,
    "snoozed": FindingStatus.SUPPRESSED,
}
# policy.policyType -> the category of an alert from a policy we do not know
POLICY_TYPES: dict[str, FindingCategory] = {
    "config": FindingCategory.MISCONFIGURATION,
    "network": FindingCategory.MISCONFIGURATION,
    "audit_event": FindingCategory.MISCONFIGURATION,
    "iam": FindingCategory.PERMISSIONS,
    "anomaly": FindingCategory.RUNTIME_THREAT,
    "workload_incident": FindingCategory.RUNTIME_THREAT,
    "data": FindingCategory.SECRET,
    "attack_path": FindingCategory.MISCONFIGURATION,
    "workload_vulnerability": FindingCategory.VULNERABILITY,
}


def _resolved_at(item: dict[str, Any]) -> Any:
    """When the alert was resolved: its history's RESOLVED entry, else its last update."""
    ext = ext_of(item)
    if ext.get("resolvedAt"):
        return parse_time(ext["resolvedAt"])
    for entry in item.get("history") or ():
        if str(entry.get("status", "")).upper() == "RESOLVED":
            return parse_time(entry.get("modifiedOn"))
    return parse_time(item.get("lastUpdated")) or parse_time(item.get("lastSeen"))


def _times(item: dict[str, Any], status: FindingStatus) -> tuple[Any, Any, Any]:
    ext = ext_of(item)
    first = parse_time(ext.get("firstSeen")) or parse_time(item.get("firstSeen"))
    first = first or parse_time(item.get("alertTime"))
    if first is None:
        raise ValueError("a Prisma Cloud alert needs firstSeen")
    last = parse_time(ext.get("lastSeen")) or parse_time(item.get("lastSeen")) or first
    resolved = None
    if status is FindingStatus.RESOLVED:
        resolved = max(_resolved_at(item) or last, first)
    return first, max(last, first), resolved


def _classify(policy: dict[str, Any], vulnerable: bool) -> tuple[FindingCategory, str]:
    if vulnerable:
        return FindingCategory.VULNERABILITY, "vulnerable_package"
    known = rule_by_vendor_id(policy.get("policyId"))
    if known:
        return known.category, known.type
    category = POLICY_TYPES.get(str(policy.get("policyType")), FindingCategory.MISCONFIGURATION)
    if category is FindingCategory.VULNERABILITY:
        category = FindingCategory.MISCONFIGURATION  # a vulnerability policy without a CVE
    return category, slug(str(policy.get("name") or policy.get("policyId") or "prisma_policy"))


def _vulnerability_of(item: dict[str, Any]) -> Vulnerability | None:
    metadata = item.get("metadata")
    if not isinstance(metadata, dict) or not (metadata.get("cve") or metadata.get("id")):
        return None
    return compute_vulnerability({**metadata, EXT: ext_of(item)})


def alert_to_finding(
    item: dict[str, Any], *, app_url: str = "https://app.prismacloud.io"
) -> Finding:
    """One alerts v2 item as a finding.

    Raises:
        ValueError: the alert lacks an id, a first-seen time or a resource.
    """
    policy, ext = item.get("policy") or {}, ext_of(item)
    vuln = _vulnerability_of(item)
    category, type_ = _classify(policy, vuln is not None)
    status = STATUSES[str(item.get("status") or "open")]
    first, last, resolved = _times(item, status)
    resource = item.get("resource") or {}
    resource_id = resource.get("id") or resource.get("rrn")
    if not resource_id or not item.get("id"):
        raise ValueError("a Prisma Cloud alert needs id and resource.id")
    if vuln is not None:
        title = f"{vuln.cve_id} in {vuln.package} {vuln.installed_version}"
        description = item["metadata"].get("description")
    else:
        title = ext.get("title") or policy.get("name") or f"Prisma Cloud alert {item['id']}"
        description = policy.get("description") or None
    return Finding(
        source=Source.PRISMA,
        source_id=item["id"],
        resource_id=resource_id,
        category=category,
        type=type_,
        title=title,
        description=description,
        severity=SEVERITIES[str(policy.get("severity") or "low").lower()],
        status=status,
        first_seen=first,
        last_seen=last,
        resolved_at=resolved,
        console_url=f"{app_url.rstrip('/')}/alerts/overview?alertId={item['id']}",
        vulnerability=vuln,
    )


def config_item_to_models(item: dict[str, Any]) -> list[Resource | Permission | Edge]:
    """One RQL ``config from cloud.resource`` item as a resource.

    Raises:
        ValueError: the item carries no resource document (real tenants: their resource
            JSON is cloud-native and not mapped yet).
    """
    document = ext_of(item).get("resource")
    if not isinstance(document, dict):
        raise ValueError(f"no resource document for Prisma Cloud {item.get('resourceType')}")
    return decode(document, Source.PRISMA)

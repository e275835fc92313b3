"""Wiz GraphQL nodes to models: issuesV2, vulnerabilityFindings and cloudResources.

Field names follow Wiz's GraphQL schema (``Issue``, ``VulnerabilityFinding``,
``CloudResource``) and the real responses in
shared/realdata/cnapp-api/wiz/graphql-{issues,vulnerabilityFindings}-response.json.
Real data is messy in ways the model is not: an ``IN_PROGRESS`` issue may carry a
``resolvedAt``, ``updatedAt`` may precede ``createdAt``. The mappers keep the model's
rules (only resolved findings have ``resolved_at``; ``last_seen >= first_seen``).
"""

from __future__ import annotations

from typing import Any

from connectors.common import ext_of, parse_time, slug
from connectors.inventory import decode
from connectors.rules import rule_by_vendor_id
from core.models import (
    Cloud,
    Edge,
    Finding,
    FindingCategory,
    FindingStatus,
    Permission,
    Resource,
    ResourceKind,
    Severity,
    Source,
    Vulnerability,
)

__all__ = [
    "CLOUD_PLATFORMS",
    "ENTITY_TYPES",
    "LANGUAGES",
    "OS_PACKAGE_MANAGERS",
    "SEVERITIES",
    "STATUSES",
    "issue_to_finding",
    "resource_to_models",
    "vulnerability_to_finding",
]

SEVERITIES: dict[str, Severity] = {
    "CRITICAL": Severity.CRITICAL,
    "HIGH": Severity.HIGH,
    "MEDIUM": Severity.MEDIUM,
    "LOW": Severity.LOW,
    "INFORMATIONAL": Severity.INFO,
    "NONE": Severity.INFO,  # VulnerabilitySeverity's "no severity"
}
# IN_PROGRESS is being worked on, still open
STATUSES: dict[str, FindingStatus] = {
    "OPEN": FindingStatus.OPEN,
    "IN_PROGRESS": FindingStatus.OPEN,
    "RESOLVED": FindingStatus.RESOLVED,
    "REJECTED": FindingStatus.SUPPRESSED,
}
# SBOMArtifactType.osPackageManager / .codeLibraryLanguage -> our package_type
OS_PACKAGE_MANAGERS: dict[str, str] = {"DPKG": "deb", "RPM": "rpm", "APK": "apk"}
LANGUAGES: dict[str, str] = {
    "JAVASCRIPT": "npm",
    "PYTHON": "pypi",
    "JAVA": "maven",
    "GO": "go",
    "CSHARP": "nuget",
    "RUBY": "gem",
    "PHP": "composer",
    "RUST": "cargo",
}
# GraphEntityTypeValue per resource kind
ENTITY_TYPES: dict[ResourceKind, str] = {
    ResourceKind.FUNCTION: "SERVERLESS",
    ResourceKind.IMAGE: "CONTAINER_IMAGE",
    ResourceKind.WORKLOAD: "DEPLOYMENT",
    ResourceKind.CONTAINER: "CONTAINER",
    ResourceKind.ROLE: "ACCESS_ROLE",
    ResourceKind.TRIGGER: "API_GATEWAY",
    ResourceKind.BUCKET: "BUCKET",
}
CLOUD_PLATFORMS: dict[Cloud, str] = {Cloud.AWS: "AWS", Cloud.AZURE: "Azure", Cloud.GCP: "GCP"}
_CLOUDS = {v: k for k, v in CLOUD_PLATFORMS.items()}


def _time(node: dict[str, Any], key: str) -> Any:
    return parse_time(node.get(key))


def _rule_of(node: dict[str, Any]) -> dict[str, Any]:
    rule = node.get("sourceRule")
    if not rule and node.get("sourceRules"):
        rule = node["sourceRules"][0]
    return rule or {}


def _rule_text(rule: dict[str, Any]) -> str | None:
    for key in (
        "controlDescription",
        "cloudConfigurationRuleDescription",
        "cloudEventRuleDescription",
        "description",
    ):
        if rule.get(key):
            return str(rule[key])[:16384]
    return None


def _category(node: dict[str, Any], rule: dict[str, Any]) -> FindingCategory:
    """A category for a rule we do not know, from the issue type and rule metadata."""
    if node.get("type") == "THREAT_DETECTION" or rule.get("__typename") == "CloudEventRule":
        return FindingCategory.RUNTIME_THREAT
    words = " ".join(
        [str(rule.get("name", ""))]
        + [
            str(s.get("title", "")) + " " + str((s.get("category") or {}).get("name", ""))
            for s in rule.get("securitySubCategories") or ()
        ]
    ).lower()
    if "secret" in words:
        return FindingCategory.SECRET
    if any(w in words for w in ("identity", "iam", "permission", "privilege")):
        return FindingCategory.PERMISSIONS
    return FindingCategory.MISCONFIGURATION


def _status_times(
    node: dict[str, Any], status: FindingStatus, first: Any, seen_key: str
) -> tuple[Any, Any]:
    ext = ext_of(node)
    last = parse_time(ext.get("lastSeen")) or _time(node, seen_key) or first
    resolved = None
    if status is FindingStatus.RESOLVED:
        resolved = _time(node, "resolvedAt") or _time(node, "statusChangedAt") or last
        resolved = max(resolved, first)
    return max(last, first), resolved


def issue_to_finding(node: dict[str, Any], *, portal_url: str = "https://app.wiz.io") -> Finding:
    """One ``issuesV2`` node as a finding.

    Raises:
        ValueError: the node lacks an id, a creation time or an entity.
    """
    rule = _rule_of(node)
    known = rule_by_vendor_id(rule.get("id"))
    category = known.category if known else _category(node, rule)
    type_ = known.type if known else slug(str(rule.get("name") or rule.get("id") or "wiz_issue"))
    status = STATUSES[node.get("status") or "OPEN"]
    first = _time(node, "createdAt")
    entity = node.get("entitySnapshot") or {}
    resource_id = entity.get("providerId") or entity.get("externalId") or entity.get("id")
    if first is None or not resource_id or not node.get("id"):
        raise ValueError("a Wiz issue needs id, createdAt and entitySnapshot")
    last, resolved = _status_times(node, status, first, "updatedAt")
    ext = ext_of(node)
    return Finding(
        source=Source.WIZ,
        source_id=node["id"],
        resource_id=resource_id,
        category=category,
        type=type_,
        title=ext.get("title") or rule.get("name") or f"Wiz issue {node['id']}",
        description=_rule_text(rule),
        severity=SEVERITIES[node.get("severity") or "LOW"],
        status=status,
        first_seen=first,
        last_seen=last,
        resolved_at=resolved,
        console_url=f"{portal_url.rstrip('/')}/issues#~(issue~'{node['id']})",
    )


def _package_type(node: dict[str, Any]) -> str | None:
    artifact = node.get("artifactType") or {}
    manager = str(artifact.get("osPackageManager") or "")
    if manager:
        return OS_PACKAGE_MANAGERS.get(manager, manager.lower())
    language = str(artifact.get("codeLibraryLanguage") or node.get("codeLibraryLanguage") or "")
    return LANGUAGES.get(language, language.lower()) if language else None


def _vulnerability(node: dict[str, Any]) -> Vulnerability:
    return Vulnerability(
        cve_id=node.get("name") or node.get("vulnerabilityExternalId"),
        package=node.get("detailedName"),
        package_type=_package_type(node),
        installed_version=node.get("version"),
        fixed_version=node.get("fixedVersion") or None,
        cvss_score=node.get("score"),
        cvss_vector=(node.get("cvssv3") or {}).get("vectorString"),
        epss=node.get("epssProbability"),
        in_kev=bool(node.get("hasCisaKevExploit")),
        exploit_available=bool(node.get("hasExploit")),
    )


def vulnerability_to_finding(node: dict[str, Any]) -> Finding:
    """One ``vulnerabilityFindings`` node as a vulnerability finding.

    Raises:
        ValueError: no CVE id, package, version, asset or detection time.
    """
    vuln = _vulnerability(node)
    asset = node.get("vulnerableAsset") or {}
    resource_id = asset.get("providerUniqueId") or asset.get("id")
    first = _time(node, "firstDetectedAt")
    if first is None or not resource_id:
        raise ValueError("a Wiz vulnerability finding needs firstDetectedAt and an asset")
    status = STATUSES[node.get("status") or "OPEN"]
    last, resolved = _status_times(node, status, first, "lastDetectedAt")
    severity = node.get("severity") or node.get("vendorSeverity") or node.get("CVSSSeverity")
    return Finding(
        source=Source.WIZ,
        source_id=node["id"],
        resource_id=resource_id,
        category=FindingCategory.VULNERABILITY,
        type="vulnerable_package",
        title=f"{vuln.cve_id} in {vuln.package} {vuln.installed_version}",
        description=node.get("CVEDescription"),
        severity=SEVERITIES[severity or "NONE"],
        status=status,
        first_seen=first,
        last_seen=last,
        resolved_at=resolved,
        console_url=node.get("portalUrl"),
        vulnerability=vuln,
    )


def resource_to_models(node: dict[str, Any]) -> list[Resource | Permission | Edge]:
    """One ``cloudResources`` node as a resource (with its relations and grants).

    Without the simulator's document only buckets and roles say enough to be a
    resource; other kinds raise ``ValueError`` and are counted as skipped.
    """
    document = ext_of(node).get("resource")
    if isinstance(document, dict):
        return decode(document, Source.WIZ)
    kind = {"BUCKET": ResourceKind.BUCKET, "ACCESS_ROLE": ResourceKind.ROLE}.get(
        node.get("type") or ""
    )
    cloud = _CLOUDS.get(node.get("cloudPlatform") or "")
    if kind is None or cloud is None:
        raise ValueError(f"not enough to describe a Wiz {node.get('type')} resource")
    details: dict[str, Any] = {"bucket": {}} if kind is ResourceKind.BUCKET else {"role": {}}
    return [
        Resource(
            resource_id=node.get("providerId") or node["id"],
            kind=kind,
            cloud=cloud,
            account=(node.get("cloudAccount") or {}).get("externalId")
            or node.get("subscriptionExternalId"),
            region=node.get("region"),
            name=node.get("name") or node["id"],
            tags=_tags(node.get("tags")),
            sources=(Source.WIZ,),
            **details,
        )
    ]


def _tags(tags: Any) -> dict[str, str]:
    if isinstance(tags, list):
        return {str(t["key"]): str(t.get("value") or "") for t in tags if "key" in t}
    return {str(k): str(v) for k, v in (tags or {}).items()}

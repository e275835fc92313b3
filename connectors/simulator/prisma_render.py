"""Prisma Cloud shapes the simulator serves: alerts v2 items and Compute scan entries.

Alert fields follow the Alerts OpenAPI (``AlertModel``); the CVE of a vulnerability
alert rides in ``metadata`` in Compute's ``vuln.Vulnerability`` shape; Compute entries
follow ``shared.ImageScanResult`` and ``serverless.FunctionInfo`` (Compute OpenAPI 34.04).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from connectors.common import EXT, epoch_ms, iso
from connectors.prisma.compute_mapping import PACKAGE_TYPES
from connectors.rules import rule_for
from connectors.simulator.http import fingerprint
from core.models import Finding, FindingCategory, Resource

__all__ = ["config_item", "render_alert", "render_function", "render_image"]

_STATUS = {"open": "open", "resolved": "resolved", "suppressed": "dismissed"}
_SEVERITY = {
    "critical": "critical",
    "high": "high",
    "medium": "medium",
    "low": "low",
    "info": "informational",
}
_POLICY_TYPE = {
    FindingCategory.MISCONFIGURATION: "config",
    FindingCategory.PERMISSIONS: "iam",
    FindingCategory.SECRET: "data",
    FindingCategory.RUNTIME_THREAT: "workload_incident",
    FindingCategory.COLD_START: "config",
    FindingCategory.VULNERABILITY: "workload_vulnerability",
}
_COMPUTE_TYPE = {v: k for k, v in PACKAGE_TYPES.items()}
_DISTRO = {
    "deb": "Debian GNU/Linux 12 (bookworm)",
    "apk": "Alpine Linux v3.19",
    "rpm": "Red Hat Enterprise Linux 9",
}


def _resource_block(resource_id: str, r: Resource | None) -> dict[str, Any]:
    if r is None:
        return {"id": resource_id}
    return {
        "id": resource_id,
        "rrn": f"rrn:{r.cloud.value}:{r.kind.value}:{r.region or ''}:"
        f"{r.account or ''}:{fingerprint(resource_id)}",
        "name": r.name,
        "account": r.account,
        "accountId": r.account,
        "region": r.region,
        "regionId": r.region,
        "resourceType": r.kind.value.upper(),
        "cloudType": r.cloud.value,
    }


def _metadata(f: Finding) -> dict[str, Any] | None:
    v = f.vulnerability
    if v is None:
        return None
    kind = v.package_type or ""
    exploit = "cisa-kev" if v.in_kev else "exploit-db" if v.exploit_available else ""
    return {
        "cve": v.cve_id,
        "packageName": v.package,
        "packageVersion": v.installed_version,
        "packageType": _COMPUTE_TYPE.get(kind, "package" if kind in _DISTRO else "app"),
        "distro": _DISTRO.get(kind),
        "cvss": v.cvss_score,
        "vecStr": v.cvss_vector,
        "status": f"fixed in {v.fixed_version}" if v.fixed_version else "open",
        "exploit": exploit,
        "severity": _SEVERITY[f.severity.value],
        "description": f.description,
        "link": f"https://nvd.nist.gov/vuln/detail/{v.cve_id}",
    }


def render_alert(f: Finding, r: Resource | None, modified: datetime) -> dict[str, Any]:
    """An alerts v2 item: epoch-ms times natively, exact times and the title alongside."""
    rule = rule_for(f.category, f.type)
    history = (
        []
        if f.resolved_at is None
        else [
            {
                "modifiedOn": str(epoch_ms(f.resolved_at)),
                "modifiedBy": "System",
                "reason": "RESOURCE_UPDATED",
                "status": "RESOLVED",
            }
        ]
    )
    return {
        "id": f.source_id,
        "status": _STATUS[f.status.value],
        "reason": "USER_DISMISSED" if f.status.value == "suppressed" else "NEW_ALERT",
        "firstSeen": epoch_ms(f.first_seen),
        "lastSeen": epoch_ms(f.last_seen),
        "alertTime": epoch_ms(f.first_seen),
        "lastUpdated": epoch_ms(modified),
        "history": history,
        "policyId": rule.prisma,
        "policy": {
            "policyId": rule.prisma,
            "name": rule.name,
            "policyType": _POLICY_TYPE[f.category],
            "systemDefault": True,
            "description": None if f.vulnerability else f.description,
            "severity": _SEVERITY[f.severity.value],
            "labels": [],
            "remediable": False,
        },
        "resource": _resource_block(f.resource_id, r),
        "metadata": _metadata(f),
        EXT: {
            "title": f.title,
            "firstSeen": iso(f.first_seen),
            "lastSeen": iso(f.last_seen),
            "resolvedAt": iso(f.resolved_at) if f.resolved_at else None,
            "epss": f.vulnerability.epss if f.vulnerability else None,
        },
    }


def render_image(r: Resource, document: dict[str, Any]) -> dict[str, Any]:
    """A Compute ``/images`` entry (``shared.ImageScanResult``)."""
    image = r.image
    assert image is not None
    return {
        "_id": image.digest or r.resource_id,
        "id": image.digest or "",
        "repoTag": {"registry": image.registry, "repo": image.repository, "tag": image.tag},
        "distro": image.os,
        "type": "image",
        "collections": ["All"],
        "creationTime": iso(image.created_at) if image.created_at else None,
        "firstScanTime": iso(r.first_seen) if r.first_seen else None,
        "scanTime": iso(r.last_seen) if r.last_seen else None,
        "cloudMetadata": {"accountID": r.account, "region": r.region, "provider": r.cloud.value},
        EXT: {"resource": document},
    }


def render_function(r: Resource, document: dict[str, Any]) -> dict[str, Any]:
    """A Compute ``/serverless`` entry (``serverless.FunctionInfo``)."""
    fn = r.function
    assert fn is not None
    return {
        "_id": r.resource_id,
        "name": r.name,
        "provider": r.cloud.value,
        "region": r.region,
        "accountID": r.account,
        "runtime": fn.runtime,
        "memory": fn.memory_mb,
        "timeout": fn.timeout_s,
        "role": fn.role_id,
        "invocations": fn.invocations_30d,
        "envvars": [{"name": n} for n in fn.env_var_names],
        "cloudMetadata": {"resourceID": r.resource_id, "provider": r.cloud.value},
        "firstScanTime": iso(r.first_seen) if r.first_seen else None,
        "scanTime": iso(r.last_seen) if r.last_seen else None,
        EXT: {"resource": document},
    }


def config_item(r: Resource, document: dict[str, Any]) -> dict[str, Any]:
    block = _resource_block(r.resource_id, r)
    return {
        **block,
        "service": r.kind.value,
        "deleted": False,
        "insertTs": epoch_ms(r.first_seen) if r.first_seen else None,
        "data": {},
        EXT: {"resource": document},
    }

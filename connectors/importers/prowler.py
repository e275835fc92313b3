"""Prowler OCSF JSON (``prowler --output-formats json-ocsf``): Detection Findings, class 2004.

One finding per entry. ``FAIL`` is open (``Suppressed`` when muted); ``PASS`` resolves a
finding the store already holds and is otherwise left out (nothing to resolve);
``MANUAL`` has no verdict and is left out. The finding's resource is its ARN (``uid``),
so it lands on the resource a CNAPP described; IAM roles are created when missing.
The example outputs Prowler ships have placeholder uids (``<finding_uid>``); those get
Prowler's own id shape from check, region and resource instead.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from connectors.common import parse_time, slug
from connectors.importers.common import Mapped, arn_parts, severity_of
from core.models import (
    Cloud,
    Finding,
    FindingCategory,
    FindingStatus,
    Resource,
    ResourceKind,
    RoleDetails,
    Source,
)

__all__ = ["finding_uid", "map_prowler_ocsf"]


def _placeholder(value: object) -> bool:
    text = str(value or "")
    return not text or (text.startswith("<") and text.endswith(">"))


def finding_uid(entry: dict[str, Any]) -> str:
    """The finding's uid, or Prowler's id shape when the file holds a placeholder."""
    uid = (entry.get("finding_info") or {}).get("uid")
    if not _placeholder(uid):
        return str(uid)
    res = (entry.get("resources") or [{}])[0]
    provider = (entry.get("cloud") or {}).get("provider") or "kubernetes"
    check = (entry.get("metadata") or {}).get("event_code") or "unknown"
    return f"prowler-{provider}-{check}-{res.get('region') or 'global'}-{res.get('uid')}"


def _category(check: str, types: list[str]) -> FindingCategory:
    if "secret" in check:
        return FindingCategory.SECRET
    if check.startswith("iam_") or "IAM" in types:
        return FindingCategory.PERMISSIONS
    return FindingCategory.MISCONFIGURATION


def _status(entry: dict[str, Any]) -> FindingStatus | None:
    code = str(entry.get("status_code") or "").upper()
    if code == "FAIL":
        muted = str(entry.get("status") or "").lower() == "suppressed"
        return FindingStatus.SUPPRESSED if muted else FindingStatus.OPEN
    if code == "PASS":
        return FindingStatus.RESOLVED
    return None


def _role(arn: str, seen: datetime) -> Resource | None:
    parts = arn_parts(arn)
    if not parts or parts[0] != "iam" or not parts[3].startswith("role/"):
        return None
    return Resource(
        resource_id=arn,
        kind=ResourceKind.ROLE,
        cloud=Cloud.AWS,
        account=parts[2],
        name=parts[3].rsplit("/", 1)[-1],
        sources=(Source.PROWLER,),
        first_seen=seen,
        last_seen=seen,
        role=RoleDetails(),
    )


def _finding(entry: dict[str, Any], status: FindingStatus, seen: datetime) -> Finding:
    info = entry.get("finding_info") or {}
    res = (entry.get("resources") or [{}])[0]
    check = (entry.get("metadata") or {}).get("event_code") or "unknown"
    return Finding(
        source=Source.PROWLER,
        source_id=finding_uid(entry),
        resource_id=str(res.get("uid") or res.get("name") or "unknown"),
        category=_category(check, list(info.get("types") or [])),
        type=slug(check),
        title=(info.get("title") or check)[:1024],
        description=(entry.get("status_detail") or entry.get("message") or "")[:16384] or None,
        severity=severity_of(entry.get("severity")),
        status=status,
        first_seen=seen,
        last_seen=seen,
        resolved_at=seen if status is FindingStatus.RESOLVED else None,
        console_url=(entry.get("unmapped") or {}).get("related_url") or None,
    )


def map_prowler_ocsf(
    doc: list[dict[str, Any]], *, observed_at: datetime, default_cloud: Cloud
) -> Mapped:
    """Every Detection Finding of an OCSF file (``default_cloud`` is unused: ARNs say it)."""
    out = Mapped()
    for entry in doc:
        status = _status(entry)
        if status is None:
            out.skipped[
                f"{entry.get('status_code') or 'no'} status: the check gave no verdict"
            ] += 1
            continue
        seen = (
            parse_time(entry.get("time_dt"))
            or parse_time((entry.get("finding_info") or {}).get("created_time_dt"))
            or parse_time(entry.get("event_time"))
            or observed_at
        )
        finding = _finding(entry, status, seen)
        out.findings.append(finding)
        role = _role(finding.resource_id, seen)
        if role is not None and status is not FindingStatus.RESOLVED:
            out.resources.append(role)
    return out

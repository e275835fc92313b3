"""The simulated Orca Security API: ``Authorization: Token <api token>``.

``GET /orca/api/query/alerts`` and ``GET /orca/api/query/assets`` take ``limit``,
``next_page_token`` and a ``dsl_filter`` (a JSON document whose ``range`` filter on
``state.last_updated`` / ``state.last_seen`` asks for changes since a time) and answer
``{"status": "success", "data": [...], "next_page_token", "has_next_page_token"}``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from connectors.common import EXT, iso, parse_time
from connectors.inventory import encode
from connectors.rules import rule_for
from connectors.simulator.http import (
    BadRequest,
    Request,
    Response,
    fingerprint,
    page_of,
    read_token,
    write_token,
)
from connectors.simulator.server import SimServer
from core.models import Finding, FindingCategory, Resource, Source

__all__ = ["OrcaApi", "render_alert", "render_asset"]

_STATUS = {"open": "open", "resolved": "closed", "suppressed": "dismissed"}
_CATEGORY = {
    FindingCategory.VULNERABILITY: "Vulnerabilities",
    FindingCategory.PERMISSIONS: "IAM misconfigurations",
    FindingCategory.RUNTIME_THREAT: "Malicious activity",
    FindingCategory.SECRET: "Data at risk",
    FindingCategory.MISCONFIGURATION: "Workload misconfigurations",
    FindingCategory.COLD_START: "Best practices",
}
_ORCA_SEVERITY = {
    "critical": "imminent compromise",
    "high": "hazardous",
    "medium": "hazardous",
    "low": "informational",
    "info": "informational",
}
MAX_LIMIT = 1000


def _cves(f: Finding) -> dict[str, Any] | None:
    v = f.vulnerability
    if v is None:
        return None
    return {
        "cve": [
            {
                "cve_id": v.cve_id,
                "package_name": v.package,
                "package_version": v.installed_version,
                "package_type": v.package_type,
                "fixed_version": v.fixed_version,
                "cvss3_score": v.cvss_score,
                "cvss3_vector": v.cvss_vector,
                "epss_score": v.epss,
                "is_kev": v.in_kev,
                "has_exploit": v.exploit_available,
            }
        ]
    }


def render_alert(f: Finding, r: Resource | None, modified: datetime) -> dict[str, Any]:
    """An alert: ``state`` carries id, status and every time natively."""
    rule = rule_for(f.category, f.type)
    risk = "informational" if f.severity.value == "info" else f.severity.value
    return {
        "state": {
            "alert_id": f.source_id,
            "status": _STATUS[f.status.value],
            "severity": _ORCA_SEVERITY[f.severity.value],
            "risk_level": risk,
            "created_at": iso(f.first_seen),
            "last_seen": iso(f.last_seen),
            "last_updated": iso(modified),
            "status_time": iso(f.resolved_at or f.first_seen),
        },
        "type": rule.orca,
        "type_string": rule.name,
        "category": _CATEGORY[f.category],
        "description": rule.name,
        "data": {"title": f.title, "details": f.description},
        "asset_unique_id": f"{(r.kind.value if r else 'asset')}_{fingerprint(f.resource_id)}",
        "asset_name": r.name if r else f.resource_id,
        "asset_type": r.kind.value if r else None,
        "cloud_account_id": r.account if r else None,
        "cloud_provider": r.cloud.value if r else None,
        "cloud_vendor_id": f.resource_id,
        "findings": _cves(f),
    }


def render_asset(r: Resource, document: dict[str, Any]) -> dict[str, Any]:
    """An asset; the full description rides in ``_posture.resource``."""
    return {
        "asset_unique_id": f"{r.kind.value}_{fingerprint(r.resource_id)}",
        "asset_name": r.name,
        "asset_type": r.kind.value,
        "cloud_provider": r.cloud.value,
        "cloud_account_id": r.account,
        "cloud_vendor_id": r.resource_id,
        "state": {
            "created_at": iso(r.first_seen) if r.first_seen else None,
            "last_seen": iso(r.last_seen) if r.last_seen else None,
        },
        "tags": dict(r.tags),
        EXT: {"resource": document},
    }


def _since(dsl: str | None) -> datetime | None:
    if not dsl:
        return None
    try:
        filters = json.loads(dsl).get("filter") or []
    except (ValueError, AttributeError) as exc:
        raise BadRequest("dsl_filter is not valid JSON") from exc
    for item in filters:
        if item.get("field") in ("state.last_updated", "state.last_seen"):
            return parse_time((item.get("range") or {}).get("gt"))
    return None


class OrcaApi:
    name = "orca"

    def __init__(self, sim: SimServer) -> None:
        self.sim = sim

    def is_auth(self, req: Request) -> bool:
        return False  # a static API token: there is no token endpoint

    def token(self, req: Request) -> str | None:
        return None  # the API token does not expire

    def unauthorized(self) -> Response:
        return Response(401, {"status": "failure", "error": "Unauthorized"})

    def handle(self, req: Request) -> Response:
        if req.credential(scheme="Token") != self.sim.credentials.orca_api_token:
            return self.unauthorized()
        if req.method == "GET" and req.path in ("/api/query/alerts", "/api/query/assets"):
            return self._page(req, alerts=req.path.endswith("alerts"))
        return Response(404, {"status": "failure", "error": "not found"})

    def _page(self, req: Request, *, alerts: bool) -> Response:
        limit = int(req.query.get("limit") or 100)
        if not 1 <= limit <= MAX_LIMIT:
            raise BadRequest(f"limit must be between 1 and {MAX_LIMIT}")
        since = _since(req.query.get("dsl_filter"))
        query = fingerprint("orca", alerts, since)
        offset = read_token(req.query.get("next_page_token"), query)
        state = self.sim.state
        with state.lock:
            coll: Any = state.findings_of(Source.ORCA) if alerts else state.resources[Source.ORCA]
            rows = coll.since(since)
            chunk, following = page_of(rows, offset, limit)
            if alerts:
                data = [
                    render_alert(f, state.estate_resources.get(f.resource_id), m)
                    for m, _, f in chunk
                ]
            else:
                data = [
                    render_asset(
                        r,
                        encode(
                            r,
                            state.edges_from.get(r.resource_id, ()),
                            state.grants_of.get(r.resource_id, ()),
                        ),
                    )
                    for _, _, r in chunk
                ]
        token = write_token(following, query) if following is not None else ""
        return Response(
            200,
            {
                "version": "0.1.0",
                "status": "success",
                "total_items": len(rows),
                "data": data,
                "next_page_token": token,
                "has_next_page_token": bool(token),
            },
        )

"""The simulated Lacework (FortiCNAPP) API v2.

``POST /lacework/api/v2/access/tokens`` with ``X-LW-UAKS: <secret>`` and body
``{"keyId", "expiryTime"}`` returns ``{"token", "expiresAt"}``. The searches
(``Vulnerabilities/Containers/search``, ``Alerts/search``, ``Inventory/search``) take a
``timeFilter`` and answer a fixed number of rows a page, with ``paging.urls.nextPage``
as a GET URL for the next one. A next-page URL carries its whole query, so it works
after a restart too.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta
from typing import Any

from connectors.common import EXT, iso, parse_time
from connectors.inventory import encode
from connectors.rules import rule_for
from connectors.simulator.http import BadRequest, Request, Response, page_of
from connectors.simulator.server import SimServer
from core.models import Cloud, Finding, Resource, Source

__all__ = ["LaceworkApi", "render_alert", "render_inventory", "render_vulnerability"]

_NAMESPACE = {
    "deb": "debian:12",
    "apk": "alpine:3.19",
    "rpm": "rhel:9",
    "npm": "npm",
    "pypi": "pypi",
    "maven": "maven",
    "go": "go",
    "nuget": "nuget",
    "gem": "gem",
}
_VULN_STATUS = {"open": "VULNERABLE", "suppressed": "EXCEPTION", "resolved": "FIXED"}
_CSP = {Cloud.AWS: "AWS", Cloud.AZURE: "Azure", Cloud.GCP: "GCP"}
_SEARCHES = {
    "/api/v2/Vulnerabilities/Containers/search": "VulnerabilitiesContainersV2",
    "/api/v2/Alerts/search": "AlertsV2",
    "/api/v2/Inventory/search": "InventoryV2",
}


def _severity(f: Finding) -> str:
    return f.severity.value.capitalize()


def render_vulnerability(f: Finding, r: Resource | None) -> dict[str, Any]:
    """A Vulnerabilities/Containers row; estate ids and exact times ride alongside."""
    v = f.vulnerability
    assert v is not None
    image = r.image if r is not None else None
    return {
        "vulnId": v.cve_id,
        "featureKey": {
            "name": v.package,
            "namespace": _NAMESPACE.get(v.package_type or "", ""),
            "version": v.installed_version,
        },
        "fixInfo": {"fix_available": int(v.fix_available), "fixed_version": v.fixed_version or ""},
        "severity": _severity(f),
        "status": _VULN_STATUS[f.status.value],
        "startTime": iso(f.first_seen),
        "endTime": iso(f.last_seen),
        "imageId": image.digest if image and image.digest else f.resource_id,
        "evalCtx": {
            "image_info": {
                "registry": image.registry,
                "repo": image.repository,
                "digest": image.digest,
                "tags": [image.tag],
            }
        }
        if image
        else {},
        "cveProps": {
            "description": f.description,
            "link": f"https://nvd.nist.gov/vuln/detail/{v.cve_id}",
            "metadata": {"NVD": {"CVSSv3": {"Score": v.cvss_score, "Vectors": v.cvss_vector}}},
        },
        EXT: {
            "sourceId": f.source_id,
            "resourceId": f.resource_id,
            "lastSeen": iso(f.last_seen),
            "resolvedAt": iso(f.resolved_at) if f.resolved_at else None,
            "epss": v.epss,
            "inKev": v.in_kev,
            "exploit": v.exploit_available,
        },
    }


def render_alert(f: Finding) -> dict[str, Any]:
    """An Alerts row; the resource and exact lifecycle ride alongside."""
    rule = rule_for(f.category, f.type)
    return {
        "alertId": int(f.source_id),
        "startTime": iso(f.first_seen),
        "endTime": iso(f.last_seen),
        "alertType": rule.type,
        "alertName": rule.name,
        "severity": _severity(f),
        "status": "Closed" if f.status.value == "resolved" else "Open",
        "alertInfo": {"subject": f.title, "description": f.description},
        "policyId": rule.lacework,
        "reachability": "UnknownReachability",
        "derivedFields": {
            "category": "Policy",
            "sub_category": f.category.value,
            "source": "Agentless",
        },
        "lastUserUpdatedTime": "0",
        EXT: {
            "resourceId": f.resource_id,
            "lastSeen": iso(f.last_seen),
            "resolvedAt": iso(f.resolved_at) if f.resolved_at else None,
            "status": f.status.value,
        },
    }


def render_inventory(r: Resource, document: dict[str, Any]) -> dict[str, Any]:
    """An Inventory/search row."""
    return {
        "csp": _CSP[r.cloud],
        "resourceId": r.resource_id,
        "resourceType": r.kind.value,
        "resourceRegion": r.region,
        "cloudDetails": {"accountID": r.account},
        "resourceTags": dict(r.tags),
        "resourceConfig": {},
        "startTime": iso(r.first_seen) if r.first_seen else None,
        "endTime": iso(r.last_seen) if r.last_seen else None,
        EXT: {"resource": document},
    }


def _token(spec: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(spec).encode()).decode().rstrip("=")


def _spec(token: str) -> dict[str, Any]:
    try:
        spec = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        assert isinstance(spec, dict)
        return spec
    except (ValueError, AssertionError) as exc:
        raise BadRequest("invalid next page") from exc


class LaceworkApi:
    name = "lacework"

    def __init__(self, sim: SimServer, *, rows_per_page: int = 5000) -> None:
        self.sim = sim
        self.rows_per_page = rows_per_page

    def is_auth(self, req: Request) -> bool:
        return req.path == "/api/v2/access/tokens"

    def token(self, req: Request) -> str | None:
        return req.credential()

    def unauthorized(self) -> Response:
        return Response(401, {"message": "Unauthorized: token expired or invalid"})

    def handle(self, req: Request) -> Response:
        if req.method == "POST" and self.is_auth(req):
            return self._access_token(req)
        if not self.sim.tokens.valid(self.token(req)):
            return self.unauthorized()
        if req.method == "POST" and req.path in _SEARCHES:
            spec = self._search_spec(_SEARCHES[req.path], req.json() or {})
            return self._page(spec)
        if req.method == "GET" and req.path.startswith("/api/v2/pages/"):
            return self._page(_spec(req.path.rsplit("/", 1)[-1]))
        return Response(404, {"message": "not found"})

    def _access_token(self, req: Request) -> Response:
        body, creds = req.json() or {}, self.sim.credentials
        if (body.get("keyId"), req.headers.get("x-lw-uaks")) != (
            creds.lacework_key_id,
            creds.lacework_secret,
        ):
            return Response(401, {"message": "Unauthorized"})
        ttl = int(body.get("expiryTime") or 3600)
        token = self.sim.tokens.issue("lacework", ttl)
        expires = datetime.now().astimezone() + timedelta(seconds=ttl)
        return Response(201, {"token": token, "expiresAt": iso(expires)})

    def _search_spec(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        window = body.get("timeFilter") or {}
        if not window.get("startTime") or not window.get("endTime"):
            raise BadRequest("timeFilter.startTime and timeFilter.endTime are required")
        if kind == "InventoryV2" and body.get("csp") not in _CSP.values():
            raise BadRequest("csp must be one of AWS, Azure, GCP")
        return {
            "k": kind,
            "s": window["startTime"],
            "e": window["endTime"],
            "c": body.get("csp"),
            "o": 0,
        }

    def _rows(self, spec: dict[str, Any]) -> list[Any]:
        start, end = parse_time(spec["s"]), parse_time(spec["e"])
        state = self.sim.state
        if spec["k"] == "InventoryV2":
            coll: Any = state.resources[Source.LACEWORK]
        else:
            coll = state.findings_of(
                Source.LACEWORK, "vulns" if spec["k"] != "AlertsV2" else "others"
            )
        rows = [row for row in coll.since(start) if end is None or row[0] <= end]
        if spec["k"] == "InventoryV2":
            rows = [row for row in rows if _CSP[row[2].cloud] == spec["c"]]
        return rows

    def _page(self, spec: dict[str, Any]) -> Response:
        state = self.sim.state
        with state.lock:
            rows = self._rows(spec)
            chunk, following = page_of(rows, int(spec["o"]), self.rows_per_page)
            data = [self._render(spec["k"], model) for _, _, model in chunk]
        next_url = None
        if following is not None:
            next_url = (
                f"{self.sim.base_url}/lacework/api/v2/pages/{_token({**spec, 'o': following})}"
            )
        return Response(
            200,
            {
                "paging": {
                    "rows": len(data),
                    "totalRows": len(rows),
                    "urls": {"nextPage": next_url},
                },
                "data": data,
            },
        )

    def _render(self, kind: str, model: Any) -> dict[str, Any]:
        state = self.sim.state
        if kind == "InventoryV2":
            return render_inventory(
                model,
                encode(
                    model,
                    state.edges_from.get(model.resource_id, ()),
                    state.grants_of.get(model.resource_id, ()),
                ),
            )
        if kind == "AlertsV2":
            return render_alert(model)
        return render_vulnerability(model, state.estate_resources.get(model.resource_id))

"""The simulated Wiz: OAuth2 client credentials and a GraphQL endpoint.

``POST /wiz/oauth/token`` (form-encoded, ``grant_type=client_credentials``, audience
``wiz-api``) returns a bearer token; ``POST /wiz/graphql`` answers the ``issuesV2``,
``vulnerabilityFindings`` and ``cloudResources`` queries with ``first``/``after``
cursor paging (at most 500 nodes a page) and ``filterBy.updatedAt.after``.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

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
from connectors.wiz.mapping import (
    CLOUD_PLATFORMS,
    ENTITY_TYPES,
    LANGUAGES,
    OS_PACKAGE_MANAGERS,
    SEVERITIES,
)
from core.models import Finding, FindingCategory, Resource, Source

__all__ = ["WizApi", "render_issue", "render_resource", "render_vulnerability"]

_NS = uuid.UUID("0b3c8f7e-6d0a-4b64-9a1f-9d2e6c7a5b41")
_SEVERITY = {v: k for k, v in SEVERITIES.items() if k != "NONE"}
_STATUS = {"open": "OPEN", "resolved": "RESOLVED", "suppressed": "REJECTED"}
_OS = {v: k for k, v in OS_PACKAGE_MANAGERS.items()}
_LANG = {v: k for k, v in LANGUAGES.items()}
_ROOT = re.compile(r"(?:(\w+)\s*:\s*)?\b(issuesV2|vulnerabilityFindings|cloudResources)\s*\(")
MAX_PAGE = 500


def _entity(resource_id: str, r: Resource | None) -> dict[str, Any]:
    if r is None:
        return {"id": str(uuid.uuid5(_NS, resource_id)), "providerId": resource_id}
    return {
        "id": str(uuid.uuid5(_NS, resource_id)),
        "type": ENTITY_TYPES[r.kind],
        "nativeType": r.kind.value,
        "name": r.name,
        "cloudPlatform": CLOUD_PLATFORMS[r.cloud],
        "providerId": resource_id,
        "externalId": resource_id,
        "region": r.region,
        "subscriptionExternalId": r.account,
        "tags": dict(r.tags),
        "status": "Active",
    }


def render_issue(f: Finding, r: Resource | None, modified: datetime) -> dict[str, Any]:
    """An ``issuesV2`` node for one non-vulnerability finding."""
    rule = rule_for(f.category, f.type)
    resolved = iso(f.resolved_at) if f.resolved_at else None
    return {
        "id": f.source_id,
        "type": "THREAT_DETECTION"
        if f.category is FindingCategory.RUNTIME_THREAT
        else "CLOUD_CONFIGURATION",
        "sourceRule": {
            "__typename": "Control",
            "id": rule.wiz,
            "name": rule.name,
            "controlDescription": f.description,
            "securitySubCategories": [],
        },
        "createdAt": iso(f.first_seen),
        "updatedAt": iso(modified),
        "dueAt": None,
        "resolvedAt": resolved,
        "statusChangedAt": resolved or iso(f.first_seen),
        "status": _STATUS[f.status.value],
        "severity": _SEVERITY[f.severity],
        "projects": [],
        "serviceTickets": [],
        "notes": [],
        "entitySnapshot": _entity(f.resource_id, r),
        EXT: {"title": f.title, "lastSeen": iso(f.last_seen)},
    }


def _artifact(package_type: str | None) -> dict[str, Any] | None:
    if package_type in _OS:
        return {"group": "OS_PACKAGE", "osPackageManager": _OS[package_type]}
    if package_type in _LANG:
        return {"group": "CODE_LIBRARY", "codeLibraryLanguage": _LANG[package_type]}
    return None


def render_vulnerability(f: Finding, r: Resource | None, modified: datetime) -> dict[str, Any]:
    """A ``vulnerabilityFindings`` node: everything the model needs is a native field."""
    v = f.vulnerability
    assert v is not None
    severity = "NONE" if f.severity.value == "info" else _SEVERITY[f.severity]
    entity = _entity(f.resource_id, r)
    return {
        "id": f.source_id,
        "portalUrl": f.console_url,
        "name": v.cve_id,
        "CVEDescription": f.description,
        "severity": severity,
        "vendorSeverity": severity,
        "score": v.cvss_score,
        "cvssv3": {"vectorString": v.cvss_vector} if v.cvss_vector else None,
        "epssProbability": v.epss,
        "hasExploit": v.exploit_available,
        "hasCisaKevExploit": v.in_kev,
        "hasFix": v.fix_available,
        "status": _STATUS[f.status.value],
        "firstDetectedAt": iso(f.first_seen),
        "lastDetectedAt": iso(f.last_seen),
        "resolvedAt": iso(f.resolved_at) if f.resolved_at else None,
        "updatedAt": iso(modified),
        "detailedName": v.package,
        "version": v.installed_version,
        "fixedVersion": v.fixed_version,
        "detectionMethod": "PACKAGE" if v.package_type in _OS else "LIBRARY",
        "artifactType": _artifact(v.package_type),
        "dataSourceName": "Wiz",
        "vulnerableAsset": {
            "id": entity["id"],
            "type": entity.get("type"),
            "name": entity.get("name"),
            "region": entity.get("region"),
            "providerUniqueId": f.resource_id,
            "cloudPlatform": entity.get("cloudPlatform"),
            "subscriptionExternalId": entity.get("subscriptionExternalId"),
            "status": "Active",
        },
    }


def render_resource(r: Resource, document: dict[str, Any]) -> dict[str, Any]:
    """A ``cloudResources`` node; the full description rides in ``_posture.resource``."""
    entity = _entity(r.resource_id, r)
    return {
        **{
            k: entity[k]
            for k in (
                "id",
                "name",
                "type",
                "nativeType",
                "region",
                "cloudPlatform",
                "subscriptionExternalId",
                "status",
                "providerId",
            )
        },
        "tags": [{"key": k, "value": v} for k, v in r.tags.items()],
        "firstSeen": iso(r.first_seen) if r.first_seen else None,
        "lastSeen": iso(r.last_seen) if r.last_seen else None,
        EXT: {"resource": document},
    }


class WizApi:
    name = "wiz"

    def __init__(self, sim: SimServer, *, token_ttl_s: int = 3600) -> None:
        self.sim = sim
        self.token_ttl_s = token_ttl_s

    def is_auth(self, req: Request) -> bool:
        return req.path == "/oauth/token"

    def token(self, req: Request) -> str | None:
        return req.credential()

    def unauthorized(self) -> Response:
        return Response(
            401,
            {"errors": [{"message": "Unauthorized", "extensions": {"code": "UNAUTHENTICATED"}}]},
        )

    def handle(self, req: Request) -> Response:
        if req.method == "POST" and req.path == "/oauth/token":
            return self._token(dict(parse_qsl(req.body.decode())))
        if req.method == "POST" and req.path == "/graphql":
            if not self.sim.tokens.valid(self.token(req)):
                return self.unauthorized()
            return self._graphql(req.json() or {})
        return Response(404, {"message": "not found"})

    def _token(self, form: dict[str, str]) -> Response:
        creds = self.sim.credentials
        if form.get("grant_type") != "client_credentials" or form.get("audience") != "wiz-api":
            return Response(400, {"error": "invalid_request"})
        if (form.get("client_id"), form.get("client_secret")) != (
            creds.wiz_client_id,
            creds.wiz_client_secret,
        ):
            return Response(401, {"error": "access_denied", "error_description": "Unauthorized"})
        token = self.sim.tokens.issue("wiz", self.token_ttl_s)
        return Response(
            200, {"access_token": token, "token_type": "Bearer", "expires_in": self.token_ttl_s}
        )

    def _graphql(self, body: dict[str, Any]) -> Response:
        match = _ROOT.search(str(body.get("query") or ""))
        variables = body.get("variables") or {}
        if match is None:
            raise BadRequest("unsupported query")
        first = int(variables.get("first") or 50)
        if not 1 <= first <= MAX_PAGE:
            return Response(
                200,
                {
                    "data": None,
                    "errors": [
                        {
                            "message": f"first must be between 1 and {MAX_PAGE}",
                            "extensions": {"code": "BAD_USER_INPUT"},
                        }
                    ],
                },
            )
        since = parse_time(((variables.get("filterBy") or {}).get("updatedAt") or {}).get("after"))
        nodes, cursor = self._page(match.group(2), since, variables.get("after"), first)
        return Response(
            200,
            {
                "data": {
                    match.group(1) or match.group(2): {
                        "nodes": nodes,
                        "pageInfo": {"hasNextPage": cursor is not None, "endCursor": cursor},
                    }
                }
            },
        )

    def _page(
        self, root: str, since: datetime | None, after: str | None, first: int
    ) -> tuple[list[dict[str, Any]], str | None]:
        query = fingerprint("wiz", root, since)
        offset = read_token(after, query)
        state = self.sim.state
        with state.lock:
            if root == "cloudResources":
                rows = state.resources[Source.WIZ].since(since)
                resources, following = page_of(rows, offset, first)
                nodes = [
                    render_resource(
                        r,
                        encode(
                            r,
                            state.edges_from.get(r.resource_id, ()),
                            state.grants_of.get(r.resource_id, ()),
                        ),
                    )
                    for _, _, r in resources
                ]
            else:
                coll = state.findings_of(
                    Source.WIZ, "vulns" if root == "vulnerabilityFindings" else "others"
                )
                chunk, following = page_of(coll.since(since), offset, first)
                render = render_vulnerability if root == "vulnerabilityFindings" else render_issue
                by_id = state.estate_resources
                nodes = [render(f, by_id.get(f.resource_id), m) for m, _, f in chunk]
        return nodes, write_token(following, query) if following is not None else None

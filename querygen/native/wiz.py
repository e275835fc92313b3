"""QuerySpec to a Wiz GraphQL query: issuesV2, vulnerabilityFindings or cloudResourcesV2.

Field names, filter input types and enums come from Wiz's GraphQL schema (SDL printed
from introspection), as vendored at
https://github.com/ArcavenAE/stave/blob/main/spec/wiz-schema.graphql: ``IssueFilters``,
``IssueEntityFilters``, ``VulnerabilityFindingFilters``, ``CloudResourceV2Filters``,
``CommonStringFilter``, ``CommonNumberFilter``, ``CommonDateFilter`` and the enums named
in ``querygen.native.fields`` (``WIZ_*``). Query shapes follow Wiz's own integration guide
(https://win.wiz.io/reference/pull-cloud-resources, "Pull Vulnerabilities Using Delta
Updates") and the real samples in shared/realdata/cnapp-api/wiz/.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from querygen.catalog import Catalog, View
from querygen.native import fields as F
from querygen.native.base import (
    Cond,
    NativeFilter,
    NotExpressible,
    flatten,
    page_size,
    plan_order,
    require_plain_select,
    to_datetime,
)
from querygen.native.fields import (
    FieldMap,
    bool_value,
    by_column,
    drop_own_source,
    enum_map,
    enum_members,
    int_bound,
    translate,
)
from querygen.spec import Op, QuerySpec, Related

__all__ = ["FIELD_MAPS", "QUERIES", "to_wiz"]

_P = "wiz"
_STR_OPS = frozenset({Op.EQ, Op.IN, Op.NE, Op.NOT_IN, Op.CONTAINS, Op.NOT_CONTAINS})
_EXACT_OPS = frozenset({Op.EQ, Op.IN, Op.NE, Op.NOT_IN})

QUERIES: dict[str, str] = {
    "issuesV2": """query PostureIssues($filterBy: IssueFilters, $first: Int, $after: String,
  $orderBy: IssueOrder) {
  issuesV2(filterBy: $filterBy, first: $first, after: $after, orderBy: $orderBy) {
    nodes { id type status severity createdAt resolvedAt
      sourceRules { id name }
      entitySnapshot { id type name cloudPlatform region subscriptionExternalId } }
    pageInfo { hasNextPage endCursor }
  }
}
""",
    "vulnerabilityFindings": """query VulnerabilityFindings($filterBy: VulnerabilityFindingFilters,
  $first: Int, $after: String, $orderBy: VulnerabilityFindingOrder) {
  vulnerabilityFindings(filterBy: $filterBy, first: $first, after: $after, orderBy: $orderBy) {
    nodes { id name detailedName version fixedVersion severity status hasFix hasExploit
      hasCisaKevExploit epssProbability score firstDetectedAt
      vulnerableAsset { ... on VulnerableAssetBase { id type name cloudPlatform region } } }
    pageInfo { hasNextPage endCursor }
  }
}
""",
    "cloudResourcesV2": """query CloudResources($filterBy: CloudResourceV2Filters, $first: Int,
  $after: String, $orderBy: CloudResourceOrder) {
  cloudResourcesV2(filterBy: $filterBy, first: $first, after: $after, orderBy: $orderBy) {
    nodes { id name type nativeType providerUniqueId region cloudPlatform status
      firstSeen lastSeen isAccessibleFromInternet tags { key value }
      cloudAccount { externalId } }
    pageInfo { hasNextPage endCursor }
  }
}
""",
}


@dataclass(frozen=True)
class _Root:
    root: str
    page_max: int
    order: dict[str, str]
    fixed: dict[str, Any] = field(default_factory=dict)


# Page limits: issues 500 and vulnerability findings 5000, per the Wiz API docs quoted in
# turbot/steampipe-plugin-wiz api/issue.go and api/vulnerabilityFinding.go.
_ROOTS: dict[str, _Root] = {
    "findings": _Root(
        "issuesV2",
        500,
        {"severity": "SEVERITY", "first_seen": "CREATED_AT", "resolved_at": "RESOLVED_AT"},
    ),
    "vulnerabilities": _Root("vulnerabilityFindings", 5000, {"first_seen": "CREATED_AT"}),
    "functions": _Root(
        "cloudResourcesV2", 500, {"first_seen": "FIRST_SEEN"}, {"type": {"equals": ["SERVERLESS"]}}
    ),
    "images": _Root(
        "cloudResourcesV2",
        500,
        {"first_seen": "FIRST_SEEN"},
        {"type": {"equals": ["CONTAINER_IMAGE"]}},
    ),
}


def _str(col: str, target: str, ops: frozenset[Op] = _STR_OPS) -> FieldMap:
    return FieldMap(col, target, "string", ops=ops)


def _resource_maps() -> dict[str, FieldMap]:
    # input CloudResourceV2Filters in https://github.com/ArcavenAE/stave/blob/main/spec/wiz-schema.graphql
    return {
        "cloud": enum_map("cloud", "cloudPlatform.equals", F.WIZ_CLOUD, F.WIZ_CLOUD_PLATFORM),
        "account": _str("account", "cloudAccountV2.externalId", _EXACT_OPS),
        "region": _str("region", "region", _EXACT_OPS),
        "name": _str("name", "name"),
        "first_seen": FieldMap("first_seen", "firstSeen", "date"),
    }


FIELD_MAPS: dict[str, dict[str, FieldMap]] = {
    # input IssueFilters, IssueEntityFilters in https://github.com/ArcavenAE/stave/blob/main/spec/wiz-schema.graphql
    "findings": {
        "severity": enum_map("severity", "severity", F.WIZ_SEVERITY, F.WIZ_SEVERITIES),
        "status": enum_map("status", "status", F.WIZ_STATUS, F.WIZ_ISSUE_STATUSES),
        "cloud": enum_map(
            "cloud", "relatedEntity.cloudPlatform", F.WIZ_CLOUD, F.WIZ_CLOUD_PLATFORM
        ),
        "region": FieldMap("region", "relatedEntity.region", "list"),
        "resource_kind": enum_map(
            "resource_kind", "relatedEntity.type", F.WIZ_ENTITY_TYPE, F.WIZ_ENTITY_TYPES
        ),
        "environment": enum_map(
            "environment", "environment.equals", F.WIZ_ENVIRONMENT, F.WIZ_ENVIRONMENTS
        ),
        "category": enum_map("category", "type", F.WIZ_ISSUE_TYPE, F.WIZ_ISSUE_TYPES),
        "source_id": FieldMap("source_id", "id", "list"),
        "first_seen": FieldMap("first_seen", "createdAt", "date"),
        "resolved_at": FieldMap("resolved_at", "resolvedAt", "date"),
    },
    # input VulnerabilityFindingFilters in https://github.com/ArcavenAE/stave/blob/main/spec/wiz-schema.graphql
    "vulnerabilities": {
        "severity": enum_map("severity", "severity", F.WIZ_VULN_SEVERITY, F.WIZ_VULN_SEVERITIES),
        "status": enum_map("status", "status", F.WIZ_STATUS, F.WIZ_FINDING_STATUSES),
        "cve_id": _str("cve_id", "vulnerabilityExternalIdV2", _EXACT_OPS),
        "package": _str("package", "detailedNameV2"),
        "installed_version": _str("installed_version", "version"),
        "fixed_version": _str("fixed_version", "fixedVersion"),
        "fix_available": FieldMap("fix_available", "hasFix", "bool"),
        "exploit_available": FieldMap("exploit_available", "hasExploit", "bool"),
        "in_kev": FieldMap("in_kev", "hasCisaKevExploit", "bool"),
        "is_public": FieldMap("is_public", "isAssetAccessibleFromInternet", "bool"),
        "epss": FieldMap("epss", "epssFilter.probability", "number"),
        "cvss_score": FieldMap("cvss_score", "score", "number"),
        "resource_kind": enum_map(
            "resource_kind", "assetType", F.WIZ_ASSET_TYPE, F.WIZ_ASSET_TYPES
        ),
        "resource_name": _str("resource_name", "assetName"),
        "environment": enum_map(
            "environment", "environment.equals", F.WIZ_ENVIRONMENT, F.WIZ_ENVIRONMENTS
        ),
        "first_seen": FieldMap("first_seen", "firstSeenAt", "date"),
    },
    "functions": {
        **_resource_maps(),
        "service": enum_map("service", "cloudPlatform.equals", F.WIZ_SERVICE, F.WIZ_CLOUD_PLATFORM),
        "resource_id": _str("resource_id", "providerUniqueId", _EXACT_OPS),
        "is_public": FieldMap("is_public", "isAccessibleFromInternet.equals", "bool"),
        "environment": enum_map(
            "environment", "environment.equals", F.WIZ_ENVIRONMENT, F.WIZ_ENVIRONMENTS
        ),
    },
    "images": {
        **_resource_maps(),
        "digest": _str("digest", "containerImageDigest", _EXACT_OPS),
        "created_at": FieldMap("created_at", "createdAt", "date"),
    },
}

_STRING_KEYS = {
    Op.EQ: "equals",
    Op.IN: "equals",
    Op.NE: "notEquals",
    Op.NOT_IN: "notEquals",
    Op.CONTAINS: "contains",
    Op.NOT_CONTAINS: "doesNotContain",
}
_NUMBER_KEYS = {"gt": "greaterThan", "lt": "lessThan", "eq": "equals", "ne": "notEquals"}
_RELATED = {
    "findings": ("relatedIssue.severity.equals", F.WIZ_SEVERITY, F.WIZ_SEVERITIES),
    "vulnerabilities": (
        "vulnerability.severity.equals",
        F.WIZ_VULN_SEVERITY,
        F.WIZ_VULN_SEVERITIES,
    ),
}


def to_wiz(spec: QuerySpec, catalog: Catalog) -> NativeFilter:
    """Compile ``spec`` into one Wiz GraphQL request.

    Args:
        spec: the question, already read.
        catalog: the semantic catalog.

    Returns:
        A ``graphql`` NativeFilter: the query text and its variables.

    Raises:
        NotExpressible: Wiz cannot filter, sort or page the way the spec asks.
        UnknownColumn: the spec names something the catalog lacks.
    """
    catalog.check_spec(spec)
    require_plain_select(spec, _P)
    root = _ROOTS.get(spec.view)
    if root is None:
        raise NotExpressible(_P, f"the {spec.view} view (no Wiz query for it)")
    view = catalog.view(spec.view)
    conds, related = flatten(spec, _P)
    notes: list[str] = []
    if spec.view == "findings":
        conds = drop_own_source(conds, view.column("source").values, _P)
    filter_by = _filter_by(spec.view, root, conds, view)
    for rel in related:
        notes += _apply_related(filter_by, spec.view, rel, catalog)
    first, page_notes = page_size(spec.limit, root.page_max, _P)
    order, order_notes = plan_order(spec, root.order, _P)
    variables: dict[str, Any] = {"filterBy": filter_by, "first": first}
    if order is not None:
        variables["orderBy"] = {"field": order[0], "direction": "DESC" if order[1] else "ASC"}
    notes += _reading_notes(spec.view, conds)
    return NativeFilter(
        platform=_P,
        kind="graphql",
        endpoint="POST https://api.<region>.app.wiz.io/graphql",
        query=QUERIES[root.root],
        variables=variables,
        notes=tuple(notes + page_notes + order_notes),
    )


def _filter_by(view_name: str, root: _Root, conds: list[Cond], view: View) -> dict[str, Any]:
    filter_by: dict[str, Any] = {k: dict(v) for k, v in root.fixed.items()}
    for column, group in by_column(conds).items():
        _apply(filter_by, _field_map(view_name, column), group, view)
    return filter_by


def _reading_notes(view: str, conds: list[Cond]) -> list[str]:
    columns = {c.field for c in conds}
    notes = []
    if any(c.op in (Op.CONTAINS, Op.NOT_CONTAINS) for c in conds):
        notes.append("Wiz's contains may be case-sensitive; the store's is not.")
    if "service" in columns:
        notes.append("service is read as the cloud: Wiz types every function as SERVERLESS.")
    if "status" in FIELD_MAPS[view] and "status" not in columns:
        notes.append("No status condition: the request sets no filterBy.status (any status).")
    return notes


def _field_map(view: str, column: str) -> FieldMap:
    fmap = FIELD_MAPS[view].get(column)
    if fmap is None:
        raise NotExpressible(_P, f"a filter on {view}.{column} (Wiz has no such filter)")
    return fmap


def _apply(filter_by: dict[str, Any], fmap: FieldMap, group: list[Cond], view: View) -> None:
    if fmap.kind == "enum":
        members = enum_members(group, view.column(fmap.column).values, _P)
        if members is not None:
            _put(filter_by, fmap.target, translate(fmap, members, _P))
    elif fmap.kind == "bool":
        _put(filter_by, fmap.target, bool_value(group, _P))
    elif fmap.kind == "list":
        _put(filter_by, fmap.target, _list_values(group, fmap))
    else:
        for cond in group:
            key, value = _keyed(fmap, cond)
            _put(filter_by, f"{fmap.target}.{key}", value)


def _list_values(group: list[Cond], fmap: FieldMap) -> list[Any]:
    if len(group) != 1 or group[0].op not in (Op.EQ, Op.IN):
        ops = ", ".join(c.op.value for c in group)
        raise NotExpressible(_P, f"{fmap.column} {ops} ({fmap.target} takes a list of values)")
    value = group[0].value
    return list(value) if isinstance(value, list) else [value]


def _keyed(fmap: FieldMap, cond: Cond) -> tuple[str, Any]:
    if fmap.kind == "date":
        key = {Op.GT: "after", Op.GTE: "after", Op.LT: "before", Op.LTE: "before"}.get(cond.op)
        if key is None:
            raise NotExpressible(_P, f"{fmap.column} {cond.op.value} (dates take after/before)")
        return key, to_datetime(cond.value, _P, fmap.column).isoformat().replace("+00:00", "Z")
    if fmap.kind == "number":
        bound = int_bound(cond)
        if bound is None:
            raise NotExpressible(_P, f"{fmap.column} {cond.op.value} (only >, <, =, != exist)")
        return _NUMBER_KEYS[bound[0]], bound[1]
    if cond.op in (Op.IS_NULL, Op.NOT_NULL) and fmap.ops == _STR_OPS:
        return "isSet", cond.op is Op.NOT_NULL
    if cond.op not in fmap.ops:
        raise NotExpressible(_P, f"{fmap.column} {cond.op.value}")
    value = cond.value if isinstance(cond.value, list) else [cond.value]
    return _STRING_KEYS[cond.op], value


def _put(tree: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    node = tree
    for part in parents:
        node = node.setdefault(part, {})
    if leaf in node and node[leaf] != value:
        raise NotExpressible(_P, f"two different conditions on {path}")
    node[leaf] = value


def _apply_related(
    filter_by: dict[str, Any], view: str, rel: Related, catalog: Catalog
) -> list[str]:
    spot = _RELATED.get(rel.relation)
    if view not in ("functions", "images") or spot is None:
        raise NotExpressible(_P, f"{view} with related {rel.relation}")
    if rel.negate:
        raise NotExpressible(_P, f"{view} without {rel.relation} (no negated related filter)")
    conds, nested = flatten(QuerySpec(view=rel.relation, conditions=rel.conditions), _P)
    if nested or any(c.field not in ("severity", "status") for c in conds):
        raise NotExpressible(_P, f"related {rel.relation} filtered on anything but severity")
    target = catalog.view(rel.relation)
    _check_open_only(conds, target)
    path, values, allowed = spot
    severity = [c for c in conds if c.field == "severity"]
    domain = target.column("severity").values
    members = (enum_members(severity, domain, _P) if severity else None) or domain
    fmap = FieldMap("severity", path, "enum", values, allowed)
    _put(filter_by, path, translate(fmap, members, _P))
    return [f"Wiz's related filter is taken to look at open {rel.relation} only."]


def _check_open_only(conds: list[Cond], target: View) -> None:
    status = [c for c in conds if c.field == "status"]
    if status and enum_members(status, target.column("status").values, _P) != ("open",):
        raise NotExpressible(_P, "related rows in a status other than open")

"""QuerySpec to a Prisma Cloud request: an alerts v2 filter, an RQL config query, or a
Compute (CWPP) query string.

Sources, one per view:

* findings: ``POST /v2/alert`` with ``filters`` (``UIFilterModel``: name, operator ``=``,
  value) and ``timeRange`` (``TimeRangeConfigModel``), per the CSPM alerts OpenAPI
  (https://pan.dev/prisma-cloud/api/cspm/alerts; shared/realdata prisma-cspm-alerts-openapi.json).
  Filters with the same name are alternatives (the console sends a multi-select so);
  different names must all hold.
* functions: ``POST /search/config`` with an RQL ``config from cloud.resource`` query over
  ``aws-lambda-list-functions``; operators from
  https://docs.paloaltonetworks.com/prisma/prisma-cloud/prisma-cloud-rql-reference/rql-reference/operators.
* vulnerabilities: Compute ``GET /api/v34.04/stats/vulnerabilities/impacted-resources``
  (cve pivot, severityThreshold, cvssThreshold, resourceType, packages, riskFactors);
* images: Compute ``GET /api/v34.04/images`` (repository, registry); both per the Compute
  OpenAPI 34.04 (https://pan.dev/compute/api/; shared/realdata prisma-compute-openapi-34.04.json).
"""

from __future__ import annotations

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
from querygen.spec import Op, QuerySpec

__all__ = ["FIELD_MAPS", "to_prisma"]

_P = "prisma"
_COMPUTE = "/api/v34.04"
_LAMBDA_RQL = "config from cloud.resource where cloud.type = 'aws' AND api.name = "
_LAMBDA_API = "'aws-lambda-list-functions'"
_ALL_TIME = {"type": "to_now", "value": "epoch"}
_RUNTIME_PREFIX = {v: (v,) for v in ("python", "nodejs", "java", "go", "dotnet")}
_SEVERITY_LADDER = ("critical", "high", "medium", "low")  # Compute's severityThreshold levels
_COMPUTE_SEVERITY = {v: (v,) for v in _SEVERITY_LADDER}

FIELD_MAPS: dict[str, dict[str, FieldMap]] = {
    # https://pan.dev/prisma-cloud/api/cspm/alerts, operation post-alerts-v2 (FilterModel)
    "findings": {
        "severity": enum_map("severity", "policy.severity", F.PRISMA_SEVERITY, F.PRISMA_SEVERITIES),
        "status": enum_map(
            "status", "alert.status", F.PRISMA_ALERT_STATUS, F.PRISMA_ALERT_STATUSES
        ),
        "cloud": enum_map("cloud", "cloud.type", F.PRISMA_CLOUD, F.PRISMA_CLOUD_TYPES),
        "category": enum_map(
            "category", "policy.type", F.PRISMA_POLICY_TYPE, F.PRISMA_POLICY_TYPES
        ),
        "account": FieldMap("account", "cloud.accountId", "list"),
        "resource_id": FieldMap("resource_id", "resource.id", "list"),
        "resource_name": FieldMap("resource_name", "resource.name", "list"),
        "source_id": FieldMap("source_id", "alert.id", "list"),
        "first_seen": FieldMap("first_seen", "timeRange", "date"),
    },
    # RQL json.rule paths of aws-lambda-list-functions; operators per
    # https://docs.paloaltonetworks.com/prisma/prisma-cloud/prisma-cloud-rql-reference/rql-reference/operators
    "functions": {
        "cloud": enum_map("cloud", "cloud.type", {"aws": ("aws",)}, F.PRISMA_CLOUD_TYPES),
        "service": enum_map("service", "api.name", {"AWS Lambda": ("aws-lambda-list-functions",)}),
        "name": FieldMap("name", "functionName", "string"),
        "runtime": FieldMap("runtime", "runtime", "string"),
        "runtime_family": enum_map("runtime_family", "runtime", _RUNTIME_PREFIX),
        "memory_mb": FieldMap("memory_mb", "memorySize", "number"),
        "timeout_s": FieldMap("timeout_s", "timeout", "number"),
        "resource_id": FieldMap("resource_id", "functionArn", "string"),
    },
    # Compute OpenAPI 34.04 (https://pan.dev/compute/api/; copy in shared/realdata),
    # GET /api/v34.04/stats/vulnerabilities/impacted-resources query parameters
    "vulnerabilities": {
        "cve_id": FieldMap("cve_id", "cve", "list"),
        "severity": enum_map("severity", "severityThreshold", _COMPUTE_SEVERITY),
        "cvss_score": FieldMap("cvss_score", "cvssThreshold", "number"),
        "resource_kind": enum_map(
            "resource_kind", "resourceType", F.PRISMA_RESOURCE_TYPE, F.PRISMA_RESOURCE_TYPES
        ),
        "package": FieldMap("package", "packages", "list"),
        "fix_available": FieldMap("fix_available", "riskFactors", "bool"),
        "is_public": FieldMap("is_public", "envRiskFactors", "bool"),
        "status": enum_map("status", "status", {"open": ("open",)}),
    },
    # Compute OpenAPI 34.04, GET /api/v34.04/images query parameters
    "images": {
        "repository": FieldMap("repository", "repository", "list"),
        "registry": FieldMap("registry", "registry", "list"),
    },
}

_RISK_FACTOR = {"riskFactors": "Has fix", "envRiskFactors": "Reachable from the internet"}


def to_prisma(spec: QuerySpec, catalog: Catalog) -> NativeFilter:
    """Compile ``spec`` into one Prisma Cloud request.

    Args:
        spec: the question, already read.
        catalog: the semantic catalog.

    Returns:
        An ``alerts_filter``, ``rql`` or ``query_params`` NativeFilter.

    Raises:
        NotExpressible: Prisma Cloud cannot filter, sort or page the way the spec asks.
        UnknownColumn: the spec names something the catalog lacks.
    """
    catalog.check_spec(spec)
    require_plain_select(spec, _P)
    builders = {
        "findings": _alerts,
        "functions": _rql,
        "vulnerabilities": _impacted,
        "images": _images,
    }
    build = builders.get(spec.view)
    if build is None:
        raise NotExpressible(_P, f"the {spec.view} view (no Prisma Cloud query for it)")
    conds, related = flatten(spec, _P)
    if related:
        raise NotExpressible(_P, f"{spec.view} filtered by related {related[0].relation}")
    view = catalog.view(spec.view)
    grouped = {col: (_field_map(spec.view, col), group) for col, group in by_column(conds).items()}
    return build(spec, view, grouped)


Grouped = dict[str, tuple[FieldMap, list[Cond]]]


def _field_map(view: str, column: str) -> FieldMap:
    if view == "findings" and column == "source":
        return FieldMap("source", "source", "enum")
    fmap = FIELD_MAPS[view].get(column)
    if fmap is None:
        raise NotExpressible(_P, f"a filter on {view}.{column} (Prisma Cloud has no such filter)")
    return fmap


def _members(view: View, fmap: FieldMap, group: list[Cond]) -> list[str] | None:
    members = enum_members(group, view.column(fmap.column).values, _P)
    return None if members is None else translate(fmap, members, _P)


def _listed(fmap: FieldMap, group: list[Cond]) -> list[Any]:
    if len(group) != 1 or group[0].op not in (Op.EQ, Op.IN):
        ops = ", ".join(c.op.value for c in group)
        raise NotExpressible(_P, f"{fmap.column} {ops} ({fmap.target} takes equal values only)")
    value = group[0].value
    return list(value) if isinstance(value, list) else [value]


def _alerts(spec: QuerySpec, view: View, grouped: Grouped) -> NativeFilter:
    conds = [c for _, group in grouped.values() for c in group]
    conds = drop_own_source(conds, view.column("source").values, _P)
    filters: list[dict[str, str]] = []
    time_range: dict[str, Any] = _ALL_TIME
    notes: list[str] = []
    for column, group in by_column(conds).items():
        fmap = grouped[column][0]
        if fmap.kind == "date":
            time_range, note = _time_range(group)
            notes.append(note)
            continue
        values = _members(view, fmap, group) if fmap.kind == "enum" else _listed(fmap, group)
        filters += [{"name": fmap.target, "operator": "=", "value": str(v)} for v in values or []]
    if "status" not in grouped:
        notes.append("No alert.status filter: Prisma Cloud applies its default status scope.")
    limit, page_notes = page_size(spec.limit, 10000, _P)
    _, order_notes = plan_order(spec, {}, _P)
    body = {"filters": filters, "timeRange": time_range, "limit": limit, "detailed": False}
    return NativeFilter(
        platform=_P,
        kind="alerts_filter",
        endpoint="POST /v2/alert",
        body=body,
        notes=tuple(notes + page_notes + order_notes),
    )


def _time_range(group: list[Cond]) -> tuple[dict[str, Any], str]:
    window: dict[str, int] = {}
    for cond in group:
        key = {Op.GT: "startTime", Op.GTE: "startTime", Op.LT: "endTime", Op.LTE: "endTime"}
        name = key.get(cond.op)
        if name is None or name in window:
            raise NotExpressible(_P, f"first_seen {cond.op.value} (timeRange is one window)")
        window[name] = int(to_datetime(cond.value, _P, "first_seen").timestamp() * 1000)
    note = "Prisma Cloud applies timeRange to the alert time, read here as first seen."
    return {"type": "absolute", "value": window}, note


def _rql(spec: QuerySpec, view: View, grouped: Grouped) -> NativeFilter:
    if "cloud" not in grouped and "service" not in grouped:
        raise NotExpressible(_P, "functions on every cloud (the RQL query covers AWS Lambda)")
    clauses: list[str] = []
    for column, (fmap, group) in grouped.items():
        if column in ("cloud", "service"):
            _members(view, fmap, group)  # anything but AWS Lambda has no translation
        elif fmap.kind == "enum":
            prefixes = _members(view, fmap, group) or []
            clauses.append(_any_of([f'{fmap.target} starts with "{p}"' for p in prefixes]))
        else:
            clauses += [_json_rule(fmap, cond) for cond in group]
    query = _LAMBDA_RQL + _LAMBDA_API
    if clauses:
        query += " AND json.rule = " + " and ".join(clauses)
    limit, page_notes = page_size(spec.limit, 1000, _P)
    _, order_notes = plan_order(spec, {}, _P)
    notes = page_notes + order_notes
    if any(c.op in (Op.CONTAINS, Op.NOT_CONTAINS) for _, group in grouped.values() for c in group):
        notes.append("RQL's contains may be case-sensitive; the store's is not.")
    if "runtime_family" in grouped:
        notes.append('runtime_family is matched on the runtime prefix (Go on "provided.*" is not).')
    return NativeFilter(
        platform=_P,
        kind="rql",
        endpoint="POST /search/config",
        query=query,
        body={"query": query, "timeRange": _ALL_TIME, "limit": limit},
        notes=tuple(notes),
    )


def _any_of(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else "(" + " or ".join(parts) + ")"


def _json_rule(fmap: FieldMap, cond: Cond) -> str:
    path = fmap.target
    if fmap.kind == "number":
        bound = int_bound(cond)
        if bound is None:
            raise NotExpressible(_P, f"{fmap.column} {cond.op.value} on a non-integer")
        compare = {"gt": "greater than", "lt": "less than", "eq": "equals", "ne": "does not equal"}
        return f"{path} {compare[bound[0]]} {bound[1]}"
    if cond.op in (Op.IS_NULL, Op.NOT_NULL):
        return f"{path} {'does not exist' if cond.op is Op.IS_NULL else 'exists'}"
    values = [_quoted(v) for v in (cond.value if isinstance(cond.value, list) else [cond.value])]
    words = {
        Op.EQ: "equals",
        Op.IN: "equals",
        Op.NE: "does not equal",
        Op.NOT_IN: "does not equal",
        Op.CONTAINS: "contains",
        Op.NOT_CONTAINS: "does not contain",
    }
    word = words.get(cond.op)
    if word is None:
        raise NotExpressible(_P, f"{fmap.column} {cond.op.value} in RQL")
    parts = [f"{path} {word} {v}" for v in values]
    if cond.op is Op.NOT_IN:
        return "(" + " and ".join(parts) + ")" if len(parts) > 1 else parts[0]
    return _any_of(parts)


def _quoted(value: object) -> str:
    text = str(value)
    if any(ch in text for ch in "\"'\\\n\r"):
        raise NotExpressible(_P, "a value with a quote or backslash inside an RQL string")
    return f'"{text}"'


def _impacted(spec: QuerySpec, view: View, grouped: Grouped) -> NativeFilter:
    if "cve_id" not in grouped or len(_listed(*grouped["cve_id"])) != 1:
        raise NotExpressible(_P, "vulnerabilities without one CVE (Compute pivots on a CVE)")
    params: dict[str, Any] = {}
    notes: list[str] = []
    for column, (fmap, group) in grouped.items():
        if column == "severity":
            params["severityThreshold"] = _threshold(
                enum_members(group, view.column(column).values, _P)
            )
        elif column == "cvss_score":
            params["cvssThreshold"] = _cvss_threshold(group)
        elif column == "status":
            _members(view, fmap, group)
            notes.append("Compute reports the latest scans, that is open vulnerabilities.")
        elif fmap.kind == "bool":
            if not bool_value(group, _P):
                raise NotExpressible(_P, f"{column} false (risk factors only select)")
            params[fmap.target] = [_RISK_FACTOR[fmap.target]]
        elif fmap.kind == "enum":
            kinds = _members(view, fmap, group) or []
            if len(kinds) != 1:
                raise NotExpressible(_P, "one request for both images and functions")
            params[fmap.target] = kinds[0]
        else:
            values = _listed(fmap, group)
            params[fmap.target] = values[0] if fmap.target == "cve" else values
    if "resourceType" not in params:
        notes.append("No resource_kind: read the images and functions lists of the answer.")
    limit, page_notes = page_size(spec.limit, 50, _P)
    _, order_notes = plan_order(spec, {}, _P)
    params["limit"] = limit
    return NativeFilter(
        platform=_P,
        kind="query_params",
        endpoint=f"GET {_COMPUTE}/stats/vulnerabilities/impacted-resources",
        variables=params,
        notes=tuple(notes + page_notes + order_notes),
    )


def _threshold(members: tuple[str, ...] | None) -> str:
    if members is None:
        raise NotExpressible(_P, "severity conditions that keep every severity")
    for i, floor in enumerate(_SEVERITY_LADDER):
        if set(members) == set(_SEVERITY_LADDER[: i + 1]):
            return floor
    raise NotExpressible(_P, f"severity in ({', '.join(members)}) (only a minimum exists)")


def _cvss_threshold(group: list[Cond]) -> float:
    if len(group) != 1 or group[0].op is not Op.GTE:
        raise NotExpressible(_P, "cvss_score other than one minimum (cvssThreshold is >=)")
    return float(group[0].value)


def _images(spec: QuerySpec, view: View, grouped: Grouped) -> NativeFilter:
    params: dict[str, Any] = {fmap.target: _listed(fmap, group) for fmap, group in grouped.values()}
    limit, page_notes = page_size(spec.limit, 50, _P)
    _, order_notes = plan_order(spec, {}, _P)
    params["limit"] = limit
    return NativeFilter(
        platform=_P,
        kind="query_params",
        endpoint=f"GET {_COMPUTE}/images",
        variables=params,
        notes=tuple(page_notes + order_notes),
    )

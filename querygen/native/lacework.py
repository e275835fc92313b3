"""QuerySpec to a Lacework API v2 search body.

Every Lacework v2 ``.../search`` endpoint takes ``{"timeFilter": {startTime, endTime},
"filters": [{"field", "expression", "value" | "values"}], "returns": [...]}``, and every
filter must hold (Lacework API 2.0 docs, "Simple & Advanced Search",
https://docs.lacework.net/api/v2/docs). Expressions used: eq, ne, in, not_in, gt, ge, lt,
le, ilike, not_ilike, like, rlike. Endpoints and field names, one per view:

* findings: ``POST /api/v2/Alerts/search``: severity, status, alertId, alertName; the
  API answers at most 7 days per request. Shapes as in
  shared/realdata/cnapp-api/lacework/alerts-list-response.json.
* vulnerabilities: ``POST /api/v2/Vulnerabilities/Containers/search``: severity, status,
  vulnId, featureKey.name/version, fixInfo.fix_available/fixed_version, as in
  vulnerabilities-containers-search-response.json.
* functions: ``POST /api/v2/Inventory/search`` with ``csp: AWS`` and
  ``resourceType = lambda:function`` (lacework/go-sdk api/inventory.go); resourceConfig
  holds the Lambda ListFunctions record (FunctionName, Runtime, MemorySize, Timeout).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from querygen.catalog import Catalog, View
from querygen.native import fields as F
from querygen.native.base import (
    Cond,
    NativeFilter,
    NotExpressible,
    flatten,
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
    translate,
)
from querygen.spec import Op, QuerySpec

__all__ = ["FIELD_MAPS", "to_lacework"]

_P = "lacework"
_PAGE = 5000  # rows per page of every v2 search (paging.rows)
_MAX_ALERT_WINDOW = timedelta(days=7)
_RUNTIMES = ("python", "nodejs", "java", "go", "dotnet")

FIELD_MAPS: dict[str, dict[str, FieldMap]] = {
    # https://docs.lacework.net/api/v2/docs, Alerts: POST /api/v2/Alerts/search
    "findings": {
        "severity": enum_map("severity", "severity", F.LW_SEVERITY, F.LW_SEVERITIES),
        "status": enum_map("status", "status", F.LW_ALERT_STATUS, F.LW_ALERT_STATUSES),
        "source_id": FieldMap("source_id", "alertId", "string"),
        "title": FieldMap("title", "alertName", "string"),
        "first_seen": FieldMap("first_seen", "timeFilter", "date"),
    },
    # https://docs.lacework.net/api/v2/docs, Vulnerabilities: Containers/search
    "vulnerabilities": {
        "severity": enum_map("severity", "severity", F.LW_SEVERITY, F.LW_SEVERITIES),
        "status": enum_map("status", "status", F.LW_VULN_STATUS, F.LW_VULN_STATUSES),
        "resource_kind": enum_map("resource_kind", "-", {"image": ("image",)}),
        "cve_id": FieldMap("cve_id", "vulnId", "string"),
        "package": FieldMap("package", "featureKey.name", "string"),
        "installed_version": FieldMap("installed_version", "featureKey.version", "string"),
        "fixed_version": FieldMap("fixed_version", "fixInfo.fixed_version", "string"),
        "fix_available": FieldMap("fix_available", "fixInfo.fix_available", "bool"),
    },
    # https://docs.lacework.net/api/v2/docs, Inventory: search (csp AWS, lambda:function)
    "functions": {
        "cloud": FieldMap("cloud", "-", "enum", {"aws": ("aws",)}, frozenset({"aws"})),
        "service": FieldMap("service", "-", "enum", {"AWS Lambda": ("aws",)}, frozenset({"aws"})),
        "account": FieldMap("account", "cloudDetails.accountID", "string"),
        "region": FieldMap("region", "resourceRegion", "string"),
        "resource_id": FieldMap("resource_id", "urn", "string"),
        "name": FieldMap("name", "resourceConfig.FunctionName", "string"),
        "runtime": FieldMap("runtime", "resourceConfig.Runtime", "string"),
        "runtime_family": enum_map(
            "runtime_family", "resourceConfig.Runtime", {v: (v,) for v in _RUNTIMES}
        ),
        "memory_mb": FieldMap("memory_mb", "resourceConfig.MemorySize", "number"),
        "timeout_s": FieldMap("timeout_s", "resourceConfig.Timeout", "number"),
    },
}

_RETURNS = {
    "findings": ["alertId", "alertName", "alertType", "severity", "status", "startTime"],
    "vulnerabilities": ["imageId", "vulnId", "severity", "status", "featureKey", "fixInfo"],
    "functions": ["urn", "resourceId", "resourceRegion", "cloudDetails", "resourceConfig"],
}
_ENDPOINTS = {
    "findings": "POST /api/v2/Alerts/search",
    "vulnerabilities": "POST /api/v2/Vulnerabilities/Containers/search",
    "functions": "POST /api/v2/Inventory/search",
}
_EXPRESSIONS = {
    Op.EQ: "eq",
    Op.NE: "ne",
    Op.IN: "in",
    Op.NOT_IN: "not_in",
    Op.GT: "gt",
    Op.GTE: "ge",
    Op.LT: "lt",
    Op.LTE: "le",
    Op.CONTAINS: "ilike",
    Op.NOT_CONTAINS: "not_ilike",
}


def to_lacework(spec: QuerySpec, catalog: Catalog) -> NativeFilter:
    """Compile ``spec`` into one Lacework v2 search body.

    Args:
        spec: the question, already read.
        catalog: the semantic catalog.

    Returns:
        A ``search_body`` NativeFilter.

    Raises:
        NotExpressible: Lacework cannot filter, sort or page the way the spec asks.
        UnknownColumn: the spec names something the catalog lacks.
    """
    catalog.check_spec(spec)
    require_plain_select(spec, _P)
    if spec.view not in FIELD_MAPS:
        raise NotExpressible(_P, f"the {spec.view} view (no Lacework search for it)")
    conds, related = flatten(spec, _P)
    if related:
        raise NotExpressible(_P, f"{spec.view} filtered by related {related[0].relation}")
    view = catalog.view(spec.view)
    if spec.view == "findings":
        conds = drop_own_source(conds, view.column("source").values, _P)
    notes = _scope(spec.view, conds, view)
    body, filters = _body(spec.view, conds, view, notes)
    _, order_notes = plan_order(spec, {}, _P)
    if spec.view == "functions":
        body["csp"] = "AWS"
        filters.insert(0, _eq("resourceType", "lambda:function"))
    body["filters"] = filters
    body["returns"] = _RETURNS[spec.view]
    return NativeFilter(
        platform=_P,
        kind="search_body",
        endpoint=_ENDPOINTS[spec.view],
        body=body,
        notes=tuple(notes + _paging(spec.limit) + order_notes),
    )


def _body(
    view_name: str, conds: list[Cond], view: View, notes: list[str]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The body's timeFilter and its filters; notes on the time window are appended."""
    body: dict[str, Any] = {}
    filters: list[dict[str, Any]] = []
    for column, group in by_column(conds).items():
        fmap = FIELD_MAPS[view_name].get(column)
        if fmap is None:
            raise NotExpressible(
                _P, f"a filter on {view_name}.{column} (Lacework has no such field)"
            )
        if fmap.kind == "date":
            body["timeFilter"], note = _time_filter(group)
            notes.append(note)
        elif fmap.target != "-":
            filters += _filters(fmap, group, view)
    return body, filters


def _scope(view_name: str, conds: list[Cond], view: View) -> list[str]:
    """Refuse a view scope Lacework cannot hold; say which defaults apply."""
    columns = {c.field for c in conds}
    if view_name == "findings":
        if "first_seen" not in columns:
            raise NotExpressible(_P, "alerts over all time (Alerts/search needs a time window)")
        return []
    if view_name == "vulnerabilities":
        kinds = [c for c in conds if c.field == "resource_kind"]
        if not kinds or enum_members(kinds, view.column("resource_kind").values, _P) != ("image",):
            raise NotExpressible(_P, "vulnerabilities beyond container images")
        return ["Lacework searches the assessments of its default time filter (the last day)."]
    if not columns & {"cloud", "service"}:
        raise NotExpressible(_P, "functions on every cloud (the search covers AWS Lambda)")
    return ["Lacework searches the inventory snapshots of its default time filter."]


def _filters(fmap: FieldMap, group: list[Cond], view: View) -> list[dict[str, Any]]:
    if fmap.kind == "enum":
        members = enum_members(group, view.column(fmap.column).values, _P)
        if members is None:
            return []
        values = translate(fmap, members, _P)
        if fmap.column == "runtime_family":
            return [{"field": fmap.target, "expression": "rlike", "value": _prefix_regex(values)}]
        return [_eq(fmap.target, values[0]) if len(values) == 1 else _in(fmap.target, values)]
    if fmap.kind == "bool":
        return [_eq(fmap.target, 1 if bool_value(group, _P) else 0)]
    return [_filter(fmap, cond) for cond in group]


def _filter(fmap: FieldMap, cond: Cond) -> dict[str, Any]:
    expression = _EXPRESSIONS.get(cond.op)
    if expression is None:
        raise NotExpressible(_P, f"{fmap.column} {cond.op.value}")
    if fmap.kind == "string" and cond.op in (Op.GT, Op.GTE, Op.LT, Op.LTE):
        raise NotExpressible(_P, f"{fmap.column} {cond.op.value} on text")
    if cond.op in (Op.CONTAINS, Op.NOT_CONTAINS):
        text = str(cond.value)
        if any(ch in text for ch in "%_\\"):
            raise NotExpressible(_P, "a % or _ inside a contains value (a LIKE wildcard)")
        return {"field": fmap.target, "expression": expression, "value": f"%{text}%"}
    if isinstance(cond.value, list):
        values = [_typed(fmap, v) for v in cond.value]
        return {"field": fmap.target, "expression": expression, "values": values}
    return {"field": fmap.target, "expression": expression, "value": _typed(fmap, cond.value)}


def _typed(fmap: FieldMap, value: Any) -> Any:
    """Alert ids are numbers in Lacework (``"alertId": 967278``); ours are text."""
    if fmap.target != "alertId":
        return value
    if not str(value).isdigit():
        raise NotExpressible(_P, f"alert id {value!r} (Lacework alert ids are numbers)")
    return int(value)


def _eq(field: str, value: Any) -> dict[str, Any]:
    return {"field": field, "expression": "eq", "value": value}


def _in(field: str, values: list[str]) -> dict[str, Any]:
    return {"field": field, "expression": "in", "values": values}


def _prefix_regex(prefixes: list[str]) -> str:
    return "^(" + "|".join(prefixes) + ")" if len(prefixes) > 1 else "^" + prefixes[0]


def _time_filter(group: list[Cond]) -> tuple[dict[str, str], str]:
    window: dict[str, datetime] = {}
    names = {Op.GT: "startTime", Op.GTE: "startTime", Op.LT: "endTime", Op.LTE: "endTime"}
    for cond in group:
        name = names.get(cond.op)
        if name is None or name in window:
            raise NotExpressible(_P, f"first_seen {cond.op.value} (timeFilter is one window)")
        window[name] = to_datetime(cond.value, _P, "first_seen")
    if "startTime" not in window:
        raise NotExpressible(_P, "alerts before a date with no start (timeFilter needs a start)")
    note = "Lacework answers at most 7 days per Alerts/search request."
    if "endTime" in window:
        if window["endTime"] - window["startTime"] > _MAX_ALERT_WINDOW:
            raise NotExpressible(_P, "an alert window longer than 7 days in one request")
        note = "Lacework's timeFilter bounds the alert start time, read here as first seen."
    stamps = {k: v.isoformat().replace("+00:00", "Z") for k, v in window.items()}
    return stamps, note


def _paging(limit: int | None) -> list[str]:
    if limit is not None and limit <= _PAGE:
        return [f"Lacework has no row limit in the body; stop after {limit} rows."]
    return [f"Lacework returns {_PAGE} rows a page; follow paging.urls.nextPage for more."]

"""What a drafter sees: one finding with its resource, grants and package, read from the store.

Reads go through ``FindingsStore.query`` like every other reader, on the semantic views
only. The finding id comes from a user (a slash command, a button), so it is checked
against a strict pattern and then placed in the SQL as a sqlglot string literal, never
by string formatting.
"""

from __future__ import annotations

import re
from typing import Any

import sqlglot.expressions as exp
from pydantic import BaseModel, ConfigDict

from core.errors import ValidationFailed
from core.query import ValidatedQuery
from store import FindingsStore

__all__ = [
    "Artifacts",
    "FindingRow",
    "FixContext",
    "PermissionRow",
    "ResourceRow",
    "TouchedRow",
    "VulnerabilityRow",
    "load_context",
    "select_where",
]

FINDING_ID = re.compile(
    r"^[a-z]{2,16}:[\x21-\x7e][\x20-\x7e]{0,1023}$"
)  # printable, spaces allowed
_KIND_VIEW = {
    "function": "functions",
    "workload": "workloads",
    "container": "containers",
    "image": "images",
    "role": "roles",
    "trigger": "triggers",
    "bucket": "buckets",
}


class _Row(BaseModel):
    # view rows carry more columns than any drafter needs; the rest are dropped
    model_config = ConfigDict(frozen=True, extra="ignore")


class FindingRow(_Row):
    finding_id: str
    source: str
    type: str
    category: str
    title: str
    severity: str
    status: str = "open"
    resource_id: str
    resource_name: str | None = None
    resource_kind: str | None = None
    cloud: str | None = None
    account: str | None = None
    region: str | None = None
    environment: str | None = None
    team: str | None = None
    cve_id: str | None = None
    package: str | None = None
    console_url: str | None = None


class ResourceRow(_Row):
    """The columns of any kind's view a drafter may read; absent ones stay None."""

    resource_id: str
    name: str
    cloud: str = "aws"
    account: str | None = None
    region: str | None = None
    environment: str | None = None
    team: str | None = None
    is_public: bool | None = None
    runtime: str | None = None
    memory_mb: int | None = None
    timeout_s: int | None = None
    invocations_30d: int | None = None
    cold_start_p95_ms: int | None = None
    provisioned_concurrency: int | None = None
    role_id: str | None = None
    role_name: str | None = None
    cluster: str | None = None
    namespace: str | None = None
    workload_type: str | None = None
    image_id: str | None = None
    image_name: str | None = None
    privileged: bool | None = None
    runs_as_root: bool | None = None
    host_paths: tuple[str, ...] = ()
    cpu_limit: str | None = None
    memory_limit: str | None = None
    registry: str | None = None
    repository: str | None = None
    tag: str | None = None
    os: str | None = None
    trigger_type: str | None = None
    auth_type: str | None = None
    path: str | None = None
    function_id: str | None = None
    function_name: str | None = None
    encrypted: bool | None = None
    versioning: bool | None = None


class PermissionRow(_Row):
    action: str
    resource_pattern: str = "*"
    granted: bool = True
    used: bool = False


class TouchedRow(_Row):
    """An edge out of the role: a bucket it can read or write."""

    relation: str
    to_id: str
    to_kind: str | None = None


class VulnerabilityRow(_Row):
    cve_id: str
    package: str
    package_type: str | None = None
    installed_version: str
    fixed_version: str | None = None
    cvss_score: float | None = None
    in_kev: bool = False
    exploit_available: bool = False


class Artifacts(_Row):
    """Source files a caller has for the resource (the store holds none of them)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    current_policy: str | None = None  # IAM policy JSON in force today
    manifest: str | None = None  # Kubernetes YAML
    terraform: str | None = None
    sam: str | None = None
    serverless: str | None = None
    dockerfile: str | None = None


class FixContext(_Row):
    """Everything one drafter may use; built by ``load_context`` or by hand in tests."""

    finding: FindingRow
    resource: ResourceRow
    related: ResourceRow | None = None  # the trigger of a function, the function of a trigger
    permissions: tuple[PermissionRow, ...] = ()
    touched: tuple[TouchedRow, ...] = ()
    vulnerability: VulnerabilityRow | None = None
    artifacts: Artifacts = Artifacts()


def select_where(view: str, **equals: str) -> str:
    """``SELECT * FROM main.<view> WHERE col = 'value' ...`` with values as safe literals.

    >>> select_where("findings", finding_id="wiz:a'b")
    "SELECT * FROM main.findings WHERE finding_id = 'wiz:a''b'"
    """
    if view not in {*_KIND_VIEW.values(), "findings", "permissions", "edges", "vulnerabilities"}:
        raise ValueError(f"not a semantic view: {view}")
    conditions = [exp.column(col).eq(exp.Literal.string(val)) for col, val in equals.items()]
    query = exp.select("*").from_(exp.table_(view, db="main")).where(*conditions)
    return query.sql(dialect="duckdb")


def _rows(
    store: FindingsStore, view: str, limit: int = 1000, **equals: str
) -> list[dict[str, Any]]:
    result = store.query(
        ValidatedQuery(sql=select_where(view, **equals), views=(view,), row_limit=limit)
    )
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def _one(store: FindingsStore, view: str, **equals: str) -> ResourceRow | None:
    rows = _rows(store, view, limit=1, **equals)
    return ResourceRow.model_validate(_listy(rows[0])) if rows else None


def _listy(row: dict[str, Any]) -> dict[str, Any]:
    # DuckDB lists arrive as Python lists; the models want tuples
    return {k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}


def load_context(store: FindingsStore, finding_id: str) -> FixContext:
    """Read one finding and everything its drafter needs.

    Args:
        store: an open store (read-only is enough).
        finding_id: ``source:source_id`` as the findings view shows it.

    Returns:
        The finding, its resource row, and its grants, edges and package as relevant.

    Raises:
        ValidationFailed: the id is malformed or names no finding.
    """
    if not FINDING_ID.fullmatch(finding_id):
        raise ValidationFailed(
            "That is not a finding id.", remediation="Use the id a findings answer shows."
        )
    found = _rows(store, "findings", limit=1, finding_id=finding_id)
    if not found:
        raise ValidationFailed(f"No finding {finding_id} in the store.")
    finding = FindingRow.model_validate(found[0])
    view = _KIND_VIEW.get(finding.resource_kind or "", "")
    resource = _one(store, view, resource_id=finding.resource_id) if view else None
    if resource is None:
        raise ValidationFailed(f"The resource of finding {finding_id} is not in the store.")
    return FixContext(
        finding=finding,
        resource=resource,
        related=_related(store, finding, resource),
        permissions=_permissions(store, finding, resource),
        touched=_touched(store, finding),
        vulnerability=_vulnerability(store, finding),
    )


def _related(store: FindingsStore, f: FindingRow, r: ResourceRow) -> ResourceRow | None:
    if f.resource_kind == "function":
        return _one(store, "triggers", function_id=r.resource_id, trigger_type="function_url")
    if f.resource_kind == "trigger" and r.function_id:
        return _one(store, "functions", resource_id=r.function_id)
    return None


def _permissions(store: FindingsStore, f: FindingRow, r: ResourceRow) -> tuple[PermissionRow, ...]:
    role = f.resource_id if f.resource_kind == "role" else r.role_id
    if not role:
        return ()
    rows = _rows(store, "permissions", limit=5000, role_id=role)
    return tuple(PermissionRow.model_validate(row) for row in rows)


def _touched(store: FindingsStore, f: FindingRow) -> tuple[TouchedRow, ...]:
    if f.resource_kind != "role":
        return ()
    rows = _rows(store, "edges", limit=5000, from_id=f.resource_id)
    return tuple(TouchedRow.model_validate(row) for row in rows)


def _vulnerability(store: FindingsStore, f: FindingRow) -> VulnerabilityRow | None:
    if not (f.cve_id and f.package):
        return None
    rows = _rows(
        store, "vulnerabilities", resource_id=f.resource_id, cve_id=f.cve_id, package=f.package
    )
    # several installed versions can share a CVE; the title names the one this finding is about
    rows.sort(
        key=lambda row: (
            str(row["installed_version"]) not in f.title,
            str(row["installed_version"]),
        )
    )
    return VulnerabilityRow.model_validate(rows[0]) if rows else None

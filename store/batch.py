"""A load batch: models in, Arrow tables out (duplicates are folded by ``store.upsert``).

Arrow is the bulk path into DuckDB: one ``MERGE`` per table, never a row at a time. The
column order of each Arrow schema is the column order of its ``raw`` table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from core.models import Edge, Finding, Permission, Resource, Vulnerability, vulnerability_key

__all__ = ["ArrowBatch", "Batch", "append_tables", "to_arrow", "utc_naive"]


@dataclass(frozen=True)
class Batch:
    """What one load writes: any of the four record kinds, in any mix."""

    resources: tuple[Resource, ...] = ()
    findings: tuple[Finding, ...] = ()
    permissions: tuple[Permission, ...] = ()
    edges: tuple[Edge, ...] = ()


@dataclass(frozen=True)
class ArrowBatch:
    resources: pa.Table
    vulnerabilities: pa.Table
    findings: pa.Table
    permissions: pa.Table
    edges: pa.Table
    counts: dict[str, int] = field(default_factory=dict)


def utc_naive(value: datetime | None) -> datetime | None:
    """Stored timestamps are UTC without a zone; naive inputs are taken as UTC already."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


_TS = pa.timestamp("us")
_STR_LIST = pa.list_(pa.string())

RESOURCE_SCHEMA = pa.schema(
    [
        ("resource_id", pa.string()),
        ("kind", pa.string()),
        ("cloud", pa.string()),
        ("account", pa.string()),
        ("region", pa.string()),
        ("name", pa.string()),
        ("environment", pa.string()),
        ("owner_team", pa.string()),
        ("tags", pa.map_(pa.string(), pa.string())),
        ("is_public", pa.bool_()),
        ("exposure", pa.string()),
        ("data_classes", _STR_LIST),
        ("sources", _STR_LIST),
        ("first_seen", _TS),
        ("last_seen", _TS),
        ("runtime", pa.string()),
        ("runtime_deprecated", pa.bool_()),
        ("memory_mb", pa.int32()),
        ("timeout_s", pa.int32()),
        ("package_size_mb", pa.float64()),
        ("invocations_30d", pa.int64()),
        ("cold_start_p95_ms", pa.int32()),
        ("provisioned_concurrency", pa.int32()),
        ("role_id", pa.string()),
        ("env_var_names", _STR_LIST),
        ("cluster", pa.string()),
        ("namespace", pa.string()),
        ("workload_type", pa.string()),
        ("workload_id", pa.string()),
        ("image_id", pa.string()),
        ("node", pa.string()),
        ("privileged", pa.bool_()),
        ("runs_as_root", pa.bool_()),
        ("host_paths", _STR_LIST),
        ("cpu_limit", pa.string()),
        ("memory_limit", pa.string()),
        ("service_account", pa.string()),
        ("replicas", pa.int32()),
        ("started_at", _TS),
        ("registry", pa.string()),
        ("repository", pa.string()),
        ("image_tag", pa.string()),
        ("digest", pa.string()),
        ("os", pa.string()),
        ("image_created_at", _TS),
        ("managed_policies", _STR_LIST),
        ("trusted_by", _STR_LIST),
        ("trigger_type", pa.string()),
        ("function_id", pa.string()),
        ("auth_type", pa.string()),
        ("trigger_path", pa.string()),
        ("encrypted", pa.bool_()),
        ("versioning", pa.bool_()),
    ]
)

VULNERABILITY_SCHEMA = pa.schema(
    [
        ("vulnerability_id", pa.string()),
        ("resource_id", pa.string()),
        ("cve_id", pa.string()),
        ("package", pa.string()),
        ("package_type", pa.string()),
        ("installed_version", pa.string()),
        ("fixed_version", pa.string()),
        ("cvss_score", pa.float64()),
        ("cvss_vector", pa.string()),
        ("epss", pa.float64()),
        ("in_kev", pa.bool_()),
        ("exploit_available", pa.bool_()),
        ("sources", _STR_LIST),
        ("first_seen", _TS),
        ("last_seen", _TS),
    ]
)

FINDING_SCHEMA = pa.schema(
    [
        ("finding_id", pa.string()),
        ("source", pa.string()),
        ("source_id", pa.string()),
        ("resource_id", pa.string()),
        ("category", pa.string()),
        ("type", pa.string()),
        ("title", pa.string()),
        ("description", pa.string()),
        ("severity", pa.string()),
        ("status", pa.string()),
        ("first_seen", _TS),
        ("last_seen", _TS),
        ("resolved_at", _TS),
        ("console_url", pa.string()),
        ("vulnerability_id", pa.string()),
    ]
)

PERMISSION_SCHEMA = pa.schema(
    [
        ("role_id", pa.string()),
        ("action", pa.string()),
        ("resource_pattern", pa.string()),
        ("granted", pa.bool_()),
        ("used", pa.bool_()),
        ("last_used_at", _TS),
    ]
)

EDGE_SCHEMA = pa.schema(
    [
        ("from_id", pa.string()),
        ("relation", pa.string()),
        ("to_id", pa.string()),
    ]
)


def _details_row(r: Resource) -> dict[str, Any]:
    """Flatten the kind's details block into the wide resources row."""
    row: dict[str, Any] = {}
    if r.function:
        row |= r.function.model_dump()
        row["env_var_names"] = list(r.function.env_var_names)
    for details in (r.workload, r.container):
        if details:
            row |= details.model_dump()
    if r.workload:
        row["host_paths"] = list(r.workload.host_paths)
    if r.image:
        d = r.image
        row |= {
            "registry": d.registry,
            "repository": d.repository,
            "image_tag": d.tag,
            "digest": d.digest,
            "os": d.os,
            "image_created_at": utc_naive(d.created_at),
        }
    if r.role:
        row |= {
            "managed_policies": list(r.role.managed_policies),
            "trusted_by": list(r.role.trusted_by),
        }
    if r.trigger:
        t = r.trigger
        row |= {
            "trigger_type": t.trigger_type,
            "function_id": t.function_id,
            "auth_type": t.auth_type,
            "trigger_path": t.path,
        }
    if r.bucket:
        row |= r.bucket.model_dump()
    row["started_at"] = utc_naive(row.get("started_at"))
    return row


def _resource_row(r: Resource) -> dict[str, Any]:
    return {
        "resource_id": r.resource_id,
        "kind": r.kind.value,
        "cloud": r.cloud.value,
        "account": r.account,
        "region": r.region,
        "name": r.name,
        "environment": r.environment.value if r.environment else None,
        "owner_team": r.owner_team,
        "tags": sorted(r.tags.items()),
        "is_public": r.is_public,
        "exposure": r.exposure,
        "data_classes": sorted(d.value for d in r.data_classes),
        "sources": sorted({s.value for s in r.sources}),
        "first_seen": utc_naive(r.first_seen),
        "last_seen": utc_naive(r.last_seen),
        **_details_row(r),
    }


def _vulnerability_row(f: Finding, v: Vulnerability) -> dict[str, Any]:
    return {
        "vulnerability_id": vulnerability_key(
            f.resource_id, v.cve_id, v.package, v.installed_version
        ),
        "resource_id": f.resource_id,
        "cve_id": v.cve_id,
        "package": v.package,
        "package_type": v.package_type,
        "installed_version": v.installed_version,
        "fixed_version": v.fixed_version or None,
        "cvss_score": v.cvss_score,
        "cvss_vector": v.cvss_vector,
        "epss": v.epss,
        "in_kev": v.in_kev,
        "exploit_available": v.exploit_available,
        "sources": [f.source.value],
        "first_seen": utc_naive(f.first_seen),
        "last_seen": utc_naive(f.last_seen),
    }


def _finding_rows(
    findings: Iterable[Finding],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    found: list[dict[str, Any]] = []
    vulns: list[dict[str, Any]] = []
    for f in findings:
        vuln_id = None
        if f.vulnerability is not None:
            vrow = _vulnerability_row(f, f.vulnerability)
            vuln_id = vrow["vulnerability_id"]
            vulns.append(vrow)
        found.append(
            {
                "finding_id": f.finding_id,
                "source": f.source.value,
                "source_id": f.source_id,
                "resource_id": f.resource_id,
                "category": f.category.value,
                "type": f.type,
                "title": f.title,
                "description": f.description,
                "severity": f.severity.value,
                "status": f.status.value,
                "first_seen": utc_naive(f.first_seen),
                "last_seen": utc_naive(f.last_seen),
                "resolved_at": utc_naive(f.resolved_at),
                "console_url": f.console_url,
                "vulnerability_id": vuln_id,
            }
        )
    return found, vulns


def _table(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    columns = {name: [row.get(name) for row in rows] for name in schema.names}
    return pa.Table.from_pydict(columns, schema=schema)


def _distinct(rows: list[dict[str, Any]], *key: str) -> int:
    return len({tuple(row[k] for k in key) for row in rows})


def to_arrow(batch: Batch) -> ArrowBatch:
    """Flatten a batch of models into one Arrow table per raw table.

    Rows sharing a key stay separate: ``store.upsert`` folds them with the one merge
    rule. ``counts`` are distinct keys.
    """
    finding_rows, vuln_rows = _finding_rows(batch.findings)
    perms = [
        {**p.model_dump(), "last_used_at": utc_naive(p.last_used_at)} for p in batch.permissions
    ]
    edges = [
        {"from_id": e.from_id, "relation": e.relation.value, "to_id": e.to_id} for e in batch.edges
    ]
    resources = [_resource_row(r) for r in batch.resources]
    return ArrowBatch(
        resources=_table(resources, RESOURCE_SCHEMA),
        vulnerabilities=_table(vuln_rows, VULNERABILITY_SCHEMA),
        findings=_table(finding_rows, FINDING_SCHEMA),
        permissions=_table(perms, PERMISSION_SCHEMA),
        edges=_table(edges, EDGE_SCHEMA),
        counts={
            "resources": _distinct(resources, "resource_id"),
            "findings": _distinct(finding_rows, "finding_id"),
            "vulnerabilities": _distinct(vuln_rows, "vulnerability_id"),
            "permissions": _distinct(perms, "role_id", "action", "resource_pattern"),
            "edges": _distinct(edges, "from_id", "relation", "to_id"),
        },
    )


def append_tables(
    batch: ArrowBatch, *, findings: list[pa.Table], vulnerabilities: list[pa.Table]
) -> ArrowBatch:
    """Add finding and vulnerability rows already in the raw layout (the columnar path)."""
    if not findings and not vulnerabilities:
        return batch
    found = pa.concat_tables([batch.findings, *findings])
    vulns = pa.concat_tables([batch.vulnerabilities, *vulnerabilities])
    counts = dict(batch.counts)
    counts["findings"] = pc.count_distinct(found.column("finding_id")).as_py()
    counts["vulnerabilities"] = pc.count_distinct(vulns.column("vulnerability_id")).as_py()
    return replace(batch, findings=found, vulnerabilities=vulns, counts=counts)

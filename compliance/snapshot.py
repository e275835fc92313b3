"""A compliance snapshot: each control's status in a scope, with the evidence behind it.

A control fails when an open finding of one of its checks sits on an in-scope resource.
It passes only when every one of its checks is reported by a synced source and there is
something in scope to check; otherwise it is ``not_assessed`` ("could not verify"), never
a pass by default.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import duckdb
from pydantic import BaseModel, ConfigDict

from compliance.mapping import CheckRegistry, Control, Framework, load_checks, load_framework
from core.models import Cloud, Environment

__all__ = [
    "ControlResult",
    "Evidence",
    "Scope",
    "Snapshot",
    "Status",
    "take_snapshot",
]

EVIDENCE_LIMIT = 500  # per control, highest risk first; the counts are always exact


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_ASSESSED = "not_assessed"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Scope(_Frozen):
    """Which resources a snapshot covers; ``None`` means all."""

    environment: Environment | None = None
    team: str | None = None
    cloud: Cloud | None = None
    account: str | None = None

    @property
    def key(self) -> str:
        """A stable key, so snapshots of the same scope line up into a trend.

        >>> Scope(environment="prod").key
        'env=prod;team=*;cloud=*;account=*'
        """
        parts = (
            ("env", self.environment),
            ("team", self.team),
            ("cloud", self.cloud),
            ("account", self.account),
        )
        return ";".join(f"{k}={v or '*'}" for k, v in parts)

    @property
    def label(self) -> str:
        """Human words for the scope, e.g. ``prod, team payments``."""
        words = [
            w
            for w in (
                self.environment and str(self.environment),
                self.team and f"team {self.team}",
                self.cloud and str(self.cloud),
                self.account and f"account {self.account}",
            )
            if w
        ]
        return ", ".join(words) or "all resources"


class Evidence(_Frozen):
    """One open finding that fails a control."""

    finding_id: str
    check_id: str
    title: str
    resource_id: str
    resource_name: str | None
    resource_kind: str | None
    cloud: str | None
    account: str | None
    environment: str | None
    team: str | None
    severity: str
    risk_score: float | None
    first_seen: datetime
    source: str


class ControlResult(_Frozen):
    control_id: str
    title: str
    section: str | None
    status: Status
    reason: str
    checks: tuple[str, ...]
    uncovered_checks: tuple[str, ...]
    failing_findings: int
    failing_resources: int
    max_risk_score: float | None
    risk_total: float
    oldest_failure: datetime | None
    evidence: tuple[Evidence, ...]


class Snapshot(_Frozen):
    framework: str
    framework_name: str
    framework_version: str
    taken_at: datetime
    scope: Scope
    sources: tuple[str, ...]
    results: tuple[ControlResult, ...]

    def count(self, status: Status) -> int:
        return sum(1 for r in self.results if r.status is status)

    @property
    def pass_rate(self) -> float | None:
        """Passed over assessed controls (not-assessed ones are left out, not passed)."""
        assessed = self.count(Status.PASS) + self.count(Status.FAIL)
        return round(self.count(Status.PASS) / assessed, 4) if assessed else None

    def result(self, control_id: str) -> ControlResult:
        for r in self.results:
            if r.control_id == control_id:
                return r
        raise KeyError(control_id)


_FINDINGS_SQL = """
SELECT f.type, f.finding_id, f.title, f.resource_id, f.resource_name, f.resource_kind,
       f.cloud, f.account, f.environment, f.team, f.severity, f.risk_score, f.first_seen,
       f.source
FROM main.findings f
WHERE f.status = 'open' AND list_contains($types, f.type) AND {scope}
ORDER BY f.risk_score DESC NULLS LAST, f.severity_rank DESC, f.finding_id
"""
_RESOURCES_SQL = """
SELECT r.kind, count(*)
FROM raw.resources r LEFT JOIN derived.risk_context rc ON rc.resource_id = r.resource_id
WHERE {scope}
GROUP BY 1
"""
_SCOPE = {
    "findings": "($env IS NULL OR f.environment = $env) AND ($team IS NULL OR f.team = $team) "
    "AND ($cloud IS NULL OR f.cloud = $cloud) AND ($account IS NULL OR f.account = $account)",
    "resources": "($env IS NULL OR coalesce(rc.environment, r.environment) = $env) "
    "AND ($team IS NULL OR r.owner_team = $team) AND ($cloud IS NULL OR r.cloud = $cloud) "
    "AND ($account IS NULL OR r.account = $account)",
}
_EVIDENCE_FIELDS = tuple(Evidence.model_fields)
_RISK = _EVIDENCE_FIELDS.index("risk_score")
_FIRST_SEEN = _EVIDENCE_FIELDS.index("first_seen")


def _scope_params(scope: Scope) -> dict[str, Any]:
    return {
        "env": scope.environment and str(scope.environment),
        "team": scope.team,
        "cloud": scope.cloud and str(scope.cloud),
        "account": scope.account,
    }


def synced_sources(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """Sources that have synced at least once: the only ones whose silence means something."""
    rows = con.execute(
        "SELECT source FROM raw.source_state WHERE last_sync_at IS NOT NULL ORDER BY 1"
    ).fetchall()
    return tuple(r[0] for r in rows)


_Row = tuple[Any, ...]  # one _FINDINGS_SQL row, in Evidence field order


def _open_findings(
    con: duckdb.DuckDBPyConnection, types: Sequence[str], scope: Scope
) -> dict[str, list[_Row]]:
    sql = _FINDINGS_SQL.format(scope=_SCOPE["findings"])
    rows = con.execute(sql, {"types": list(types), **_scope_params(scope)}).fetchall()
    by_type: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        by_type[row[0]].append((row[1], row[0], *row[2:]))
    return by_type


def _evidence(row: _Row) -> Evidence:
    # rows come from the store's own columns, so validation would only cost time
    return Evidence.model_construct(**dict(zip(_EVIDENCE_FIELDS, row, strict=True)))


def _resource_kinds(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, int]:
    sql = _RESOURCES_SQL.format(scope=_SCOPE["resources"])
    return {k: int(n) for k, n in con.execute(sql, _scope_params(scope)).fetchall()}


def _assess(
    control: Control,
    failing: list[_Row],
    registry: CheckRegistry,
    synced: set[str],
    kinds_in_scope: dict[str, int],
) -> ControlResult:
    checks = registry.checks
    uncovered = tuple(c for c in control.checks if not synced & set(checks[c].sources))
    failing.sort(key=lambda e: (-(e[_RISK] or 0.0), e[0]))
    scores = [e[_RISK] for e in failing if e[_RISK] is not None]
    resources = {e[3] for e in failing}
    wanted = {k.value for c in control.checks for k in checks[c].resource_kinds}
    account_level = any(not checks[c].resource_kinds for c in control.checks)
    in_scope = sum(n for k, n in kinds_in_scope.items() if k in wanted or account_level)
    if failing:
        status = Status.FAIL
        reason = f"{len(failing)} open findings on {len(resources)} resources"
        if uncovered:
            reason += f"; could not verify {', '.join(uncovered)}"
    elif uncovered:
        status = Status.NOT_ASSESSED
        reason = f"could not verify: no synced source covers {', '.join(uncovered)}"
    elif not in_scope:
        status = Status.NOT_ASSESSED
        reason = f"could not verify: nothing in scope to check ({', '.join(sorted(wanted))})"
    else:
        status = Status.PASS
        reason = f"no open findings on {in_scope} in-scope resources"
    return ControlResult(
        control_id=control.id,
        title=control.title,
        section=control.section,
        status=status,
        reason=reason,
        checks=control.checks,
        uncovered_checks=uncovered,
        failing_findings=len(failing),
        failing_resources=len(resources),
        max_risk_score=max(scores) if scores else None,
        risk_total=round(sum(scores), 2),
        oldest_failure=min((e[_FIRST_SEEN] for e in failing), default=None),
        evidence=tuple(_evidence(e) for e in failing[:EVIDENCE_LIMIT]),
    )


def take_snapshot(
    con: duckdb.DuckDBPyConnection,
    framework: str | Framework,
    scope: Scope | None = None,
    *,
    now: datetime | None = None,
) -> Snapshot:
    """Assess every control of a framework against the current findings.

    Args:
        con: a connection (or cursor) on the findings store; only read.
        framework: a framework id or alias ("soc2", "SOC 2") or a loaded ``Framework``.
        scope: which resources count; all when omitted.
        now: the snapshot's timestamp (UTC); the wall clock when omitted.

    Returns:
        The snapshot, not yet stored (see ``compliance.history.record``).
    """
    fw = framework if isinstance(framework, Framework) else load_framework(framework)
    scope = scope or Scope()
    registry = load_checks()
    synced = synced_sources(con)
    findings = _open_findings(con, sorted(fw.check_ids), scope)
    kinds = _resource_kinds(con, scope)
    results = tuple(
        _assess(c, [e for k in c.checks for e in findings.get(k, [])], registry, set(synced), kinds)
        for c in fw.controls
    )
    taken = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None, microsecond=0)
    return Snapshot(
        framework=fw.id,
        framework_name=fw.name,
        framework_version=fw.version,
        taken_at=taken,
        scope=scope,
        sources=synced,
        results=results,
    )

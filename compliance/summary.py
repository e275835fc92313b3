"""The summary a person reads first: pass rate, what fails worst, what changed.

``compliance_summary`` is the one call the Slack layer and the CLI make; it knows nothing
about either.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from compliance.history import previous, read_cursor, record
from compliance.mapping import load_framework
from compliance.snapshot import ControlResult, Scope, Snapshot, Status, take_snapshot
from core.errors import ValidationFailed
from core.models import Cloud, Environment
from store import FindingsStore
from store.compliance_store import ResultRow, SnapshotRow

__all__ = [
    "ComplianceSummary",
    "ControlChange",
    "RankedControl",
    "SnapshotDiff",
    "compliance_summary",
    "diff_snapshots",
    "make_scope",
    "rank_failing",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RankedControl(_Frozen):
    control_id: str
    title: str
    failing_findings: int
    failing_resources: int
    max_risk_score: float | None
    risk_total: float
    worst_finding: str | None  # title of the riskiest failing finding (untrusted text)


class ControlChange(_Frozen):
    control_id: str
    title: str
    before: Status | None  # None: the control is new since the last snapshot
    after: Status


class SnapshotDiff(_Frozen):
    previous_taken_at: datetime
    previous_pass_rate: float | None
    pass_rate_delta: float | None
    newly_failing: tuple[ControlChange, ...]
    newly_passing: tuple[ControlChange, ...]
    other_changes: tuple[ControlChange, ...]  # to or from not_assessed

    @property
    def unchanged(self) -> bool:
        return not (self.newly_failing or self.newly_passing or self.other_changes)


class ComplianceSummary(_Frozen):
    framework: str
    framework_name: str
    scope: Scope
    scope_label: str
    taken_at: datetime
    pass_rate: float | None
    passed: int
    failed: int
    not_assessed: int
    total: int
    failing: tuple[RankedControl, ...]  # riskiest first
    not_assessed_controls: tuple[tuple[str, str], ...]  # (control id, reason)
    changes: SnapshotDiff | None  # None: no earlier snapshot of this scope
    snapshot_id: int | None  # set when this snapshot was stored
    snapshot: Snapshot


def rank_failing(results: tuple[ControlResult, ...]) -> tuple[RankedControl, ...]:
    """Failing controls, riskiest first: highest single risk, then total risk, then count."""
    failing = [r for r in results if r.status is Status.FAIL]
    failing.sort(
        key=lambda r: (-(r.max_risk_score or 0.0), -r.risk_total, -r.failing_findings, r.control_id)
    )
    return tuple(
        RankedControl(
            control_id=r.control_id,
            title=r.title,
            failing_findings=r.failing_findings,
            failing_resources=r.failing_resources,
            max_risk_score=r.max_risk_score,
            risk_total=r.risk_total,
            worst_finding=r.evidence[0].title if r.evidence else None,
        )
        for r in failing
    )


def diff_snapshots(before: tuple[SnapshotRow, list[ResultRow]], after: Snapshot) -> SnapshotDiff:
    """What changed between a stored snapshot and a new one of the same scope."""
    header, rows = before
    old = {r.control_id: Status(r.status) for r in rows}
    buckets: dict[str, list[ControlChange]] = {"fail": [], "pass": [], "other": []}
    for result in after.results:
        was = old.get(result.control_id)
        if was is result.status:
            continue
        change = ControlChange(
            control_id=result.control_id, title=result.title, before=was, after=result.status
        )
        if result.status is Status.FAIL:
            buckets["fail"].append(change)
        elif result.status is Status.PASS and was is Status.FAIL:
            buckets["pass"].append(change)
        else:
            buckets["other"].append(change)
    rate = after.pass_rate
    delta = None
    if rate is not None and header.pass_rate is not None:
        delta = round(rate - header.pass_rate, 4)
    return SnapshotDiff(
        previous_taken_at=header.taken_at,
        previous_pass_rate=header.pass_rate,
        pass_rate_delta=delta,
        newly_failing=tuple(buckets["fail"]),
        newly_passing=tuple(buckets["pass"]),
        other_changes=tuple(buckets["other"]),
    )


def make_scope(
    env: str | None = None,
    team: str | None = None,
    cloud: str | None = None,
    account: str | None = None,
) -> Scope:
    """A scope from what a user typed.

    Raises:
        ValidationFailed: an environment or cloud we do not know.
    """
    try:
        return Scope(
            environment=Environment(env.lower()) if env else None,
            team=team or None,
            cloud=Cloud(cloud.lower()) if cloud else None,
            account=account or None,
        )
    except ValueError as exc:
        envs = ", ".join(e.value for e in Environment)
        raise ValidationFailed(
            f"Unknown scope value: {exc}", remediation=f"Environments are {envs}."
        ) from None


def compliance_summary(
    store: FindingsStore,
    framework: str,
    env: str | None = None,
    team: str | None = None,
    *,
    cloud: str | None = None,
    account: str | None = None,
    save: bool = False,
    now: datetime | None = None,
) -> ComplianceSummary:
    """Snapshot a framework now and compare it with the last stored snapshot of that scope.

    Args:
        store: the findings store (read-only is fine unless ``save``).
        framework: "cis", "soc2", "iso27001" or an alias such as "SOC 2".
        env, team, cloud, account: the scope; ``None`` means all.
        save: store this snapshot too, so it becomes the next baseline and a trend point.
        now: the snapshot's timestamp (tests pin it).

    Returns:
        The summary, with the full snapshot attached for exports.

    Raises:
        ValidationFailed: unknown framework or scope value. StoreError: ``save`` on a
        read-only store.
    """
    fw = load_framework(framework)
    scope = make_scope(env, team, cloud, account)
    snap = take_snapshot(read_cursor(store), fw, scope, now=now)
    before = previous(store, fw.id, scope.key)
    snapshot_id = record(store, snap) if save else None
    return ComplianceSummary(
        framework=fw.id,
        framework_name=fw.name,
        scope=scope,
        scope_label=scope.label,
        taken_at=snap.taken_at,
        pass_rate=snap.pass_rate,
        passed=snap.count(Status.PASS),
        failed=snap.count(Status.FAIL),
        not_assessed=snap.count(Status.NOT_ASSESSED),
        total=len(snap.results),
        failing=rank_failing(snap.results),
        not_assessed_controls=tuple(
            (r.control_id, r.reason) for r in snap.results if r.status is Status.NOT_ASSESSED
        ),
        changes=diff_snapshots(before, snap) if before else None,
        snapshot_id=snapshot_id,
        snapshot=snap,
    )

"""Question answers restated over the estate's models, for tests/estate/test_questions.py.

Indexes are built once (``build_ctx``); each helper counts the records one question's
plain meaning selects and the population it selects from.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from core.models import Finding, FunctionDetails, Resource, Severity, Vulnerability, WorkloadDetails
from estate import Estate
from risk.score import RiskSignals, risk_score


@dataclass
class Ctx:
    """Indexes over one estate, built once."""

    e: Estate
    by_id: dict[str, Resource] = field(default_factory=dict)
    image_envs: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    role_actions: dict[str, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    out: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    open_findings: list[Finding] = field(default_factory=list)

    def of(self, kind: str) -> list[Resource]:
        return [r for r in self.e.resources if r.kind.value == kind]

    def open(self) -> list[Finding]:
        return self.open_findings

    def open_vulns(self) -> list[Finding]:
        return [f for f in self.open() if f.vulnerability]

    def env(self, f: Finding) -> str | None:
        r = self.by_id[f.resource_id]
        if r.image:
            envs = self.image_envs.get(r.resource_id, set())
            return next((e for e in ("prod", "staging", "dev") if e in envs), None)
        return r.environment.value if r.environment else None

    def grants(self, fn: Resource, actions: Iterable[str]) -> bool:
        role = fn.function.role_id if fn.function else None
        return any(a in set(actions) for a, _ in self.role_actions.get(role or "", ()))

    def reach(self, start: str, hops: int = 4) -> set[str]:
        seen, frontier = {start}, {start}
        for _ in range(hops):
            frontier = {t for s in frontier for t in self.out[s]} - seen
            seen |= frontier
        return seen - {start}


def fn(r: Resource) -> FunctionDetails:
    """The function details of a resource already known to be a function."""
    assert r.function is not None
    return r.function


def wl(r: Resource) -> WorkloadDetails:
    assert r.workload is not None
    return r.workload


def vuln(f: Finding) -> Vulnerability:
    assert f.vulnerability is not None
    return f.vulnerability


def ids(findings: Iterable[Finding]) -> set[str]:
    return {f.resource_id for f in findings}


def functions_where(c: Ctx, pred: Callable[[Resource], bool], aws: bool = False) -> tuple[int, int]:
    pool = [r for r in c.of("function") if not aws or r.cloud.value == "aws"]
    return sum(1 for r in pool if r.function and pred(r)), len(pool)


def functions_with(c: Ctx, pred: Callable[[Finding], bool], prod: bool = False) -> tuple[int, int]:
    """Functions with an open finding that matches ``pred``."""
    hit = ids(f for f in c.open() if pred(f))
    return functions_where(
        c, lambda r: r.resource_id in hit and (not prod or r.environment == "prod")
    )


def workloads_where(c: Ctx, pred: Callable[[Resource], bool]) -> tuple[int, int]:
    pool = c.of("workload")
    return sum(1 for r in pool if r.workload and pred(r)), len(pool)


def open_findings_where(c: Ctx, pred: Callable[[Finding], bool]) -> tuple[int, int]:
    return sum(1 for f in c.open() if pred(f)), len(c.e.findings)


def vulns_where(c: Ctx, pred: Callable[[Finding], bool]) -> tuple[int, int]:
    vulns = c.open_vulns()
    return sum(1 for f in vulns if pred(f)), len(vulns)


def images_with(c: Ctx, pred: Callable[[Finding], bool], prod: bool = False) -> tuple[int, int]:
    hit = {
        f.resource_id
        for f in c.open_vulns()
        if c.by_id[f.resource_id].image
        and pred(f)
        and (not prod or "prod" in c.image_envs.get(f.resource_id, ()))
    }
    return len(hit), len(c.of("image"))


def groups(values: Iterable[object]) -> tuple[int, int]:
    """A grouped answer is worth asking for when it has at least two groups."""
    counts = Counter(values)
    return len(counts) - 1, len(counts)


def since(c: Ctx, days: float) -> Callable[[Finding], bool]:
    return lambda f: f.first_seen >= c.e.now - timedelta(days=days)


def critical(f: Finding) -> bool:
    return f.severity is Severity.CRITICAL


def floor_score(c: Ctx, f: Finding) -> float:
    r, v = c.by_id[f.resource_id], f.vulnerability
    signals = RiskSignals(
        severity=f.severity.value,
        category=f.category.value,
        cvss=v.cvss_score if v else None,
        epss=v.epss if v else None,
        in_kev=bool(v and v.in_kev),
        exploit_available=bool(v and v.exploit_available),
        fix_available=bool(v and v.fixed_version),
        is_public=r.is_public,
        environment=c.env(f),
        data_classes=tuple(d.value for d in r.data_classes),
    )
    return risk_score(signals).score


def build_ctx(estate: Estate) -> Ctx:
    """Index the estate once for all question checks."""
    c = Ctx(estate, {r.resource_id: r for r in estate.resources})
    for r in estate.resources:
        image = (r.workload and r.workload.image_id) or (r.container and r.container.image_id)
        if image and r.environment:
            c.image_envs[image].add(r.environment.value)
    for p in estate.permissions:
        c.role_actions[p.role_id].add((p.action, p.resource_pattern))
    for edge in estate.edges:
        c.out[edge.from_id].append(edge.to_id)
    c.open_findings = [f for f in estate.findings if f.status.value == "open"]
    return c

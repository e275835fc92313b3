"""Turning one issue into findings: one per reporting source, each with its own id.

An issue is what is wrong with a resource; a finding is one source's report of it. When
two sources see the same issue they get two findings with the same resource and, for a
vulnerability, the same (CVE, package, installed version), which is the duplication a
real multi-CNAPP estate has and the store must fold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.models import (
    Finding,
    FindingCategory,
    Resource,
    Severity,
    Source,
    Vulnerability,
)
from estate.facts import Cve
from estate.history import draw_timeline, echo
from estate.sources import CAN_REPORT, SourceIds, console_url
from estate.world import World

__all__ = ["DEFAULT_WEIGHTS", "Emitter", "Issue"]

DEFAULT_WEIGHTS = (0.72, 0.21, 0.07)
_ALWAYS_OPEN = (1.0, 0.0, 0.0)


@dataclass(frozen=True, slots=True)
class Issue:
    """Something wrong with one resource, before any source has reported it."""

    resource: Resource
    category: FindingCategory
    type: str
    severity: Severity
    title: str
    check: str
    description: str | None = None
    vulnerability: Vulnerability | None = None
    status_weights: tuple[float, float, float] = DEFAULT_WEIGHTS


class Emitter:
    """Collects findings in emission order and hands out source ids."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.ids = SourceIds(world.rand)
        self.findings: list[Finding] = []
        self._vulns: dict[tuple[str, str, str, str | None], Vulnerability] = {}

    def vulnerability(
        self, cve: Cve, package: str, package_type: str, installed: str, fixed: str | None
    ) -> Vulnerability:
        """One shared immutable Vulnerability per (CVE, package, version): built once."""
        key = (cve.cve_id, package, installed, fixed)
        found = self._vulns.get(key)
        if found is None:
            found = Vulnerability(
                cve_id=cve.cve_id,
                package=package,
                package_type=package_type,
                installed_version=installed,
                fixed_version=fixed,
                cvss_score=cve.cvss,
                cvss_vector=cve.vector,
                epss=cve.epss,
                in_kev=cve.kev,
                exploit_available=cve.exploit,
            )
            self._vulns[key] = found
        return found

    def sources_for(
        self, resource: Resource, category: FindingCategory, extra_p: float = 0.35
    ) -> list[Source]:
        """A primary reporting source and, sometimes, others that see it too."""
        eligible = [s for s in resource.sources if s in CAN_REPORT[category]]
        if not eligible:
            return []
        first = self.world.rand.pick(eligible)
        rest = [s for s in eligible if s is not first and self.world.rand.chance(extra_p)]
        return [first, *rest]

    def emit(self, issue: Issue, sources: Sequence[Source]) -> None:
        """One finding per source, sharing a history that differs only slightly."""
        if not sources:
            return
        rand, now = self.world.rand, self.world.now
        weights = issue.status_weights
        if issue.resource.resource_id in self.world.showcase and weights[0] > 0:
            weights = _ALWAYS_OPEN
        base = draw_timeline(rand, now, issue.resource.first_seen, weights)
        for i, source in enumerate(sources):
            timeline = base if i == 0 else echo(rand, base)
            sid = self.ids.issue(source, _natural(issue, source))
            cve = issue.vulnerability.cve_id if issue.vulnerability else None
            self.findings.append(
                Finding(
                    source=source,
                    source_id=sid,
                    resource_id=issue.resource.resource_id,
                    category=issue.category,
                    type=issue.type,
                    title=issue.title,
                    description=issue.description,
                    severity=issue.severity,
                    status=timeline.status,
                    first_seen=timeline.first_seen,
                    last_seen=timeline.last_seen,
                    resolved_at=timeline.resolved_at,
                    console_url=console_url(source, sid, cve=cve, check=issue.check),
                    vulnerability=issue.vulnerability,
                )
            )


def _natural(issue: Issue, source: Source) -> str:
    """The id a scanner without ids gets: its check and the resource it fired on."""
    r = issue.resource
    if source is Source.PROWLER:
        where = f"{r.account or 'global'}-{r.region or 'global'}"
        return f"prowler-{r.cloud.value}-{issue.check}-{where}-{r.name}"
    v = issue.vulnerability
    if v is not None:
        return f"{v.cve_id}:{v.package}@{v.installed_version}:{r.resource_id}"
    return f"{issue.check}:{r.resource_id}"

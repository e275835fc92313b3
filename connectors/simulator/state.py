"""What the simulator serves: the demo estate, split into each platform's streams.

Each platform serves the resources it watches (``resource.sources``) and the findings it
reported (``finding.source``). Trivy and Prowler findings are left to the importers:
the simulator serves only the four CNAPPs. A stream is a list sorted by (modified
time, key) so "changed since" is a bisection and pages are stable slices.
"""

from __future__ import annotations

import bisect
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from core.models import (
    Edge,
    Finding,
    FindingCategory,
    FindingStatus,
    Permission,
    Resource,
    ResourceKind,
    Source,
)
from estate import Estate

__all__ = ["CNAPPS", "Collection", "SimState"]

CNAPPS = (Source.WIZ, Source.PRISMA, Source.LACEWORK, Source.ORCA)
T = TypeVar("T", Resource, Finding)


def _modified(model: Resource | Finding) -> datetime:
    if isinstance(model, Finding):
        return max(model.last_seen, model.resolved_at or model.last_seen)
    stamp = model.last_seen or model.first_seen
    assert stamp is not None, "estate resources always have a last_seen"
    return stamp


def _key(model: Resource | Finding) -> str:
    return model.finding_id if isinstance(model, Finding) else model.resource_id


@dataclass
class Collection(Generic[T]):
    """One stream's records, ordered by (modified, key)."""

    items: list[tuple[datetime, str, T]] = field(default_factory=list)

    @classmethod
    def of(cls, models: Iterable[T]) -> Collection[T]:
        return cls(sorted((_modified(m), _key(m), m) for m in models))

    def since(self, since: datetime | None) -> list[tuple[datetime, str, T]]:
        """The records modified after ``since`` (all when None), in order."""
        if since is None:
            return self.items
        start = bisect.bisect_right(self.items, since, key=lambda item: item[0])
        return self.items[start:]

    def put(self, model: T, modified: datetime) -> None:
        self.remove(_key(model))
        bisect.insort(self.items, (modified, _key(model), model))

    def remove(self, key: str) -> bool:
        for i, item in enumerate(self.items):
            if item[1] == key:
                del self.items[i]
                return True
        return False

    def __len__(self) -> int:
        return len(self.items)


# Wiz and Lacework serve vulnerabilities and other findings from different endpoints;
# Prisma Cloud and Orca serve every finding as an alert.
SPLIT = {Source.WIZ: True, Source.LACEWORK: True, Source.PRISMA: False, Source.ORCA: False}


def _group(f: Finding) -> str:
    if not SPLIT[f.source]:
        return "all"
    return "vulns" if f.category is FindingCategory.VULNERABILITY else "others"


def _split_findings(findings: Iterable[Finding]) -> dict[tuple[Source, str], list[Finding]]:
    out: dict[tuple[Source, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.source in CNAPPS:
            out[(f.source, _group(f))].append(f)
    return out


class SimState:
    """The estate as the four platforms' streams, plus the edits tests make to it."""

    def __init__(self, estate: Estate) -> None:
        self.estate = estate
        self.lock = threading.RLock()
        self.estate_resources = {r.resource_id: r for r in estate.resources}
        self.edges_from: dict[str, list[Edge]] = defaultdict(list)
        for edge in estate.edges:
            self.edges_from[edge.from_id].append(edge)
        self.grants_of: dict[str, list[Permission]] = defaultdict(list)
        for grant in estate.permissions:
            self.grants_of[grant.role_id].append(grant)
        self.resources: dict[Source, Collection[Resource]] = {
            s: Collection.of(r for r in estate.resources if s in r.sources) for s in CNAPPS
        }
        self._by_kind: dict[tuple[Source, frozenset[ResourceKind]], list[Resource]] = {}
        split = _split_findings(estate.findings)
        self.findings: dict[tuple[Source, str], Collection[Finding]] = {
            (s, g): Collection.of(split.get((s, g), []))
            for s in CNAPPS
            for g in (("vulns", "others") if SPLIT[s] else ("all",))
        }

    def resources_of(self, source: Source, kinds: set[ResourceKind]) -> list[Resource]:
        """A platform's resources of some kinds, in a fixed order (computed once)."""
        key = (source, frozenset(kinds))
        if key not in self._by_kind:
            self._by_kind[key] = [r for _, _, r in self.resources[source].items if r.kind in kinds]
        return self._by_kind[key]

    def findings_of(self, source: Source, group: str = "all") -> Collection[Finding]:
        """A platform's findings: "vulns" or "others" (Wiz, Lacework), else "all"."""
        return self.findings[(source, group)]

    # -- edits (tests) ------------------------------------------------------------------

    def resolve(self, finding_id: str, at: datetime) -> None:
        """Mark one served finding resolved at ``at`` (it changes, so incremental sees it)."""
        with self.lock:
            for coll in self.findings.values():
                for _, key, f in coll.items:
                    if key == finding_id:
                        fixed = f.model_copy(
                            update={"status": FindingStatus.RESOLVED, "resolved_at": at}
                        )
                        coll.put(Finding.model_validate(fixed.model_dump()), at)
                        return
        raise KeyError(finding_id)

    def drop(self, finding_id: str) -> None:
        """Stop serving one finding, as a platform forgets a fixed one."""
        with self.lock:
            if not any(coll.remove(finding_id) for coll in self.findings.values()):
                raise KeyError(finding_id)

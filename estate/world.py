"""The estate under construction: what exists so far and the indexes later steps read.

Resources, permissions and edges are appended in generation order (lists, never sets,
so output order is the draw order). Side tables remember facts that the frozen models
do not carry but the finding generators need: which buckets a role reaches, which
package versions an image was built with, which triggers front a function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from core.models import DataClass, Edge, EdgeRelation, Permission, Resource
from estate.facts import PackageLine
from estate.names import UniqueNames
from estate.rand import Rand

__all__ = ["Installed", "RoleInfo", "World", "ordered_classes"]

Installed = tuple[PackageLine, str]  # one package line and the version installed from it


@dataclass(slots=True)
class RoleInfo:
    """What a role grants, summarised for findings and data-class propagation."""

    admin: bool = False
    wildcards: list[str] = field(default_factory=list)
    granted: int = 0
    unused: int = 0
    buckets: list[tuple[str, EdgeRelation]] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)  # buckets granted PutObject by name


@dataclass(slots=True)
class World:
    """Accumulates one estate; every generator step reads and appends to it."""

    now: datetime
    scale: float
    rand: Rand
    names: UniqueNames = field(default_factory=UniqueNames)
    resources: list[Resource] = field(default_factory=list)
    by_id: dict[str, Resource] = field(default_factory=dict)
    permissions: list[Permission] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    roles: dict[str, RoleInfo] = field(default_factory=dict)
    buckets_by_account: dict[str, list[Resource]] = field(default_factory=dict)
    buckets_by_team: dict[tuple[str, str], list[Resource]] = field(default_factory=dict)
    triggers_of: dict[str, list[Resource]] = field(default_factory=dict)
    installed: dict[str, list[Installed]] = field(default_factory=dict)
    shared_roles: dict[tuple[str, str], str] = field(default_factory=dict)
    showcase: set[str] = field(default_factory=set)  # named in demos: their issues stay open
    _edge_keys: set[tuple[str, str, str]] = field(default_factory=set)

    def count(self, base: float) -> int:
        """``base`` scaled linearly, at least one."""
        return max(1, round(base * self.scale))

    def add(self, resource: Resource) -> Resource:
        if resource.resource_id in self.by_id:
            raise ValueError(f"duplicate resource_id {resource.resource_id}")
        self.resources.append(resource)
        self.by_id[resource.resource_id] = resource
        if resource.bucket is not None and resource.account:
            self.buckets_by_account.setdefault(resource.account, []).append(resource)
            team_key = (resource.account, resource.owner_team or "")
            self.buckets_by_team.setdefault(team_key, []).append(resource)
        return resource

    def link(self, from_id: str, relation: EdgeRelation, to_id: str) -> None:
        """Add an edge once; repeats are dropped so the natural key stays unique."""
        key = (from_id, relation.value, to_id)
        if key in self._edge_keys:
            return
        self._edge_keys.add(key)
        self.edges.append(Edge(from_id=from_id, to_id=to_id, relation=relation))

    def reach_classes(self, role_id: str | None) -> set[DataClass]:
        """Data classes of every bucket a role can read or write."""
        out: set[DataClass] = set()
        if role_id is None or role_id not in self.roles:
            return out
        for bucket_id, _ in self.roles[role_id].buckets:
            out.update(self.by_id[bucket_id].data_classes)
        return out


def ordered_classes(classes: set[DataClass]) -> tuple[DataClass, ...]:
    """Data classes in a fixed order, so a set never decides output order."""
    return tuple(c for c in DataClass if c in classes)

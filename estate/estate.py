"""The generated estate: every model the store loads, plus how it was made."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from core.models import Edge, Finding, Permission, Resource

__all__ = ["Estate"]


@dataclass(frozen=True, slots=True)
class Estate:
    """A complete demo estate; the same seed, scale and ``now`` give the same one."""

    seed: int
    scale: float
    now: datetime
    resources: tuple[Resource, ...]
    findings: tuple[Finding, ...]
    permissions: tuple[Permission, ...]
    edges: tuple[Edge, ...]

    def content_hash(self) -> str:
        """sha256 over every record's JSON in order: equal hashes mean equal estates."""
        digest = hashlib.sha256(f"{self.seed}|{self.scale!r}|{self.now.isoformat()}".encode())
        for group in (self.resources, self.findings, self.permissions, self.edges):
            digest.update(b"\x1e")
            for record in group:
                digest.update(record.model_dump_json().encode())
                digest.update(b"\n")
        return digest.hexdigest()

    def counts(self) -> dict[str, int]:
        """Records per resource kind and per finding category, for reports and tests."""
        out: dict[str, int] = {}
        for kind, n in sorted(Counter(r.kind.value for r in self.resources).items()):
            out[f"resource.{kind}"] = n
        for category, n in sorted(Counter(f.category.value for f in self.findings).items()):
            out[f"finding.{category}"] = n
        out["permissions"] = len(self.permissions)
        out["edges"] = len(self.edges)
        return out

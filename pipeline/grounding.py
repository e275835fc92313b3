"""The store's own distinct values, for grounding named things in a question.

Read once per store load (they change only when a sync lands) and handed to the parser
and, fenced and redacted, to Claude's prompt.
"""

from __future__ import annotations

from querygen.parser import GroundingValues
from store import FindingsStore

__all__ = ["GROUNDED_COLUMNS", "read_grounding"]

# GroundingValues field -> (view, column) it is read from
GROUNDED_COLUMNS: dict[str, tuple[str, str]] = {
    "teams": ("resources", "team"),
    "namespaces": ("workloads", "namespace"),
    "clusters": ("workloads", "cluster"),
    "regions": ("resources", "region"),
    "accounts": ("resources", "account"),
    "function_names": ("functions", "name"),
    "image_names": ("images", "name"),
    "workload_names": ("workloads", "name"),
    "role_names": ("roles", "name"),
    "bucket_names": ("buckets", "name"),
    "trigger_names": ("triggers", "name"),
    "cve_ids": ("vulnerabilities", "cve_id"),
    "packages": ("vulnerabilities", "package"),
}


def read_grounding(store: FindingsStore) -> GroundingValues:
    """Distinct values of every grounded column, straight from the semantic views."""
    values = {
        field: tuple(store.distinct_values(view, column))
        for field, (view, column) in GROUNDED_COLUMNS.items()
    }
    return GroundingValues(**values)

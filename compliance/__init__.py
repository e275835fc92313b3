"""Compliance snapshots: CIS, SOC 2 and ISO 27001 controls assessed from the findings."""

from compliance.history import history, record, sync_mappings
from compliance.mapping import Framework, framework_ids, load_checks, load_framework
from compliance.snapshot import ControlResult, Evidence, Scope, Snapshot, Status, take_snapshot
from compliance.summary import ComplianceSummary, compliance_summary, make_scope

__all__ = [
    "ComplianceSummary",
    "ControlResult",
    "Evidence",
    "Framework",
    "Scope",
    "Snapshot",
    "Status",
    "compliance_summary",
    "framework_ids",
    "history",
    "load_checks",
    "load_framework",
    "make_scope",
    "record",
    "sync_mappings",
    "take_snapshot",
]

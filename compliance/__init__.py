"""Compliance snapshots: CIS, SOC 2 and ISO 27001 controls assessed from the findings."""

from compliance.drafts import DraftGuidance, DraftResource, TicketDraft, ticket_drafts
from compliance.history import history, record, sync_mappings, trend
from compliance.mapping import Framework, framework_ids, load_checks, load_framework
from compliance.scoping import (
    ScopeChoices,
    ScopeWords,
    UnknownScopeWord,
    parse_scope_words,
    scope_choices,
)
from compliance.snapshot import ControlResult, Evidence, Scope, Snapshot, Status, take_snapshot
from compliance.summary import ComplianceSummary, compliance_summary, make_scope

__all__ = [
    "ComplianceSummary",
    "ControlResult",
    "DraftGuidance",
    "DraftResource",
    "Evidence",
    "Framework",
    "Scope",
    "ScopeChoices",
    "ScopeWords",
    "Snapshot",
    "Status",
    "TicketDraft",
    "UnknownScopeWord",
    "compliance_summary",
    "framework_ids",
    "history",
    "load_checks",
    "load_framework",
    "make_scope",
    "parse_scope_words",
    "record",
    "scope_choices",
    "sync_mappings",
    "take_snapshot",
    "ticket_drafts",
    "trend",
]

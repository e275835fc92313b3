"""Governance: what may leave the process, how much model use each user gets, the audit."""

from __future__ import annotations

from governance.audit import GENESIS, AuditEvent, AuditLog, AuditRecord, ChainReport
from governance.budget import (
    BudgetStore,
    InMemoryBudgetStore,
    RateLimiter,
    TokenBudget,
    month_of,
)
from governance.redact import RedactedText, Redactor, restore, restore_data, shannon_entropy

__all__ = [
    "GENESIS",
    "AuditEvent",
    "AuditLog",
    "AuditRecord",
    "BudgetStore",
    "ChainReport",
    "InMemoryBudgetStore",
    "RateLimiter",
    "RedactedText",
    "Redactor",
    "TokenBudget",
    "month_of",
    "restore",
    "restore_data",
    "shannon_entropy",
]

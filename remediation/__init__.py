"""Fix drafters: deterministic, offline, every output parsed back and validated.

``load_context(store, finding_id)`` reads what a drafter needs; ``draft_fix(ctx)``
returns a ``Remediation`` (prowler's Remediation shape) or a ``NoAutomaticFix``.
Nothing here applies a change.
"""

from __future__ import annotations

from remediation.context import Artifacts, FixContext, load_context
from remediation.llm_drafter import LLMDrafter
from remediation.models import DraftInvalid, NoAutomaticFix, Remediation, RemediationCode
from remediation.registry import DRAFTERS, NO_AUTOMATIC_FIX, draft_fix

__all__ = [
    "DRAFTERS",
    "NO_AUTOMATIC_FIX",
    "Artifacts",
    "DraftInvalid",
    "FixContext",
    "LLMDrafter",
    "NoAutomaticFix",
    "Remediation",
    "RemediationCode",
    "draft_fix",
    "load_context",
]

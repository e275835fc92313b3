"""Proposals: drafted fixes, tickets and suppressions, decided by people, delivered once.

``ProposalService`` is the workflow (draft, approve, reject, edit, retry); ``Rbac`` says
who may do what; ``ProposalStore`` keeps proposals in the workflow database and moves
them only by compare-and-set; ``lifecycle`` closes and expires them without a click.
"""

from __future__ import annotations

from proposals.delivery import delivery_request
from proposals.drafting import owner_team, pick_target, read_finding
from proposals.edits import apply_edit, editable_parts
from proposals.lifecycle import close_resolved, finding_statuses, sweep_suppressions
from proposals.models import (
    TRANSITIONS,
    Proposal,
    ProposalDraft,
    ProposalKind,
    ProposalState,
    Suppression,
    SuppressionKind,
    can_move,
)
from proposals.rbac import Action, CachedGroups, GroupLookup, Rbac, Refusal
from proposals.service import Outcome, ProposalService
from proposals.store import ProposalStore

__all__ = [
    "TRANSITIONS",
    "Action",
    "CachedGroups",
    "GroupLookup",
    "Outcome",
    "Proposal",
    "ProposalDraft",
    "ProposalKind",
    "ProposalService",
    "ProposalState",
    "ProposalStore",
    "Rbac",
    "Refusal",
    "Suppression",
    "SuppressionKind",
    "apply_edit",
    "can_move",
    "close_resolved",
    "delivery_request",
    "editable_parts",
    "finding_statuses",
    "owner_team",
    "pick_target",
    "read_finding",
    "sweep_suppressions",
]

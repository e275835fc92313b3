"""``ProposalService``: draft, approve, reject, edit, retry — each checked and audited.

Surface-free: the Slack listeners and ``posture proposals`` call the same methods with
the person's Slack user ID, so RBAC and the audit trail are the same everywhere. A
method returns an ``Outcome`` saying what happened (including "refused" and "someone
else already did it"); it raises only for bad input (``ValidationFailed``).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from core.errors import TicketingError, ValidationFailed
from core.routing import AccessSettings, TeamRoute
from governance.audit import AuditEvent, AuditLog
from proposals.delivery import delivery_request
from proposals.drafting import draft_for, owner_team, pick_target, read_finding
from proposals.edits import apply_edit
from proposals.models import Proposal, ProposalDraft, ProposalKind, ProposalState, Suppression
from proposals.rbac import Action, Rbac, Refusal
from proposals.store import ProposalStore
from remediation.registry import Drafter
from store import FindingsStore
from tickets.models import Deliverer

__all__ = ["MAX_SUPPRESSION", "Outcome", "ProposalService", "Status", "audit_details"]

Status = Literal[
    "drafted", "existing", "approved", "delivered", "failed", "rejected", "edited",
    "unchanged", "refused", "already",
]  # fmt: skip
MAX_SUPPRESSION = timedelta(days=366)
_S = ProposalState


@dataclass(frozen=True)
class Outcome:
    """What a request did to a proposal."""

    status: Status
    proposal: Proposal
    refusal: Refusal | None = None
    diff: str = ""


def _utcnow() -> datetime:
    return datetime.now(UTC)


def audit_details(p: Proposal, **extra: Any) -> dict[str, Any]:
    """The audit record's fields for one step of a proposal: who asked, about which
    finding, from which question, drafted by what (template, hash, model), what changes."""
    fix = p.draft.remediation
    return {
        "proposal_id": p.id,
        "kind": p.kind.value,
        "finding_id": p.finding_id,
        "source": p.source,
        "team": p.team,
        "severity": p.severity,
        "state": p.state.value,
        "requested_by": p.requested_by,
        "question": p.draft.question,
        "drafter": p.draft.drafter,
        "prompt_template": p.draft.prompt_template,
        "prompt_hash": p.draft.prompt_hash,
        "model": p.draft.model,
        "diff": fix.diff if fix else None,
        "target": p.target.value if p.target else None,
        **extra,
    }


class ProposalService:
    """The proposal workflow over one workflow database and one findings store.

    Args:
        store: where proposals live (SQLite, shared by processes).
        findings: the read-only findings store drafts are made from.
        rbac: roles and rules.
        deliverer: turns an approved proposal into a ticket or pull request.
        audit: the hash-chained audit trail.
        teams: team routes (``Settings.teams``); access: ``Settings.access``.
        clock: the current UTC time.
    """

    def __init__(
        self,
        store: ProposalStore,
        findings: FindingsStore,
        *,
        rbac: Rbac,
        deliverer: Deliverer,
        audit: AuditLog,
        teams: Mapping[str, TeamRoute],
        access: AccessSettings,
        clock: Callable[[], datetime] = _utcnow,
        fix_drafter: Drafter | None = None,
    ) -> None:
        self.store = store
        self.fix_drafter = fix_drafter  # Claude, for types no offline drafter serves
        self.findings = findings
        self.rbac = rbac
        self.deliverer = deliverer
        self.audit = audit
        self.teams = teams
        self.access = access
        self.clock = clock

    def route(self, team: str) -> TeamRoute | None:
        return self.teams.get(team)

    def close(self) -> None:
        """Close the deliverer's connections (when it has any) and the workflow database."""
        closer = getattr(self.deliverer, "close", None)
        if callable(closer):
            closer()
        self.store.db.close()

    def _record(self, action: str, actor: str, p: Proposal, **extra: Any) -> None:
        self.audit.append(AuditEvent(action=action, actor=actor, details=audit_details(p, **extra)))

    def refused(self, p: Proposal, refusal: Refusal) -> Outcome:
        """Audit a refusal and say so (the caller shows the reason to the person)."""
        self._record(
            "proposal.refused",
            refusal.user,
            p,
            decision=f"refused {refusal.action.value}",
            reason=refusal.reason,
            role=refusal.role.name.lower(),
        )
        return Outcome("refused", p, refusal=refusal)

    # --- drafting -----------------------------------------------------------------------

    def draft(
        self,
        finding_id: str,
        kind: ProposalKind,
        *,
        user: str,
        question: str | None = None,
        suppression: Suppression | None = None,
    ) -> Outcome:
        """Draft a proposal for one finding (or find the open one of that kind).

        Raises:
            ValidationFailed: unknown finding, no safe fix, no destination, or a
                suppression without terms or with an expiry in the past / too far ahead.
        """
        facts = read_finding(self.findings, finding_id)
        team = owner_team(facts, self.teams, self.access)
        now = self.clock()
        self._check_terms(kind, suppression, now)
        refusal = self.rbac.check(user, Action.DRAFT, team)
        target = None
        if refusal is not None:  # refused before any drafting work: record who tried what
            draft = ProposalDraft(summary=str(facts.get("title") or finding_id), risk_in_words="")
        else:
            draft = draft_for(self.findings, facts, kind, question=question, llm=self.fix_drafter)
            if kind is not ProposalKind.SUPPRESSION:
                has_code = draft.remediation is not None
                target = pick_target(kind, self.route(team), has_code=has_code)
        proposal = Proposal(
            id=f"prop_{secrets.token_hex(8)}",
            kind=kind,
            finding_id=finding_id,
            source=str(facts["source"]),
            team=team,
            target=target,
            severity=str(facts.get("severity") or "unknown"),
            title=str(facts.get("title") or finding_id)[:500],
            draft=draft,
            requested_by=user,
            suppression=suppression,
            created_at=now,
            updated_at=now,
        )
        if refusal is not None:
            return self.refused(proposal, refusal)
        stored, created = self.store.add(proposal)
        if not created:
            return Outcome("existing", stored)
        terms = suppression.model_dump(mode="json") if suppression else None
        self._record("proposal.drafted", user, stored, decision="drafted", suppression=terms)
        return Outcome("drafted", stored)

    @staticmethod
    def _check_terms(kind: ProposalKind, terms: Suppression | None, now: datetime) -> None:
        if kind is not ProposalKind.SUPPRESSION:
            if terms is not None:
                raise ValidationFailed("Only a suppression takes a reason and an expiry.")
            return
        if terms is None:
            raise ValidationFailed("A suppression needs a reason and an expiry.")
        if not now < terms.expires_at <= now + MAX_SUPPRESSION:
            raise ValidationFailed(
                "A suppression must expire in the future and within a year.",
                remediation="Pick an expiry date between tomorrow and a year from now.",
            )

    # --- decisions ----------------------------------------------------------------------

    def approve(self, proposal_id: str, *, user: str) -> Outcome:
        """Approve and, for a fix or ticket, deliver it; exactly once however often asked."""
        p = self.store.require(proposal_id)
        refusal = self.rbac.check(
            user, Action.APPROVE, p.team, requested_by=p.requested_by, severity=p.severity
        )
        if refusal is not None:
            return self.refused(p, refusal)
        moved = self.store.move(p.id, {_S.PENDING}, _S.APPROVED, decided_by=user, reason=None)
        if moved is None:
            return Outcome("already", self.store.require(p.id))
        self._record("proposal.approved", user, moved, decision="approved")
        if moved.kind is ProposalKind.SUPPRESSION:
            return Outcome("approved", moved)
        return self._deliver(moved, user)

    def retry(self, proposal_id: str, *, user: str) -> Outcome:
        """Deliver a proposal whose delivery failed, once more."""
        p = self.store.require(proposal_id)
        refusal = self.rbac.check(user, Action.RETRY, p.team)
        if refusal is not None:
            return self.refused(p, refusal)
        moved = self.store.move(p.id, {_S.FAILED}, _S.APPROVED)
        if moved is None:
            return Outcome("already", self.store.require(p.id))
        return self._deliver(moved, user)

    def _deliver(self, p: Proposal, actor: str) -> Outcome:
        try:
            receipt = self.deliverer.deliver(delivery_request(p))
        except TicketingError as exc:
            failed = self.store.move(p.id, {_S.APPROVED}, _S.FAILED, reason=exc.message)
            failed = failed or self.store.require(p.id)
            self._record(
                "proposal.delivery_failed", actor, failed, decision="failed", reason=exc.message
            )
            return Outcome("failed", failed)
        done = self.store.move(p.id, {_S.APPROVED}, _S.DELIVERED, receipt=receipt, reason=None)
        done = done or self.store.require(p.id)
        self._record(
            "proposal.delivered",
            actor,
            done,
            decision="delivered",
            receipt=receipt.model_dump(mode="json"),
        )
        return Outcome("delivered", done)

    def resume_deliveries(self, *, actor: str = "posture-copilot") -> list[Outcome]:
        """Deliver proposals left approved but undelivered (the process stopped mid-way).

        The idempotency key makes a delivery that did land before the stop return its
        first receipt instead of a second ticket.
        """
        approved = self.store.find(states=[_S.APPROVED], limit=10_000)
        stuck = [p for p in approved if p.kind is not ProposalKind.SUPPRESSION]
        return [self._deliver(p, actor) for p in stuck]

    def reject(self, proposal_id: str, *, user: str, reason: str) -> Outcome:
        """Reject with a reason; nothing is delivered.

        Raises:
            ValidationFailed: the reason is missing or too short.
        """
        reason = reason.strip()
        if len(reason) < 3:
            raise ValidationFailed("Say why the proposal is rejected (a few words).")
        p = self.store.require(proposal_id)
        refusal = self.rbac.check(user, Action.REJECT, p.team)
        if refusal is not None:
            return self.refused(p, refusal)
        moved = self.store.move(
            p.id, {_S.PENDING}, _S.REJECTED, decided_by=user, reason=reason[:2000]
        )
        if moved is None:
            return Outcome("already", self.store.require(p.id))
        self._record("proposal.rejected", user, moved, decision="rejected", reason=reason[:2000])
        return Outcome("rejected", moved)

    def edit(self, proposal_id: str, *, user: str, changes: Mapping[str, str]) -> Outcome:
        """Change a pending draft; code parts are re-validated.

        Raises:
            DraftInvalid: an edited part fails its check (the draft is left as it was).
        """
        p = self.store.require(proposal_id)
        refusal = self.rbac.check(user, Action.EDIT, p.team)
        if refusal is not None:
            return self.refused(p, refusal)
        if p.state is not _S.PENDING:
            return Outcome("already", p)
        draft, diff = apply_edit(p.draft, changes, user)
        if not diff:
            return Outcome("unchanged", p)
        moved = self.store.change(p.id, {_S.PENDING}, draft=draft)
        if moved is None:
            return Outcome("already", self.store.require(p.id))
        self._record("proposal.edited", user, moved, decision="edited", edit_diff=diff)
        return Outcome("edited", moved, diff=diff)

    def posted(self, proposal_id: str, *, channel: str, ts: str) -> Proposal | None:
        """Remember the Slack message that shows the proposal (to update it later)."""
        return self.store.change(
            proposal_id, set(ProposalState), slack_channel=channel, slack_ts=ts
        )

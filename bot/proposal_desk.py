"""The proposal flow in Slack: post drafts to the owner team, decide, show the outcome.

Listeners hand this desk what they extracted (who, which proposal, where); it calls
``ProposalService`` (where RBAC, state and audit live) and shows the result: the
proposal message in the team's channel, updated in place as it moves; the receipt or the
failure in its thread; refusals as ephemeral messages only the clicker sees.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import messages
from bot import proposal_messages as words
from bot.incidents import log_incident
from bot.memory import AnswerCache
from bot.views.proposal import proposal_blocks, proposal_text
from bot.views.proposal_forms import (
    REASON_BLOCK,
    SUPPRESS_EXPIRY,
    SUPPRESS_KIND,
    edit_modal,
    reject_modal,
    suppress_modal,
)
from core.errors import ValidationFailed
from proposals import (
    Action,
    Outcome,
    Proposal,
    ProposalKind,
    ProposalService,
    Suppression,
    SuppressionKind,
    apply_edit,
)
from remediation.models import DraftInvalid

__all__ = ["ProposalDesk", "RowPick", "from_row"]

logger = logging.getLogger(__name__)
_ROW_KINDS = {"fix": ProposalKind.FIX, "ticket": ProposalKind.TICKET, "suppress": None}
_CANNOT_POST = {"not_in_channel", "channel_not_found", "is_archived"}
RowPick = tuple[str, str, str | None]  # (menu choice, finding id, question)


class ProposalDesk:
    """Slack I/O around the proposal service.

    Args:
        service: the workflow (RBAC, state, audit, delivery).
        client: the Web API client.
    """

    def __init__(self, service: ProposalService, client: WebClient) -> None:
        self.service = service
        self.client = client

    # --- from an answer row ----------------------------------------------------------------

    @staticmethod
    def row_pick(cache: AnswerCache, value: str) -> RowPick | None:
        """``fix|ticket|suppress:<answer id>:<row>`` -> (choice, finding id, question)."""
        choice, _, rest = value.partition(":")
        answer_id, _, index = rest.partition(":")
        stored = cache.get(answer_id)
        if choice not in _ROW_KINDS or stored is None or not index.isdigit():
            return None
        answer = stored.answer
        if "finding_id" not in answer.columns or int(index) >= len(answer.rows):
            return None
        finding_id = answer.rows[int(index)][answer.columns.index("finding_id")]
        return choice, str(finding_id), answer.question

    def draft(
        self, finding_id: str, kind: ProposalKind, *, user: str, channel: str, question: str | None
    ) -> None:
        """Draft, then post the proposal to its team's channel (else where it was asked)."""
        self._guard(
            channel,
            user,
            lambda: self._posted(
                self.service.draft(finding_id, kind, user=user, question=question), user, channel
            ),
        )

    def suppress_form(
        self, finding_id: str, *, user: str, channel: str, trigger_id: str, question: str | None
    ) -> None:
        today = self.service.clock().date()
        form = suppress_modal(finding_id, channel=channel, question=question, today=today)
        self._guard(channel, user, lambda: self.client.views_open(trigger_id=trigger_id, view=form))

    def submit_suppression(
        self, meta: Mapping[str, str], values: Mapping[str, str], user: str
    ) -> None:
        channel = str(meta.get("channel") or user)

        def work() -> None:
            expires = datetime.combine(
                datetime.fromisoformat(values[SUPPRESS_EXPIRY]).date(), time(23, 59), tzinfo=UTC
            )
            terms = Suppression(
                kind=SuppressionKind(values[SUPPRESS_KIND]),
                reason=values[REASON_BLOCK],
                expires_at=expires,
            )
            outcome = self.service.draft(
                str(meta.get("finding_id")),
                ProposalKind.SUPPRESSION,
                user=user,
                question=str(meta.get("question") or "") or None,
                suppression=terms,
            )
            self._posted(outcome, user, channel)

        self._guard(channel, user, work)

    def _posted(self, outcome: Outcome, user: str, channel: str) -> None:
        p = outcome.proposal
        if outcome.status == "refused":
            self._refusal(outcome, channel, user)
            return
        if outcome.status == "existing" and p.slack_ts:
            where = p.slack_channel or channel
            self._whisper(
                channel,
                user,
                words.DRAFT_EXISTING.format(id=p.id, state=p.state.value, channel=where),
            )
            return
        posted_in = self._post(p, channel)
        self._whisper(channel, user, words.DRAFT_POSTED.format(id=p.id, channel=posted_in))

    def _post(self, p: Proposal, origin: str) -> str:
        """Post to the team's channel; where the bot may not post, to ``origin`` instead."""
        route = self.service.route(p.team)
        team_channel = route.slack_channel if route else None
        for target in dict.fromkeys(c for c in (team_channel, origin) if c):
            try:
                posted = self.client.chat_postMessage(
                    channel=target, text=proposal_text(p), blocks=proposal_blocks(p)
                )
            except SlackApiError as exc:
                if exc.response.get("error") not in _CANNOT_POST or target == origin:
                    raise
                logger.warning("cannot post proposals in %s: %s", target, exc.response["error"])
                continue
            self.service.posted(p.id, channel=str(posted["channel"]), ts=str(posted["ts"]))
            return str(posted["channel"])
        raise RuntimeError("no channel to post the proposal in")  # pragma: no cover

    # --- decisions ---------------------------------------------------------------------------

    def approve(
        self, proposal_id: str, *, user: str, channel: str, message_ts: str | None = None
    ) -> None:
        self._guard(
            channel,
            user,
            lambda: self._decided(
                self.service.approve(proposal_id, user=user), user, channel, message_ts
            ),
        )

    def retry(
        self, proposal_id: str, *, user: str, channel: str, message_ts: str | None = None
    ) -> None:
        self._guard(
            channel,
            user,
            lambda: self._decided(
                self.service.retry(proposal_id, user=user), user, channel, message_ts
            ),
        )

    def reject_form(self, proposal_id: str, *, user: str, channel: str, trigger_id: str) -> None:
        def work() -> None:
            if self._may(proposal_id, user, channel, Action.REJECT):
                form = reject_modal(proposal_id, channel=channel)
                self.client.views_open(trigger_id=trigger_id, view=form)

        self._guard(channel, user, work)

    def submit_reject(self, meta: Mapping[str, str], values: Mapping[str, str], user: str) -> None:
        channel, proposal_id = str(meta.get("channel") or user), str(meta.get("proposal_id"))
        reason = values.get(REASON_BLOCK, "")
        self._guard(
            channel,
            user,
            lambda: self._decided(
                self.service.reject(proposal_id, user=user, reason=reason), user, channel
            ),
        )

    def edit_form(self, proposal_id: str, *, user: str, channel: str, trigger_id: str) -> None:
        def work() -> None:
            if self._may(proposal_id, user, channel, Action.EDIT):
                form = edit_modal(self.service.store.require(proposal_id), channel=channel)
                self.client.views_open(trigger_id=trigger_id, view=form)

        self._guard(channel, user, work)

    def edit_problems(
        self, meta: Mapping[str, str], values: Mapping[str, str], user: str
    ) -> dict[str, str]:
        """Block id -> why its edited text fails its check (shown under the field)."""
        found = self.service.store.get(str(meta.get("proposal_id")))
        if found is None:
            return {}
        for part, text in values.items():
            try:
                apply_edit(found.draft, {part: text}, user)
            except DraftInvalid as exc:
                return {part: exc.message[:150]}
        return {}

    def submit_edit(self, meta: Mapping[str, str], values: Mapping[str, str], user: str) -> None:
        channel, proposal_id = str(meta.get("channel") or user), str(meta.get("proposal_id"))

        def work() -> None:
            outcome = self.service.edit(proposal_id, user=user, changes=values)
            if outcome.status == "edited":
                self.show(outcome.proposal)
                self.thread(outcome.proposal, words.EDITED.format(user=user))
            elif outcome.status in ("refused", "already"):
                self._decided(outcome, user, channel)

        self._guard(channel, user, work)

    def _may(self, proposal_id: str, user: str, channel: str, action: Action) -> bool:
        p = self.service.store.require(proposal_id)
        refusal = self.service.rbac.check(user, action, p.team)
        if refusal is not None:
            self._refusal(self.service.refused(p, refusal), channel, user)
            return False
        return True

    def _decided(
        self, outcome: Outcome, user: str, channel: str, message_ts: str | None = None
    ) -> None:
        p = outcome.proposal
        if outcome.status == "refused":
            self._refusal(outcome, channel, user)
            return
        if outcome.status == "already":
            by = f" by <@{p.decided_by}>" if p.decided_by else ""
            self._whisper(channel, user, words.TOO_LATE.format(id=p.id, state=p.state.value, by=by))
            return
        if p.slack_ts is None and message_ts:  # pressed before the post was recorded
            p = self.service.posted(p.id, channel=channel, ts=message_ts) or p
        self.show(p)
        if outcome.status == "delivered" and p.receipt is not None:
            line = words.DELIVERED if p.receipt.created else words.DELIVERED_EXISTING
            self.thread(p, line.format(url=p.receipt.url, key=p.receipt.key, by=p.decided_by))
        elif outcome.status == "failed":
            target = words.TARGETS.get(p.target.value if p.target else "", "the ticket system")
            self.thread(p, words.FAILED.format(target=target, reason=p.reason or ""))

    # --- showing ----------------------------------------------------------------------------

    def show(self, p: Proposal) -> None:
        """Update the proposal's message to its current state."""
        if p.slack_channel and p.slack_ts:
            self.client.chat_update(
                channel=p.slack_channel,
                ts=p.slack_ts,
                text=proposal_text(p),
                blocks=proposal_blocks(p),
            )

    def thread(self, p: Proposal, text: str) -> None:
        """Say something in the proposal's thread."""
        if p.slack_channel and p.slack_ts:
            self.client.chat_postMessage(channel=p.slack_channel, thread_ts=p.slack_ts, text=text)

    def _refusal(self, outcome: Outcome, channel: str, user: str) -> None:
        reason = outcome.refusal.reason if outcome.refusal else ""
        self._whisper(channel, user, words.REFUSED.format(reason=reason))

    def _whisper(self, channel: str, user: str, text: str) -> None:
        self.client.chat_postEphemeral(channel=channel, user=user, text=text)

    def _guard(self, channel: str, user: str, work: Callable[[], object]) -> None:
        """Run ``work``; a bad request is explained, anything else gets an incident id."""
        try:
            work()
        except ValidationFailed as exc:
            self.whisper_safely(
                channel, user, words.DRAFT_ASK.format(message=exc.message, hint=exc.remediation)
            )
        except Exception:
            incident = log_incident(logger, "running the proposal flow")
            self.whisper_safely(channel, user, messages.ERROR.format(incident=incident))

    def whisper_safely(self, channel: str, user: str, text: str) -> None:
        try:
            self._whisper(channel, user, text)
        except Exception:
            log_incident(logger, "whispering a proposal reply")


def from_row(
    desk: ProposalDesk | None,
    client: WebClient,
    cache: AnswerCache,
    value: str,
    *,
    user: str,
    channel: str,
    trigger_id: str,
) -> None:
    """A row menu choice other than Explain: draft a fix or ticket, or open the form
    that asks for a suppression's terms."""
    if desk is None:
        client.chat_postEphemeral(channel=channel, user=user, text=words.NOT_SET_UP)
        return
    pick = ProposalDesk.row_pick(cache, value)
    if pick is None:
        desk.whisper_safely(channel, user, words.ROW_GONE)
        return
    choice, finding_id, question = pick
    if choice == "suppress":
        desk.suppress_form(
            finding_id, user=user, channel=channel, trigger_id=trigger_id, question=question
        )
        return
    kind = ProposalKind.FIX if choice == "fix" else ProposalKind.TICKET
    desk.draft(finding_id, kind, user=user, channel=channel, question=question)

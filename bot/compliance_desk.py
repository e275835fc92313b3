"""`/posture compliance <framework> [env] [team]` and the buttons under its summary.

Surface-free like ``AnswerDesk``: Slack and the terminal chat both call it. It reads the
store only (snapshots are stored by `posture compliance`, so a Slack request never
writes), audits every request and export, and keeps the summaries its buttons refer to.
Button values carry the framework and scope too, so after a restart a press re-takes the
snapshot instead of failing.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot import messages
from bot.compliance_proposals import ProposeFinding, propose_ticket_drafts
from bot.replies import Attachment, Reply, Upload, text_reply
from bot.views.common import cut, escape
from bot.views.compliance import drafts_blocks, frameworks_blocks, summary_blocks
from compliance import (
    ComplianceSummary,
    UnknownScopeWord,
    compliance_summary,
    framework_ids,
    load_framework,
    parse_scope_words,
    scope_choices,
    ticket_drafts,
    trend,
)
from compliance.chart import trend_png
from compliance.export import (
    ReportFormat,
    evidence_csv,
    render_html,
    render_markdown,
    report_filename,
)
from compliance.mapping import resolve_framework
from core.errors import ValidationFailed
from governance.audit import AuditEvent, AuditLog
from store import FindingsStore

__all__ = ["ComplianceDesk", "ComplianceKey", "SummaryCache"]

VALUE_LIMIT = 2000  # Slack's limit on a button's value
DRAFT_LIMIT = 5
_EXPORTS: dict[str, ReportFormat] = {"compliance_export_html": "html", "compliance_export_md": "md"}
_ACTIONS = {*_EXPORTS, "compliance_trend", "compliance_tickets"}
_SAFE = re.compile(r"^[A-Za-z0-9_.@/ -]*$")  # what a key field may hold ('|' separates)


@dataclass(frozen=True)
class ComplianceKey:
    """What a button needs: the framework, the scope and the cached summary's id."""

    framework: str
    environment: str | None
    team: str | None
    summary_id: str

    def encode(self) -> str:
        """``c1|soc2|prod|payments|<id>``; only the id when a scope word will not fit.

        >>> ComplianceKey("soc2", "prod", None, "ab12").encode()
        'c1|soc2|prod||ab12'
        """
        parts = [self.framework, self.environment or "", self.team or ""]
        value = "|".join(["c1", *parts, self.summary_id])
        if len(value) > VALUE_LIMIT or not all(_SAFE.match(p) for p in parts):
            return f"c1||||{self.summary_id}"
        return value

    @classmethod
    def decode(cls, value: str) -> ComplianceKey | None:
        """The key in a button's value; None for anything this app did not write."""
        parts = value.split("|")
        if len(parts) != 5 or parts[0] != "c1":
            return None
        _, framework, env, team, summary_id = parts
        return cls(framework, env or None, team or None, summary_id)


class SummaryCache:
    """Summaries by a short random id (LRU with a lifetime). Small on purpose: a summary
    carries up to 500 evidence rows per control."""

    def __init__(self, size: int = 16, ttl_s: float = 86_400.0) -> None:
        self._size, self._ttl_s = size, ttl_s
        self._items: OrderedDict[str, tuple[float, ComplianceSummary]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, summary: ComplianceSummary) -> str:
        key = secrets.token_hex(6)
        with self._lock:
            self._items[key] = (time.monotonic(), summary)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return key

    def get(self, key: str) -> ComplianceSummary | None:
        with self._lock:
            item = self._items.get(key)
            if item is None or time.monotonic() - item[0] > self._ttl_s:
                return None
            self._items.move_to_end(key)
            return item[1]


def _raw(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class ComplianceDesk:
    """Compliance summaries, evidence exports, trend charts and ticket drafts as Replies.

    Args:
        store: the findings store (read only).
        audit: where requests and exports are recorded.
        clock: the current UTC time (tests pin it).
        cache: summaries the buttons refer to.
        draft_limit: how many failing controls Draft tickets drafts.
    """

    def __init__(
        self,
        store: FindingsStore,
        *,
        audit: AuditLog | None,
        clock: Callable[[], datetime],
        cache: SummaryCache | None = None,
        draft_limit: int = DRAFT_LIMIT,
    ) -> None:
        self.store, self.audit, self.clock = store, audit, clock
        self.cache = cache or SummaryCache()
        self.draft_limit = draft_limit

    # --- the command ---------------------------------------------------------------------

    def quick(self, framework: str) -> Reply | None:
        """The framework help when the framework is missing or unknown (no query needed)."""
        if not framework:
            return self._frameworks(messages.COMPLIANCE_NO_FRAMEWORK)
        try:
            resolve_framework(framework)
        except ValidationFailed:
            word = escape(cut(framework, 40))
            return self._frameworks(messages.COMPLIANCE_BAD_FRAMEWORK.format(word=word))
        return None

    def summary(self, framework: str, scope_words: tuple[str, ...], *, user: str) -> Reply:
        """The summary of one framework in one scope, with its buttons."""
        early = self.quick(framework)
        if early is not None:
            return early
        try:
            scope = parse_scope_words(scope_words, scope_choices(self.store))
        except UnknownScopeWord as exc:
            self._record("compliance.rejected", user, framework=framework, word=cut(exc.word, 40))
            return self._bad_scope(exc)
        started = time.perf_counter()
        summary = self._take(framework, scope.environment, scope.team)
        elapsed = round((time.perf_counter() - started) * 1000, 2)
        self._record_summary(summary, user, elapsed)
        key = ComplianceKey(
            summary.framework, scope.environment, scope.team, self.cache.put(summary)
        )
        blocks = summary_blocks(summary, value=key.encode())
        return Reply(text=self._headline(summary), blocks=blocks)

    def _take(self, framework: str, env: str | None, team: str | None) -> ComplianceSummary:
        return compliance_summary(self.store, framework, env, team, save=False, now=self.clock())

    def _frameworks(self, lead: str) -> Reply:
        frameworks = [load_framework(f) for f in framework_ids()]
        return Reply(text=lead, blocks=frameworks_blocks(lead, frameworks), ephemeral=True)

    def _bad_scope(self, exc: UnknownScopeWord) -> Reply:
        envs = ", ".join(f"`{e}`" for e in exc.choices.environments) or "none"
        teams = ", ".join(f"`{t}`" for t in exc.choices.teams) or "none"
        word = escape(cut(exc.word, 40))
        if exc.repeated:
            text = messages.COMPLIANCE_REPEATED_SCOPE.format(
                word=word, what=exc.repeated, envs=envs, teams=teams
            )
        else:
            text = messages.COMPLIANCE_BAD_SCOPE.format(word=word, envs=envs, teams=teams)
        return text_reply(text, ephemeral=True)

    @staticmethod
    def _headline(summary: ComplianceSummary) -> str:
        rate = "n/a" if summary.pass_rate is None else f"{summary.pass_rate * 100:.0f}%"
        return f"{summary.framework_name} · {summary.scope_label}: pass rate {rate}"

    # --- the buttons ---------------------------------------------------------------------

    def act(
        self, action_id: str, value: str, *, user: str, propose: ProposeFinding | None = None
    ) -> Reply:
        """The reply to Export evidence, Show trend or Draft tickets.

        ``propose`` turns each drafted control into a ticket proposal on its riskiest
        finding (the Slack app passes the proposals desk; without it drafts are only shown).

        Raises:
            KeyError: an action id the summary never carries.
        """
        if action_id not in _ACTIONS:
            raise KeyError(action_id)
        key = ComplianceKey.decode(value)
        if key is None:
            return text_reply(messages.COMPLIANCE_EXPIRED, ephemeral=True)
        summary = self.cache.get(key.summary_id)
        retaken = summary is None
        if summary is None:
            if not key.framework:
                return text_reply(messages.COMPLIANCE_EXPIRED, ephemeral=True)
            summary = self._take(key.framework, key.environment, key.team)
        if action_id == "compliance_trend":
            return self._trend(summary, retaken, user)
        if action_id == "compliance_tickets":
            return self._tickets(summary, user, propose)
        return self._export(summary, _EXPORTS[action_id], retaken, user)

    def _export(
        self, summary: ComplianceSummary, ext: ReportFormat, retaken: bool, user: str
    ) -> Reply:
        report = render_html(summary) if ext == "html" else render_markdown(summary)
        table = evidence_csv(summary.snapshot)
        rows = table.count("\n") - 1
        title = messages.EVIDENCE_TITLE.format(
            framework=summary.framework_name, scope=summary.scope_label
        )
        comment = messages.EVIDENCE_COMMENT.format(
            framework=summary.framework_name,
            scope=summary.scope_label,
            when=f"{summary.taken_at:%Y-%m-%d %H:%M}",
            rows=rows,
        ) + (messages.EVIDENCE_RETAKEN if retaken else "")
        upload = Upload(
            filename=report_filename(summary, ext),
            content=report,
            title=f"{title} ({ext.upper()})",
            comment=comment,
            rows=rows,
            extra=(Attachment(report_filename(summary, "csv"), table, f"{title} (CSV)"),),
        )
        self._record_export(summary, user, "evidence", upload, retaken, format=ext)
        return Reply(text=comment, upload=upload)

    def _trend(self, summary: ComplianceSummary, retaken: bool, user: str) -> Reply:
        points = trend(self.store, summary.framework, summary.scope.key)
        if not points or points[-1][0] < summary.taken_at:
            points.append((summary.taken_at, summary.pass_rate))
        png = trend_png(points)
        scope = _slug(summary.scope_label)
        comment = messages.TREND_COMMENT.format(
            framework=summary.framework_name,
            scope=summary.scope_label,
            points=len(points),
            first=f"{points[0][0]:%Y-%m-%d}",
            last=f"{points[-1][0]:%Y-%m-%d}",
        )
        upload = Upload(
            filename=f"{summary.framework}-{scope}-trend.png",
            content=png,
            title=messages.TREND_TITLE.format(
                framework=summary.framework_name, scope=summary.scope_label
            ),
            comment=comment,
            rows=len(points),
        )
        self._record_export(summary, user, "trend", upload, retaken, points=len(points))
        return Reply(text=comment, upload=upload)

    def _tickets(
        self, summary: ComplianceSummary, user: str, propose: ProposeFinding | None
    ) -> Reply:
        drafts = ticket_drafts(summary, self.draft_limit)
        proposed = propose_ticket_drafts(drafts, user=user, audit=self.audit, propose=propose)
        self._record(
            "compliance.tickets_drafted",
            user,
            framework=summary.framework,
            scope=summary.scope.key,
            drafts=[d.key for d in proposed],
        )
        text = messages.DRAFTS_HEADER.format(
            framework=summary.framework_name, scope=summary.scope_label
        )
        blocks = drafts_blocks(summary, proposed, user=user)
        return Reply(text=text, blocks=blocks, in_thread=True)

    # --- audit ---------------------------------------------------------------------------

    def _record(self, action: str, user: str, **details: Any) -> None:
        if self.audit is not None:
            self.audit.append(AuditEvent(action=action, actor=user, details=details))

    def _record_summary(self, summary: ComplianceSummary, user: str, elapsed_ms: float) -> None:
        changes = summary.changes
        self._record(
            "compliance.requested",
            user,
            framework=summary.framework,
            scope=summary.scope.key,
            taken_at=summary.taken_at.isoformat(),
            pass_rate=summary.pass_rate,
            passed=summary.passed,
            failed=summary.failed,
            not_assessed=summary.not_assessed,
            failing_controls=[r.control_id for r in summary.failing],
            baseline=changes.previous_taken_at.isoformat() if changes else None,
            elapsed_ms=elapsed_ms,
        )

    def _record_export(
        self,
        summary: ComplianceSummary,
        user: str,
        kind: str,
        upload: Upload,
        retaken: bool,
        **extra: Any,
    ) -> None:
        self._record(
            "compliance.exported",
            user,
            kind=kind,
            framework=summary.framework,
            scope=summary.scope.key,
            taken_at=summary.taken_at.isoformat(),
            retaken=retaken,
            files=[
                {
                    "filename": f.filename,
                    "bytes": len(_raw(f.content)),
                    "sha256": hashlib.sha256(_raw(f.content)).hexdigest(),
                }
                for f in upload.files
            ],
            **extra,
        )

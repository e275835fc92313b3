"""The answer desk: questions, `/posture` subcommands and button presses in, Replies out.

Surface-free on purpose: the Slack listeners and the terminal chat call the same
methods, so a button behaves the same in both. It only calls the pipeline
(``Copilot.ask`` / ``answer_spec``) and the pure view builders.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from bot import buttons, messages
from bot.compliance_desk import ComplianceDesk
from bot.memory import AnswerCache
from bot.replies import Reply, text_reply
from bot.slash import parse_command, parse_compliance, parse_top
from bot.views.answer import answer_blocks, ranked_view
from bot.views.common import cut, escape
from bot.views.help import help_blocks
from bot.views.status import status_blocks
from governance.audit import AuditEvent, AuditLog
from pipeline import Answer, Copilot
from pipeline.question import MAX_QUESTION_CHARS
from querygen.spec import Filter, Op, OrderBy, QuerySpec

__all__ = ["AnswerDesk"]


class AnswerDesk:
    """Turns what a person typed or pressed into a Reply.

    Args:
        copilot: the question path over the findings store.
        audit: where picked readings and feedback are recorded (questions are recorded
            by the copilot itself).
        cache: answers the buttons refer to.
    """

    def __init__(
        self, copilot: Copilot, *, audit: AuditLog | None = None, cache: AnswerCache | None = None
    ) -> None:
        self.copilot = copilot
        self.catalog = copilot.catalog
        self.audit = audit
        self.cache = cache or AnswerCache()
        self.compliance = ComplianceDesk(
            copilot.store, audit=audit or copilot.audit, clock=copilot.clock
        )

    def now(self) -> datetime:
        return self.copilot.clock()

    # --- buttons -------------------------------------------------------------------------

    def act(self, action_id: str, value: str, *, user: str) -> Reply:
        """The reply to a button press or menu choice (see ``bot.buttons``).

        Raises:
            KeyError: an action id this app never puts on a message.
        """
        return buttons.act(self, action_id, value, user=user)

    def feedback(self, value: str, *, user: str) -> Reply:
        """Record 👍 / 👎 ("good:<answer id>" or "bad:<answer id>") and say thanks."""
        return buttons.feedback(self, value, user=user)

    # --- questions ---------------------------------------------------------------------

    def precheck(self, question: str) -> Reply | None:
        """The replies that need no query (empty or over-long question); None otherwise."""
        text = question.strip()
        if not text:
            return self.help()
        if len(text) > MAX_QUESTION_CHARS:
            return text_reply(messages.TOO_LONG.format(length=len(text), limit=MAX_QUESTION_CHARS))
        return None

    def ask(self, question: str, *, user: str) -> Reply:
        """Answer one question in plain words."""
        early = self.precheck(question)
        if early is not None:
            return early
        answer = self.with_row_keys(self.copilot.ask(question.strip(), user=user))
        return self.answer_reply(answer, user)

    def help(
        self, *, lead: str | None = None, ask_this: str | None = None, ephemeral: bool = False
    ) -> Reply:
        blocks = help_blocks(self.catalog, lead=lead, ask_this=ask_this)
        return Reply(text=messages.HELP_HEADER, blocks=blocks, ephemeral=ephemeral)

    def status(self, *, ephemeral: bool = False) -> Reply:
        blocks = status_blocks(self.copilot.store.status(), now=self.now())
        return Reply(text=messages.STATUS_HEADER, blocks=blocks, ephemeral=ephemeral)

    # --- /posture ------------------------------------------------------------------------

    def quick_command(self, text: str) -> Reply | None:
        """What `/posture` can answer inside Slack's acknowledgement (no query needed)."""
        command = parse_command(text)
        if command.name == "help":
            return self.help(ephemeral=True)
        if command.name == "unknown":
            lead = messages.UNKNOWN_SUBCOMMAND.format(word=escape(cut(command.word, 40)))
            return self.help(lead=lead, ask_this=command.argument, ephemeral=True)
        if command.name == "compliance":
            return self.compliance.quick(parse_compliance(command.argument).framework)
        if command.name == "ask":
            early = self.precheck(command.argument)
            return None if early is None else Reply(early.text, early.blocks, ephemeral=True)
        return None

    def command(self, text: str, *, user: str) -> Reply:
        """Run a `/posture` subcommand: ask, top, status, compliance or help (else: help)."""
        quick = self.quick_command(text)
        if quick is not None:
            return quick
        command = parse_command(text)
        if command.name == "status":
            return self.status(ephemeral=True)
        if command.name == "top":
            return self.top(command.argument, user=user)
        if command.name == "compliance":
            args = parse_compliance(command.argument)
            return self.compliance.summary(args.framework, args.scope_words, user=user)
        return self.ask(command.argument, user=user)

    def top(self, argument: str, *, user: str) -> Reply:
        """The riskiest open findings, optionally of one team or environment."""
        args = parse_top(argument)
        conditions = [Filter(field="status", op=Op.EQ, value="open")]
        if args.scope is not None:
            field = self._scope_field(args.scope)
            if field is None:
                return self._bad_scope(args.scope)
            conditions.append(Filter(field=field, op=Op.EQ, value=args.scope))
        spec = QuerySpec(
            view="findings",
            conditions=conditions,
            limit=args.n,
            order_by=[OrderBy(field="risk_score", descending=True)],
        )
        question = (
            messages.TOP_QUESTION_SCOPED.format(n=args.n, scope=args.scope)
            if args.scope
            else messages.TOP_QUESTION.format(n=args.n)
        )
        chips = [c.format(n=args.n) for c in messages.TOP_CHIPS] + (
            [args.scope] if args.scope else []
        )
        answer = self.answer_spec(spec, question=question)
        answer = self.with_row_keys(answer.model_copy(update={"understood": chips}))
        self.record(answer, user)
        return self.answer_reply(answer, user)

    def _scopes(self) -> tuple[list[str], list[str]]:
        findings = self.catalog.view("findings")
        envs = list(findings.column("environment").values)
        teams = list(findings.column("team").values)
        teams += [
            t for t in self.copilot.store.distinct_values("findings", "team") if t not in teams
        ]
        return teams, envs

    def _scope_field(self, scope: str) -> str | None:
        teams, envs = self._scopes()
        if scope in envs:
            return "environment"
        return "team" if scope in teams else None

    def _bad_scope(self, scope: str) -> Reply:
        teams, envs = self._scopes()
        text = messages.TOP_BAD_SCOPE.format(
            word=escape(cut(scope, 40)), teams=", ".join(teams), envs=", ".join(envs)
        )
        return text_reply(text, ephemeral=True)

    # --- answers ---------------------------------------------------------------------------

    def answer_reply(
        self,
        answer: Answer,
        user: str,
        *,
        page: int = 0,
        answer_id: str | None = None,
        replace: bool = False,
    ) -> Reply:
        """The answer message; buttons under it carry a new (or the given) answer id."""
        answer_id = answer_id or self.cache.put(answer, user)
        blocks = answer_blocks(
            answer, answer_id=answer_id, catalog=self.catalog, now=self.now(), page=page
        )
        summary = escape(answer.summary)
        return Reply(text=summary, blocks=blocks, replace=replace, lead=summary, tail=blocks[2:])

    def with_row_keys(self, answer: Answer) -> Answer:
        """The same rows with their key and risk factors, so rows can show their top
        factors and be explained; answers that are not ranked lists are left alone."""
        view = ranked_view(answer, self.catalog)
        spec = answer.spec
        if (
            answer.kind != "rows"
            or not answer.rows
            or view is None
            or spec is None
            or spec.distinct
        ):
            return answer
        wanted = [view.key] + (["risk_factors"] if "risk_factors" in view.columns else [])
        missing = [c for c in wanted if c not in answer.columns]
        if not missing:
            return answer
        widened = spec.model_copy(update={"columns": [*answer.columns, *missing]})
        richer = self.answer_spec(widened, question=answer.question)
        return richer.model_copy(
            update={
                "path": answer.path,
                "notes": answer.notes,
                "understood": answer.understood,
                "confidence": answer.confidence,
                "unused_words": answer.unused_words,
                "summary": answer.summary,
                "elapsed_ms": round(answer.elapsed_ms + richer.elapsed_ms, 2),
            }
        )

    def answer_spec(self, spec: QuerySpec, *, question: str) -> Answer:
        """``Copilot.answer_spec``, timed (only ``ask`` measures itself)."""
        started = time.perf_counter()
        answer = self.copilot.answer_spec(spec, question=question)
        elapsed = round((time.perf_counter() - started) * 1000, 2)
        return answer.model_copy(update={"elapsed_ms": elapsed})

    def record(
        self, answer: Answer, user: str, action: str = "question.answered", **extra: Any
    ) -> None:
        """Audit an answer the copilot did not record itself (a subcommand, a picked
        reading) or feedback on one."""
        if self.audit is None:
            return
        details = {
            "question": answer.question,
            "path": answer.path,
            "kind": answer.kind,
            "spec": answer.spec.model_dump(mode="json") if answer.spec else None,
            "sql": answer.sql,
            "row_count": answer.row_count,
            **extra,
        }
        self.audit.append(AuditEvent(action=action, actor=user, details=details))

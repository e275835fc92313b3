"""ask(question) -> Answer: the one path every question takes, from Slack or a terminal.

Parser when confident; else Claude when configured; else a clarifying reply with
candidate readings. Whatever reads the question, a ``QuerySpec`` is compiled, the SQL
passes the guard and runs read-only, and the whole exchange is audited.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from core.errors import CopilotError, QueryRejected
from core.query import QueryResult
from governance.audit import AuditEvent, AuditLog
from pipeline.answer import Answer, Clarification, Path
from pipeline.freshness import FreshnessCache
from pipeline.grounding import GROUNDED_COLUMNS, read_grounding
from pipeline.question import clean_question
from pipeline.results import build_answer
from pipeline.suppressed import (
    HIDDEN_NOTE,
    OVERFLOW_NOTE,
    SuppressedIds,
    hiding,
    is_ranking,
    to_hide,
    window_spec,
)
from querygen.catalog import Catalog
from querygen.claude import ClaudeTranslator, TranslationResult
from querygen.compile import compile_spec
from querygen.parser import GroundingValues, ParseResult, parse_question
from querygen.spec import Aggregate, AggregateFn, OrderBy, QuerySpec
from querygen.validate import validate_sql
from store import FindingsStore

__all__ = ["Copilot", "ranked_by_risk"]

_RISK_COLUMNS = ("risk_score", "max_risk_score")


def _utcnow() -> datetime:
    return datetime.now(UTC)


def ranked_by_risk(spec: QuerySpec, catalog: Catalog) -> QuerySpec:
    """A list of things with no order of its own comes riskiest first: the ranking is
    the point of the answer. Counts, groups and explicit orders are left alone."""
    if spec.order_by or spec.aggregate or spec.group_by or spec.distinct:
        return spec
    view = catalog.view(spec.view)
    risk = next((c for c in _RISK_COLUMNS if c in view.columns), None)
    if risk is None:
        return spec
    return spec.model_copy(update={"order_by": [OrderBy(field=risk, descending=True)]})


class Copilot:
    """Answers questions over one findings store.

    Args:
        store: the findings store (read path only is used).
        catalog: the semantic catalog.
        audit: where every answered question is recorded; None only in narrow tests.
        translator: Claude, when an admin enabled it; None means offline only.
        clock: the current UTC time (tests pin it).
        threshold: the parser's confidence below which it does not guess.
        suppressed: the finding ids under a suppression in force (from the workflow
            database); rankings leave them out and say how many.
    """

    def __init__(
        self,
        store: FindingsStore,
        catalog: Catalog,
        *,
        audit: AuditLog | None = None,
        translator: ClaudeTranslator | None = None,
        clock: Callable[[], datetime] = _utcnow,
        threshold: float = 0.6,
        default_limit: int = 200,
        suppressed: SuppressedIds | None = None,
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.audit = audit
        self.translator = translator
        self.clock = clock
        self.threshold = threshold
        self.default_limit = default_limit
        self.suppressed = suppressed
        self.freshness = FreshnessCache(store)
        self._grounding: GroundingValues | None = None

    @property
    def grounding(self) -> GroundingValues:
        if self._grounding is None:
            self._grounding = read_grounding(self.store)
        return self._grounding

    def ask(self, question: str, *, user: str = "cli") -> Answer:
        """Read, run and answer one question; never raises for a bad question."""
        started = time.perf_counter()
        try:
            text = clean_question(question)
            answer = self._answer(text, user)
        except CopilotError as exc:
            answer = Answer(
                question=question[:500],
                path="unsupported",
                kind="unsupported",
                summary=exc.message,
                notes=[exc.remediation],
            )
        answer = answer.model_copy(
            update={"elapsed_ms": round((time.perf_counter() - started) * 1000, 2)}
        )
        self._record(answer, user)
        return answer

    def _answer(self, text: str, user: str) -> Answer:
        parsed = parse_question(text, self.catalog, grounding=self.grounding, now=self.clock())
        if parsed.spec is not None and parsed.confidence >= self.threshold:
            return self.answer_spec(parsed.spec, question=text, path="parser", parsed=parsed)
        notes: list[str] = []
        if self.translator is not None:
            translated = self._translate(text, user, notes)
            if translated is not None:
                return self._answer_translation(translated, text, parsed)
        return self._clarify(text, parsed, notes)

    def answer_spec(
        self,
        spec: QuerySpec,
        *,
        question: str,
        path: Path = "parser",
        parsed: ParseResult | None = None,
        notes: list[str] | None = None,
        hide_suppressed: bool = True,
    ) -> Answer:
        """Compile, guard, run and summarise one spec (also used when a user picks a reading).

        ``hide_suppressed=False`` keeps suppressed findings in a ranking (CSV exports).
        """
        spec = ranked_by_risk(spec, self.catalog)
        notes = list(notes or [])
        run = self._without_suppressed(spec, notes) if hide_suppressed else spec
        result, sql = self._run(run)
        total = (
            self._total(run)
            if run.limit is None and len(result.rows) >= self.default_limit
            else None
        )
        return build_answer(
            question=question,
            path=path,
            spec=spec,
            sql=sql,
            result=result,
            catalog=self.catalog,
            parsed=parsed,
            notes=notes,
            freshness=self.freshness.current(),
            total=total,
        )

    def _without_suppressed(self, spec: QuerySpec, notes: list[str]) -> QuerySpec:
        """The ranking without suppressed findings, and a note saying how many left."""
        if self.suppressed is None or not is_ranking(spec, self.catalog):
            return spec
        ids = self.suppressed()
        if not ids:
            return spec
        window, _ = self._run(window_spec(spec, len(ids), self.default_limit))
        ranked = [str(row[0]) for row in window.rows]
        wanted = set(ids)
        hidden = to_hide(ranked, wanted)
        if not hidden:
            return spec
        n = len(hidden)
        notes.append(HIDDEN_NOTE.format(n=n, s="" if n == 1 else "s"))
        left = sum(1 for i in ranked if i in wanted) - n
        if left > 0:  # the SQL would grow past the guard's limit: say so, never fail
            notes.append(OVERFLOW_NOTE.format(n=left, s="" if left == 1 else "s"))
        return hiding(spec, hidden)

    def _run(self, spec: QuerySpec) -> tuple[QueryResult, str]:
        compiled = compile_spec(spec, self.catalog, default_limit=self.default_limit)
        validated = validate_sql(compiled.sql, self.catalog)
        return self.store.query(validated), validated.sql

    def _total(self, spec: QuerySpec) -> int | None:
        """How many rows a list cut at the default limit really has."""
        if spec.aggregate is not None or spec.group_by:
            return None
        counting = spec.model_copy(
            update={
                "aggregate": Aggregate(fn=AggregateFn.COUNT),
                "columns": None,
                "order_by": [],
                "distinct": False,
            }
        )
        result, _ = self._run(counting)
        return int(str(result.rows[0][0])) if result.rows else None

    def _translate(self, text: str, user: str, notes: list[str]) -> TranslationResult | None:
        from llm.errors import LLMFailed  # the LLM layer is only imported when configured

        assert self.translator is not None
        try:
            return self.translator.translate(
                text,
                user_id=user,
                distinct_values=self._sample_values(),
                check_sql=self._dry_run,
            )
        except LLMFailed as exc:
            notes.append(exc.reason)
            return None

    def _dry_run(self, sql: str) -> None:
        """Guard and plan model-written SQL; the refusal's class goes back for a correction."""
        self.store.explain(validate_sql(sql, self.catalog))

    def _sample_values(self) -> dict[str, list[str]]:
        """Grounding values by "view.column", for Claude's prompt (redacted and fenced there)."""
        values = self.grounding.model_dump()
        return {
            f"{view}.{column}": list(values.get(field, ()))[:50]
            for field, (view, column) in GROUNDED_COLUMNS.items()
        }

    def _answer_translation(
        self, translated: TranslationResult, text: str, parsed: ParseResult
    ) -> Answer:
        if translated.spec is not None:
            return self.answer_spec(translated.spec, question=text, path="claude", parsed=None)
        if translated.raw_sql is None:  # pragma: no cover - the model validator forbids it
            raise QueryRejected("Claude returned neither a spec nor SQL.")
        validated = validate_sql(translated.raw_sql.sql, self.catalog)
        result = self.store.query(validated)
        return build_answer(
            question=text,
            path="claude",
            spec=None,
            sql=validated.sql,
            result=result,
            catalog=self.catalog,
            parsed=None,
            notes=[translated.raw_sql.reason],
            freshness=self.freshness.current(),
        )

    def _clarify(self, text: str, parsed: ParseResult, notes: list[str]) -> Answer:
        if parsed.unsupported_reason:
            return Answer(
                question=text,
                path="unsupported",
                kind="unsupported",
                summary=parsed.unsupported_reason,
                notes=notes,
                confidence=parsed.confidence,
                unused_words=parsed.unused_words,
            )
        choices = [Clarification(label=c.description, spec=c.spec) for c in parsed.candidates]
        summary = (
            "I am not sure what you mean. Did you mean one of these?"
            if choices
            else "I could not read that question. Try `help` for what I understand."
        )
        return Answer(
            question=text,
            path="clarify",
            kind="clarify",
            summary=summary,
            clarifications=choices,
            confidence=parsed.confidence,
            understood=parsed.understood,
            unused_words=parsed.unused_words,
            notes=notes,
        )

    def _record(self, answer: Answer, user: str) -> None:
        if self.audit is None:
            return
        details = {
            "question": answer.question,
            "path": answer.path,
            "kind": answer.kind,
            "spec": answer.spec.model_dump(mode="json") if answer.spec else None,
            "sql": answer.sql,
            "row_count": answer.row_count,
            "elapsed_ms": answer.elapsed_ms,
            "notes": answer.notes,
        }
        self.audit.append(AuditEvent(action="question.answered", actor=user, details=details))

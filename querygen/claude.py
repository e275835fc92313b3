"""Claude as a question translator: words in, a validated ``QuerySpec`` (or raw SQL) out.

The offline parser answers first; the router asks this when configured. Claude sees the
catalog, a sample of store values and the question, all redacted, and must call one of
two tools: ``query_spec`` (input schema: ``QuerySpec``) or ``raw_sql`` for what a spec
cannot say. A spec that fails validation is sent back once as an ``is_error`` tool
result; a second failure, like every other failure here, raises an ``LLMFailed`` whose
``reason`` the router shows while the offline parser answers. Raw SQL is returned, never
run: the guard and the store's read path own that.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

import prompts
from core.errors import QueryRejected
from governance.budget import RateLimiter, TokenBudget
from governance.redact import Redactor, restore_data
from llm.base import LLM, Json, LLMReply, LLMRequest, Tier, TokenUsage, ToolCall
from llm.errors import TranslationInvalid
from querygen.catalog import Catalog
from querygen.spec import QuerySpec

__all__ = ["ClaudeTranslator", "RawSql", "TranslationResult"]

SPEC_TOOL = "query_spec"
SQL_TOOL = "raw_sql"
_TEMPLATES = (
    "query_system.j2",
    "query_values.j2",
    "query_user.j2",
    "query_retry.j2",
    "query_tool_spec.j2",
    "query_tool_sql.j2",
)
_MAX_VALUES_PER_KEY = 40
_MAX_VALUE_CHARS = 120
_MAX_ERRORS = 8


class RawSql(BaseModel):
    """The ``raw_sql`` tool's input: a SELECT the guard still has to pass."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sql: str = Field(min_length=1, max_length=8000)
    reason: str = Field(min_length=1, max_length=1000)


class TranslationResult(BaseModel):
    """How Claude read a question, with what the audit trail needs to replay it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: Literal["claude"] = "claude"
    spec: QuerySpec | None = None
    raw_sql: RawSql | None = None
    model: str
    attempts: int = Field(ge=1)
    usage: TokenUsage
    sent_question: str  # the question as it left the process (redacted, fenced at render)
    templates: dict[str, str]  # template name -> sha256, examples included

    @model_validator(mode="after")
    def _one_answer(self) -> Self:
        if (self.spec is None) == (self.raw_sql is None):
            raise ValueError("a translation holds a spec or raw SQL, not both or neither")
        return self


class _Invalid(Exception):
    """The model's tool input did not validate; ``errors`` go back to it once."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class _Exchange:
    """One translation's conversation so far, and the placeholders it has used."""

    sent_question: str
    mapping: dict[str, str]
    system: list[Json]
    messages: list[Json]
    usage: TokenUsage = field(default_factory=TokenUsage)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ClaudeTranslator:
    """Translates questions with Claude's tool use, under budget, rate limit and redaction.

    Args:
        client: an ``LLMClient`` or ``FakeLLM``.
        catalog: the semantic catalog (prompt content and spec validation).
        budget: the per-user monthly token budget.
        rate_limiter: the per-user requests-per-minute limit.
        redactor: what removes secrets and identifiers before anything is sent.
        tier: which model tier translates.
        max_tokens: the reply's token cap.
        clock: the current time, for resolving "this week".
    """

    def __init__(
        self,
        client: LLM,
        catalog: Catalog,
        budget: TokenBudget,
        rate_limiter: RateLimiter,
        redactor: Redactor,
        *,
        tier: Tier = "fast",
        max_tokens: int = 1024,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._client = client
        self._catalog = catalog
        self._budget = budget
        self._rate_limiter = rate_limiter
        self._redactor = redactor
        self._tier: Tier = tier
        self._max_tokens = max_tokens
        self._clock = clock
        self._system_text: str | None = None

    def translate(
        self,
        question: str,
        *,
        user_id: str,
        distinct_values: Mapping[str, Sequence[str]] | None = None,
        check_sql: Callable[[str], None] | None = None,
    ) -> TranslationResult:
        """Claude's reading of ``question`` as a validated spec, or raw SQL to guard.

        Args:
            question: what the user typed.
            user_id: whose rate limit and budget this counts against.
            distinct_values: store values by ``"view.column"``, for grounding names.
            check_sql: guards and dry-runs raw SQL, raising ``QueryRejected``; a refusal
                goes back to the model, with its error class, for the one correction.

        Returns:
            The translation: a ``QuerySpec`` checked against the catalog, or raw SQL.

        Raises:
            RateLimitedLocally: the user is over the per-minute limit.
            BudgetExhausted: the user's monthly tokens are used up.
            LLMUnavailable, LLMRejected: the API failed (after bounded retries).
            TranslationInvalid: the model's answer failed validation twice.
        """
        self._rate_limiter.acquire(user_id)
        self._budget.check(user_id)
        exchange = self._open(question, distinct_values or {})
        for attempt in (1, 2):
            if attempt > 1:
                self._budget.check(user_id)
            reply = self._client.create(self._request(exchange.system, exchange.messages))
            exchange.usage = exchange.usage + reply.usage
            self._budget.charge(user_id, reply.usage.total)
            try:
                spec, raw = self._parse(reply, exchange.mapping, check_sql)
            except _Invalid as invalid:
                if attempt == 2:
                    raise TranslationInvalid(
                        "Claude's tool input failed validation twice.", errors=invalid.errors
                    ) from None
                self._feed_back(exchange, reply, invalid.errors)
                continue
            return TranslationResult(
                spec=spec,
                raw_sql=raw,
                model=reply.model,
                attempts=attempt,
                usage=exchange.usage,
                sent_question=exchange.sent_question,
                templates=_template_hashes(),
            )
        raise AssertionError("unreachable")  # pragma: no cover

    def _open(self, question: str, distinct_values: Mapping[str, Sequence[str]]) -> _Exchange:
        """The first request's parts, redacted, with the placeholder map they share."""
        sent = self._redactor.redact(question)
        mapping = sent.mapping
        system: list[Json] = [self._system_block()]
        if distinct_values:
            values = self._redactor.redact(_values_text(distinct_values), mapping)
            mapping = values.mapping
            system.append({"type": "text", "text": values.text})
        user_text = prompts.render("query_user.j2", now=_iso(self._clock()), question=sent.text)
        first: Json = {"role": "user", "content": [{"type": "text", "text": user_text}]}
        return _Exchange(sent.text, mapping, system, [first])

    def _feed_back(self, exchange: _Exchange, reply: LLMReply, errors: list[str]) -> None:
        """Append the failed turn and the (redacted) errors, for the one retry."""
        text = prompts.render("query_retry.j2", errors=errors[:_MAX_ERRORS])
        feedback = self._redactor.redact(text, exchange.mapping)
        exchange.mapping = feedback.mapping
        exchange.messages += _feedback_turns(reply, feedback.text)

    def _system_block(self) -> Json:
        """The static prompt (catalog, rules, examples): cached by the API across questions."""
        if self._system_text is None:
            self._system_text = prompts.render(
                "query_system.j2",
                catalog=self._catalog,
                examples=prompts.load_examples("query_examples"),
            )
        return {"type": "text", "text": self._system_text, "cache_control": {"type": "ephemeral"}}

    def _request(self, system: list[Json], messages: list[Json]) -> LLMRequest:
        return LLMRequest(
            system=tuple(system),
            messages=tuple(messages),
            tools=_tools(),
            tool_choice={"type": "any", "disable_parallel_tool_use": True},
            tier=self._tier,
            max_tokens=self._max_tokens,
        )

    def _parse(
        self,
        reply: LLMReply,
        mapping: Mapping[str, str],
        check_sql: Callable[[str], None] | None = None,
    ) -> tuple[QuerySpec | None, RawSql | None]:
        calls = reply.tool_calls
        if not calls:
            raise _Invalid([f"no tool was called; call {SPEC_TOOL} or {SQL_TOOL}"])
        call = calls[0]
        data = restore_data(call.input, mapping)
        try:
            if call.name == SPEC_TOOL:
                spec = QuerySpec.model_validate(data)
                self._catalog.check_spec(spec)
                return spec, None
            if call.name == SQL_TOOL:
                raw = RawSql.model_validate(data)
                if check_sql is not None:
                    check_sql(raw.sql)
                return None, raw
        except ValidationError as err:
            raise _Invalid(_describe(err)) from None
        except QueryRejected as err:
            raise _Invalid([f"{type(err).__name__}: {err.message}"]) from None
        raise _Invalid([f"unknown tool {call.name!r}; call {SPEC_TOOL} or {SQL_TOOL}"])


def _tools() -> tuple[Json, ...]:
    return (
        {
            "name": SPEC_TOOL,
            "description": prompts.render("query_tool_spec.j2").strip(),
            "input_schema": QuerySpec.model_json_schema(),
        },
        {
            "name": SQL_TOOL,
            "description": prompts.render("query_tool_sql.j2").strip(),
            "input_schema": RawSql.model_json_schema(),
        },
    )


def _feedback_turns(reply: LLMReply, text: str) -> list[Json]:
    """The assistant's failed turn and our answer to it: an error tool result, or text."""
    calls: list[ToolCall] = reply.tool_calls
    if calls:
        result: Json = {
            "type": "tool_result",
            "tool_use_id": calls[0].id,
            "is_error": True,
            "content": text,
        }
        return [reply.as_message(), {"role": "user", "content": [result]}]
    turns: list[Json] = []
    if reply.content:
        turns.append(reply.as_message())
    turns.append({"role": "user", "content": [{"type": "text", "text": text}]})
    return turns


def _describe(err: ValidationError) -> list[str]:
    """Pydantic's errors as short lines, without echoing the input back."""
    lines = []
    for item in err.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in item["loc"]) or "input"
        lines.append(f"{where}: {item['msg']}")
    return lines


def _values_text(distinct_values: Mapping[str, Sequence[str]]) -> str:
    trimmed: dict[str, list[str]] = {
        key: [str(v)[:_MAX_VALUE_CHARS] for v in list(values)[:_MAX_VALUES_PER_KEY]]
        for key, values in sorted(distinct_values.items())
        if values
    }
    return prompts.render("query_values.j2", distinct_values=trimmed)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _template_hashes() -> dict[str, str]:
    hashes = {name: prompts.template_hash(name) for name in _TEMPLATES}
    hashes["examples/query_examples.yaml"] = prompts.examples_hash("query_examples")
    return hashes

"""The ask pipeline end to end on the demo estate: parser path, kinds, clarify, audit,
Claude path and its fallbacks, hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.audit import AuditLog
from governance.budget import RateLimiter, TokenBudget
from governance.redact import Redactor
from llm.errors import LLMUnavailable
from llm.fake import FakeLLM
from pipeline import Copilot
from querygen.catalog import load_catalog
from querygen.claude import ClaudeTranslator
from store import FindingsStore
from tests.conftest import DEMO_NOW


@pytest.fixture
def copilot(demo_store: FindingsStore, tmp_path: Path) -> Copilot:
    return Copilot(
        demo_store, load_catalog(), audit=AuditLog(tmp_path / "audit.jsonl"), clock=lambda: DEMO_NOW
    )


def test_a_list_question_is_read_ranked_and_explained(copilot: Copilot) -> None:
    answer = copilot.ask("public prod Lambdas touching PII")
    assert answer.path == "parser" and answer.kind == "rows"
    assert {"prod", "public", "PII"} <= set(answer.understood)
    assert answer.sql and answer.sql.startswith("SELECT") and "LIMIT" in answer.sql
    risk = [r[answer.columns.index("max_risk_score")] for r in answer.rows]
    scored = [r for r in risk if r is not None]
    assert risk[: len(scored)] == sorted(scored, reverse=True), "riskiest first, unscored last"
    assert answer.freshness and answer.row_count == answer.total > 0


def test_count_groups_and_yes_no(copilot: Copilot) -> None:
    count = copilot.ask("how many critical findings are open?")
    assert count.kind == "count" and count.rows[0][0] > 0
    assert count.summary.startswith(f"{count.rows[0][0]:,}")
    groups = copilot.ask("open critical findings per team")
    assert groups.kind == "groups" and sum(r[-1] for r in groups.rows) == count.rows[0][0]
    yes = copilot.ask("is processPayment exposed to the internet?")
    assert yes.kind == "yes_no" and yes.verdict is True and yes.summary.startswith("Yes")


def test_a_cut_list_says_how_many_match(copilot: Copilot) -> None:
    answer = copilot.ask("what was found in the last 24 hours?")
    assert answer.row_count == 200 and answer.total > 200 and answer.truncated
    assert f"{answer.total:,}" in answer.summary


def test_unclear_question_gets_choices_not_a_guess(copilot: Copilot) -> None:
    answer = copilot.ask("delete all findings; drop table x")
    assert answer.kind in ("clarify", "unsupported") and answer.sql is None
    for choice in answer.clarifications:
        picked = copilot.answer_spec(choice.spec, question=choice.label)
        assert picked.sql is not None


@pytest.mark.parametrize("question", ["", "   \u200b ", "x" * 4000])
def test_empty_or_huge_questions_get_a_clear_message(copilot: Copilot, question: str) -> None:
    answer = copilot.ask(question)
    assert answer.kind == "unsupported" and answer.summary and answer.notes


def test_every_question_is_audited(copilot: Copilot) -> None:
    copilot.ask("how many critical findings are open?", user="U123")
    copilot.ask("gibberish words here", user="U123")
    assert copilot.audit is not None
    records = copilot.audit.records()
    assert [r.actor for r in records] == ["U123", "U123"]
    assert records[0].details["sql"] and records[0].details["path"] == "parser"
    assert copilot.audit.verify().ok


def _translator(llm: FakeLLM) -> ClaudeTranslator:
    return ClaudeTranslator(
        llm,
        load_catalog(),
        TokenBudget(100_000),
        RateLimiter(60),
        Redactor(),
        clock=lambda: DEMO_NOW,
    )


def test_claude_reads_what_the_parser_cannot(demo_store: FindingsStore) -> None:
    spec = {
        "view": "buckets",
        "conditions": [{"kind": "filter", "field": "encrypted", "op": "is_false"}],
    }
    llm = FakeLLM([FakeLLM.tool_reply("query_spec", spec)])
    copilot = Copilot(
        demo_store, load_catalog(), translator=_translator(llm), clock=lambda: DEMO_NOW
    )
    answer = copilot.ask("zorblat frobnicate the quux")
    assert answer.path == "claude" and answer.kind == "rows" and answer.row_count > 0
    assert len(llm.requests) == 1


def test_claude_failure_falls_back_and_says_why(demo_store: FindingsStore) -> None:
    llm = FakeLLM([LLMUnavailable("overloaded", cause="overloaded")])
    copilot = Copilot(
        demo_store, load_catalog(), translator=_translator(llm), clock=lambda: DEMO_NOW
    )
    answer = copilot.ask("zorblat frobnicate the quux")
    assert answer.path in ("clarify", "unsupported")
    assert any("offline parser" in note for note in answer.notes)


def test_claude_raw_sql_passes_the_guard(demo_store: FindingsStore) -> None:
    raw = {"sql": "SELECT name FROM functions WHERE memory_mb > timeout_s", "reason": "cols"}
    llm = FakeLLM([FakeLLM.tool_reply("raw_sql", raw)])
    copilot = Copilot(
        demo_store, load_catalog(), translator=_translator(llm), clock=lambda: DEMO_NOW
    )
    answer = copilot.ask("zorblat frobnicate the quux")
    assert answer.path == "claude" and answer.sql is not None and "LIMIT" in answer.sql


def test_claude_sql_refused_by_the_guard_goes_back_once(demo_store: FindingsStore) -> None:
    bad = {"sql": "SELECT colour FROM functions", "reason": "x"}
    good = {"sql": "SELECT name FROM functions WHERE memory_mb > timeout_s", "reason": "cols"}
    llm = FakeLLM([FakeLLM.tool_reply("raw_sql", bad), FakeLLM.tool_reply("raw_sql", good)])
    copilot = Copilot(
        demo_store, load_catalog(), translator=_translator(llm), clock=lambda: DEMO_NOW
    )
    answer = copilot.ask("zorblat frobnicate the quux")
    assert answer.path == "claude" and answer.row_count > 0
    feedback = str(llm.requests[1].messages[-1])
    assert "UnknownColumn" in feedback and "colour" in feedback


def test_claude_hostile_sql_is_refused_politely(demo_store: FindingsStore) -> None:
    raw = {"sql": "SELECT * FROM raw.findings; DROP TABLE raw.findings", "reason": "x"}
    llm = FakeLLM([FakeLLM.tool_reply("raw_sql", raw), FakeLLM.tool_reply("raw_sql", raw)])
    copilot = Copilot(
        demo_store, load_catalog(), translator=_translator(llm), clock=lambda: DEMO_NOW
    )
    before = demo_store.content_hash()
    answer = copilot.ask("zorblat frobnicate the quux")
    assert answer.path in ("clarify", "unsupported") and answer.sql is None
    assert any("offline parser" in note for note in answer.notes)
    assert demo_store.content_hash() == before

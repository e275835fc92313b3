"""Suppressed findings leave rankings (with a note) but stay in counts and lookups."""

from __future__ import annotations

import pytest

from pipeline import Copilot
from querygen.catalog import load_catalog
from querygen.spec import Aggregate, AggregateFn, Filter, Op, QuerySpec
from store import FindingsStore
from tests.conftest import DEMO_NOW

OPEN = Filter(field="status", op=Op.EQ, value="open")
RANKING = QuerySpec(view="findings", conditions=[OPEN], columns=["finding_id", "title"], limit=5)


@pytest.fixture
def plain(demo_store: FindingsStore) -> Copilot:
    return Copilot(demo_store, load_catalog(), clock=lambda: DEMO_NOW)


def _with(demo_store: FindingsStore, ids: set[str]) -> Copilot:
    return Copilot(demo_store, load_catalog(), clock=lambda: DEMO_NOW, suppressed=lambda: ids)


def _ids(answer) -> list[str]:
    return [row[0] for row in answer.rows]


def test_the_ranking_leaves_suppressed_findings_out_and_says_so(
    plain: Copilot, demo_store: FindingsStore
):
    before = _ids(plain.answer_spec(RANKING, question="top 5"))
    hidden = {before[0], before[2]}
    after = _with(demo_store, hidden).answer_spec(RANKING, question="top 5")
    assert _ids(after)[:3] == [before[1], before[3], before[4]]
    assert not hidden & set(_ids(after)) and len(after.rows) == 5
    assert any("2 suppressed findings hidden from the ranking" in n for n in after.notes)
    assert all(i.lower() in (after.sql or "").lower() for i in hidden)  # the SQL that ran
    assert after.spec == plain.answer_spec(RANKING, question="top 5").spec  # the reading


def test_counts_lookups_and_exports_still_show_them(plain: Copilot, demo_store: FindingsStore):
    top = _ids(plain.answer_spec(RANKING, question="top 5"))[0]
    copilot = _with(demo_store, {top})
    count = QuerySpec(view="findings", conditions=[OPEN], aggregate=Aggregate(fn=AggregateFn.COUNT))
    assert (
        copilot.answer_spec(count, question="how many").rows
        == plain.answer_spec(count, question="how many").rows
    )
    lookup = QuerySpec(
        view="findings", conditions=[Filter(field="finding_id", op=Op.EQ, value=top)]
    )
    assert _ids(
        copilot.answer_spec(lookup.model_copy(update={"columns": ["finding_id"]}), question="x")
    ) == [top]
    export = copilot.answer_spec(RANKING, question="top 5", hide_suppressed=False)
    assert _ids(export)[0] == top and not export.notes


def test_no_note_when_no_suppressed_finding_would_have_ranked(demo_store: FindingsStore):
    answer = _with(demo_store, {"wiz:not-a-finding"}).answer_spec(RANKING, question="top 5")
    assert answer.notes == [] and "not-a-finding" not in (answer.sql or "")


def test_thousands_of_suppressions_keep_the_query_within_the_guard(
    plain: Copilot, demo_store: FindingsStore
):
    spec = RANKING.model_copy(update={"limit": 3000})
    many = set(_ids(plain.answer_spec(spec, question="top 3000")))
    wider = RANKING.model_copy(update={"limit": 20})
    answer = _with(demo_store, many).answer_spec(wider, question="top 20")
    assert answer.kind == "rows" and len(answer.rows) == 20  # not refused by the guard
    hidden = int(answer.notes[0].split()[0])
    assert 100 <= hidden < len(many)  # as many as the SQL budget holds
    assert len(answer.sql or "") < 20_000
    # the rest is said, not silently shown
    assert "still show" in answer.notes[1] and set(_ids(answer)) <= many

"""Every benchmark question has a real answer on the default demo estate: not empty, not
the whole table, and the gold file covers the whole public question set."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bench.gold import GoldEntry, gold_rows, load_gold
from core.query import ValidatedQuery
from store import FindingsStore
from tests.conftest import DEMO_NOW

GOLD = load_gold()
_KEY_VIEWS = {
    "resource_id": None,
    "finding_id": "findings",
    "vulnerability_id": "vulnerabilities",
    "to_id": "reachable",
}


def test_gold_covers_every_public_question(shared_dir: Path) -> None:
    public = yaml.safe_load((shared_dir / "bench" / "questions.yaml").read_text())["questions"]
    assert {q["q"] for q in public} == {g.q for g in GOLD}


def _table_of(entry: GoldEntry) -> str:
    assert entry.gold is not None
    return entry.gold.split(" FROM ", 1)[1].split()[0]


@pytest.mark.parametrize("entry", [g for g in GOLD if g.compare != "pending"], ids=lambda g: g.q)
def test_gold_answer_is_neither_empty_nor_everything(
    demo_store: FindingsStore, entry: GoldEntry
) -> None:
    rows = gold_rows(demo_store, entry, DEMO_NOW)
    assert rows, "empty on the default estate"
    if entry.compare == "count":
        assert rows[0][0] and rows[0][0] > 0
        return
    if entry.compare == "groups":
        assert all(r[-1] for r in rows)
        return
    table = _table_of(entry)
    total = demo_store.query(ValidatedQuery(sql=f"SELECT count(*) FROM {table}")).rows[0][0]
    assert len(rows) < total, f"every row of {table}"
    if entry.compare == "set":
        assert len(rows) >= 2 or entry.q.startswith(("is ", "oldest")), "one row by accident"

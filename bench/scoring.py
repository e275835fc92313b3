"""Execution accuracy: does an Answer hold the same rows, number or groups as the gold?

The answer's own spec is re-run selecting the gold's key column, so what is scored is
how the question was read, not which columns the answer chose to show.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from bench.gold import GoldEntry, gold_rows
from pipeline import Answer, Copilot
from querygen.compile import compile_spec
from querygen.spec import QuerySpec
from querygen.validate import validate_sql

__all__ = ["Verdict", "score"]

Verdict = Literal["right", "wrong", "clarified"]


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, str) and value[:4].isdigit() and "T" in value:
        return value.replace("T", " ")[:19]
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")[:19]
    return value


def _rerun(copilot: Copilot, spec: QuerySpec, columns: list[str]) -> list[tuple[Any, ...]]:
    view = copilot.catalog.view(spec.view)
    if any(c not in view.columns for c in columns):
        return [("<answer's view has no column " + ", ".join(columns) + ">",)]
    probe = spec.model_copy(
        update={
            "columns": columns,
            "distinct": spec.limit is None and not spec.order_by,
            "limit": spec.limit or 5000,
        }
    )
    compiled = compile_spec(probe, copilot.catalog, default_limit=5000)
    validated = validate_sql(compiled.sql, copilot.catalog, max_limit=5000)
    return [tuple(r) for r in copilot.store.query(validated).rows]


def _answer_groups(answer: Answer) -> dict[Any, Any]:
    return {_round(r[0]): _round(r[-1]) for r in answer.rows}


def score(copilot: Copilot, answer: Answer, entry: GoldEntry, now: datetime) -> Verdict:
    """Compare one answer with its gold entry."""
    if answer.kind in ("clarify", "unsupported"):
        return "clarified"
    gold = gold_rows(copilot.store, entry, now)
    same = _same(copilot, answer, entry, gold)
    return "right" if same else "wrong"


def _same(copilot: Copilot, answer: Answer, entry: GoldEntry, gold: list[tuple[Any, ...]]) -> bool:
    if entry.compare == "count":
        return (
            answer.kind == "count"
            and bool(answer.rows)
            and _round(answer.rows[0][0]) == _round(gold[0][0])
        )
    if entry.compare == "groups":
        return answer.kind == "groups" and _answer_groups(answer) == {
            _round(r[0]): _round(r[-1]) for r in gold
        }
    if answer.spec is None or answer.kind in ("count", "groups"):
        return False
    if entry.compare == "ranked":
        field = answer.spec.order_by[0].field if answer.spec.order_by else None
        if field is None:
            return False
        mine = [_round(r[0]) for r in _rerun(copilot, answer.spec, [field])]
        return mine == [_round(r[0]) for r in gold]
    assert entry.key is not None
    keys = {r[0] for r in _rerun(copilot, answer.spec, [entry.key])}
    if entry.compare == "yes_no":
        return answer.verdict == any(bool(r[1]) for r in gold) and keys == {r[0] for r in gold}
    return keys == {r[0] for r in gold}

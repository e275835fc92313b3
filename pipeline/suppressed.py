"""Suppressed findings leave rankings but stay queryable.

Suppressions live in the workflow database, which the findings store cannot see, so the
copilot is handed a provider of the finding ids under a suppression in force. A ranked
list of findings (riskiest first, no aggregate, not asking for particular ids) gets a
``finding_id NOT IN (...)`` condition and a note saying how many were hidden; counts,
groups, explicit lookups and CSV exports still show them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from querygen.catalog import Catalog
from querygen.spec import Aggregate, AggregateFn, AnyOf, Condition, Filter, Op, QuerySpec

__all__ = ["HIDDEN_NOTE", "SuppressedIds", "hidden_count_spec", "hiding", "is_ranking"]

SuppressedIds = Callable[[], Collection[str]]
HIDDEN_NOTE = (
    "{n} suppressed finding{s} hidden from the ranking (accepted risks and false positives; "
    "`posture suppressions list` shows them)."
)
_KEY = "finding_id"
_RISK = ("risk_score", "max_risk_score")
_CHUNK = 100  # a list filter holds up to 100 values
_MAX_CHUNKS = 20  # an any-of group holds up to 20 conditions


def is_ranking(spec: QuerySpec, catalog: Catalog) -> bool:
    """A riskiest-first list of findings that does not ask for particular ids or for
    suppressed ones."""
    view = catalog.views.get(spec.view)
    if view is None or _KEY not in view.columns:
        return False
    if spec.aggregate or spec.group_by or spec.distinct or not spec.order_by:
        return False
    first = spec.order_by[0]
    if first.field not in _RISK or not first.descending:
        return False
    for condition in spec.conditions:
        if isinstance(condition, Filter) and (
            condition.field == _KEY or (condition.field == "status" and condition.value != "open")
        ):
            return False
    return True


def _chunks(ids: Collection[str]) -> list[list[str | int | float | bool]]:
    ordered = sorted(ids)[: _CHUNK * _MAX_CHUNKS]
    return [list(ordered[i : i + _CHUNK]) for i in range(0, len(ordered), _CHUNK)]


def hiding(spec: QuerySpec, ids: Collection[str]) -> QuerySpec:
    """``spec`` without the suppressed findings (up to 2,000 ids)."""
    keep: list[Condition] = [Filter(field=_KEY, op=Op.NOT_IN, value=c) for c in _chunks(ids)]
    return spec.model_copy(update={"conditions": [*spec.conditions, *keep]})


def hidden_count_spec(spec: QuerySpec, ids: Collection[str]) -> QuerySpec:
    """Counts the suppressed findings the ranking would have shown."""
    chunks = [Filter(field=_KEY, op=Op.IN, value=c) for c in _chunks(ids)]
    member: Condition = chunks[0] if len(chunks) == 1 else AnyOf(conditions=list(chunks))
    return spec.model_copy(
        update={
            "conditions": [*spec.conditions, member],
            "aggregate": Aggregate(fn=AggregateFn.COUNT),
            "columns": None,
            "order_by": [],
            "limit": None,
        }
    )

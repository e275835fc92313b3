"""Suppressed findings leave rankings but stay queryable.

Suppressions live in the workflow database, which the findings store cannot see, so the
copilot is handed a provider of the finding ids under a suppression in force. For a
ranked list of findings (riskiest first, no aggregate, not asking for particular ids),
a first query reads the ids the ranking would show (plus room for the hidden ones); the
suppressed ones among them are left out of the real query (``finding_id NOT IN``) and a
note says how many. Counts, groups, lookups by id and CSV exports still show them.

Only the suppressed ids that would actually rank are written into the SQL, so the query
stays far below the guard's length limit however many suppressions exist.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from querygen.catalog import Catalog
from querygen.rules.parse_one_statement import MAX_CHARS
from querygen.spec import Condition, Filter, Op, QuerySpec

__all__ = [
    "HIDDEN_NOTE",
    "OVERFLOW_NOTE",
    "MAX_WINDOW",
    "SuppressedIds",
    "hiding",
    "is_ranking",
    "to_hide",
    "window_spec",
]

SuppressedIds = Callable[[], Collection[str]]
HIDDEN_NOTE = (
    "{n} suppressed finding{s} hidden from the ranking (accepted risks and false positives; "
    "`posture suppressions list` shows them)."
)
OVERFLOW_NOTE = (
    "{n} more suppressed finding{s} still show: more than one answer can hide; "
    "narrow the question (a team, an environment)."
)
MAX_WINDOW = 5000  # the most rows a spec may ask for
_KEY = "finding_id"
_RISK = ("risk_score", "max_risk_score")
_CHUNK = 100  # a list filter holds up to 100 values
_ID_BUDGET = MAX_CHARS // 2  # characters of ids the hiding may add to the SQL


def is_ranking(spec: QuerySpec, catalog: Catalog) -> bool:
    """A riskiest-first list of findings that does not ask for particular ids or for
    findings that are not open."""
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


def window_spec(spec: QuerySpec, suppressed: int, default_limit: int) -> QuerySpec:
    """The ids the ranking would show, with room for ``suppressed`` of them to drop out."""
    limit = min(MAX_WINDOW, (spec.limit or default_limit) + suppressed)
    return spec.model_copy(update={"columns": [_KEY], "limit": limit})


def to_hide(ranked: Sequence[str], suppressed: Collection[str]) -> list[str]:
    """The suppressed ids among ``ranked``, in rank order, within the SQL budget.

    >>> to_hide(["a:1", "a:2", "a:3"], {"a:3", "a:1", "b:9"})
    ['a:1', 'a:3']
    """
    chosen: list[str] = []
    used = 0
    for finding_id in ranked:
        if finding_id in suppressed:
            used += len(finding_id) + 16  # quotes, LOWER(), comma
            if used > _ID_BUDGET:
                break
            chosen.append(finding_id)
    return chosen


def hiding(spec: QuerySpec, ids: Sequence[str]) -> QuerySpec:
    """``spec`` without the findings ``ids``."""
    keep: list[Condition] = [
        Filter(field=_KEY, op=Op.NOT_IN, value=list(ids[i : i + _CHUNK]))
        for i in range(0, len(ids), _CHUNK)
    ]
    return spec.model_copy(update={"conditions": [*spec.conditions, *keep]})

"""Refuse the shapes that make a small query expensive.

Recursive CTEs (unbounded walks), more than ``MAX_JOINS`` joins, joins without an
equality between the two sides (cartesian products: CROSS, comma, NATURAL, POSITIONAL,
``ON TRUE``), subqueries nested more than ``MAX_DEPTH`` deep, more than ``MAX_TABLES``
table references, and CUBE / GROUPING SETS (2^n groupings). The store's time limit
catches what is left.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlglot import exp

from core.errors import LimitExceeded, QueryRejected

if TYPE_CHECKING:
    from querygen.validate import GuardContext

__all__ = ["MAX_DEPTH", "MAX_JOINS", "MAX_TABLES", "bound_cost"]

MAX_JOINS = 4
MAX_DEPTH = 4
MAX_TABLES = 16
_REMEDIATION = "Ask a narrower question, or split it in two."
_JOIN_REMEDIATION = (
    "Join on an equality between the two views, written JOIN v2 AS b ON a.col = b.col."
)


def bound_cost(expression: exp.Expr, context: GuardContext | None = None) -> exp.Expr:
    """Refuse recursion, cartesian joins, and anything over the caps.

    Raises:
        QueryRejected: a recursive CTE, a join without an equality, CUBE / GROUPING SETS.
        LimitExceeded: more joins, nesting or table references than the caps allow.

    >>> from querygen.rules.parse_one_statement import parse_one_statement
    >>> bound_cost(parse_one_statement("SELECT 1 FROM functions f, findings x"))
    Traceback (most recent call last):
    ...
    core.errors.QueryRejected: The join with x has no equality with the other views ...
    """
    if any(w.args.get("recursive") for w in expression.find_all(exp.With)):
        raise QueryRejected("Recursive CTEs are not allowed.", remediation=_REMEDIATION)
    if expression.find(exp.Cube, exp.GroupingSets):
        raise QueryRejected("CUBE and GROUPING SETS are not allowed.", remediation=_REMEDIATION)
    joins = list(expression.find_all(exp.Join))
    _cap("joins", len(joins), MAX_JOINS)
    for join in joins:
        _check_join(join)
    _cap("table references", sum(1 for _ in expression.find_all(exp.Table)), MAX_TABLES)
    _cap("levels of nested subqueries", _depth(expression), MAX_DEPTH)
    return expression


def _cap(what: str, count: int, limit: int) -> None:
    if count > limit:
        raise LimitExceeded(
            f"The query has {count} {what}; the limit is {limit}.",
            count=count,
            limit=limit,
            remediation=_REMEDIATION,
        )


def _check_join(join: exp.Join) -> None:
    if join.args.get("using"):
        return
    alias = join.this.alias_or_name.lower()
    on = join.args.get("on")
    conjuncts = list(on.flatten()) if isinstance(on, exp.And) else [on]
    for conjunct in conjuncts:
        if isinstance(conjunct, exp.EQ | exp.NullSafeEQ) and _links(conjunct, alias):
            return
    raise QueryRejected(
        f"The join with {alias[:40]} has no equality with the other views (a cartesian product).",
        remediation=_JOIN_REMEDIATION,
    )


def _links(equality: exp.Binary, alias: str) -> bool:
    """True when one side reads only ``alias`` and the other only other sources."""
    left, right = _aliases(equality.this), _aliases(equality.expression)
    if not left or not right:
        return False
    return (left == {alias} and alias not in right) or (right == {alias} and alias not in left)


def _aliases(side: exp.Expr) -> set[str]:
    """Table aliases the side's columns name; empty if any column is unqualified."""
    names = set()
    for column in side.find_all(exp.Column):
        if not column.table:
            return set()
        names.add(column.table.lower())
    return names


def _depth(expression: exp.Expr) -> int:
    """How many SELECTs the most deeply nested SELECT sits inside."""
    deepest = 0
    for select in expression.find_all(exp.Select):
        level, node = 0, select.parent
        while node is not None:
            level += isinstance(node, exp.Select)
            node = node.parent
        deepest = max(deepest, level)
    return deepest

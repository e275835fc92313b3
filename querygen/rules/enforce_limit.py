"""Every query returns a bounded number of rows: a LIMIT is added or lowered.

Only the outermost query's LIMIT bounds what comes back, so that is the one enforced:
added (``default_limit``) when missing, lowered to ``max_limit`` when larger (a clamp,
not a refusal: "all of them" should still answer). A LIMIT that is not a plain whole
number (a percentage, an expression, ``ALL``, ``WITH TIES``) cannot be bounded and is
refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlglot import exp

from core.errors import QueryRejected

if TYPE_CHECKING:
    from querygen.validate import GuardContext

__all__ = ["enforce_limit", "limit_of"]

_REMEDIATION = "Write LIMIT followed by a whole number, e.g. LIMIT 50."


def enforce_limit(expression: exp.Expr, context: GuardContext) -> exp.Expr:
    """Add the default LIMIT, or lower a larger one to the maximum.

    Raises:
        QueryRejected: a LIMIT that is not a positive whole number, or a FETCH clause.
    """
    limit = expression.args.get("limit")
    if limit is None:
        expression.set("limit", _limit(context.default_limit))
        return expression
    if not isinstance(limit, exp.Limit):
        raise QueryRejected("Only LIMIT can bound the rows (not FETCH).", remediation=_REMEDIATION)
    options = limit.args.get("limit_options")
    if options is not None and (options.args.get("percent") or options.args.get("with_ties")):
        raise QueryRejected(
            "LIMIT must count rows (no PERCENT, no WITH TIES).", remediation=_REMEDIATION
        )
    count = _whole_number(limit.expression)
    if count is None or count < 1:
        raise QueryRejected(
            f"LIMIT {limit.expression.sql()[:40]} is not a positive whole number.",
            remediation=_REMEDIATION,
        )
    if count > context.max_limit:
        limit.set("expression", exp.Literal.number(context.max_limit))
    return expression


def limit_of(expression: exp.Expr) -> int:
    """The outermost LIMIT of a query ``enforce_limit`` has passed.

    >>> from sqlglot import parse_one
    >>> limit_of(parse_one("SELECT 1 LIMIT 7"))
    7
    """
    limit = expression.args["limit"]
    count = _whole_number(limit.expression)
    assert count is not None
    return count


def _limit(count: int) -> exp.Limit:
    return exp.Limit(expression=exp.Literal.number(count))


def _whole_number(node: exp.Expr | None) -> int | None:
    if isinstance(node, exp.Literal) and not node.is_string and node.this.isdigit():
        return int(node.this)
    return None

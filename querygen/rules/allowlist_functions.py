"""A positive allow-list of the functions a query may call; everything else is refused.

Listed by sqlglot expression class, so a function is judged by what sqlglot parsed it
as, not by how it was spelled. Functions sqlglot does not know arrive as
``exp.Anonymous`` and pass only if their name is in ``ALLOWED_NAMES``. Refused by
omission: file, network and system access (``read_text``, ``getenv``,
``current_setting``, ``pragma_*``, ``http_*``), generators (``range``, ``repeat``) and
anything else nobody has vetted. Operators (comparison, arithmetic, ``LIKE``, ``IN``,
``CASE``) are not functions here and are always allowed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlglot import exp

from core.errors import QueryRejected

if TYPE_CHECKING:
    from querygen.validate import GuardContext

__all__ = ["ALLOWED_FUNCTIONS", "ALLOWED_NAMES", "allowlist_functions"]

ALLOWED_FUNCTIONS: frozenset[type[exp.Func]] = frozenset(
    {
        # operators sqlglot models as functions
        exp.And,
        exp.Or,
        exp.Pow,
        exp.Exists,
        exp.RegexpILike,
        # text
        exp.Lower,
        exp.Upper,
        exp.Length,
        exp.Contains,
        exp.StartsWith,
        exp.EndsWith,
        exp.RegexpLike,
        exp.RegexpExtract,
        exp.Concat,
        exp.SplitPart,
        exp.Trim,
        exp.Replace,
        exp.Substring,
        exp.Left,
        exp.Right,
        exp.StrPosition,
        # values, numbers, conditions
        exp.Coalesce,
        exp.Nullif,
        exp.Greatest,
        exp.Least,
        exp.Abs,
        exp.Round,
        exp.Floor,
        exp.Ceil,
        exp.Cast,
        exp.TryCast,
        exp.Case,
        exp.If,
        # time
        exp.DateDiff,
        exp.DateTrunc,
        exp.TimestampTrunc,
        exp.CurrentTimestamp,
        exp.CurrentDate,
        exp.Localtimestamp,
        exp.TimeToUnix,
        exp.Extract,
        exp.TimeToStr,
        exp.Year,
        exp.Month,
        exp.Day,
        # lists (Explode is UNNEST in a select list; UNNEST as a table is refused elsewhere)
        exp.Array,
        exp.ArrayContains,
        exp.ArrayContainsAll,
        exp.ArrayContainedBy,
        exp.ArrayOverlaps,
        exp.ArraySize,
        exp.ArrayToString,
        exp.Explode,
        exp.Transform,
        # aggregates
        exp.Count,
        exp.Sum,
        exp.Avg,
        exp.Min,
        exp.Max,
        exp.Median,
        exp.PercentileCont,
        exp.ArgMax,
        exp.ArgMin,
        exp.GroupConcat,
        exp.ArrayAgg,
        exp.LogicalOr,
        exp.LogicalAnd,
        exp.CountIf,
        exp.AnyValue,
        # window
        exp.RowNumber,
        exp.Rank,
        exp.DenseRank,
    }
)
ALLOWED_NAMES = frozenset({"now", "date_part", "datepart"})
_LAMBDA_HOSTS = (exp.Transform,)
_REMEDIATION = "Use comparisons, aggregates and common functions (lower, coalesce, date_diff)."


def allowlist_functions(expression: exp.Expr, context: GuardContext | None = None) -> exp.Expr:
    """Refuse any function call that is not on the allow-list.

    Raises:
        QueryRejected: naming the first function that is not allowed.

    >>> from querygen.rules.parse_one_statement import parse_one_statement
    >>> allowlist_functions(parse_one_statement("SELECT getenv('HOME')"))
    Traceback (most recent call last):
    ...
    core.errors.QueryRejected: The function getenv is not allowed.
    """
    for node in expression.walk():
        if isinstance(node, exp.Lambda) and not isinstance(node.parent, _LAMBDA_HOSTS):
            raise QueryRejected("Lambdas are not allowed here.", remediation=_REMEDIATION)
        if isinstance(node, exp.Func) and not _allowed(node):
            raise QueryRejected(
                f"The function {_name(node)} is not allowed.", remediation=_REMEDIATION
            )
    return expression


def _allowed(node: exp.Func) -> bool:
    if isinstance(node, exp.Anonymous):
        return node.name.lower() in ALLOWED_NAMES
    return type(node) in ALLOWED_FUNCTIONS


def _name(node: exp.Func) -> str:
    name = node.name if isinstance(node, exp.Anonymous) else node.sql_name()
    return name.lower()[:40]

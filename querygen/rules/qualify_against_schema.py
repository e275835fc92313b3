"""Every column must exist: resolve the query against the catalog with sqlglot's qualify.

Qualification runs on a copy and the query itself is left as written: sqlglot's
rewrites (generated ``_col_0`` output names, alias expansion into GROUP BY) are for
checking, not for running, and DuckDB binds the same names to the same views either way.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlglot import exp
from sqlglot.errors import OptimizeError, SchemaError
from sqlglot.optimizer.qualify import qualify

from core.errors import QueryRejected, UnknownColumn

if TYPE_CHECKING:
    from querygen.validate import GuardContext

__all__ = ["qualify_against_schema"]

_UNRESOLVED = re.compile(r"Column '([^']*)' could not be resolved(?: for table: '([^']*)')?")
_UNKNOWN = re.compile(r"Unknown column: (\S+)")
_REMEDIATION = "Use the column names `posture help` lists; in a join, write view_alias.column."


def qualify_against_schema(expression: exp.Expr, context: GuardContext) -> exp.Expr:
    """Check that every column the query names resolves against the catalog's views.

    Raises:
        UnknownColumn: naming the first column that is unknown (or ambiguous in a join).
        QueryRejected: anything else qualification refuses.
    """
    try:
        qualify(
            expression.copy(),
            dialect="duckdb",
            schema=context.schema,
            validate_qualify_columns=True,
            identify=False,
        )
    except (OptimizeError, SchemaError) as exc:
        raise _translate(str(exc)) from None
    return expression


def _translate(message: str) -> QueryRejected:
    first = (message.splitlines() or [""])[0]
    found = _UNRESOLVED.search(first)
    if found:
        column, table = found.group(1), found.group(2)
        name = f"{table}.{column}" if table else column
        return UnknownColumn(
            f"'{name[:80]}' is not a column of the views it reads, or is in more than one.",
            column=column[:80],
            remediation=_REMEDIATION,
        )
    unknown = _UNKNOWN.search(first)
    if unknown:
        return UnknownColumn(
            f"'{unknown.group(1)[:80]}' is not a column of the views it reads.",
            column=unknown.group(1)[:80],
            remediation=_REMEDIATION,
        )
    return QueryRejected(
        f"The query does not fit the views: {first[:200]}", remediation=_REMEDIATION
    )

"""Only the catalog's views (and the query's own CTEs) may be read.

Everything else a DuckDB query can name is refused: schema-qualified names (``raw.*``,
``derived.*``, ``information_schema.*``, ``pg_catalog.*``), system views
(``duckdb_tables``, ``sqlite_master``), table functions (``read_csv``, ``glob``,
``query_table``, ``range``), file paths and URLs used as tables, and every source that is
not a plain table or a subquery (``LATERAL``, ``UNNEST``, ``VALUES``, ``PIVOT``). A CTE
name counts only where SQL scoping makes it visible, so a CTE cannot lend its name to a
system table elsewhere in the query. Nor may a column name a schema
(``raw.findings.title``): that is a table by another route.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from sqlglot import exp

from core.errors import QueryRejected, UnknownColumn

if TYPE_CHECKING:
    from querygen.validate import GuardContext

__all__ = ["allowlist_tables"]

_SOURCES = (exp.From, exp.Join)
_FORBIDDEN_SOURCES: tuple[type[exp.Expr], ...] = (
    exp.Lateral,
    exp.Unnest,
    exp.Values,
    exp.Pivot,
    exp.TableFromRows,
)
# Table clauses that only read the named view; anything else (AT / time travel, CHANGES,
# ROWS FROM, index hints, ...) is refused rather than reviewed.
_TABLE_ARGS = frozenset({"this", "alias", "db", "catalog", "sample", "pivots"})
_REMEDIATION = "Query the semantic views by their bare names; `posture help` lists them."


def allowlist_tables(expression: exp.Expr, context: GuardContext) -> exp.Expr:
    """Refuse any table that is not a catalog view or a visible CTE; lower-case the rest.

    Raises:
        UnknownColumn: a bare name that is neither a view nor a CTE.
        QueryRejected: a qualified name, a table function, or a non-table source.
    """
    views = context.catalog.views
    for node in expression.walk():
        if isinstance(node, _FORBIDDEN_SOURCES):
            raise QueryRejected(
                f"{type(node).__name__.upper()} is not allowed as a source.",
                remediation=_REMEDIATION,
            )
        if isinstance(node, _SOURCES) and not isinstance(node.this, exp.Table | exp.Subquery):
            raise QueryRejected(
                f"Only views and subqueries may be read, not {type(node.this).__name__}.",
                remediation=_REMEDIATION,
            )
        if isinstance(node, exp.Table):
            _check_table(node, views.keys())
        if isinstance(node, exp.Column) and (node.args.get("db") or node.args.get("catalog")):
            raise QueryRejected(
                f"'{node.sql(dialect='duckdb')[:80]}' names a schema; write alias.column.",
                remediation=_REMEDIATION,
            )
    return expression


def _check_table(table: exp.Table, views: Collection[str]) -> None:
    if not isinstance(table.this, exp.Identifier):
        raise QueryRejected(
            f"Table functions such as {table.this.sql(dialect='duckdb')[:40]} are not allowed.",
            remediation=_REMEDIATION,
        )
    extra = sorted(k for k, v in table.args.items() if v and k not in _TABLE_ARGS)
    if extra:
        raise QueryRejected(
            f"Table clause {extra[0].upper()} is not allowed.", remediation=_REMEDIATION
        )
    name = table.name.lower()
    if table.args.get("db") or table.args.get("catalog"):
        raise QueryRejected(
            f"'{table.sql(dialect='duckdb')[:80]}' is outside the query surface.",
            remediation=_REMEDIATION,
        )
    if name in _visible_ctes(table):
        return
    if name not in views:
        known = ", ".join(sorted(views))
        raise UnknownColumn(
            f"'{table.name[:80]}' is not a view; the views are {known}.",
            column=table.name[:80],
            remediation=_REMEDIATION,
        )
    table.set("this", exp.to_identifier(name))


def _visible_ctes(node: exp.Expr) -> set[str]:
    """CTE names in scope at ``node``: all of a WITH for its body, earlier ones for a CTE.

    In a WITH RECURSIVE every name is visible everywhere; ``bound_cost`` refuses those
    later with its own message.
    """
    visible: set[str] = set()
    child, parent = node, node.parent
    while parent is not None:
        if isinstance(parent, exp.With):
            ctes = parent.expressions
            before = next((i for i, c in enumerate(ctes) if c is child), len(ctes))
            seen = ctes if parent.args.get("recursive") else ctes[:before]
            visible.update(c.alias_or_name.lower() for c in seen)
        elif isinstance(parent, exp.Query) and isinstance(parent.args.get("with_"), exp.With):
            if child is not parent.args["with_"]:
                visible.update(c.alias_or_name.lower() for c in parent.args["with_"].expressions)
        child, parent = parent, parent.parent
    return visible

"""The SQL guard: the only way a SQL string becomes a ``ValidatedQuery``.

It exists for SQL the compiler did not write (Claude's raw SQL for what a spec cannot
say), and compiled SQL passes it too, as a second check. Parsing is step zero (text in,
one AST out); then ``RULES`` are folded over the AST in order, as sqlglot's optimizer
folds its own ``RULES``. Each rule either raises a ``QueryRejected`` subclass or returns
the (possibly rewritten) AST. What runs is the final AST rendered again, never the text
that came in: comments, odd spacing and anything sqlglot dropped cannot reach DuckDB.

The store adds the last two walls: a read-only connection with external access off.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.schema import MappingSchema

from core.errors import QueryRejected
from core.query import ValidatedQuery
from querygen.catalog import Catalog
from querygen.rules.allowlist_functions import allowlist_functions
from querygen.rules.allowlist_tables import allowlist_tables
from querygen.rules.bound_cost import bound_cost
from querygen.rules.enforce_limit import enforce_limit, limit_of
from querygen.rules.parse_one_statement import DIALECT, parse_one_statement, statement_count
from querygen.rules.qualify_against_schema import qualify_against_schema
from querygen.rules.reject_non_select import reject_non_select

__all__ = ["RULES", "GuardContext", "Rule", "validate_sql"]


@dataclass(frozen=True)
class GuardContext:
    """What every rule may read: the catalog, its sqlglot schema and the row caps."""

    catalog: Catalog
    schema: MappingSchema
    default_limit: int = 200
    max_limit: int = 5000


class Rule(Protocol):
    """A guard step: check (and maybe rewrite) the AST, or raise ``QueryRejected``."""

    def __call__(self, expression: exp.Expr, context: GuardContext) -> exp.Expr: ...


# Cheap structural checks first; qualification (the costly step) only sees a statement
# that reads nothing but the views through allowed functions.
RULES: tuple[Rule, ...] = (
    reject_non_select,
    allowlist_tables,
    allowlist_functions,
    qualify_against_schema,
    bound_cost,
    enforce_limit,
)

_SCHEMAS: dict[int, tuple[Catalog, MappingSchema]] = {}


def validate_sql(
    sql: str, catalog: Catalog, *, default_limit: int = 200, max_limit: int = 5000
) -> ValidatedQuery:
    """Check one SQL string against the guard and return it ready to run.

    Args:
        sql: the candidate query (untrusted).
        catalog: the semantic catalog; its views are the only tables a query may read.
        default_limit: the LIMIT added when the query has none.
        max_limit: the largest LIMIT allowed; a larger one is lowered to it.

    Returns:
        The re-rendered SQL (no comments, LIMIT enforced), its views and its row limit.

    Raises:
        ParseFailed: not exactly one statement of valid DuckDB SQL, or hidden characters.
        WriteAttempted: anything but a read (DDL, DML, PRAGMA, ATTACH, COPY, SET ...).
        UnknownColumn: a view or column that is not in the catalog.
        LimitExceeded: over a hard cap (input length, joins, nesting depth).
        QueryRejected: any other reason (file readers, system tables, cartesian joins).

    >>> from querygen.catalog import load_catalog
    >>> q = validate_sql("select name from buckets where is_public", load_catalog())
    >>> q.sql
    'SELECT name FROM buckets WHERE is_public LIMIT 200'
    >>> (q.views, q.row_limit)
    (('buckets',), 200)
    """
    if not 1 <= default_limit <= max_limit:
        raise ValueError("need 1 <= default_limit <= max_limit")
    context = GuardContext(catalog, _schema(catalog), default_limit, max_limit)
    try:
        expression = parse_one_statement(sql, context)
        for rule in RULES:
            expression = rule(expression, context)
        rendered = expression.sql(dialect=DIALECT, comments=False)
        if statement_count(rendered) != 1:  # a rendering slip must never yield two statements
            raise QueryRejected("The query did not survive re-rendering as one statement.")
    except RecursionError:
        raise QueryRejected(
            "The query is nested too deeply to check.",
            remediation="Simplify it: fewer nested parentheses and subqueries.",
        ) from None
    except SqlglotError as exc:
        raise QueryRejected(f"The query could not be checked: {_first_line(exc)}") from None
    return ValidatedQuery(
        sql=rendered, views=_views(expression, catalog), row_limit=limit_of(expression)
    )


def _schema(catalog: Catalog) -> MappingSchema:
    # Building the schema costs more than checking a typical query, so keep one per
    # catalog; the catalog is kept alive beside it so its id cannot be reused.
    cached = _SCHEMAS.get(id(catalog))
    if cached is None or cached[0] is not catalog:
        if len(_SCHEMAS) > 8:
            _SCHEMAS.clear()
        mapping: dict[str, object] = dict(catalog.mapping_schema())
        cached = (catalog, MappingSchema(mapping, dialect=DIALECT))
        _SCHEMAS[id(catalog)] = cached
    return cached[1]


def _views(expression: exp.Expr, catalog: Catalog) -> tuple[str, ...]:
    """The catalog views the query reads; a CTE that borrows a view's name counts too,
    which over-reports, the safe side for freshness and audit."""
    names = (t.name.lower() for t in expression.find_all(exp.Table))
    return tuple(dict.fromkeys(n for n in names if n in catalog.views))


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]

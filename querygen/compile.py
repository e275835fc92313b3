"""QuerySpec -> DuckDB SQL, built node by node with sqlglot's expression builder.

Values only ever enter the SQL as sqlglot literals and names as identifiers, so no
question can change the shape of the query. The output is deterministic: the same spec
gives the same SQL string, which makes the golden tests and the audit trail exact.

Semantics worth knowing (the help text and the read-back rely on them):

* a negated condition (``ne``, ``not_in``, ``not_contains``, ``is_false``, a negated
  ``Related``) keeps rows whose value is unknown (NULL): "not prod" includes "unknown";
* text columns whose catalog entry lists ``values`` compare exactly (after matching the
  catalog's spelling case-insensitively, so ``Prod`` reads as ``prod``); free text
  compares case-insensitively and ``contains`` is a case-insensitive substring;
* on a list column (``text[]``) ``contains``/``eq``/``in`` mean membership;
* ties (and rows without an explicit order) come by the view's name column, then its
  key, so a truncated list is the same list every time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from pydantic import BaseModel, ConfigDict
from sqlglot import exp

from core.errors import QueryRejected, UnknownColumn
from querygen.catalog import Catalog, Column, View
from querygen.spec import (
    Aggregate,
    AggregateFn,
    AnyOf,
    Condition,
    Filter,
    Op,
    OrderBy,
    QuerySpec,
    Related,
    Scalar,
)

__all__ = ["CompiledQuery", "compile_spec"]

DIALECT = "duckdb"
TARGET_ALIAS = "t"
VALUE_ALIAS = "value"
_NUMERIC = {"int", "float"}
_ORDERED = {"int", "float", "timestamp", "text"}
_SORTABLE = _ORDERED | {"bool"}
_NEGATED = {Op.NE, Op.NOT_IN, Op.NOT_CONTAINS}
_COMPARE: dict[Op, type[exp.Binary]] = {
    Op.EQ: exp.EQ,
    Op.GT: exp.GT,
    Op.GTE: exp.GTE,
    Op.LT: exp.LT,
    Op.LTE: exp.LTE,
}


class CompiledQuery(BaseModel):
    """SQL for one spec, with the views it reads and the columns it returns."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sql: str
    views: tuple[str, ...]
    columns: tuple[str, ...]


def compile_spec(spec: QuerySpec, catalog: Catalog, *, default_limit: int = 200) -> CompiledQuery:
    """Turn a spec into one DuckDB SELECT over the semantic views.

    Args:
        spec: the question, read.
        catalog: the semantic catalog the spec's names are checked against.
        default_limit: the LIMIT used when the spec sets none (a LIMIT is always present).

    Returns:
        The SQL, the views it reads (the target first) and its output column names.

    Raises:
        UnknownColumn: the spec names a view, column or relation the catalog lacks.
        QueryRejected: an operator or aggregate does not fit the column's type.

    >>> from querygen.catalog import load_catalog
    >>> spec = QuerySpec(view="buckets", columns=["name"], limit=5,
    ...                  conditions=[Filter(field="is_public", op="is_true")])
    >>> compiled = compile_spec(spec, load_catalog())
    >>> print(compiled.sql)  # doctest: +NORMALIZE_WHITESPACE
    SELECT t.name FROM buckets AS t WHERE t.is_public IS TRUE
    ORDER BY t.name, t.resource_id LIMIT 5
    >>> compiled.views, compiled.columns
    (('buckets',), ('name',))
    """
    catalog.check_spec(spec)
    if default_limit < 1:
        raise ValueError("default_limit must be at least 1")
    view = catalog.view(spec.view)
    builder = _Builder(catalog, [view.name])
    query = exp.Select()
    query.set("from_", exp.From(this=_table(view.name, TARGET_ALIAS)))
    where = builder.conditions(view, TARGET_ALIAS, spec.conditions, depth=0)
    if spec.time_window:
        where += _time_window(view, spec)
    if where:
        query.set("where", exp.Where(this=exp.and_(*where, copy=False)))
    columns = _shape(query, view, spec)
    query.set("limit", exp.Limit(expression=exp.Literal.number(spec.limit or default_limit)))
    return CompiledQuery(
        sql=query.sql(dialect=DIALECT), views=tuple(builder.views), columns=tuple(columns)
    )


@dataclass
class _Builder:
    """Builds WHERE conditions; remembers every view a ``Related`` filter reaches."""

    catalog: Catalog
    views: list[str] = field(default_factory=list)

    def conditions(
        self, view: View, alias: str, conditions: Sequence[Condition], depth: int
    ) -> list[exp.Expr]:
        return [self.condition(view, alias, c, depth) for c in conditions]

    def condition(self, view: View, alias: str, cond: Condition, depth: int) -> exp.Expr:
        if isinstance(cond, Filter):
            return _filter(view.column(cond.field), _col(cond.field, alias), cond)
        if isinstance(cond, AnyOf):
            parts = self.conditions(view, alias, cond.conditions, depth)
            return exp.paren(exp.or_(*parts, copy=False), copy=False)
        return self.related(view, alias, cond, depth)

    def related(self, view: View, alias: str, cond: Related, depth: int) -> exp.Expr:
        # One alias per nesting level (r, r2, r3...) keeps correlated references unambiguous.
        rel, target = self.catalog.relation(view.name, cond.relation)
        if target.name not in self.views:
            self.views.append(target.name)
        inner = "r" if depth == 0 else f"r{depth + 1}"
        link = exp.EQ(this=_col(rel.remote, inner), expression=_col(rel.local, alias))
        where = [link, *self.conditions(target, inner, cond.conditions, depth + 1)]
        sub = exp.Select(expressions=[exp.Literal.number(1)])
        sub.set("from_", exp.From(this=_table(target.name, inner)))
        sub.set("where", exp.Where(this=exp.and_(*where, copy=False)))
        found = exp.Exists(this=sub)
        return exp.Not(this=found) if cond.negate else found


# --- filters -----------------------------------------------------------------------------


def _filter(column: Column, ref: exp.Column, f: Filter) -> exp.Expr:
    if f.op is Op.IS_NULL:
        return exp.Is(this=ref, expression=exp.Null())
    if f.op is Op.NOT_NULL:
        return exp.Not(this=exp.Is(this=ref, expression=exp.Null()))
    if column.type == "bool":
        return _bool_filter(column, ref, f)
    if f.op in (Op.IS_TRUE, Op.IS_FALSE):
        raise _misfit(f, column, "a yes/no column")
    if column.type == "text[]":
        return _list_filter(column, ref, f)
    if column.type in ("map", "struct[]"):
        raise _misfit(f, column, "a column of plain values")
    if f.op in (Op.CONTAINS, Op.NOT_CONTAINS):
        if column.type != "text":
            raise _misfit(f, column, "a text or list column")
        pattern = "%" + _escape_like(_text(column, f.value)) + "%"
        found = exp.Escape(
            this=exp.ILike(this=ref, expression=exp.Literal.string(pattern)),
            expression=exp.Literal.string("\\"),
        )
        return _negate(found) if f.op is Op.NOT_CONTAINS else found
    return _compare(column, ref, f)


def _compare(column: Column, ref: exp.Expr, f: Filter) -> exp.Expr:
    if f.op not in (Op.EQ, Op.NE, Op.IN, Op.NOT_IN) and column.type not in _ORDERED:
        raise _misfit(f, column, "a number, time or text column")
    folded = (
        column.type == "text" and not column.values and f.op in {Op.EQ, Op.NE, Op.IN, Op.NOT_IN}
    )
    literals = [_literal(column, v, f) for v in _values(f)]
    if folded:  # free text: case-insensitive equality
        ref = exp.Lower(this=ref)
        literals = [exp.Lower(this=lit) for lit in literals]
    if f.op in (Op.IN, Op.NOT_IN):
        found = exp.In(this=ref, expressions=literals)
        return _negate(found) if f.op is Op.NOT_IN else found
    if f.op is Op.NE:
        return exp.NullSafeNEQ(this=ref, expression=literals[0])
    return _COMPARE[f.op](this=ref, expression=literals[0])


def _bool_filter(column: Column, ref: exp.Column, f: Filter) -> exp.Expr:
    if f.op in (Op.IS_TRUE, Op.IS_FALSE):
        wanted = f.op is Op.IS_TRUE
    elif f.op in (Op.EQ, Op.NE):
        wanted = _bool(column, f.value, f) == (f.op is Op.EQ)
    else:
        raise _misfit(f, column, "a column other than yes/no")
    found = exp.Is(this=ref, expression=exp.true())
    return found if wanted else exp.Not(this=found)


def _list_filter(column: Column, ref: exp.Column, f: Filter) -> exp.Expr:
    if f.op not in (Op.CONTAINS, Op.NOT_CONTAINS, Op.EQ, Op.NE, Op.IN, Op.NOT_IN):
        raise _misfit(f, column, "a column other than a list")
    texts = _unique(_text(column, v) for v in _values(f))
    haystack: exp.Expr = ref
    if not column.values:  # undeclared values: compare lower-cased elements
        texts = _unique(t.lower() for t in texts)
        lowered = exp.Lambda(this=exp.Lower(this=exp.column("x")), expressions=[_ident("x")])
        haystack = exp.Transform(this=ref, expression=lowered)
    if len(texts) == 1:
        found: exp.Expr = exp.ArrayContains(this=haystack, expression=exp.Literal.string(texts[0]))
    else:
        wanted = exp.Array(expressions=[exp.Literal.string(t) for t in texts])
        found = exp.ArrayOverlaps(this=haystack, expression=wanted)
    return _negate(found) if f.op in _NEGATED else found


def _negate(found: exp.Expr) -> exp.Expr:
    """``NOT (x) IS TRUE``: false when the condition holds, true when it fails or is NULL."""
    inner = found if isinstance(found, exp.Func) else exp.paren(found, copy=False)
    return exp.Not(this=exp.Is(this=inner, expression=exp.true()))


def _time_window(view: View, spec: QuerySpec) -> list[exp.Expr]:
    window = spec.time_window
    assert window is not None
    column = view.column(window.field)
    if column.type != "timestamp":
        raise QueryRejected(
            f"A time window needs a time column; {view.name}.{column.name} is {column.type}.",
            remediation="Pick a time column such as first_seen or last_seen.",
        )
    ref = _col(column.name, TARGET_ALIAS)
    bounds: list[exp.Expr] = []
    if window.since is not None:
        bounds.append(exp.GTE(this=ref, expression=_timestamp(window.since)))
    if window.until is not None:
        bounds.append(exp.LT(this=ref.copy(), expression=_timestamp(window.until)))
    return bounds


# --- values ------------------------------------------------------------------------------


def _literal(column: Column, value: Scalar, f: Filter) -> exp.Expr:
    if column.type == "timestamp":
        if not isinstance(value, str) or isinstance(value, bool):
            raise _bad_value(f, column, "a date or time such as 2024-05-01")
        try:
            moment: datetime | date = datetime.fromisoformat(value)
        except ValueError:
            raise _bad_value(f, column, "a date or time such as 2024-05-01") from None
        return _timestamp(moment)
    if column.type in _NUMERIC:
        return exp.Literal.number(_number(column, value, f))
    return exp.Literal.string(_text(column, value))


def _values(f: Filter) -> list[Scalar]:
    if isinstance(f.value, list):
        return f.value
    return [] if f.value is None else [f.value]


def _text(column: Column, value: Scalar | list[Scalar] | None) -> str:
    """The value as text, in the catalog's spelling when it names one of its values."""
    if isinstance(value, bool | list) or value is None:
        raise QueryRejected(f"{column.name} needs a text value, not {value!r}.")
    text = str(value)
    for known in column.values:
        if known.casefold() == text.casefold():
            return known
    return text


def _number(column: Column, value: Scalar, f: Filter) -> int | float:
    if isinstance(value, bool):
        raise _bad_value(f, column, "a number")
    if isinstance(value, int | float):
        return value
    try:
        number = float(value)
    except ValueError:
        raise _bad_value(f, column, "a number") from None
    return int(number) if number.is_integer() else number


def _bool(column: Column, value: Scalar | list[Scalar] | None, f: Filter) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "yes", "no"):
        return value.lower() in ("true", "yes")
    raise _bad_value(f, column, "true or false")


def _timestamp(moment: datetime | date) -> exp.Expr:
    """A UTC TIMESTAMP literal; a date means its midnight, an aware time is moved to UTC."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time())
    elif moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return exp.Cast(
        this=exp.Literal.string(moment.isoformat(sep=" ")),
        to=exp.DataType(this=exp.DataType.Type.TIMESTAMP),
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --- projection, grouping, order ---------------------------------------------------------


def _shape(query: exp.Select, view: View, spec: QuerySpec) -> list[str]:
    """Fill SELECT, GROUP BY and ORDER BY; returns the output column names."""
    if spec.aggregate is not None:
        return _aggregate_shape(query, view, spec, spec.aggregate)
    columns = list(spec.columns or view.default_columns)
    if "value" in {o.field for o in spec.order_by}:
        raise UnknownColumn(
            "'value' orders by an aggregate, and this question has none.", column="value"
        )
    if spec.distinct:  # SELECT DISTINCT can only order by what it selects
        columns += [o.field for o in spec.order_by if o.field not in columns]
        query.set("distinct", exp.Distinct())
    query.set("expressions", [_col(c, TARGET_ALIAS) for c in columns])
    # Ties are broken by name, then key (DISTINCT: by the other selected values), so a
    # truncated list is the same list every run.
    if spec.distinct:
        ties = [c for c in columns if view.column(c).type in _SORTABLE]
    else:
        ties = [view.name_column, view.key]
    taken = {o.field for o in spec.order_by}
    order = [_ordered(_col(o.field, TARGET_ALIAS), o.descending) for o in spec.order_by]
    order += [_ordered(_col(c, TARGET_ALIAS), False) for c in _unique(ties) if c not in taken]
    if order:
        query.set("order", exp.Order(expressions=order))
    return columns


def _aggregate_shape(query: exp.Select, view: View, spec: QuerySpec, agg: Aggregate) -> list[str]:
    value = exp.Alias(this=_aggregate(view, agg), alias=_ident(VALUE_ALIAS))
    groups = list(spec.group_by)
    query.set("expressions", [*(_col(g, TARGET_ALIAS) for g in groups), value])
    if not groups:
        return [VALUE_ALIAS]  # one row: ordering means nothing
    query.set("group", exp.Group(expressions=[_col(g, TARGET_ALIAS) for g in groups]))
    wanted = spec.order_by or [OrderBy(field=VALUE_ALIAS, descending=True)]
    order = [_group_order(o, groups) for o in wanted]
    taken = {o.field for o in wanted}
    order += [_ordered(_col(g, TARGET_ALIAS), False) for g in groups if g not in taken]
    query.set("order", exp.Order(expressions=order))
    return [*groups, VALUE_ALIAS]


def _group_order(o: OrderBy, groups: list[str]) -> exp.Ordered:
    if o.field == VALUE_ALIAS:
        return _ordered(exp.column(VALUE_ALIAS), o.descending)
    if o.field not in groups:
        raise QueryRejected(
            f"Cannot order grouped rows by {o.field}: it is not one of the groups.",
            remediation="Order by the aggregate ('value') or by a grouped column.",
        )
    return _ordered(_col(o.field, TARGET_ALIAS), o.descending)


def _aggregate(view: View, agg: Aggregate) -> exp.Expr:
    if agg.field is None:
        return exp.Count(this=exp.Star())
    column = view.column(agg.field)
    ref = _col(agg.field, TARGET_ALIAS)
    if agg.fn is AggregateFn.COUNT:
        return exp.Count(this=ref)
    if agg.fn is AggregateFn.COUNT_DISTINCT:
        return exp.Count(this=exp.Distinct(expressions=[ref]))
    if agg.fn in (AggregateFn.AVG, AggregateFn.SUM) and column.type not in _NUMERIC:
        raise QueryRejected(f"{agg.fn.value} needs a number; {column.name} is {column.type}.")
    if column.type not in _ORDERED:
        raise QueryRejected(
            f"{agg.fn.value} needs a number, time or text; {column.name} is {column.type}."
        )
    fn: dict[AggregateFn, type[exp.Func]] = {
        AggregateFn.AVG: exp.Avg,
        AggregateFn.SUM: exp.Sum,
        AggregateFn.MIN: exp.Min,
        AggregateFn.MAX: exp.Max,
    }
    return fn[agg.fn](this=ref)


# --- small builders ----------------------------------------------------------------------


def _ident(name: str) -> exp.Identifier:
    return exp.to_identifier(name)


def _col(name: str, table: str) -> exp.Column:
    return exp.Column(this=_ident(name), table=_ident(table))


def _table(name: str, alias: str) -> exp.Table:
    return exp.Table(this=_ident(name), alias=exp.TableAlias(this=_ident(alias)))


def _ordered(expr: exp.Expr, descending: bool) -> exp.Ordered:
    # NULLs last in both directions: DuckDB's default, so no NULLS clause is printed.
    return exp.Ordered(this=expr, desc=True if descending else None, nulls_first=False)


def _unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _misfit(f: Filter, column: Column, needs: str) -> QueryRejected:
    return QueryRejected(
        f"'{f.op.value}' needs {needs}; {column.name} is {column.type}.",
        remediation="Rephrase the condition; `posture help` lists each column's type.",
    )


def _bad_value(f: Filter, column: Column, needs: str) -> QueryRejected:
    return QueryRejected(
        f"{column.name} {f.op.value} needs {needs}, not {f.value!r}.",
        remediation="Rephrase the value; `posture help` lists each column's type.",
    )

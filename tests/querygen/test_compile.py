"""compile_spec: golden SQL per spec, run on a real DuckDB store, and passed by the guard."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest
import sqlglot
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import QueryRejected, UnknownColumn
from querygen.catalog import Catalog, Column, load_catalog
from querygen.compile import CompiledQuery, compile_spec
from querygen.spec import Aggregate, Filter, Op, OrderBy, QuerySpec, Related, TimeWindow
from querygen.validate import validate_sql
from store.connection import open_database
from store.migrate import migrate, run_script
from tests.querygen.sql_fixtures import FIXTURES, SqlBlock, load_dir

GOLDEN = load_dir("compile_*.sql")


def seeded_store(path: Path) -> duckdb.DuckDBPyConnection:
    """A migrated store holding the hand-counted estate of seed.sql."""
    con = open_database(path)
    migrate(con)
    con.execute((FIXTURES / "seed.sql").read_text(encoding="utf-8"))
    run_script(con, "derive.sql")
    run_script(con, "rollup.sql")
    return con


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    con = seeded_store(tmp_path_factory.mktemp("compile") / "s.duckdb")
    yield con
    con.close()


def _compile(block: SqlBlock) -> CompiledQuery:
    return compile_spec(block.spec(), load_catalog())


def _plain(value: object) -> object:
    return float(value) if isinstance(value, float) else value


def test_there_are_enough_golden_specs() -> None:
    assert len(GOLDEN) >= 25
    ops = {c.op for b in GOLDEN for c in _filters(b.spec().conditions)}
    assert ops == set(Op)


def _filters(conditions: list) -> Iterator[Filter]:
    for cond in conditions:
        if isinstance(cond, Filter):
            yield cond
        else:
            yield from _filters(cond.conditions)


@pytest.mark.parametrize("block", GOLDEN, ids=lambda b: b.id)
def test_golden_sql(block: SqlBlock) -> None:
    compiled = _compile(block)
    pretty = sqlglot.transpile(compiled.sql, read="duckdb", write="duckdb", pretty=True)[0]
    assert pretty == block.sql
    # the compact form is sqlglot's own rendering, so the pretty comparison is exact
    assert sqlglot.parse_one(compiled.sql, read="duckdb").sql(dialect="duckdb") == compiled.sql


@pytest.mark.parametrize("block", GOLDEN, ids=lambda b: b.id)
def test_golden_runs_on_the_store(block: SqlBlock, store: duckdb.DuckDBPyConnection) -> None:
    compiled = _compile(block)
    cursor = store.execute(compiled.sql)
    rows = cursor.fetchall()
    assert tuple(d[0] for d in cursor.description) == compiled.columns
    assert len(rows) == int(block.meta["rows"])
    if "result" in block.meta:
        assert [[_plain(v) for v in row] for row in rows] == yaml.safe_load(block.meta["result"])


@pytest.mark.parametrize("block", GOLDEN, ids=lambda b: b.id)
def test_golden_passes_the_guard(block: SqlBlock, store: duckdb.DuckDBPyConnection) -> None:
    spec = block.spec()
    compiled = _compile(block)
    checked = validate_sql(compiled.sql, load_catalog())
    assert checked.row_limit == (spec.limit or 200)
    assert set(checked.views) == set(compiled.views)
    assert checked.views[0] == compiled.views[0] == spec.view
    assert store.execute(checked.sql).fetchall() == store.execute(compiled.sql).fetchall()
    assert store.execute(compiled.sql).fetchall() == store.execute(compiled.sql).fetchall()


def test_same_spec_same_sql() -> None:
    for block in GOLDEN:
        assert _compile(block) == _compile(block)


def test_default_limit_applies_only_without_a_spec_limit() -> None:
    catalog = load_catalog()
    assert compile_spec(QuerySpec(view="roles"), catalog, default_limit=7).sql.endswith("LIMIT 7")
    spec = QuerySpec(view="roles", limit=3)
    assert compile_spec(spec, catalog, default_limit=7).sql.endswith("LIMIT 3")
    with pytest.raises(ValueError):
        compile_spec(spec, catalog, default_limit=0)


def test_time_window_date_becomes_midnight() -> None:
    window = TimeWindow(field="last_seen", since=date(2024, 1, 2))
    sql = compile_spec(QuerySpec(view="roles", time_window=window), load_catalog()).sql
    assert "t.last_seen >= CAST('2024-01-02 00:00:00' AS TIMESTAMP)" in sql


@pytest.mark.parametrize(
    ("spec", "error", "words"),
    [
        (QuerySpec(view="lambdas"), UnknownColumn, "not a view"),
        (QuerySpec(view="functions", columns=["password"]), UnknownColumn, "password"),
        (
            QuerySpec(view="functions", conditions=[Related(relation="buckets")]),
            UnknownColumn,
            "no relation",
        ),
        (
            QuerySpec(view="functions", order_by=[OrderBy(field="value")]),
            UnknownColumn,
            "aggregate",
        ),
        (
            QuerySpec(
                view="functions", conditions=[Filter(field="memory_mb", op="contains", value="1")]
            ),
            QueryRejected,
            "text",
        ),
        (
            QuerySpec(view="functions", conditions=[Filter(field="name", op="is_true")]),
            QueryRejected,
            "yes/no",
        ),
        (
            QuerySpec(view="functions", conditions=[Filter(field="is_public", op="gt", value=1)]),
            QueryRejected,
            "is_public",
        ),
        (
            QuerySpec(
                view="functions", conditions=[Filter(field="is_public", op="eq", value="maybe")]
            ),
            QueryRejected,
            "true",
        ),
        (
            QuerySpec(
                view="functions", conditions=[Filter(field="memory_mb", op="gt", value="lots")]
            ),
            QueryRejected,
            "number",
        ),
        (
            QuerySpec(
                view="functions",
                conditions=[Filter(field="first_seen", op="gt", value="last week")],
            ),
            QueryRejected,
            "date",
        ),
        (
            QuerySpec(view="functions", conditions=[Filter(field="tags", op="eq", value="x")]),
            QueryRejected,
            "plain values",
        ),
        (
            QuerySpec(view="functions", conditions=[Filter(field="sources", op="gt", value="x")]),
            QueryRejected,
            "list",
        ),
        (
            QuerySpec(
                view="functions", time_window=TimeWindow(field="name", since=date(2024, 1, 1))
            ),
            QueryRejected,
            "time column",
        ),
        (
            QuerySpec(view="functions", aggregate=Aggregate(fn="avg", field="name")),
            QueryRejected,
            "number",
        ),
        (
            QuerySpec(view="functions", aggregate=Aggregate(fn="max", field="sources")),
            QueryRejected,
            "sources",
        ),
        (
            QuerySpec(
                view="functions",
                group_by=["team"],
                aggregate=Aggregate(fn="count"),
                order_by=[OrderBy(field="name")],
            ),
            QueryRejected,
            "groups",
        ),
    ],
)
def test_bad_specs_are_refused(spec: QuerySpec, error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words) as info:
        compile_spec(spec, load_catalog())
    assert isinstance(info.value, QueryRejected)


# --- property: whatever the compiler builds, the guard passes and DuckDB runs -------------

_SAMPLES: dict[str, list[object]] = {
    "text": ["prod", "Payments", "o'brien", "50%_off", "\\"],
    "int": [0, 1024, -1],
    "float": [0.5, 9.1],
    "timestamp": ["2024-05-01", "2024-05-01T12:30:00"],
    "text[]": ["PII", "wiz", "s3:*"],
}
_OPS: dict[str, list[Op]] = {
    "text": [Op.EQ, Op.NE, Op.IN, Op.NOT_IN, Op.GT, Op.CONTAINS, Op.NOT_CONTAINS, Op.IS_NULL],
    "int": [Op.EQ, Op.NE, Op.IN, Op.GT, Op.GTE, Op.LT, Op.LTE, Op.NOT_NULL],
    "float": [Op.GTE, Op.LT, Op.NOT_IN, Op.IS_NULL],
    "timestamp": [Op.GTE, Op.LT, Op.EQ, Op.NOT_NULL],
    "text[]": [Op.CONTAINS, Op.NOT_CONTAINS, Op.IN, Op.NOT_IN, Op.EQ],
    "bool": [Op.IS_TRUE, Op.IS_FALSE, Op.EQ, Op.NE],
}


@st.composite
def _filter(draw: st.DrawFn, column: Column) -> Filter:
    op = draw(st.sampled_from(_OPS[column.type]))
    if op in (Op.IS_NULL, Op.NOT_NULL, Op.IS_TRUE, Op.IS_FALSE):
        return Filter(field=column.name, op=op)
    pool = [True, False] if column.type == "bool" else _SAMPLES[column.type]
    if op in (Op.IN, Op.NOT_IN):
        return Filter(
            field=column.name,
            op=op,
            value=draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3)),
        )
    return Filter(field=column.name, op=op, value=draw(st.sampled_from(pool)))


@st.composite
def _spec(draw: st.DrawFn, catalog: Catalog) -> QuerySpec:
    view = catalog.views[draw(st.sampled_from(sorted(catalog.views)))]
    usable = [c for c in view.columns.values() if c.type in _OPS]
    columns = draw(st.lists(st.sampled_from(usable), max_size=3))
    conditions = [draw(_filter(c)) for c in columns]
    if view.relations and draw(st.booleans()):
        rel = view.relations[draw(st.sampled_from(sorted(view.relations)))]
        target = catalog.views[rel.view]
        inner = [c for c in target.columns.values() if c.type in _OPS]
        conditions.append(
            Related(
                relation=rel.name,
                negate=draw(st.booleans()),
                conditions=[draw(_filter(draw(st.sampled_from(inner))))],
            )
        )
    shown = [c.name for c in usable if c.type != "text[]"]
    group = draw(st.lists(st.sampled_from(shown), max_size=2, unique=True))
    aggregate = Aggregate(fn="count") if group or draw(st.booleans()) else None
    order = (
        []
        if aggregate
        else [OrderBy(field=draw(st.sampled_from(shown)), descending=draw(st.booleans()))]
    )
    return QuerySpec(
        view=view.name,
        conditions=conditions,
        group_by=group,
        aggregate=aggregate,
        order_by=order,
        distinct=draw(st.booleans()),
        limit=draw(st.none() | st.integers(1, 5000)),
    )


@settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(data=st.data())
def test_every_compiled_spec_passes_the_guard_and_runs(
    data: st.DataObject, store: duckdb.DuckDBPyConnection
) -> None:
    catalog = load_catalog()
    spec = data.draw(_spec(catalog))
    compiled = compile_spec(spec, catalog)
    checked = validate_sql(compiled.sql, catalog)
    assert checked.row_limit == (spec.limit or 200)
    store.execute(checked.sql).fetchall()

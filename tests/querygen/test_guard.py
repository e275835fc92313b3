"""The SQL guard, rule by rule, and a corpus of legitimate analyst SQL that must pass."""

from __future__ import annotations

import time
from collections.abc import Iterator

import duckdb
import pytest
import sqlglot

from core.errors import LimitExceeded, ParseFailed, QueryRejected, UnknownColumn, WriteAttempted
from core.query import ValidatedQuery
from querygen import rules
from querygen.catalog import load_catalog
from querygen.rules.parse_one_statement import MAX_CHARS, statement_count
from querygen.validate import RULES, validate_sql
from tests.querygen.sql_fixtures import FIXTURES, SqlBlock, load_blocks
from tests.querygen.test_compile import seeded_store

VALID = load_blocks(FIXTURES / "valid.sql")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    con = seeded_store(tmp_path_factory.mktemp("guard") / "s.duckdb")
    yield con
    con.close()


def check(sql: str, **kwargs: int) -> ValidatedQuery:
    return validate_sql(sql, load_catalog(), **kwargs)


# --- the valid corpus --------------------------------------------------------------------


def test_valid_corpus_is_big_enough() -> None:
    assert len(VALID) >= 30


@pytest.mark.parametrize("block", VALID, ids=lambda b: b.id)
def test_valid_sql_passes_and_runs(block: SqlBlock, store: duckdb.DuckDBPyConnection) -> None:
    checked = check(block.sql)
    assert checked.row_limit == int(block.meta.get("limit", 200))
    assert checked.views and set(checked.views) <= set(load_catalog().views)
    rows = store.execute(checked.sql).fetchall()
    assert len(rows) <= checked.row_limit
    if "rows" in block.meta:
        assert len(rows) == int(block.meta["rows"])


# --- the fold ----------------------------------------------------------------------------


def test_rules_run_in_the_documented_order() -> None:
    assert [r.__name__ for r in RULES] == [  # type: ignore[attr-defined]
        "reject_non_select",
        "allowlist_tables",
        "allowlist_functions",
        "qualify_against_schema",
        "bound_cost",
        "enforce_limit",
    ]
    assert set(rules.__all__) == {r.__name__ for r in RULES} | {"parse_one_statement"}  # type: ignore[attr-defined]


def test_what_runs_is_the_re_rendered_ast() -> None:
    checked = check("select /* hi */ name -- there\nfrom BUCKETS\nwhere is_public;")
    assert checked.sql == "SELECT name FROM buckets WHERE is_public LIMIT 200"
    assert checked.views == ("buckets",)


def test_views_lists_every_view_read() -> None:
    checked = check(
        "WITH x AS (SELECT resource_id FROM findings) "
        "SELECT i.name FROM images i JOIN x ON x.resource_id = i.resource_id"
    )
    assert set(checked.views) == {"findings", "images"}


def test_bad_parameters_are_a_programming_error() -> None:
    with pytest.raises(ValueError):
        check("SELECT 1", default_limit=0)
    with pytest.raises(ValueError):
        check("SELECT 1", default_limit=10, max_limit=5)


# --- limits ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "limit"),
    [
        ("SELECT name FROM functions", 200),
        ("SELECT name FROM functions LIMIT 3", 3),
        ("SELECT name FROM functions LIMIT 5000", 5000),
        ("SELECT name FROM functions LIMIT 5001", 5000),
        ("SELECT name FROM functions LIMIT 123456789012345678901234567890", 5000),
        ("SELECT name FROM functions UNION SELECT name FROM buckets", 200),
        ("SELECT name FROM functions UNION SELECT name FROM buckets LIMIT 9999", 5000),
    ],
)
def test_limit_is_added_or_clamped(sql: str, limit: int) -> None:
    checked = check(sql)
    assert checked.row_limit == limit
    outer = sqlglot.parse_one(checked.sql, read="duckdb").args["limit"]
    assert int(outer.expression.this) == limit


def test_custom_limits() -> None:
    assert check("SELECT name FROM roles", default_limit=7).row_limit == 7
    assert check("SELECT name FROM roles LIMIT 100", default_limit=20, max_limit=50).row_limit == 50


# --- refusals carry their structured fields ----------------------------------------------


def test_parse_failure_has_line_and_col() -> None:
    with pytest.raises(ParseFailed) as info:
        check("SELECT name\nFROM functions WHERE (")
    assert info.value.line == 2 and info.value.col is not None


def test_over_long_input_is_a_limit() -> None:
    with pytest.raises(LimitExceeded) as info:
        check("SELECT name FROM functions" + " " * MAX_CHARS)
    assert info.value.limit == MAX_CHARS and info.value.count > MAX_CHARS


def test_input_at_the_length_limit_passes() -> None:
    sql = "SELECT name FROM functions"
    assert check(sql + " " * (MAX_CHARS - len(sql))).row_limit == 200


def test_unknown_column_names_the_column() -> None:
    with pytest.raises(UnknownColumn) as info:
        check("SELECT name, pasword FROM functions")
    assert info.value.column == "pasword"


def test_too_many_joins_reports_counts() -> None:
    joins = " ".join(f"JOIN findings f{i} ON f{i}.finding_id = f0.finding_id" for i in range(1, 6))
    with pytest.raises(LimitExceeded) as info:
        check(f"SELECT f0.title FROM findings f0 {joins}")
    assert (info.value.count, info.value.limit) == (5, 4)


@pytest.mark.parametrize(
    "sql",
    ["", "   \n\t", "-- only a comment", ";", ";;", "/* */"],
)
def test_empty_input_is_a_parse_failure(sql: str) -> None:
    with pytest.raises(ParseFailed):
        check(sql)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT " + "(" * 3000 + "1" + ")" * 3000,
        "SELECT " + " + ".join(["1"] * 3000),
        "SELECT name FROM functions WHERE " + " AND ".join(["is_public"] * 1400),
        "SELECT 1 FROM " + "(SELECT 1 FROM " * 60 + "functions" + ") AS s" * 60,
        "SELECT " + "NOT " * 3000 + "true",
    ],
    ids=["parens", "plus_chain", "and_chain", "nested_selects", "not_chain"],
)
def test_pathological_nesting_is_refused_or_bounded(sql: str) -> None:
    assert len(sql) <= MAX_CHARS
    try:
        checked = check(sql)
    except QueryRejected as exc:
        assert "\n" not in exc.message
    else:
        assert checked.row_limit <= 5000


@pytest.mark.parametrize(
    ("sql", "error"),
    [
        ("DROP TABLE raw.findings", WriteAttempted),
        ("SELECT 1; SELECT 2", ParseFailed),
        ("SELECT * FROM raw.findings", QueryRejected),
        ("SELECT nosuch FROM functions", UnknownColumn),
        ("SELECT getenv('HOME')", QueryRejected),
        ("SELECT count(*) FROM functions, findings", QueryRejected),
    ],
)
def test_every_refusal_is_one_line_with_a_remediation(sql: str, error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        check(sql)
    exc = info.value
    assert isinstance(exc, QueryRejected)
    assert exc.message and "\n" not in exc.one_line()
    assert exc.remediation and exc.remediation != QueryRejected.default_remediation


# --- rule details ------------------------------------------------------------------------


def test_cte_names_follow_sql_scoping() -> None:
    assert check(
        "WITH a AS (SELECT name FROM buckets), b AS (SELECT name FROM a) SELECT name FROM b"
    ).views == ("buckets",)
    with pytest.raises(UnknownColumn):
        check("WITH a AS (SELECT name FROM b), b AS (SELECT name FROM buckets) SELECT * FROM a")
    with pytest.raises(UnknownColumn):
        check(
            "SELECT * FROM (WITH x AS (SELECT name FROM buckets) SELECT name FROM x) s "
            "JOIN x ON x.name = s.name"
        )


@pytest.mark.parametrize(
    "call",
    [
        "lower(name)",
        "upper(name)",
        "length(name)",
        "contains(name, 'a')",
        "starts_with(name, 'a')",
        "regexp_matches(name, '^a')",
        "coalesce(region, 'x')",
        "nullif(region, 'x')",
        "greatest(memory_mb, 1)",
        "least(memory_mb, 1)",
        "abs(memory_mb)",
        "round(package_size_mb, 1)",
        "floor(package_size_mb)",
        "ceil(package_size_mb)",
        "date_diff('day', first_seen, now())",
        "date_trunc('month', first_seen)",
        "current_timestamp > first_seen",
        "current_date",
        "epoch(first_seen)",
        "extract(year FROM first_seen)",
        "strftime(first_seen, '%Y')",
        "list_contains(data_classes, 'PII')",
        "list_has_any(data_classes, ['PII'])",
        "len(data_classes)",
        "array_length(data_classes)",
        "count(*)",
        "sum(memory_mb)",
        "avg(memory_mb)",
        "min(name)",
        "max(name)",
        "median(memory_mb)",
        "quantile_cont(memory_mb, 0.5)",
        "arg_max(name, memory_mb)",
        "arg_min(name, memory_mb)",
        "string_agg(name, ',')",
        "list(name)",
        "bool_or(is_public)",
        "bool_and(is_public)",
        "row_number() OVER ()",
        "rank() OVER (ORDER BY name)",
        "dense_rank() OVER ()",
        "date_part('year', first_seen)",
    ],
)
def test_allowed_functions_pass(call: str, store: duckdb.DuckDBPyConnection) -> None:
    checked = check(f"SELECT {call} AS x FROM functions")
    store.execute(checked.sql).fetchall()


def test_statement_count_ignores_strings_and_a_trailing_semicolon() -> None:
    assert statement_count("SELECT 'a;b'") == 1
    assert statement_count("SELECT 1;") == 1
    assert statement_count("SELECT 1; SELECT 2;") == 2


def test_the_guard_is_fast_enough_to_run_twice() -> None:
    # compiled SQL passes the guard too; that second check must not dominate a question
    sql = VALID[4].sql
    check(sql)
    start = time.perf_counter()
    for _ in range(20):
        check(sql)
    assert (time.perf_counter() - start) / 20 < 0.05

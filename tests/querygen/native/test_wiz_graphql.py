"""Every Wiz query the compiler emits is well-formed GraphQL whose variables fit the schema.

Without graphql-core the structural checks still run: balanced brackets, and every
variable used or sent is declared. With it, each query is parsed and validated against
a subset of Wiz's schema (tests/fixtures/querygen/native/wiz/schema_subset.graphql), and
each emitted ``variables`` object is coerced against the query's variable types, so an
unknown filter field or enum value fails here rather than at Wiz.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from querygen.native.wiz import QUERIES

WIZ = Path(__file__).resolve().parents[2] / "fixtures" / "querygen" / "native" / "wiz"
EMITTED = [
    json.loads(p.read_text())["expected"]
    for p in sorted(WIZ.glob("*.json"))
    if "expected" in json.loads(p.read_text())
]


def _declared(query: str) -> set[str]:
    header = query[: query.index("{")]
    return set(re.findall(r"\$(\w+)\s*:", header))


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_text_is_balanced_and_declares_what_it_uses(name: str) -> None:
    query = QUERIES[name]
    for open_, close in ("{}", "()", "[]"):
        depth = 0
        for ch in query:
            depth += (ch == open_) - (ch == close)
            assert depth >= 0
        assert depth == 0
    used = set(re.findall(r"\$(\w+)", query[query.index("{") :]))
    assert used <= _declared(query)


@pytest.mark.parametrize("native", EMITTED, ids=lambda n: n["query"].split("(")[0])
def test_sent_variables_are_declared(native: dict) -> None:
    assert set(native["variables"]) <= _declared(native["query"])
    assert "filterBy" in native["variables"]


def test_golden_wiz_cases_cover_every_query() -> None:
    assert {n["query"] for n in EMITTED} == set(QUERIES.values())


@pytest.fixture(scope="module")
def schema():
    graphql = pytest.importorskip("graphql")
    return graphql.build_schema((WIZ / "schema_subset.graphql").read_text())


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_parses_and_validates_against_the_schema(schema, name: str) -> None:
    from graphql import parse, validate

    errors = validate(schema, parse(QUERIES[name]))
    assert errors == []


@pytest.mark.parametrize("native", EMITTED, ids=lambda n: n["query"].split("(")[0])
def test_emitted_variables_coerce_to_the_schema_types(schema, native: dict) -> None:
    assert _coerce(schema, native["query"], native["variables"]) == []


def test_coercion_catches_an_unknown_filter_field(schema) -> None:
    native = EMITTED[0]
    broken = {**native["variables"], "filterBy": {"memorySize": {"greaterThan": 1024}}}
    assert _coerce(schema, native["query"], broken) != []


def test_coercion_catches_an_enum_value_wiz_lacks(schema) -> None:
    query = QUERIES["issuesV2"]
    assert _coerce(schema, query, {"filterBy": {"severity": ["URGENT"]}}) != []
    assert _coerce(schema, query, {"filterBy": {"severity": ["CRITICAL"]}}) == []


def _coerce(schema, query: str, variables: dict) -> list:
    from graphql import parse
    from graphql.execution.values import get_variable_values

    operation = parse(query).definitions[0]
    result = get_variable_values(schema, operation.variable_definitions, variables)
    return result if isinstance(result, list) else []

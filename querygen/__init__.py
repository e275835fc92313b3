"""Questions to validated queries: catalog, QuerySpec, offline parser, Claude translator,
SQL compiler and guard, native CNAPP filters. Nothing here executes a query."""

from querygen.catalog import Catalog, load_catalog
from querygen.compile import CompiledQuery, compile_spec
from querygen.parser import GroundingValues, ParseResult, parse_question
from querygen.spec import (
    Aggregate,
    AggregateFn,
    AnyOf,
    Filter,
    Op,
    OrderBy,
    QuerySpec,
    Related,
    TimeWindow,
)
from querygen.validate import validate_sql

__all__ = [
    "Aggregate",
    "AggregateFn",
    "AnyOf",
    "Catalog",
    "CompiledQuery",
    "Filter",
    "GroundingValues",
    "Op",
    "OrderBy",
    "ParseResult",
    "QuerySpec",
    "Related",
    "TimeWindow",
    "compile_spec",
    "load_catalog",
    "parse_question",
    "validate_sql",
]

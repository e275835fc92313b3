"""QuerySpec: the one intermediate form every question becomes.

The offline parser and Claude both emit a ``QuerySpec``; ``querygen.compile`` turns it
into DuckDB SQL with sqlglot's builder, and ``querygen.native`` into each platform's own
filter. Field names are semantic-view column names; the catalog validates them
(``Catalog.check_spec``), so a spec that names an unknown column never compiles.

A spec reads one target view. Filters on related rows (an image's vulnerabilities, a
function's permissions) are ``Related`` filters, compiled to ``EXISTS`` so rows are never
duplicated by a join.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "Aggregate",
    "AggregateFn",
    "AnyOf",
    "Condition",
    "Filter",
    "Op",
    "OrderBy",
    "QuerySpec",
    "Related",
    "Scalar",
    "TimeWindow",
]

Scalar = str | int | float | bool
FieldName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]


class Op(StrEnum):
    EQ = "eq"
    NE = "ne"
    IN = "in"
    NOT_IN = "not_in"
    GT = "gt"
    GTE = "gte"
    LT = "lt"
    LTE = "lte"
    CONTAINS = "contains"  # substring (case-insensitive) on text; membership on a list column
    NOT_CONTAINS = "not_contains"
    IS_NULL = "is_null"
    NOT_NULL = "not_null"
    IS_TRUE = "is_true"
    IS_FALSE = "is_false"


_NO_VALUE = {Op.IS_NULL, Op.NOT_NULL, Op.IS_TRUE, Op.IS_FALSE}
_LIST_VALUE = {Op.IN, Op.NOT_IN}


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Filter(_Spec):
    """``field op value`` on the view it sits in."""

    kind: Literal["filter"] = "filter"
    field: FieldName
    op: Op
    value: Scalar | list[Scalar] | None = None

    @model_validator(mode="after")
    def _value_fits_op(self) -> Self:
        if self.op in _NO_VALUE and self.value is not None:
            raise ValueError(f"operator {self.op.value} takes no value")
        if self.op not in _NO_VALUE and self.value is None:
            raise ValueError(f"operator {self.op.value} needs a value")
        if self.op in _LIST_VALUE and not isinstance(self.value, list):
            raise ValueError(f"operator {self.op.value} needs a list of values")
        if self.op not in _LIST_VALUE and isinstance(self.value, list):
            raise ValueError(f"operator {self.op.value} takes one value, not a list")
        if isinstance(self.value, list) and not 1 <= len(self.value) <= 100:
            raise ValueError("a list of values holds 1 to 100 items")
        return self


class AnyOf(_Spec):
    """Conditions of which at least one holds (an OR group)."""

    kind: Literal["any_of"] = "any_of"
    conditions: list[Condition] = Field(min_length=2, max_length=20)


class Related(_Spec):
    """Rows of the target that have (or, negated, lack) related rows matching ``conditions``.

    ``relation`` is a relation the catalog declares on the target view, for example
    ``vulnerabilities`` on ``images`` or ``permissions`` on ``functions``.
    """

    kind: Literal["related"] = "related"
    relation: FieldName
    conditions: list[Condition] = Field(default_factory=list, max_length=20)
    negate: bool = False


Condition = Annotated[Filter | AnyOf | Related, Field(discriminator="kind")]
AnyOf.model_rebuild()
Related.model_rebuild()


class AggregateFn(StrEnum):
    COUNT = "count"
    COUNT_DISTINCT = "count_distinct"
    AVG = "avg"
    MIN = "min"
    MAX = "max"
    SUM = "sum"


class Aggregate(_Spec):
    fn: AggregateFn
    field: FieldName | None = None  # None only for count(*)

    @model_validator(mode="after")
    def _field_needed(self) -> Self:
        if self.field is None and self.fn is not AggregateFn.COUNT:
            raise ValueError(f"{self.fn.value} needs a field")
        return self


class OrderBy(_Spec):
    field: FieldName  # a column, or "value" for the aggregate
    descending: bool = False


class TimeWindow(_Spec):
    """Rows whose ``field`` falls in ``[since, until)``; both are UTC."""

    field: FieldName
    since: datetime | date | None = None
    until: datetime | date | None = None
    label: str | None = Field(default=None, max_length=64)  # "this week", for the read-back

    @model_validator(mode="after")
    def _bounded(self) -> Self:
        if self.since is None and self.until is None:
            raise ValueError("a time window needs since or until")
        return self


class QuerySpec(_Spec):
    """One question, read: which view, which rows, and what to show of them."""

    view: FieldName
    conditions: list[Condition] = Field(default_factory=list, max_length=30)
    time_window: TimeWindow | None = None
    columns: list[FieldName] | None = None  # None: the view's default columns
    group_by: list[FieldName] = Field(default_factory=list, max_length=3)
    aggregate: Aggregate | None = None
    order_by: list[OrderBy] = Field(default_factory=list, max_length=3)
    limit: int | None = Field(default=None, ge=1, le=5000)
    distinct: bool = False

    @model_validator(mode="after")
    def _grouping_needs_aggregate(self) -> Self:
        if self.group_by and self.aggregate is None:
            raise ValueError("group_by needs an aggregate")
        return self

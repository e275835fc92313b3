"""What every native compiler shares: the result type, the refusal, and spec flattening.

A ``QuerySpec`` is richer than any CNAPP's filter language. Each compiler turns the spec
into the platform's own filter or raises ``NotExpressible`` naming what the platform
cannot say; it never returns a filter that quietly matches more (or fewer) rows than the
spec asks for. Anything approximate that a compiler does accept is written into
``NativeFilter.notes`` so the reader sees it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from core.errors import QueryRejected
from querygen.catalog import Catalog
from querygen.spec import AnyOf, Filter, Op, QuerySpec, Related, Scalar

__all__ = [
    "PLATFORM_NAMES",
    "Cond",
    "NativeFilter",
    "NativeKind",
    "NotExpressible",
    "Platform",
    "compile_native",
    "flatten",
    "page_size",
    "plan_order",
    "require_plain_select",
    "to_datetime",
]

Platform = Literal["wiz", "prisma", "lacework"]
NativeKind = Literal["graphql", "rql", "alerts_filter", "search_body", "query_params"]

PLATFORM_NAMES: dict[str, str] = {"wiz": "Wiz", "prisma": "Prisma Cloud", "lacework": "Lacework"}


class NativeFilter(BaseModel):
    """One platform request that answers the spec: a query, a body or query parameters.

    ``notes`` lists what the reader should know about the translation (paging, a
    platform default that applies, a value mapped to a near-equivalent).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    platform: Platform
    kind: NativeKind
    endpoint: str
    query: str | None = None
    variables: dict[str, Any] | None = None
    body: dict[str, Any] | None = None
    notes: tuple[str, ...] = ()


class NotExpressible(QueryRejected):
    """The platform's filter language cannot say what the spec asks.

    Args:
        platform: ``wiz``, ``prisma`` or ``lacework``.
        what: the part of the question that has no native equivalent.
    """

    default_remediation = (
        "Ask the question of the findings store instead; it holds every platform's data."
    )

    def __init__(self, platform: str, what: str, *, remediation: str | None = None) -> None:
        name = PLATFORM_NAMES.get(platform, platform)
        super().__init__(f"not expressible in {name}: {what}", remediation=remediation)
        self.platform = platform
        self.what = what


@dataclass(frozen=True)
class Cond:
    """A flattened condition on the target view; ``value`` may be a datetime for windows."""

    field: str
    op: Op
    value: Any = None


def flatten(spec: QuerySpec, platform: str) -> tuple[list[Cond], list[Related]]:
    """The spec's top-level AND as conditions, plus its Related filters.

    An ``AnyOf`` is accepted only when it is a disjunction of ``eq``/``in`` on one field,
    which is an ``in``; every platform filter here is a conjunction of fields.

    Raises:
        NotExpressible: an OR across fields or operators.
    """
    conds: list[Cond] = []
    related: list[Related] = []
    for cond in spec.conditions:
        if isinstance(cond, Filter):
            conds.append(Cond(cond.field, cond.op, cond.value))
        elif isinstance(cond, AnyOf):
            conds.append(_any_of_as_in(cond, platform))
        else:
            related.append(cond)
    if spec.time_window is not None:
        tw = spec.time_window
        if tw.since is not None:
            conds.append(Cond(tw.field, Op.GTE, _as_datetime(tw.since)))
        if tw.until is not None:
            conds.append(Cond(tw.field, Op.LT, _as_datetime(tw.until)))
    return conds, related


def _any_of_as_in(group: AnyOf, platform: str) -> Cond:
    fields: set[str] = set()
    values: list[Scalar] = []
    for child in group.conditions:
        if not isinstance(child, Filter) or child.op not in (Op.EQ, Op.IN) or child.value is None:
            raise NotExpressible(platform, "OR of anything but equalities on one field")
        fields.add(child.field)
        values.extend(child.value if isinstance(child.value, list) else [child.value])
    if len(fields) != 1:
        raise NotExpressible(platform, f"OR across different fields ({', '.join(sorted(fields))})")
    return Cond(fields.pop(), Op.IN, list(dict.fromkeys(values)))


def _as_datetime(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, time.min, tzinfo=UTC)


def to_datetime(value: object, platform: str, column: str) -> datetime:
    """A timestamp condition's value as an aware datetime (ISO text is accepted).

    Raises:
        NotExpressible: the value is not a date or a timestamp.
    """
    if isinstance(value, datetime | date):
        return _as_datetime(value)
    if isinstance(value, str):
        try:
            return _as_datetime(datetime.fromisoformat(value))
        except ValueError:
            pass
    raise NotExpressible(platform, f"{column} compared with {value!r}, which is not a timestamp")


def require_plain_select(spec: QuerySpec, platform: str) -> None:
    """Refuse what no platform filter does: grouping, aggregates and DISTINCT.

    Raises:
        NotExpressible: the spec groups, aggregates or asks for distinct rows.
    """
    if spec.group_by or spec.aggregate is not None:
        raise NotExpressible(platform, "grouping and aggregates (the API returns rows only)")
    if spec.distinct:
        raise NotExpressible(platform, "DISTINCT over a column")


def plan_order(
    spec: QuerySpec, supported: Mapping[str, str], platform: str
) -> tuple[tuple[str, bool] | None, list[str]]:
    """The platform sort for the spec's order, as ``(native field, descending)``.

    A sort the platform lacks is harmless without a limit (rows are sorted after they
    arrive, and a note says so) but changes the answer with one, so it is refused.

    Raises:
        NotExpressible: a limit applied after an order the platform cannot sort by.
    """
    if not spec.order_by:
        return None, []
    first = spec.order_by[0]
    native = supported.get(first.field)
    if len(spec.order_by) == 1 and native is not None:
        return (native, first.descending), []
    wanted = ", ".join(o.field for o in spec.order_by)
    if spec.limit is not None:
        raise NotExpressible(platform, f"the first {spec.limit} rows by {wanted} (no such sort)")
    return None, [f"{PLATFORM_NAMES[platform]} cannot sort by {wanted}; sort after fetching."]


def page_size(limit: int | None, page_max: int, platform: str) -> tuple[int, list[str]]:
    """Rows to ask for per page, and a note when the answer spans pages."""
    name = PLATFORM_NAMES[platform]
    if limit is not None and limit <= page_max:
        return limit, []
    wanted = f"the first {limit} rows" if limit is not None else "every row"
    return page_max, [f"{name} returns at most {page_max} rows a page; page on to read {wanted}."]


def compile_native(spec: QuerySpec, catalog: Catalog, platform: str) -> NativeFilter:
    """Compile ``spec`` into ``platform``'s own filter.

    Args:
        spec: the question, already read.
        catalog: the semantic catalog the spec is checked against.
        platform: ``wiz``, ``prisma`` or ``lacework``.

    Returns:
        The platform request.

    Raises:
        NotExpressible: the platform cannot say what the spec asks.
        UnknownColumn: the spec names a view, column or relation the catalog lacks.
        ValueError: ``platform`` is not one of the three.
    """
    # Imported here: the platform modules import this one.
    from querygen.native.lacework import to_lacework
    from querygen.native.prisma import to_prisma
    from querygen.native.wiz import to_wiz

    compilers = {"wiz": to_wiz, "prisma": to_prisma, "lacework": to_lacework}
    try:
        compiler = compilers[platform]
    except KeyError:
        raise ValueError(
            f"unknown platform {platform!r}; expected wiz, prisma or lacework"
        ) from None
    return compiler(spec, catalog)

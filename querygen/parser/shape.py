"""What to show of the rows: counts, averages, groups, order, top-N and the time window.

"how many" counts; "per/by/each <column>" groups; "which team owns the most X" groups,
orders by the count and keeps the first; "top 10", "5 riskiest", "oldest" order and
limit; "this week" is a window on first_seen ("resolved in ..." on resolved_at), except
right after invocations, whose column already covers the last 30 days.
"""

from __future__ import annotations

from querygen.parser.lexicon import Role
from querygen.parser.measures import fields_of
from querygen.parser.mentions import Mention
from querygen.parser.quantities import Quantity
from querygen.parser.reading import Context, Draft
from querygen.parser.timewords import TimeSpan
from querygen.spec import Aggregate, AggregateFn, OrderBy, TimeWindow

__all__ = ["shape"]

_COLUMN_FIELDS = {
    "kind": ("resource_kind", "kind", "workload_type"),
    "source": ("source", "sources"),
    "package": ("package",),
}
_INVOCATIONS = {"invocations", "col:invocations_30d"}
_MAX_LIMIT = 5000


def _field(draft: Draft, candidates: tuple[str, ...]) -> str | None:
    return next((f for f in candidates if f in draft.view.columns), None)


def _next(ctx: Context, i: int, roles: set[Role], span: int = 1) -> int | None:
    for j in range(i + 1, min(i + 1 + span, len(ctx.mentions))):
        if ctx.mentions[j].role in roles:
            return j
    return None


def shape(ctx: Context, draft: Draft, consumed: set[int]) -> None:
    """Fill the draft's aggregate, grouping, order, limit and time window."""
    for i, m in enumerate(ctx.mentions):
        if i in consumed:
            continue
        rule = _RULES.get(m.role)
        if rule is not None:
            rule(ctx, draft, i, consumed)
    if draft.group_by and draft.aggregate is None:
        draft.aggregate = Aggregate(fn=AggregateFn.COUNT)
    if draft.limit is not None and not draft.order_by and _ranked(ctx):
        field = _field(draft, ("risk_score", "max_risk_score"))
        if field is not None and draft.aggregate is None:
            draft.order_by.append(OrderBy(field=field, descending=True))


def _ranked(ctx: Context) -> bool:
    """'top 10 findings' ranks by risk when nothing else says by what."""
    return any(m.role is Role.TOP for m in ctx.mentions)


def _count(ctx: Context, draft: Draft, i: int, consumed: set[int]) -> None:
    if draft.aggregate is None:
        draft.aggregate = Aggregate(fn=AggregateFn.COUNT)
    _use(ctx, draft, i, consumed, "count")


def _average(ctx: Context, draft: Draft, i: int, consumed: set[int]) -> None:
    j = _next(ctx, i, {Role.MEASURE}, span=3)
    field = _field(draft, fields_of(ctx.mentions[j].key)) if j is not None else None
    if j is None or field is None:
        return
    fn = AggregateFn(ctx.mentions[i].key)
    draft.aggregate = Aggregate(fn=fn, field=field)
    consumed.add(j)
    draft.used.add(j)
    _use(ctx, draft, i, consumed, f"{fn.value} {ctx.words(ctx.mentions[j])}")


def _measure(ctx: Context, draft: Draft, i: int, consumed: set[int]) -> None:
    """A measure that implies its own average ("mttr"); others wait for an operator."""
    m = ctx.mentions[i]
    if "avg" not in m.flags:
        return
    field = _field(draft, fields_of(m.key))
    if field is None:
        draft.unsupported = (
            f"'{ctx.words(m)}' needs a column the {draft.view.name} view does not have."
        )
        return
    draft.aggregate = Aggregate(fn=AggregateFn.AVG, field=field)
    _use(ctx, draft, i, consumed, ctx.words(m))


def _group(ctx: Context, draft: Draft, i: int, consumed: set[int]) -> None:
    j = _next(ctx, i, {Role.COLUMN, Role.MEASURE})
    if j is None or j in consumed:
        return
    target = ctx.mentions[j]
    if target.role is Role.COLUMN:
        field = _field(draft, _COLUMN_FIELDS.get(target.key, (target.key,)))
        if field is None or field in draft.group_by:
            return
        draft.group_by.append(field)
    else:
        field = _field(draft, fields_of(target.key))
        if field is None:
            return
        draft.order_by = [o for o in draft.order_by if o.field != field]
        draft.order_by.insert(0, OrderBy(field=field, descending=True))
    consumed.add(j)
    draft.used.add(j)
    _use(ctx, draft, i, consumed, f"by {ctx.words(target)}")


def _most(ctx: Context, draft: Draft, i: int, consumed: set[int]) -> None:
    """'which team owns the most ...' groups; 'most memory' orders by the measure."""
    descending = ctx.mentions[i].role is Role.MOST
    col = next(
        (
            k
            for k in range(i - 1, -1, -1)
            if ctx.mentions[k].role is Role.COLUMN and k not in consumed
        ),
        None,
    )
    field = (
        _field(draft, _COLUMN_FIELDS.get(ctx.mentions[col].key, (ctx.mentions[col].key,)))
        if col is not None
        else None
    )
    if col is not None and field is not None:
        draft.group_by = [field]
        draft.aggregate = draft.aggregate or Aggregate(fn=AggregateFn.COUNT)
        draft.order_by = [OrderBy(field="value", descending=descending)]
        draft.limit = 1
        consumed.add(col)
        draft.used.add(col)
        word = "most" if descending else "fewest"
        _use(ctx, draft, i, consumed, f"{ctx.words(ctx.mentions[col])} with the {word}")
        return
    j = _next(ctx, i, {Role.MEASURE}, span=2)
    field = _field(draft, fields_of(ctx.mentions[j].key)) if j is not None else None
    if j is not None and field is not None:
        draft.order_by.append(OrderBy(field=field, descending=descending))
        draft.limit = draft.limit or 1
        consumed.add(j)
        draft.used.add(j)
        _use(
            ctx,
            draft,
            i,
            consumed,
            f"{'highest' if descending else 'lowest'} {ctx.words(ctx.mentions[j])}",
        )


def _order(ctx: Context, draft: Draft, i: int, consumed: set[int]) -> None:
    key = ctx.mentions[i].key
    if key == "risk":
        field = _field(draft, ("risk_score", "max_risk_score"))
        descending, chip = True, "riskiest first"
    else:
        stamp = ("created_at", "first_seen") if draft.view.name == "images" else ("first_seen",)
        field = _field(draft, stamp)
        descending, chip = key == "newest", key
    if field is None:
        return
    draft.order_by.append(OrderBy(field=field, descending=descending))
    count = _number_near(ctx, i, consumed)
    if count is not None:
        draft.limit = count
    elif draft.limit is None and _singular(ctx, draft):
        draft.limit = 1
    _use(ctx, draft, i, consumed, chip)


def _top(ctx: Context, draft: Draft, i: int, consumed: set[int]) -> None:
    """'top 10 findings' limits; 'top 3 teams by ...' ranks the groups of a column."""
    count = _number_near(ctx, i, consumed, before=False)
    if count is None:
        return
    draft.limit = count
    j = i + 2
    column = ctx.mentions[j] if j < len(ctx.mentions) else None
    if column is not None and column.role is Role.COLUMN and j not in consumed:
        field = _field(draft, _COLUMN_FIELDS.get(column.key, (column.key,)))
        if field is not None:
            draft.group_by = [field]
            draft.aggregate = draft.aggregate or Aggregate(fn=AggregateFn.COUNT)
            draft.order_by = [OrderBy(field="value", descending=True)]
            consumed.add(j)
            draft.used.add(j)
            _use(ctx, draft, i, consumed, f"top {count} {ctx.words(column)}")
            return
    _use(ctx, draft, i, consumed, f"top {count}")


def _bare_number(ctx: Context, draft: Draft, i: int, consumed: set[int]) -> None:
    """'five prod functions ...': a bare count before the noun is a limit."""
    m = ctx.mentions[i]
    if not isinstance(m.value, Quantity) or m.value.unit or not m.value.value.is_integer():
        return
    if i > 0 and ctx.mentions[i - 1].role is Role.COMPARE:
        return  # "more than 5 critical vulnerabilities" is a count we cannot say, not a limit
    if not 1 <= m.value.value <= _MAX_LIMIT:
        return
    for j in range(i + 1, min(i + 4, len(ctx.mentions))):
        role = ctx.mentions[j].role
        if role in (Role.NOUN, Role.ORDER):
            if role is Role.NOUN and draft.limit is None:
                draft.limit = int(m.value.value)
                _use(ctx, draft, i, consumed, f"first {draft.limit}")
            return
        if role not in (Role.CONCEPT, Role.FILLER):
            return


def _number_near(ctx: Context, i: int, consumed: set[int], before: bool = True) -> int | None:
    for j in (i - 1, i + 1) if before else (i + 1,):
        if 0 <= j < len(ctx.mentions) and j not in consumed:
            m = ctx.mentions[j]
            if m.role is Role.NUMBER and isinstance(m.value, Quantity) and not m.value.unit:
                if m.value.value.is_integer() and m.value.value >= 1:
                    consumed.add(j)
                    return int(min(m.value.value, _MAX_LIMIT))
    return None


def _singular(ctx: Context, draft: Draft) -> bool:
    if draft.target_mention is None:
        return True
    return not ctx.norms(ctx.mentions[draft.target_mention])[-1].endswith("s")


def _time(ctx: Context, draft: Draft, i: int, consumed: set[int]) -> None:
    m = ctx.mentions[i]
    if _after_invocations(ctx, m):
        _use(ctx, draft, i, consumed, "")
        return
    assert isinstance(m.value, TimeSpan)
    resolved = "status=resolved" in draft.target_keys
    field = _field(draft, ("resolved_at",) if resolved else ("first_seen", "last_used_at"))
    if field is None or draft.time_window is not None:
        return
    span = m.value
    draft.time_window = TimeWindow(
        field=field, since=span.since, until=span.until, label=span.label
    )
    _use(ctx, draft, i, consumed, f"resolved {span.label}" if resolved else span.label)


def _after_invocations(ctx: Context, m: Mention) -> bool:
    return any(
        o.role is Role.MEASURE and o.key in _INVOCATIONS and 0 <= m.start - o.end <= 3
        for o in ctx.mentions
    )


def _use(ctx: Context, draft: Draft, i: int, consumed: set[int], chip: str) -> None:
    consumed.add(i)
    draft.used.add(i)
    draft.chip(i, chip)


_RULES = {
    Role.COUNT: _count,
    Role.AGG: _average,
    Role.MEASURE: _measure,
    Role.GROUP: _group,
    Role.MOST: _most,
    Role.LEAST: _most,
    Role.ORDER: _order,
    Role.TOP: _top,
    Role.NUMBER: _bare_number,
    Role.TIME: _time,
}

"""A finished draft -> a QuerySpec: related groups become EXISTS, values merge, checks run."""

from __future__ import annotations

from pydantic import ValidationError

from core.errors import QueryRejected
from querygen.catalog import View
from querygen.parser.concepts import negate
from querygen.parser.readback import VIEW_CHIPS
from querygen.parser.reading import Draft
from querygen.spec import AnyOf, Condition, Filter, Op, QuerySpec, Related

__all__ = ["build_spec", "chips_of"]

_MERGEABLE = {
    "severity",
    "environment",
    "cloud",
    "team",
    "source",
    "category",
    "status",
    "region",
    "runtime",
    "runtime_family",
    "namespace",
    "cluster",
    "account",
    "resource_kind",
    "kind",
    "cve_id",
    "type",
}


def merge_values(conds: list[Condition]) -> list[Condition]:
    """'high or critical' -> severity in [high, critical]: one value per field at most.

    >>> merge_values([Filter(field="severity", op="eq", value="high"),
    ...               Filter(field="severity", op="eq", value="critical")])[0].value
    ['high', 'critical']
    """
    out: list[Condition] = []
    for cond in conds:
        same = _same_field(out, cond)
        if same is None or not isinstance(cond, Filter):
            out.append(cond)
            continue
        values = _as_list(same.value) + [
            v for v in _as_list(cond.value) if v not in _as_list(same.value)
        ]
        merged = Filter(
            field=cond.field,
            op=Op.IN if len(values) > 1 else Op.EQ,
            value=values if len(values) > 1 else values[0],
        )
        out[out.index(same)] = merged
    return out


def _same_field(out: list[Condition], cond: Condition) -> Filter | None:
    if not isinstance(cond, Filter) or cond.field not in _MERGEABLE:
        return None
    if cond.op not in (Op.EQ, Op.IN):
        return None
    for other in out:
        if isinstance(other, Filter) and other.field == cond.field and other.op in (Op.EQ, Op.IN):
            return other
    return None


def _as_list(value: object) -> list[str | int | float | bool]:
    if isinstance(value, list):
        return list(value)
    assert isinstance(value, str | int | float | bool)
    return [value]


def simplify(conds: list[Condition]) -> list[Condition]:
    """Drop an OR branch the other conditions rule out ('exploitable' but 'not in KEV')."""
    out: list[Condition] = []
    for cond in conds:
        if isinstance(cond, AnyOf):
            ruled_out = [p for p in cond.conditions if any(n in conds for n in negate(p))]
            kept = [p for p in cond.conditions if p not in ruled_out]
            if len(kept) == 1:
                if kept[0] not in conds:
                    out.append(kept[0])
                continue
            if len(kept) >= 2:
                cond = AnyOf(conditions=kept)
        out.append(cond)
    return out


def _canonical(cond: Condition, view: View) -> Condition:
    """An IN list in the catalog's order of values, so wording order does not matter."""
    if not isinstance(cond, Filter) or cond.op is not Op.IN or cond.field not in view.columns:
        return cond
    order = {v: k for k, v in enumerate(view.columns[cond.field].values)}
    if not order or not isinstance(cond.value, list):
        return cond
    values = sorted(cond.value, key=lambda v: order.get(str(v), len(order)))
    return Filter(field=cond.field, op=cond.op, value=values)


def _tidy(conds: list[Condition], view: View) -> list[Condition]:
    return [_canonical(c, view) for c in simplify(merge_values(conds))]


def build_spec(draft: Draft) -> QuerySpec | None:
    """The spec of a draft, or None when the draft does not make a valid spec."""
    conditions = _tidy(list(draft.conditions), draft.view)
    for group in draft.groups:
        if group.conditions or group.explicit:
            conditions.append(
                Related(
                    relation=group.relation,
                    negate=group.negated,
                    conditions=_tidy(group.conditions, group.view),
                )
            )
    try:
        return QuerySpec(
            view=draft.view.name,
            conditions=conditions,
            time_window=draft.time_window,
            columns=draft.columns,
            group_by=draft.group_by,
            aggregate=draft.aggregate,
            order_by=draft.order_by,
            limit=draft.limit,
        )
    except (ValidationError, QueryRejected):
        return None


def chips_of(draft: Draft) -> list[str]:
    """The read-back: the view first, then each understood part in question order."""
    chips = [VIEW_CHIPS.get(draft.view.name, draft.view.name)]
    for group in draft.groups:
        if group.conditions or group.explicit:
            word = "without" if group.negated else "with"
            draft.chip(
                group.noun if group.noun is not None else 9_999,
                f"{word} {VIEW_CHIPS.get(group.view.name, group.view.name)}",
            )
    ordered = sorted(draft.chips, key=lambda c: c[0])
    return list(dict.fromkeys(chips + [text for _, text in ordered if text]))

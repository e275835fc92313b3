"""Numbers with their measure and comparison: 'more than 1GB memory', 'cold starts over 2s'.

A number pairs with the comparison right before it and with the measure next to it
(after: "100 invocations", before: "timeout is over 5 minutes"); with no measure word the
unit decides ("over 2 seconds" near "cold starts" is the cold start, GB is memory). The
value is converted to the column's unit from the catalog: 1GB -> 1024 (MB), 5 minutes ->
300 (s). Ages become a cut-off time: "older than 90 days" -> built before now - 90 days.
"""

from __future__ import annotations

from datetime import timedelta

from querygen.catalog import Catalog
from querygen.parser.concepts import FT, Template
from querygen.parser.lexicon import Role
from querygen.parser.mentions import Mention
from querygen.parser.quantities import Quantity, convert, unit_dimension
from querygen.parser.reading import Clause, Context
from querygen.parser.vocab_words import STOPWORDS
from querygen.spec import Op

__all__ = ["MEASURE_FIELDS", "fields_of", "pair_measures"]

MEASURE_FIELDS: dict[str, tuple[str, ...]] = {
    "memory": ("memory_mb",),
    "timeout": ("timeout_s",),
    "invocations": ("invocations_30d",),
    "cold_start": ("cold_start_p95_ms",),
    "package_size": ("package_size_mb",),
    "epss": ("epss",),
    "cvss": ("cvss_score",),
    "risk": ("risk_score", "max_risk_score"),
    "replicas": ("replicas",),
    "mttr": ("days_to_resolve",),
}
_LABELS = {
    "memory": "memory",
    "timeout": "timeout",
    "invocations": "invocations (30 days)",
    "cold_start": "cold start p95",
    "package_size": "package size",
    "epss": "EPSS",
    "cvss": "CVSS",
    "risk": "risk score",
    "replicas": "replicas",
    "mttr": "time to resolve",
}
_OPS = {"gt": Op.GT, "gte": Op.GTE, "lt": Op.LT, "lte": Op.LTE, "eq": Op.EQ}
_FLIP = {Op.GT: Op.LTE, Op.GTE: Op.LT, Op.LT: Op.GTE, Op.LTE: Op.GT, Op.EQ: Op.NE}
_SIGNS = {Op.GT: ">", Op.GTE: "≥", Op.LT: "<", Op.LTE: "≤", Op.EQ: "=", Op.NE: "≠"}
_AGES = {"age", "age_gt", "age_lt"}
_NO_GAP = {"and", "or", "but", "that", "which", "with", "have", "has"}


def fields_of(key: str) -> tuple[str, ...]:
    """The columns a measure can mean, in preference order."""
    if key.startswith("col:"):
        return tuple(key[4:].split("|"))
    return MEASURE_FIELDS.get(key, ())


def _near(ctx: Context, start: int, end: int, limit: int) -> bool:
    between = [t.norm for t in ctx.tokens[start:end]]
    return len(between) <= limit and all(w in STOPWORDS and w not in _NO_GAP for w in between)


def _measure_at(ms: list[Mention], k: int, taken: set[int]) -> int | None:
    ok = 0 <= k < len(ms) and ms[k].role is Role.MEASURE and k not in taken
    return k if ok else None


def pair_measures(ctx: Context) -> tuple[list[Clause], set[int]]:
    """Clauses for every number that has a measure, and the mention indices they used."""
    ms, taken, clauses = ctx.mentions, set[int](), list[Clause]()
    for i, m in enumerate(ms):
        if m.role is not Role.NUMBER or not isinstance(m.value, Quantity):
            continue
        cmp_i = (
            i - 1
            if i > 0 and _is_comparator(ms[i - 1]) and _near(ctx, ms[i - 1].end, m.start, 1)
            else None
        )
        meas_i = _find_measure(ctx, i, cmp_i, taken)
        key = ms[meas_i].key if meas_i is not None else _from_unit(ms, m.value, cmp_i)
        if key is None:
            continue
        op = _op(ms[cmp_i]) if cmp_i is not None else (Op.GT if key == "age_gt" else Op.EQ)
        clause = _clause(ctx, i, key, op, m.value)
        if clause is not None:
            clauses.append(clause)
            taken |= {k for k in (i, cmp_i, meas_i) if k is not None}
    return clauses, taken


def _is_comparator(m: Mention) -> bool:
    return m.role is Role.COMPARE or (m.role is Role.MEASURE and m.key in ("age_gt", "age_lt"))


def _op(m: Mention) -> Op:
    if m.role is Role.MEASURE:
        op = Op.GT if m.key == "age_gt" else Op.LT
    else:
        op = _OPS[m.key]
    return _FLIP[op] if m.negated else op


def _find_measure(ctx: Context, i: int, cmp_i: int | None, taken: set[int]) -> int | None:
    ms = ctx.mentions
    if cmp_i is not None and ms[cmp_i].role is Role.MEASURE:
        return cmp_i
    lead = cmp_i if cmp_i is not None else i
    before = _measure_at(ms, lead - 1, taken)
    if before is not None and _near(ctx, ms[before].end, ms[lead].start, 2):
        return before
    after = _measure_at(ms, i + 1, taken)
    if after is not None and _near(ctx, ms[i].end, ms[after].start, 1):
        return after
    return None


def _from_unit(ms: list[Mention], quantity: Quantity, cmp_i: int | None) -> str | None:
    dimension = unit_dimension(quantity.unit)
    if dimension == "size":
        return "memory"
    if cmp_i is None:
        return None  # "31m" alone says nothing; "over 2 seconds" does
    if dimension == "time":
        cold = any(m.role is Role.MEASURE and m.key == "cold_start" for m in ms)
        return "cold_start" if cold else "timeout"
    if dimension == "days":
        return "age"
    return None


def _clause(ctx: Context, i: int, key: str, op: Op, quantity: Quantity) -> Clause | None:
    if key in _AGES:
        return _age_clause(ctx, i, op, quantity)
    fields = fields_of(key)
    if not fields:
        return None
    templates: list[Template] = []
    for field in fields:
        value = convert(quantity, _unit_of(ctx.catalog, field))
        templates.append(FT(field, op, value))
    shown = ctx.words(ctx.mentions[i])
    label = _LABELS.get(key, fields[0].replace("_", " "))
    return Clause(i, tuple(templates), f"{label} {_SIGNS[op]} {shown}", key=f"measure={key}")


def _age_clause(ctx: Context, i: int, op: Op, quantity: Quantity) -> Clause:
    days = float(convert(quantity, "days"))
    cutoff = (ctx.now - timedelta(days=days)).isoformat()
    older = op in (Op.GT, Op.GTE)
    cmp = Op.LT if older else Op.GTE
    templates = (
        FT("created_at", cmp, cutoff, frozenset({"images"})),
        FT("first_seen", cmp, cutoff),
    )
    words = ctx.words(ctx.mentions[i])
    chip = f"older than {words}" if older else f"newer than {words}"
    return Clause(i, templates, chip, key="measure=age")


def _unit_of(catalog: Catalog, field: str) -> str | None:
    for view in catalog.views.values():
        column = view.columns.get(field)
        if column is not None:
            return column.unit
    return None

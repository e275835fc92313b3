"""Placing clauses: on the target view if it has the column, else on related rows.

Related rows come from the question's other nouns ("images ... with critical CVEs" ->
the images' vulnerabilities) or, when no noun says so, from the target's relations in
the catalog ("critical images" -> images with a critical vulnerability). A negated noun
("without secrets") makes its related rows a NOT EXISTS.
"""

from __future__ import annotations

from dataclasses import replace

from querygen.catalog import Relation, View
from querygen.parser.concepts import FT, negate, resolve, templates_for
from querygen.parser.lexicon import Role
from querygen.parser.readback import chip_for
from querygen.parser.reading import Clause, Context, Draft, Group
from querygen.parser.target import KIND_VIEWS
from querygen.spec import AnyOf, Condition, Filter, Op

__all__ = ["attach"]

_RESOURCE_VIEWS = frozenset(KIND_VIEWS.values()) | {"resources"}
_VIEW_KINDS = {v: k for k, v in KIND_VIEWS.items()}
_KIND_COLUMNS = ("resource_kind", "kind", "from_kind")
_POD_WORDS = {
    "pod",
    "pods",
    "container",
    "containers",
    "deployment",
    "deployments",
    "k8s",
    "kubernetes",
}
_PREDICATES = {
    "is_public": "exposed to the internet",
    "runs_as_root": "running as root",
    "has_pii": "handling PII",
    "has_pci": "handling card data",
    "has_phi": "handling health data",
}
_WITH = {"with", "have", "has", "having", "without", "had"}
_ARTICLES = {"a", "an", "any", "some", "the", "no"}
_REACH_VERBS = {"reach", "to", "access"}  # can reach, have access to, can access


def attach(ctx: Context, draft: Draft, clauses: list[Clause]) -> None:
    """Place every clause on the draft's target or its related rows."""
    extra = _noun_rules(ctx, draft)
    ordered = sorted([*clauses, *extra], key=lambda c: c.mention)
    for clause in ordered:
        _place(ctx, draft, clause)
    for group in draft.groups:
        if group.explicit and not group.conditions and group.noun is not None:
            group.explicit = not _lifted(draft, group, ordered)


def _lifted(draft: Draft, group: Group, clauses: list[Clause]) -> bool:
    """'roles with permissions that are never used': the noun's modifier fit the target."""
    near = {group.noun - 1, group.noun + 1} if group.noun is not None else set()
    return any(
        c.mention in near and c.mention in draft.used and _resolve(c, group.view) is not None
        for c in clauses
    )


def _relation_to(view: View, target_view: str) -> Relation | None:
    if view.name == "findings":
        return None  # its one relation means "same resource", never what a question says
    return next((r for r in view.relations.values() if r.view == target_view), None)


def _explicit(ctx: Context, start: int) -> bool:
    k = start - 1
    while k >= 0 and ctx.tokens[k].norm in _ARTICLES:
        k -= 1
    return k >= 0 and ctx.tokens[k].norm in _WITH


def _noun_rules(ctx: Context, draft: Draft) -> list[Clause]:
    """Groups for related nouns; kind filters and implied properties as clauses."""
    extra: list[Clause] = []
    for i, m in enumerate(ctx.mentions):
        if m.role is not Role.NOUN:
            continue
        draft.used.add(i)
        extra += [_implied(c, m.key, i) for c in m.implied]
        if i == draft.target_mention or m.key == draft.view.name and not m.qualifier:
            continue
        rel = None if m.qualifier else _relation_to(draft.view, m.key)
        if rel is not None:
            _group(
                draft,
                rel,
                ctx.catalog.view(rel.view),
                m.negated,
                i,
                _explicit(ctx, m.start) or "adj" in m.flags,
            )
            continue
        kind = _kind_of(ctx, i)
        if kind and any(c in draft.view.columns for c in _KIND_COLUMNS):
            extra.append(
                Clause(
                    i,
                    templates_for(f"kind={kind}"),
                    kind.replace(",", " or "),
                    m.negated,
                    key="kind",
                )
            )
    return extra


_PRODUCTS = {
    "cloud=aws": "AWS Lambda",
    "cloud=azure": "Azure Functions",
    "cloud=gcp": "Google Cloud Functions",
}


def _implied(concept: str, view: str, i: int) -> Clause:
    chip = _PRODUCTS.get(concept, "") if view == "functions" else ""
    return Clause(
        i, templates_for(concept), chip or chip_for(concept), group=i, key=concept, optional=True
    )


def _kind_of(ctx: Context, i: int) -> str | None:
    m = ctx.mentions[i]
    if m.key == "workloads" and not m.qualifier:
        words = set(ctx.norms(m))
        return "container,workload" if words & _POD_WORDS else None
    return _VIEW_KINDS.get(m.key)


def _group(
    draft: Draft, rel: Relation, view: View, negated: bool, noun: int | None, explicit: bool
) -> Group:
    for g in draft.groups:
        if g.relation == rel.name and g.negated == negated:
            g.explicit = g.explicit or explicit
            g.noun = g.noun if g.noun is not None else noun
            return g
    group = Group(rel.name, view, negated, noun, explicit)
    draft.groups.append(group)
    return group


def _add(
    draft: Draft, conds: list[Condition], where: list[Condition], clause: Clause, keys: set[str]
) -> None:
    for cond in conds:
        if cond not in where:
            where.append(cond)
    keys.add(clause.key)
    draft.used.add(clause.mention)
    draft.used.update(part.mention for part in clause.either)
    draft.chip(clause.mention, clause.chip)


def _place(ctx: Context, draft: Draft, clause: Clause) -> None:
    clause = _far_end(ctx, draft, clause)
    negated = clause.negated
    if clause.group is not None and clause.group == draft.target_mention:
        negated = negated != ctx.mentions[clause.group].negated
    group = _forced_group(draft, clause)
    if group is not None and _try(draft, group.view, clause, negated, group):
        return
    if _try(draft, draft.view, clause, negated, None):
        return
    if clause.optional:
        return  # a noun's implied property that fits nowhere ("lambda" on permissions)
    nearest = sorted(draft.groups, key=lambda g: abs((g.noun or 0) - clause.mention))
    for g in nearest:
        if _try(draft, g.view, clause, negated, g):
            return
    if _implicit(ctx, draft, clause, negated):
        return
    draft.unplaced.append(clause.mention)


def _far_end(ctx: Context, draft: Draft, clause: Clause) -> Clause:
    """'functions that can reach buckets': a kind after a reach verb is the far end.

    After a noun ("blast radius of the nginx workload") it is still the start.
    """
    if draft.view.name != "reachable" or draft.target_mention is None:
        return clause
    if clause.mention < draft.target_mention:
        return clause
    if ctx.norms(ctx.mentions[draft.target_mention])[-1] not in _REACH_VERBS:
        return clause
    templates = tuple(
        replace(t, field="to_kind") if isinstance(t, FT) and t.field == "from_kind" else t
        for t in clause.templates
    )
    return replace(clause, templates=templates)


def _forced_group(draft: Draft, clause: Clause) -> Group | None:
    if clause.group is None:
        return None
    return next((g for g in draft.groups if g.noun == clause.group), None)


def _resolve(clause: Clause, view: View) -> Condition | None:
    if not clause.either:
        return resolve(clause.templates, view)
    parts: list[Condition] = []
    for part in clause.either:
        cond = resolve(part.templates, view)
        if cond is None:
            return None
        parts += cond.conditions if isinstance(cond, AnyOf) else [cond]
    return AnyOf(conditions=parts)


def _try(draft: Draft, view: View, clause: Clause, negated: bool, group: Group | None) -> bool:
    cond = _resolve(clause, view)
    if cond is None:
        return False
    if group is None and draft.yes_no_field is None and _answers(draft, clause, cond, negated):
        draft.yes_no_field = cond.field if isinstance(cond, Filter) else None
        draft.yes_no_label = _PREDICATES.get(draft.yes_no_field or "", clause.chip)
        draft.used.add(clause.mention)
        draft.chip(clause.mention, clause.chip + "?")
        return True
    conds = negate(cond) if negated else [cond]
    if group is None:
        _add(draft, conds, draft.conditions, clause, draft.target_keys)
    else:
        _add(draft, conds, group.conditions, clause, group.keys)
    return True


def _answers(draft: Draft, clause: Clause, cond: Condition, negated: bool) -> bool:
    """In a yes/no question the first yes/no property is the answer, not a filter."""
    return (
        draft.how == "yes_no"
        and clause.key != "name"
        and not negated
        and isinstance(cond, Filter)
        and cond.op is Op.IS_TRUE
    )


def _implicit(ctx: Context, draft: Draft, clause: Clause, negated: bool) -> bool:
    if draft.view.name not in _RESOURCE_VIEWS:
        return False
    relations = sorted(draft.view.relations.values(), key=lambda r: r.view != clause.home)
    for rel in relations:
        view = ctx.catalog.view(rel.view)
        if _resolve(clause, view) is not None:
            group = _group(draft, rel, view, False, None, False)
            return _try(draft, view, clause, negated, group)
    return False

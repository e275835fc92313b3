"""Mentions -> clauses: the conditions a question states, before they are tied to a view."""

from __future__ import annotations

from querygen.parser.concepts import home_of, templates_for
from querygen.parser.lexicon import Role
from querygen.parser.measures import pair_measures
from querygen.parser.mentions import Mention
from querygen.parser.readback import chip_for
from querygen.parser.reading import Clause, Context

__all__ = ["build_clauses", "name_clause"]

_SHAPERS = {Role.AGG, Role.MOST, Role.LEAST, Role.ORDER, Role.GROUP}
_OR_GAP = {"or", "have", "has", "an", "a", "are", "is", "that", "which", "with", "either"}


def build_clauses(ctx: Context) -> tuple[list[Clause], set[int]]:
    """Clauses of every property, name and measure, and the mentions measures consumed."""
    clauses, consumed = pair_measures(ctx)
    for i, m in enumerate(ctx.mentions):
        if m.role is Role.CONCEPT:
            clauses.append(_concept_clause(i, m))
        elif m.role is Role.NAME:
            clauses.append(name_clause(i, m))
        elif m.role is Role.MEASURE and i not in consumed and m.key == "cold_start":
            before = ctx.mentions[i - 1].role if i > 0 else None
            if before not in _SHAPERS:
                consumed.add(i)
                clauses.append(
                    Clause(
                        i,
                        templates_for("category=cold_start"),
                        "cold start",
                        m.negated,
                        "findings",
                        m.forced_group,
                        "category=cold_start",
                    )
                )
    return _join_ors(ctx, sorted(clauses, key=lambda c: c.mention)), consumed


def _join_ors(ctx: Context, clauses: list[Clause]) -> list[Clause]:
    """'known exploited or have an exploit' -> one OR clause (different columns only)."""
    out: list[Clause] = []
    for clause in clauses:
        prev = out[-1] if out else None
        if prev is not None and _or_between(ctx, prev, clause):
            parts = (*(prev.either or (prev,)), clause)
            out[-1] = Clause(
                prev.mention, (), " or ".join(p.chip for p in parts), key=prev.key, either=parts
            )
        else:
            out.append(clause)
    return out


def _or_between(ctx: Context, a: Clause, b: Clause) -> bool:
    if a.negated or b.negated or a.group is not None or b.group is not None:
        return False
    if a.key.split("=")[0] == b.key.split("=")[0] or "name" in (a.key, b.key):
        return False
    ms = ctx.mentions
    between = [t.norm for t in ctx.tokens[ms[a.mention].end : ms[b.mention].start]]
    return "or" in between and all(w in _OR_GAP for w in between)


def _concept_clause(i: int, m: Mention) -> Clause:
    negated = m.negated != ("neg" in m.flags)
    return Clause(
        i,
        templates_for(m.key),
        chip_for(m.key, negated),
        negated,
        home_of(m.key),
        m.forced_group,
        m.key,
    )


def name_clause(i: int, m: Mention) -> Clause:
    """A named resource: its kind from a qualifier noun, else its one grounded kind."""
    kind = m.extra.get("kind")
    kinds: tuple[str, ...] = getattr(m.value, "kinds", ())
    if not isinstance(kind, str):
        kind = kinds[0] if len(kinds) == 1 else "any"
    chip = m.key if kind == "any" else f"{kind} {m.key}"
    return Clause(
        i, templates_for(f"name:{kind}={m.key}"), chip, m.negated, None, m.forced_group, "name"
    )

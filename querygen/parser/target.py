"""Which view a question is about: the head noun, else what its properties fit best.

"which container images running in prod have critical CVEs" is about images (the first
noun); "CVEs" then becomes related rows. With no noun ("what is internet-facing in
prod?") the view that can hold the most of the question's properties wins, preferring
the broad ones (resources, findings) on a tie. A yes/no question about a named thing is
about that thing's view.
"""

from __future__ import annotations

from dataclasses import dataclass

from querygen.catalog import Catalog, View
from querygen.parser.concepts import resolve
from querygen.parser.lexicon import Role
from querygen.parser.mentions import Mention
from querygen.parser.reading import Clause, Context

__all__ = ["KIND_VIEWS", "Target", "choose_target", "rank_views"]

KIND_VIEWS = {
    "function": "functions",
    "image": "images",
    "workload": "workloads",
    "container": "containers",
    "role": "roles",
    "trigger": "triggers",
    "bucket": "buckets",
}
_PREFERENCE = (
    "resources",
    "findings",
    "vulnerabilities",
    "functions",
    "workloads",
    "images",
    "triggers",
    "buckets",
    "roles",
    "containers",
    "permissions",
    "reachable",
    "edges",
)
_VULN_KEYS = {"kev", "exploit", "known_exploit", "fix", "measure=epss", "measure=cvss"}


@dataclass(frozen=True, slots=True)
class Target:
    """A target view, how it was chosen, and the noun mention that named it (if any)."""

    view: str
    how: str
    mention: int | None = None


def name_view(m: Mention) -> str:
    """The view a named thing lives in: its qualifier noun, its grounded kind, or resources."""
    kind = m.extra.get("kind")
    kinds = getattr(m.value, "kinds", ())
    for k in (kind, *kinds):
        if isinstance(k, str) and k in KIND_VIEWS:
            return KIND_VIEWS[k]
    return "resources"


def choose_target(ctx: Context, clauses: list[Clause]) -> Target:
    """The target view of the question (see the module docstring)."""
    ms = ctx.mentions
    names = [i for i, m in enumerate(ms) if m.role is Role.NAME]
    if ctx.yes_no and names:
        return Target(_yes_no_view(ctx, ms[names[0]], clauses), "explicit", None)
    nouns = [i for i, m in enumerate(ms) if m.role is Role.NOUN]
    reach = [i for i in nouns if ms[i].key == "reachable"]
    plain = [i for i in nouns if "adj" not in ms[i].flags and not ms[i].qualifier]
    ordered = reach or plain or [i for i in nouns if "adj" not in ms[i].flags] or nouns
    if ordered:
        head = ordered[0]
        return _promote(ctx, Target(ms[head].key, "explicit", head), clauses)
    return _implied(ctx, clauses, names)


def _yes_no_view(ctx: Context, name: Mention, clauses: list[Clause]) -> str:
    """The named thing's view; when it could be several, the one with the asked property."""
    kind = name.extra.get("kind")
    if isinstance(kind, str) and kind in KIND_VIEWS:
        return KIND_VIEWS[kind]
    kinds = [KIND_VIEWS[k] for k in getattr(name.value, "kinds", ()) if k in KIND_VIEWS]
    allowed = set(kinds) if kinds else {*KIND_VIEWS.values(), "resources"}
    asked = [c for c in clauses if c.key != "name"]
    if len(allowed) == 1 or not asked:
        return kinds[0] if kinds else "resources"
    ranked = [(v, s) for v, s in rank_views(ctx.catalog, asked) if v in allowed]
    if ranked and ranked[0][1] > 0:
        return ranked[0][0]
    return kinds[0] if kinds else "resources"


def _implied(ctx: Context, clauses: list[Clause], names: list[int]) -> Target:
    ms = ctx.mentions
    roles = {m.role for m in ms}
    keys = {c.key.split("=", 1)[0] for c in clauses}
    if Role.WHERE in roles and keys & {"package", "cve_id"}:
        return Target("images", "implied")
    if Role.HISTORY in roles:
        return Target("findings", "implied")
    if names and not clauses:
        return Target(name_view(ms[names[0]]), "implied")
    ranked = rank_views(ctx.catalog, clauses)
    if ranked and ranked[0][1] > 0:
        return Target(ranked[0][0], "implied")
    return Target("resources", "default")


def _fit(view: View, clause: Clause, catalog: Catalog) -> float:
    parts = clause.either or (clause,)
    if all(resolve(p.templates, view) is not None for p in parts):
        return 1.0
    for rel in view.relations.values():
        if all(resolve(p.templates, catalog.view(rel.view)) is not None for p in parts):
            return 0.5
    return 0.0


def rank_views(catalog: Catalog, clauses: list[Clause]) -> list[tuple[str, float]]:
    """Views by how many clauses they can hold (directly 1, through a relation 0.5)."""
    scores = []
    for name in _PREFERENCE:
        if name in catalog.views:
            view = catalog.view(name)
            scores.append((name, sum(_fit(view, c, catalog) for c in clauses)))
    order = {name: k for k, name in enumerate(_PREFERENCE)}
    return sorted(scores, key=lambda s: (-s[1], order[s[0]]))


def _promote(ctx: Context, target: Target, clauses: list[Clause]) -> Target:
    """'findings with exploit available' are vulnerabilities: findings lack those columns."""
    if target.view != "findings" or target.mention is None:
        return target
    if ctx.mentions[target.mention].implied or "vulnerabilities" not in ctx.catalog.views:
        return target
    findings = ctx.catalog.view("findings")
    parts = [p for c in clauses for p in (c.either or (c,))]
    vuln_only = [p for p in parts if p.key in _VULN_KEYS and resolve(p.templates, findings) is None]
    if vuln_only:
        return Target("vulnerabilities", "explicit", target.mention)
    return target

"""The default status: findings and vulnerabilities questions mean open ones, unless told.

Not when the question says a status ("resolved", "suppressed"), asks about history ("new",
"found", "this week", "first seen"), or, for vulnerabilities, looks up one thing (a CVE
id, a package without the word vulnerability, a named resource): "where are we running
log4j?" means installed anywhere, fixed or not. A mean time to resolve reads resolved ones.
"""

from __future__ import annotations

from querygen.parser.lexicon import Role
from querygen.parser.reading import Context, Draft
from querygen.spec import Filter, Op

__all__ = ["apply_status"]

_STATUS_VIEWS = ("findings", "vulnerabilities")


def _history(ctx: Context, draft: Draft) -> bool:
    return draft.time_window is not None or any(m.role is Role.HISTORY for m in ctx.mentions)


def _lookup(ctx: Context) -> bool:
    """One named thing is looked up: a CVE, a package (no 'vulnerability' word) or a name."""
    ms = ctx.mentions
    keys = [m.key for m in ms if m.role is Role.CONCEPT]
    vuln_noun = any(
        m.role is Role.NOUN
        and m.key == "vulnerabilities"
        and "adj" not in m.flags
        and not m.implied
        for m in ms
    )
    return (
        any(k.startswith("cve_id=") for k in keys)
        or any(m.role is Role.NAME for m in ms)
        or any(k.startswith("package=") for k in keys)
        and not vuln_noun
    )


def apply_status(ctx: Context, draft: Draft) -> None:
    """Add ``status = open`` (or resolved, for a time to resolve) where it is meant."""
    if _history(ctx, draft):
        return
    lookup = _lookup(ctx)
    resolving = draft.aggregate is not None and draft.aggregate.field == "days_to_resolve"
    wanted = "resolved" if resolving else "open"
    view = draft.view.name
    if view in _STATUS_VIEWS and not _has_status(draft.target_keys):
        if not (view == "vulnerabilities" and lookup):
            draft.conditions.append(Filter(field="status", op=Op.EQ, value=wanted))
            draft.chip(10_000, wanted)
    for group in draft.groups:
        name = group.view.name
        if name in _STATUS_VIEWS and not _has_status(group.keys):
            if not (name == "vulnerabilities" and lookup):
                group.conditions.append(Filter(field="status", op=Op.EQ, value="open"))


def _has_status(keys: set[str]) -> bool:
    return any(k.startswith("status=") for k in keys)

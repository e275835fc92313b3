"""Templated, offline summaries: one or two sentences a person can read in Slack.

How the question was read is not repeated here: every surface shows it on its own line.

Claude may write a richer summary when configured; this is what every answer falls
back to, so it must be right on its own: it only states what the rows show.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from querygen.catalog import View

__all__ = ["summarise_count", "summarise_groups", "summarise_rows", "summarise_yes_no"]


def _number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def summarise_count(value: Any, noun: str) -> str:
    """The number, and what it counts.

    >>> summarise_count(42, "findings")
    '42 findings.'
    """
    if value is None:
        return f"No {noun} match, so there is nothing to count."
    return f"{_number(value)} {noun}."


def summarise_groups(rows: Sequence[Sequence[Any]], group_label: str, noun: str) -> str:
    """The first eight groups, largest first as the query ordered them.

    >>> summarise_groups([("payments", 12), ("data", 3)], "team", "findings")
    'findings by team: payments 12, data 3.'
    """
    if not rows:
        return f"No {noun} match."
    shown = ", ".join(
        f"{r[0] if r[0] is not None else '(none)'} {_number(r[-1])}" for r in rows[:8]
    )
    more = f", and {len(rows) - 8} more" if len(rows) > 8 else ""
    return f"{noun} by {group_label}: {shown}{more}."


def summarise_rows(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    view: View,
    *,
    total: int | None = None,
) -> str:
    """How many rows, and the riskiest one when the view carries a risk score."""
    noun = view.name
    if not rows:
        return f"No {noun} match. Try a broader question."
    if total is not None and total > len(rows):
        text = f"{total:,} {noun}; the first {len(rows)} are listed."
    else:
        text = f"{len(rows):,} {noun}."
    risk_col = next((c for c in ("risk_score", "max_risk_score") if c in columns), None)
    name_col = view.name_column if view.name_column in columns else None
    if risk_col and name_col:
        i, j = columns.index(risk_col), columns.index(name_col)
        scored = [r for r in rows if r[i] is not None]
        if scored:
            top = max(scored, key=lambda r: r[i])
            text += f" Riskiest: {top[j]} (risk {_number(top[i])})."
    return text


def summarise_yes_no(
    verdict: bool | None, subject: str, predicate: str, evidence: str | None
) -> str:
    """Yes or no first, then the evidence.

    >>> summarise_yes_no(True, "processPayment", "public", "function URL, auth NONE")
    'Yes: processPayment is public (function URL, auth NONE).'
    """
    if verdict is None:
        return f"I found nothing named {subject}, so I cannot tell whether it is {predicate}."
    how = f" ({evidence})" if evidence else ""
    if verdict:
        return f"Yes: {subject} is {predicate}{how}."
    return f"No: {subject} is not {predicate}."

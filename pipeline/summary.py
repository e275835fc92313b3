"""Templated, offline summaries: one or two sentences a person can read in Slack.

Claude may write a richer summary when configured; this is what every answer falls
back to, so it must be right on its own: it only states what the rows show.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from querygen.catalog import View

__all__ = ["summarise_count", "summarise_groups", "summarise_rows", "summarise_yes_no"]


def _reading(understood: Sequence[str]) -> str:
    return f" ({' · '.join(understood)})" if understood else ""


def _number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def summarise_count(value: Any, noun: str, understood: Sequence[str]) -> str:
    """>>> summarise_count(42, "findings", ["open", "critical"])
    '42 findings (open · critical).'
    """
    if value is None:
        return f"No {noun} match{_reading(understood)}, so there is nothing to count."
    return f"{_number(value)} {noun}{_reading(understood)}."


def summarise_groups(
    rows: Sequence[Sequence[Any]], group_label: str, noun: str, understood: Sequence[str]
) -> str:
    """>>> summarise_groups([("payments", 12), ("data", 3)], "team", "findings", [])
    'findings by team: payments 12, data 3.'
    """
    if not rows:
        return f"No {noun} match{_reading(understood)}."
    shown = ", ".join(f"{r[0] if r[0] is not None else '(none)'} {_number(r[-1])}"
                      for r in rows[:8])
    more = f", and {len(rows) - 8} more" if len(rows) > 8 else ""
    return f"{noun} by {group_label}{_reading(understood)}: {shown}{more}."


def summarise_rows(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], view: View,
    understood: Sequence[str], *, truncated: bool,
) -> str:
    """How many rows, and the riskiest one when the view carries a risk score."""
    noun = view.name
    if not rows:
        return f"No {noun} match{_reading(understood)}. Try a broader question."
    count = f"{len(rows)}+" if truncated else str(len(rows))
    text = f"{count} {noun}{_reading(understood)}."
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
    """>>> summarise_yes_no(True, "processPayment", "public", "function URL, auth NONE")
    'Yes: processPayment is public (function URL, auth NONE).'
    """
    if verdict is None:
        return f"I found nothing named {subject}, so I cannot tell whether it is {predicate}."
    how = f" ({evidence})" if evidence else ""
    if verdict:
        return f"Yes: {subject} is {predicate}{how}."
    return f"No: {subject} is not {predicate}."

"""One ranked row as a line a person scans: name first, then where it runs and who owns
it, severity, the risk score and what made it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot import messages
from bot.views.common import cut, escape, number
from querygen.catalog import View

__all__ = ["RISK_COLUMNS", "name_column", "row_line", "top_factors"]

RISK_COLUMNS = ("risk_score", "max_risk_score")
_HIDDEN = {"resource_id", "finding_id", "vulnerability_id", "risk_factors", "role_id"}
_SEVERITY = {
    "critical": ":red_circle:",
    "high": ":large_orange_circle:",
    "medium": ":large_yellow_circle:",
    "low": ":white_circle:",
    "info": ":white_circle:",
}
# the severity is on the line already; these factors would only repeat it
_SEVERITY_FACTORS = {"severity", "cvss"}
_CELL = 80


def name_column(columns: Sequence[str], view: View | None) -> int:
    """Index of the column that names the row (the view's name column, else the first)."""
    if view is not None and view.name_column in columns:
        return columns.index(view.name_column)
    return 0


def top_factors(factors: Any, n: int = 3) -> list[str]:
    """The details of the ``n`` factors that added most, severity left out.

    >>> top_factors([{"name": "kev", "points": 2, "detail": "in CISA KEV"},
    ...              {"name": "severity", "points": 4, "detail": "critical"},
    ...              {"name": "public", "points": 1.5, "detail": "internet-facing"}])
    ['in CISA KEV', 'internet-facing']
    """
    if not isinstance(factors, list):
        return []
    usable = [f for f in factors if isinstance(f, dict) and f.get("name") not in _SEVERITY_FACTORS]
    usable.sort(key=lambda f: (-float(f.get("points") or 0), str(f.get("name"))))
    return [str(f.get("detail") or f.get("name")) for f in usable[:n]]


def _label(column: str) -> str:
    for prefix in ("is_", "has_"):
        if column.startswith(prefix):
            column = column[len(prefix) :]
    return column.replace("_", " ")


def _cell(column: str, value: Any, view: View | None) -> str | None:
    """One value as a word or two; None when it says nothing."""
    if value is None or value == [] or value == "":
        return None
    if column in RISK_COLUMNS:
        return messages.RISK.format(score=number(value))
    if column == "severity":
        return f"{_SEVERITY.get(str(value), '')} {escape(value)}".strip()
    if isinstance(value, bool):
        return _label(column) if value else f"not {_label(column)}"
    if isinstance(value, list):
        return escape(cut(", ".join(str(v) for v in value), _CELL))
    if isinstance(value, dict):
        return None
    unit = view.columns[column].unit if view is not None and column in view.columns else None
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        value = value[:10]  # an ISO timestamp: the day is what a reader needs
    text = number(value) if isinstance(value, int | float) else escape(cut(str(value), _CELL))
    return f"{text} {unit}" if unit else text


def row_line(columns: Sequence[str], row: Sequence[Any], view: View | None, rank: int) -> str:
    """``*rank. name*`` then the row's other values, then its top risk factors.

    >>> row_line(["name", "environment", "is_public", "max_risk_score"],
    ...          ["processPayment", "prod", True, 9.1], None, 1)
    '*1. processPayment*\\nprod · public · risk *9.1*'
    """
    name_at = name_column(columns, view)
    key = view.key if view is not None else None
    parts: list[str] = []
    for i, column in enumerate(columns):
        if i == name_at or column in _HIDDEN or column == key:
            continue
        text = _cell(column, row[i], view)
        if text:
            parts.append(text)
    name = escape(cut(str(row[name_at]), 120)) if row else ""
    line = f"*{rank}. {name}*"
    if parts:
        line += "\n" + " · ".join(parts)
    if "risk_factors" in columns:
        factors = top_factors(row[columns.index("risk_factors")])
        if factors:
            line += "\n_" + escape(", ".join(factors)) + "_"
    return line

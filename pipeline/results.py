"""Turning a query result into an Answer: its kind, its summary, its rows as plain data."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from core.query import QueryResult
from pipeline.answer import Answer, Freshness, Kind, Path
from pipeline.summary import summarise_count, summarise_groups, summarise_rows, summarise_yes_no
from querygen.catalog import Catalog, View
from querygen.parser import ParseResult
from querygen.spec import QuerySpec

__all__ = ["build_answer", "plain"]


def plain(value: Any) -> Any:
    """JSON-friendly cell values: Decimals to floats, dates to ISO text, maps to dicts."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def _verdict(parsed: ParseResult, columns: list[str], rows: list[list[Any]]) -> bool | None:
    """The asked column's value on the named row; without one, whether any row matched."""
    field = parsed.yes_no_field
    if field is None or field not in columns:
        return bool(rows)
    if not rows:
        return None
    return any(bool(r[columns.index(field)]) for r in rows)


class _Reading(NamedTuple):
    kind: Kind
    summary: str
    verdict: bool | None = None


def _yes_no(
    parsed: ParseResult, view: View, question: str, columns: list[str], rows: list[list[Any]]
) -> _Reading:
    verdict = _verdict(parsed, columns, rows)
    name = view.name_column
    subject = str(rows[0][columns.index(name)]) if rows and name in columns else question
    evidence = rows[0][columns.index("exposure")] if rows and "exposure" in columns else None
    predicate = parsed.yes_no_label or "a match"
    return _Reading("yes_no", summarise_yes_no(verdict, subject, predicate, evidence), verdict)


def _read(
    spec: QuerySpec | None,
    view: View | None,
    parsed: ParseResult | None,
    question: str,
    columns: list[str],
    rows: list[list[Any]],
    total: int | None,
) -> _Reading:
    """The answer's kind, from the spec's shape, and its templated summary."""
    noun = view.name if view else "rows"
    if spec is not None and spec.aggregate is not None and not spec.group_by:
        return _Reading("count", summarise_count(rows[0][0] if rows else None, noun))
    if spec is not None and spec.group_by:
        return _Reading("groups", summarise_groups(rows, ", ".join(spec.group_by), noun))
    if parsed is not None and parsed.yes_no and view is not None:
        return _yes_no(parsed, view, question, columns, rows)
    if view is None:
        return _Reading("rows", f"{len(rows)} rows.")
    return _Reading("rows", summarise_rows(columns, rows, view, total=total))


def build_answer(
    *,
    question: str,
    path: Path,
    spec: QuerySpec | None,
    sql: str,
    result: QueryResult,
    catalog: Catalog,
    parsed: ParseResult | None,
    notes: list[str],
    freshness: list[Freshness],
    total: int | None = None,
) -> Answer:
    """One Answer from a query result: kind, summary, plain rows, reading and context."""
    columns = list(result.columns)
    rows = [[plain(v) for v in row] for row in result.rows]
    view = catalog.view(spec.view) if spec else None
    reading = _read(spec, view, parsed, question, columns, rows, total)
    return Answer(
        question=question,
        path=path,
        kind=reading.kind,
        summary=reading.summary,
        understood=list(parsed.understood) if parsed else [],
        spec=spec,
        sql=sql,
        columns=columns,
        rows=rows,
        row_count=len(rows),
        truncated=result.truncated or (total or 0) > len(rows),
        total=total if total is not None else len(rows),
        verdict=reading.verdict,
        confidence=parsed.confidence if parsed else 1.0,
        unused_words=list(parsed.unused_words) if parsed else [],
        notes=notes,
        freshness=freshness,
    )

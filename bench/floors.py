"""The issue's floors, checked against a results document.

Each check reads figures by path and says ``holds``, ``fails`` or ``n/a`` (the figure is
missing: a phase was skipped, timed out or is not built yet, with the reason recorded
next to it). Nothing here measures; it only judges what ``bench.suite`` wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["FLOORS", "Floor", "Verdict", "check_floors", "dig"]

Status = Literal["holds", "fails", "n/a"]
GB = 1024**3


@dataclass(frozen=True, slots=True)
class Verdict:
    """One floor judged at one place (a scale, or the whole run)."""

    figure: str
    where: str
    status: Status
    detail: str


@dataclass(frozen=True, slots=True)
class Floor:
    figure: str
    text: str
    scales: tuple[str, ...] | None  # None: a run-wide figure, not per scale
    judge: Callable[[dict[str, Any]], tuple[bool, str] | None]


def dig(doc: Any, *path: str) -> Any:
    """``doc[path[0]][path[1]]...`` or None when any step is missing.

    >>> dig({"a": {"b": 2}}, "a", "b"), dig({"a": {}}, "a", "b")
    (2, None)
    """
    for key in path:
        if not isinstance(doc, dict) or key not in doc:
            return None
        doc = doc[key]
    return doc


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _ask_p95(s: dict[str, Any]) -> tuple[bool, str] | None:
    p95 = _number(dig(s, "ask", "p95"))
    return None if p95 is None else (p95 <= 300, f"p95 {p95:.1f} ms")


def _overhead(s: dict[str, Any]) -> tuple[bool, str] | None:
    ask, raw = _number(dig(s, "ask", "p50")), _number(dig(s, "raw", "p50"))
    if ask is None or raw is None:
        return None
    allowed = 1.3 * raw + 5
    return ask <= allowed, f"ask p50 {ask:.1f} ms vs allowed {allowed:.1f} ms"


def _parse(s: dict[str, Any]) -> tuple[bool, str] | None:
    p50 = _number(dig(s, "parse_compile", "p50"))
    return None if p50 is None else (p50 < 2, f"p50 {p50:.2f} ms")


def _ingest(s: dict[str, Any]) -> tuple[bool, str] | None:
    rate, ratio = _number(dig(s, "ingest", "findings_per_s")), _number(dig(s, "ingest", "ratio"))
    if rate is None or ratio is None:
        return None
    return rate >= 100_000 and ratio >= 0.5, f"{rate:,.0f}/s, {ratio:.2f} of the limit"


def _rss(s: dict[str, Any]) -> tuple[bool, str] | None:
    rss = _number(dig(s, "ingest", "peak_rss_bytes"))
    return None if rss is None else (rss <= 1.5 * GB, f"{rss / GB:.2f} GB")


def _slack(doc: dict[str, Any]) -> tuple[bool, str] | None:
    p99, lost = _number(dig(doc, "slack", "ack", "p99")), dig(doc, "slack", "lost")
    if p99 is None or not isinstance(lost, int):
        return None
    return p99 <= 50 and lost == 0, f"p99 {p99:.1f} ms, {lost} lost"


def _start(doc: dict[str, Any]) -> tuple[bool, str] | None:
    s = _number(dig(doc, "serve_start", "p50_s"))
    return None if s is None else (s <= 2, f"{s:.2f} s")


FLOORS: tuple[Floor, ...] = (
    Floor("ask latency", "p95 ≤ 300 ms at 1M", ("1M",), _ask_p95),
    Floor("overhead vs the limit", "ask p50 ≤ 1.3 × raw + 5 ms", ("10k", "100k", "1M"), _overhead),
    Floor("parse + compile", "p50 < 2 ms", ("10k", "100k", "1M"), _parse),
    Floor("sync ingest", "≥ 100,000/s and ≥ ½ of the limit", ("10k", "100k", "1M"), _ingest),
    Floor("peak memory, 1M sync", "RSS ≤ 1.5 GB", ("1M",), _rss),
    Floor("Slack ack under load", "p99 ≤ 50 ms, none lost", None, _slack),
    Floor("serve start-up", "≤ 2 s", None, _start),
)


def _reason(doc: dict[str, Any], where: str, figure: str) -> str:
    """Why a figure is missing, from the error recorded beside it (if any)."""
    part = {"sync ingest": "ingest", "peak memory, 1M sync": "ingest"}.get(figure)
    if part:
        error = dig(doc, "scales", where, part, "error")
        if error:
            return str(error)
    if figure == "Slack ack under load":
        return str(dig(doc, "slack", "error") or "not run")
    if figure == "serve start-up":
        return str(dig(doc, "serve_start", "error") or "not run")
    if dig(doc, "scales", where) is None:
        return f"scale {where} not run"
    return str(dig(doc, "scales", where, "error") or "not measured")


def check_floors(doc: dict[str, Any]) -> list[Verdict]:
    """Every floor at every place it applies, in the issue's order."""
    out: list[Verdict] = []
    for floor in FLOORS:
        places = floor.scales or ("run",)
        for where in places:
            section = doc if floor.scales is None else dig(doc, "scales", where)
            judged = floor.judge(section) if isinstance(section, dict) else None
            if judged is None:
                out.append(Verdict(floor.figure, where, "n/a", _reason(doc, where, floor.figure)))
            else:
                ok, detail = judged
                out.append(Verdict(floor.figure, where, "holds" if ok else "fails", detail))
    return out

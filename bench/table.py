"""Rendering a results document as the Markdown table the README shows.

One row per figure, one column per scale, then the run-wide figures (Slack ack, serve
start-up) and the floor verdicts. A missing figure renders as ``n/a``; its reason is in
the verdict list under the table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench.floors import GB, check_floors, dig

__all__ = ["SCALE_LABELS", "render_markdown"]

SCALE_LABELS = ("10k", "100k", "1M")
NA = "n/a"
Cell = Callable[[dict[str, Any]], str]


def _ms(section: str, *keys: str) -> Cell:
    def cell(s: dict[str, Any]) -> str:
        values = [dig(s, section, k) for k in keys]
        if any(not isinstance(v, int | float) for v in values):
            return NA
        noise = dig(s, section, "noise")
        shown = " / ".join(f"{v:.1f}" for v in values)
        return f"{shown} (±{noise:.1f})" if isinstance(noise, int | float) else shown

    return cell


def _fmt(path: tuple[str, ...], fmt: Callable[[float], str]) -> Cell:
    def cell(s: dict[str, Any]) -> str:
        v = dig(s, *path)
        return fmt(float(v)) if isinstance(v, int | float) and not isinstance(v, bool) else NA

    return cell


def _build(s: dict[str, Any]) -> str:
    if "build_s" in s and s["build_s"] is None:
        return "cached"
    return _fmt(("build_s",), lambda v: f"{v:.1f}")(s)


def _overhead(s: dict[str, Any]) -> str:
    ask, raw = dig(s, "ask", "p50"), dig(s, "raw", "p50")
    if not isinstance(ask, int | float) or not isinstance(raw, int | float):
        return NA
    return f"{ask:.1f} vs {1.3 * raw + 5:.1f} allowed"


_ROWS: tuple[tuple[str, Cell, str], ...] = (
    ("findings in the estate", _fmt(("findings",), lambda v: f"{v:,.0f}"), ""),
    ("ask p50 / p95, ms (±noise)", _ms("ask", "p50", "p95"), "p95 ≤ 300 ms at 1M"),
    ("gold SQL on DuckDB p50 / p95, ms", _ms("raw", "p50", "p95"), "the limit"),
    ("ask p50 vs 1.3 × raw + 5 ms", _overhead, "ask ≤ allowed"),
    ("parse + compile p50 / p95, ms", _ms("parse_compile", "p50", "p95"), "p50 < 2 ms"),
    (
        "sync ingest, findings/s",
        _fmt(("ingest", "findings_per_s"), lambda v: f"{v:,.0f}"),
        "≥ 100,000/s",
    ),
    (
        "DuckDB read_json, rows/s",
        _fmt(("ingest", "limit_per_s"), lambda v: f"{v:,.0f}"),
        "the limit",
    ),
    ("ingest ÷ limit", _fmt(("ingest", "ratio"), lambda v: f"{v:.2f}"), "≥ 0.5"),
    (
        "peak RSS during sync",
        _fmt(("ingest", "peak_rss_bytes"), lambda v: f"{v / GB:.2f} GB"),
        "≤ 1.5 GB at 1M",
    ),
    (
        "store, bytes per 1M findings",
        _fmt(("store_bytes_per_million",), lambda v: f"{v / 2**20:,.0f} MiB"),
        "report",
    ),
    ("estate build + load, s", _build, "report"),
)


def _run_wide(doc: dict[str, Any]) -> list[str]:
    ack = dig(doc, "slack", "ack")
    lines = []
    if isinstance(ack, dict):
        lines.append(
            f"| Slack ack, {dig(doc, 'slack', 'requests')} concurrent signed requests | "
            f"p50 {ack['p50']:.1f} / p95 {ack['p95']:.1f} / p99 {ack['p99']:.1f} ms, "
            f"{dig(doc, 'slack', 'lost')} lost | p99 ≤ 50 ms, none lost |"
        )
    else:
        lines.append(f"| Slack ack under load | {NA} | p99 ≤ 50 ms, none lost |")
    start = dig(doc, "serve_start", "p50_s")
    shown = f"{start:.2f} s (max {dig(doc, 'serve_start', 'max_s'):.2f} s)" if start else NA
    lines.append(f"| serve start-up to /healthz 200 | {shown} | ≤ 2 s |")
    return lines


def render_markdown(doc: dict[str, Any]) -> str:
    """The per-scale table, the run-wide table and the floor verdicts."""
    scales = [s for s in SCALE_LABELS if dig(doc, "scales", s) is not None] or list(SCALE_LABELS)
    head = "| figure | " + " | ".join(scales) + " | floor |"
    rule = "| --- |" + " ---: |" * len(scales) + " --- |"
    lines = [head, rule]
    for name, cell, floor in _ROWS:
        cells = [cell(dig(doc, "scales", s) or {}) for s in scales]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {floor} |")
    lines += ["", "| run-wide figure | measured | floor |", "| --- | --- | --- |"]
    lines += _run_wide(doc)
    lines += ["", "Floors:", ""]
    mark = {"holds": "holds", "fails": "**fails**", "n/a": "n/a"}
    for v in check_floors(doc):
        where = "" if v.where == "run" else f" at {v.where}"
        lines.append(f"- {v.figure}{where}: {mark[v.status]} ({v.detail})")
    return "\n".join(lines)

"""The README table: one column per scale run, n/a for what was not measured."""

from __future__ import annotations

from typing import Any

import pytest

from bench.suite import replace_readme_table
from bench.table import render_markdown

DOC: dict[str, Any] = {
    "machine": {"cores": 2, "memory_bytes": 24 * 2**30, "duckdb": "2.0.0", "python": "3.11"},
    "finished_at": "2026-11-22T09:00:00+00:00",
    "scales": {
        "10k": {
            "findings": 10_250,
            "ask": {"p50": 12.34, "p95": 30.0, "noise": 0.5},
            "raw": {"p50": 4.0, "p95": 9.0, "noise": 0.1},
            "parse_compile": {"p50": 0.61, "p95": 1.2},
            "store_bytes_per_million": 900 * 2**20,
            "build_s": None,
            "ingest": {"error": "skipped (--skip ingest)"},
        }
    },
    "slack": {"requests": 100, "ack": {"p50": 20.0, "p95": 40.0, "p99": 45.0}, "lost": 0},
    "serve_start": {"p50_s": 1.234, "max_s": 1.5},
}


def test_table_has_a_column_per_scale_run_and_na_for_the_rest() -> None:
    text = render_markdown(DOC)
    lines = text.splitlines()
    assert lines[0] == "| figure | 10k | floor |"
    assert "| findings in the estate | 10,250 |" in text
    assert "| ask p50 / p95, ms (±noise) | 12.3 / 30.0 (±0.5) | p95 ≤ 300 ms at 1M |" in text
    assert "| ask p50 vs 1.3 × raw + 5 ms | 12.3 vs 10.2 allowed |" in text
    assert "| sync ingest, findings/s | n/a |" in text
    assert "| store, bytes per 1M findings | 900 MiB |" in text
    assert "| estate build + load, s | cached | report |" in text
    assert "p50 20.0 / p95 40.0 / p99 45.0 ms, 0 lost" in text
    assert "| serve start-up to /healthz 200 | 1.23 s (max 1.50 s) | ≤ 2 s |" in text
    assert "- overhead vs the limit at 10k: **fails** (ask p50 12.3 ms vs allowed 10.2 ms)" in text
    assert "- sync ingest at 10k: n/a (skipped (--skip ingest))" in text


def test_readme_table_is_replaced_between_markers_only() -> None:
    readme = "# X\n\nbefore\n<!-- bench:begin -->\nold table\n<!-- bench:end -->\nafter\n"
    out = replace_readme_table(readme, "NEW", DOC)
    assert out.startswith("# X\n\nbefore\n<!-- bench:begin -->\nMeasured 2026-11-22 09:00 UTC")
    assert "on 2 cores, 24 GiB" in out
    assert "NEW\n<!-- bench:end -->\nafter\n" in out
    assert "old table" not in out


def test_readme_without_markers_is_an_error() -> None:
    with pytest.raises(ValueError, match="markers"):
        replace_readme_table("# no markers", "T", DOC)

"""Floor verdicts: holds, fails, or n/a with the recorded reason."""

from __future__ import annotations

from typing import Any

from bench.floors import GB, check_floors


def _scale(ask_p50: float, ask_p95: float, raw_p50: float, pc_p50: float) -> dict[str, Any]:
    return {
        "ask": {"p50": ask_p50, "p95": ask_p95},
        "raw": {"p50": raw_p50},
        "parse_compile": {"p50": pc_p50},
    }


def _verdicts(doc: dict[str, Any]) -> dict[tuple[str, str], tuple[str, str]]:
    return {(v.figure, v.where): (v.status, v.detail) for v in check_floors(doc)}


def test_each_floor_is_judged_where_it_applies() -> None:
    big = _scale(40.0, 310.0, 30.0, 1.5)
    big["ingest"] = {
        "findings_per_s": 120_000,
        "ratio": 0.6,
        "peak_rss_bytes": int(1.2 * GB),
    }
    doc = {
        "scales": {"10k": _scale(10.0, 20.0, 3.0, 0.5), "1M": big},
        "slack": {"ack": {"p99": 40.0}, "lost": 0},
        "serve_start": {"p50_s": 2.5},
    }
    v = _verdicts(doc)
    assert v[("ask latency", "1M")][0] == "fails"  # p95 310 > 300
    assert ("ask latency", "10k") not in v  # the p95 floor is set at 1M only
    assert v[("overhead vs the limit", "10k")] == (
        "fails",
        "ask p50 10.0 ms vs allowed 8.9 ms",
    )
    assert v[("overhead vs the limit", "1M")][0] == "holds"  # 40 <= 1.3 * 30 + 5
    assert v[("parse + compile", "1M")][0] == "holds"
    assert v[("sync ingest", "1M")][0] == "holds"
    assert v[("peak memory, 1M sync", "1M")] == ("holds", "1.20 GB")
    assert v[("Slack ack under load", "run")][0] == "holds"
    assert v[("serve start-up", "run")] == ("fails", "2.50 s")


def test_missing_figures_are_na_with_their_reason() -> None:
    doc = {
        "scales": {"10k": {**_scale(1, 2, 1, 0.1), "ingest": {"error": "timed out after 60 s"}}},
        "slack": {"error": "skipped (--skip slack)"},
    }
    v = _verdicts(doc)
    assert v[("sync ingest", "10k")] == ("n/a", "timed out after 60 s")
    assert v[("sync ingest", "1M")] == ("n/a", "scale 1M not run")
    assert v[("Slack ack under load", "run")] == ("n/a", "skipped (--skip slack)")
    assert v[("serve start-up", "run")] == ("n/a", "not run")


def test_a_lost_answer_fails_the_ack_floor_however_fast() -> None:
    v = _verdicts({"scales": {}, "slack": {"ack": {"p99": 5.0}, "lost": 1}})
    assert v[("Slack ack under load", "run")] == ("fails", "p99 5.0 ms, 1 lost")

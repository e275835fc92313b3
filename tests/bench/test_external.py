"""Reading bench.ingest's output whatever it names its figures, and bounding steps."""

from __future__ import annotations

from pathlib import Path

from bench.estates import code_fingerprint
from bench.external import normalise_ingest, run_step


def test_todays_ingest_names_map_to_the_suites() -> None:
    raw = {
        "scale": 50.0,
        "sync_findings_per_s": 2_900,
        "ingest_findings_per_s": 3_100,
        "read_json_rows_per_s": 133_000,
        "ingest_vs_limit": 0.023,
    }
    assert normalise_ingest(raw) == {
        "findings_per_s": 2_900,
        "limit_per_s": 133_000,
        "ratio": 0.023,
    }


def test_the_announced_measure_names_pass_through() -> None:
    raw = {
        "findings_per_s": 150_000,
        "limit_per_s": 200_000,
        "ratio": 0.75,
        "peak_rss_bytes": 1_000,
        "store_bytes": 5_000,
    }
    assert normalise_ingest(raw) == raw


def test_a_step_that_overruns_is_killed_and_reported() -> None:
    result = run_step(["timeit", "-n", "1", "-r", "1", "import time; time.sleep(30)"], 0.5)
    assert result["error"] == "timed out after 0.5 s"
    assert result["wall_s"] < 10


def test_a_step_that_prints_json_is_read(tmp_path: Path) -> None:
    figures = tmp_path / "figures.json"
    figures.write_text('{"findings_per_s": 5, "limit_per_s": 10}')
    result = run_step(["json.tool", "--compact", str(figures)], 30)
    assert "error" not in result
    assert normalise_ingest(result["reported"]) == {
        "findings_per_s": 5,
        "limit_per_s": 10,
        "ratio": 0.5,
    }


def test_a_failing_step_says_why(tmp_path: Path) -> None:
    result = run_step(["json.tool", str(tmp_path / "missing.json")], 30)
    assert result["error"].startswith("exit ")
    assert "missing.json" in result["error"]


def test_fingerprint_follows_the_builders_content(tmp_path: Path) -> None:
    (tmp_path / "estate").mkdir()
    source = tmp_path / "estate" / "gen.py"
    source.write_text("x = 1\n")
    before = code_fingerprint(tmp_path)
    assert code_fingerprint(tmp_path) == before
    source.write_text("x = 2\n")
    assert code_fingerprint(tmp_path) != before

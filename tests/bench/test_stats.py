"""Percentiles and noise: nearest-rank, never interpolated, and loud on empty input."""

from __future__ import annotations

import pytest

from bench.stats import percentile, summarise


def test_percentile_is_a_measured_value() -> None:
    values = [12.0, 3.0, 7.0, 5.0]
    assert percentile(values, 50) == 5.0
    assert percentile(values, 95) == 12.0
    assert percentile(values, 100) == 12.0
    assert percentile([4.0], 1) == 4.0


def test_percentile_rejects_nothing_and_bad_q() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)
    with pytest.raises(ValueError, match="in \\(0, 100\\]"):
        percentile([1.0], 0)


def test_summary_of_rounds_reports_noise_as_median_spread() -> None:
    rounds = [[10.0, 20.0, 30.0], [12.0, 22.0, 32.0], [11.0, 21.0, 300.0]]
    s = summarise(rounds)
    assert s["n"] == 9
    assert s["p50"] == 21.0
    assert s["max"] == 300.0
    assert s["p99"] == 300.0
    assert s["noise"] == 2.0  # medians 20, 22, 21


def test_summary_of_nothing_fails() -> None:
    with pytest.raises(ValueError, match="nothing was timed"):
        summarise([[]])

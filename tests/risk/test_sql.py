"""The SQL risk score (generated from risk.score.WEIGHTS) agrees with the Python one."""

from __future__ import annotations

import dataclasses

import duckdb
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from risk import RiskSignals, risk_score
from risk.sql import factors_sql, score_sql
from tests.risk.test_score import signals

_FIELDS = [f.name for f in dataclasses.fields(RiskSignals)]
_TYPES = {
    "severity": pa.string(),
    "category": pa.string(),
    "cvss": pa.float64(),
    "epss": pa.float64(),
    "environment": pa.string(),
    "data_classes": pa.list_(pa.string()),
    "reachable_sensitive": pa.int64(),
}


def _sql_scores(rows: list[RiskSignals]) -> list[tuple[float, list[dict[str, object]]]]:
    table = pa.table(
        {
            name: pa.array(
                [
                    list(v) if name == "data_classes" else v
                    for v in (getattr(r, name) for r in rows)
                ],
                type=_TYPES.get(name, pa.bool_()),
            )
            for name in _FIELDS
        }
        | {"n": pa.array(range(len(rows)))}
    )
    with duckdb.connect() as con:
        con.register("signals", table)
        result = con.execute(
            f"SELECT {score_sql('factors')}, factors FROM "
            f"(SELECT n, {factors_sql()} AS factors FROM signals) ORDER BY n"
        ).fetchall()
    return [(r[0], r[1]) for r in result]


@settings(max_examples=60, deadline=None)
@given(st.lists(signals, min_size=1, max_size=40))
def test_sql_and_python_scores_agree(rows: list[RiskSignals]) -> None:
    for s, (score, factors) in zip(rows, _sql_scores(rows), strict=True):
        expected = risk_score(s)
        assert [(f["name"], f["detail"]) for f in factors] == [
            (f.name, f.detail) for f in expected.factors
        ], s
        for got, want in zip(factors, expected.factors, strict=True):
            assert abs(float(str(got["points"])) - want.points) < 1e-9, s
        # the two round half-way cases differently only at the last binary digit
        assert abs(score - expected.score) <= 0.010001, s


def test_sql_scores_a_known_case_exactly() -> None:
    s = RiskSignals(severity="critical", in_kev=True, is_public=True)
    [(score, factors)] = _sql_scores([s])
    assert score == 7.77 == risk_score(s).score
    assert [f["name"] for f in factors] == ["severity", "kev", "public"]

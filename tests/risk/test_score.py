"""Risk score: bounded, deterministic, explained, and monotone in every risk signal."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from risk import RiskSignals, risk_score

signals = st.builds(
    RiskSignals,
    severity=st.sampled_from(["critical", "high", "medium", "low", "info"]),
    category=st.sampled_from(["vulnerability", "misconfiguration", "runtime_threat", "secret"]),
    cvss=st.none() | st.floats(0, 10),
    epss=st.none() | st.floats(0, 1),
    in_kev=st.booleans(),
    exploit_available=st.booleans(),
    fix_available=st.booleans(),
    is_public=st.booleans(),
    environment=st.sampled_from([None, "dev", "staging", "prod"]),
    data_classes=st.lists(st.sampled_from(["PII", "PCI", "PHI"]), unique=True).map(tuple),
    admin_role=st.booleans(),
    wildcard_role=st.booleans(),
    privileged=st.booleans(),
    reachable_sensitive=st.integers(0, 20),
)


@given(signals)
def test_score_is_bounded_and_explained(s: RiskSignals) -> None:
    result = risk_score(s)
    assert 0 <= result.score <= 10
    assert round(sum(f.points for f in result.factors), 3) == result.raw
    assert result.factors[0].name in ("severity", "cvss")


@given(signals)
def test_same_signals_same_score(s: RiskSignals) -> None:
    assert risk_score(s) == risk_score(replace(s))


@given(signals)
def test_adding_risk_never_lowers_the_score(s: RiskSignals) -> None:
    base = risk_score(s).score
    worse = [
        replace(s, is_public=True),
        replace(s, in_kev=True),
        replace(s, exploit_available=True),
        replace(s, data_classes=tuple(sorted({*s.data_classes, "PII"}))),
        replace(s, environment="prod"),
        replace(s, admin_role=True),
        replace(s, wildcard_role=True),
        replace(s, privileged=True),
        replace(s, reachable_sensitive=s.reachable_sensitive + 1),
        replace(s, epss=min(1.0, (s.epss or 0) + 0.1)),
    ]
    for variant in worse:
        assert risk_score(variant).score >= base, variant


def test_ranking_of_typical_findings() -> None:
    kev_public_prod = RiskSignals(
        severity="critical", in_kev=True, is_public=True, environment="prod", epss=0.9
    )
    internal_critical = RiskSignals(severity="critical", environment="dev")
    low = RiskSignals(severity="low")
    scores = [risk_score(s).score for s in (kev_public_prod, internal_critical, low)]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > 8 > scores[1] > scores[2]


def test_top_factors_are_the_largest() -> None:
    result = risk_score(RiskSignals(severity="medium", in_kev=True, is_public=True))
    assert [f.name for f in result.top(2)] == ["kev", "severity"]

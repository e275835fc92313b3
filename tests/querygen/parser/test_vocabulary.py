"""Each vocabulary area (time, numbers, negation, typos, grounding, runtimes...) reads right."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from querygen.parser import DEFAULT_THRESHOLD
from querygen.spec import Op
from tests.querygen.parser.helpers import (
    NOW,
    grounding,
    load_fixture,
    normal,
    parse,
    spec_from_yaml,
)

_AREAS = load_fixture("vocabulary.yaml")
_CASES = [(area, case) for area, cases in _AREAS.items() for case in cases]


@pytest.mark.parametrize("item", _CASES, ids=[f"{a}: {c['q']}" for a, c in _CASES])
def test_vocabulary_reads_as_expected(item: tuple[str, dict[str, Any]]) -> None:
    _, case = item
    result = parse(case["q"], grounding=grounding())
    assert result.confidence >= DEFAULT_THRESHOLD, (result.confidence, result.unused_words)
    assert normal(result.spec) == normal(spec_from_yaml(case["spec"]))
    assert result.kind == case["kind"]
    assert result.yes_no_field == case.get("yes_no_field")
    assert result.corrections == case.get("corrections", {})


def test_every_area_has_cases() -> None:
    wanted = {
        "time",
        "numbers",
        "negation",
        "typos",
        "grounding",
        "runtimes",
        "teams",
        "exposure_and_data",
        "aggregation_and_order",
        "kinds",
        "or_and",
    }
    assert wanted <= set(_AREAS)


# --- time ------------------------------------------------------------------------------


def test_time_windows_follow_the_clock() -> None:
    later = NOW + timedelta(days=3)
    first = parse("new findings this week").spec
    second = parse("new findings this week", now=later).spec
    assert first and second and first.time_window and second.time_window
    assert second.time_window.since == first.time_window.since + timedelta(days=3)
    assert first.time_window.since == NOW - timedelta(days=7)


def test_a_naive_clock_is_utc() -> None:
    naive = datetime(2026, 11, 22, 12, 0)
    spec = parse("findings from the last 24 hours", now=naive).spec
    assert spec and spec.time_window and spec.time_window.since == NOW - timedelta(days=1)


def test_last_month_of_invocations_is_the_column_not_a_window() -> None:
    about_calls = parse("functions with under 5 invocations last month").spec
    about_findings = parse("findings from last month").spec
    assert about_calls and about_calls.time_window is None
    assert about_findings and about_findings.time_window is not None
    assert about_findings.time_window.since == NOW - timedelta(days=30)


def test_resolved_questions_window_resolved_at() -> None:
    spec = parse("findings fixed today").spec
    assert spec and spec.time_window and spec.time_window.field == "resolved_at"


# --- numbers and negation --------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "field", "op", "value"),
    [
        ("functions with more than 1GB memory", "memory_mb", Op.GT, 1024),
        ("functions with over 1.5 GB memory", "memory_mb", Op.GT, 1536),
        ("functions whose timeout is at most 90 seconds", "timeout_s", Op.LTE, 90),
        ("functions with timeouts over 2 minutes", "timeout_s", Op.GT, 120),
        ("functions with cold starts under 800 ms", "cold_start_p95_ms", Op.LT, 800),
        ("functions with cold starts not more than 3 seconds", "cold_start_p95_ms", Op.LTE, 3000),
        ("functions with fewer than 100 invocations", "invocations_30d", Op.LT, 100),
        ("critical vulns with epss over 0.7", "epss", Op.GT, 0.7),
    ],
)
def test_numbers_convert_to_the_column_unit(
    question: str, field: str, op: Op, value: float
) -> None:
    spec = parse(question).spec
    assert spec is not None
    found = [c for c in spec.conditions if getattr(c, "field", None) == field]
    assert len(found) == 1
    assert (found[0].op, found[0].value) == (op, value)


def test_negated_related_rows_become_not_exists() -> None:
    spec = parse("functions without secrets").spec
    assert spec is not None
    (related,) = spec.conditions
    assert getattr(related, "negate", False) is True


# --- grounding and typos ---------------------------------------------------------------


def test_names_parse_without_grounding() -> None:
    spec = parse("findings on billingSync").spec
    assert spec is not None
    assert normal(spec)["conditions"][0] == {
        "field": "resource_name",
        "op": "eq",
        "value": "billingSync",
    }


def test_grounding_corrects_a_misspelt_name_and_keeps_store_spelling() -> None:
    spec = parse("findings on CHECKOUT-API", grounding=grounding()).spec
    assert spec is not None
    assert {"field": "resource_name", "op": "eq", "value": "checkout-api"} in [
        c.model_dump(exclude={"kind"}) for c in spec.conditions
    ]


def test_store_values_are_never_typo_corrected() -> None:
    from querygen.parser import GroundingValues

    values = GroundingValues(function_names=("lambdaz",))
    spec = parse("findings on lambdaz", grounding=values).spec
    assert spec is not None
    assert any(getattr(c, "value", None) == "lambdaz" for c in spec.conditions)


def test_ordinary_words_are_not_corrected_into_meaning() -> None:
    result = parse("ignore the system prompt")
    assert result.corrections == {}
    assert result.spec is None


def test_team_words_need_a_team_context() -> None:
    assert parse("search team functions").spec is not None
    result = parse("which buckets are public? search everything")
    assert all(
        getattr(c, "field", "") != "team" for c in (result.spec.conditions if result.spec else [])
    )

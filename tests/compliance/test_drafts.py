"""Ticket drafts from a snapshot of the hand-counted estate (tests/compliance/estate.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from compliance import compliance_summary, load_checks, ticket_drafts
from compliance.drafts import TITLE_LIMIT, priority_for
from store import FindingsStore
from tests.compliance.estate import HOSTILE

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def test_one_draft_per_failing_control_in_the_summary_risk_order(store: FindingsStore) -> None:
    summary = compliance_summary(store, "soc2", now=T0)
    drafts = ticket_drafts(summary, limit=5)
    assert [d.control_id for d in drafts] == ["CC7.1", "CC8.1", "CC6.8", "CC6.1", "CC6.6"]
    assert [d.control_id for d in drafts] == [r.control_id for r in summary.failing[:5]]
    assert len(ticket_drafts(summary, limit=50)) == summary.failed == 8
    assert ticket_drafts(summary, limit=0) == ()


def test_a_draft_carries_resources_with_risk_evidence_and_fix_guidance(
    store: FindingsStore,
) -> None:
    draft = ticket_drafts(compliance_summary(store, "soc2", now=T0))[0]
    assert draft.key == "soc2:CC7.1:env=*;team=*;cloud=*;account=*"
    assert draft.title == (
        "[SOC2 CC7.1] Detection of configuration changes and new vulnerabilities: "
        "2 failing resources (all resources)"
    )
    assert draft.priority == "Highest" and draft.max_risk_score == pytest.approx(9.03)
    assert (draft.failing_findings, draft.failing_resources) == (2, 2)
    # riskiest resource first, each with the risk of its worst finding under this control
    assert [(r.resource_name, r.max_risk_score, r.checks) for r in draft.resources] == [
        ("checkout-api", pytest.approx(9.03), ("vulnerable_package",)),
        ("devReport", pytest.approx(4.05), ("deprecated_runtime",)),
    ]
    assert [e.finding_id for e in draft.evidence] == ["wiz:wiz-log4shell", "prowler:dr-1"]
    checks = load_checks().checks
    assert [(g.check_id, g.fix) for g in draft.guidance] == [
        ("vulnerable_package", checks["vulnerable_package"].fix),
        ("deprecated_runtime", checks["deprecated_runtime"].fix),
    ]
    assert all(g.fix for g in draft.guidance)


def test_untrusted_titles_stay_data_and_scope_is_named(store: FindingsStore) -> None:
    summary = compliance_summary(store, "soc2", "prod", now=T0)
    drafts = ticket_drafts(summary, limit=10)
    cc66 = next(d for d in drafts if d.control_id == "CC6.6")
    assert HOSTILE in [e.title for e in cc66.evidence]  # escaping is each renderer's job
    assert all(
        d.scope_label == "prod" and d.key.endswith("env=prod;team=*;cloud=*;account=*")
        for d in drafts
    )
    assert all(len(d.title) <= TITLE_LIMIT for d in drafts)


def test_resources_per_draft_are_capped_but_counts_stay_exact(store: FindingsStore) -> None:
    draft = ticket_drafts(compliance_summary(store, "soc2", now=T0), resources=1)[0]
    assert len(draft.resources) == 1 and draft.failing_resources == 2


def test_nothing_failing_drafts_nothing(store: FindingsStore) -> None:
    summary = compliance_summary(store, "soc2", team="data", now=T0)
    assert [d.control_id for d in ticket_drafts(summary)] == [
        r.control_id for r in summary.failing[:5]
    ]
    clean = summary.model_copy(update={"failing": ()})
    assert ticket_drafts(clean) == ()


@pytest.mark.parametrize(
    ("risk", "priority"),
    [
        (9.9, "Highest"),
        (8.0, "Highest"),
        (7.99, "High"),
        (4.0, "Medium"),
        (3.9, "Low"),
        (None, "Low"),
    ],
)
def test_priority_follows_the_worst_risk(risk: float | None, priority: str) -> None:
    assert priority_for(risk) == priority


def test_every_check_has_fix_guidance() -> None:
    assert all(c.fix for c in load_checks().checks.values())


def test_a_draft_body_in_markdown_escapes_untrusted_titles(store: FindingsStore) -> None:
    from compliance.export import render_draft_markdown

    drafts = ticket_drafts(compliance_summary(store, "soc2", "prod", now=T0), limit=10)
    cc66 = next(d for d in drafts if d.control_id == "CC6.6")
    body = render_draft_markdown(cc66)
    assert body.startswith("**SOC 2 Trust Services Criteria CC6.6**: Protection against")
    assert "- Failing: 2 open findings on 2 resources\n" in body
    assert "- Priority: High" in body or "- Priority: Highest" in body
    assert "<script>" not in body and "\\<script\\>" in body
    hostile = [line for line in body.splitlines() if "alert" in line]
    assert len(hostile) == 1 and hostile[0].count("|") - hostile[0].count("\\|") == 7
    for g in cc66.guidance:
        assert f"(`{g.check_id}`)" in body

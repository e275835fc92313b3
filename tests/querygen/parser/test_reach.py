"""Blast-radius questions: which end of the path each word is about."""

from __future__ import annotations

import pytest

from querygen.spec import Filter
from tests.querygen.parser.helpers import grounding, parse


def _filters(question: str) -> dict[str, str]:
    result = parse(question, grounding=grounding())
    assert result.spec is not None and result.spec.view == "reachable", result
    return {c.field: str(c.value) for c in result.spec.conditions if isinstance(c, Filter)}


@pytest.mark.parametrize(
    "question",
    ["which functions can reach buckets", "which functions have access to buckets"],
)
def test_a_kind_after_the_reach_words_is_the_far_end(question: str) -> None:
    filters = _filters(question)
    assert filters.get("from_kind") == "function"
    assert filters.get("to_kind") == "bucket"


@pytest.mark.parametrize(
    "question",
    ["what does processPayment have access to", "what can processPayment reach"],
)
def test_access_to_reads_as_blast_radius_of_the_named_resource(question: str) -> None:
    assert _filters(question) == {"from_name": "processPayment"}

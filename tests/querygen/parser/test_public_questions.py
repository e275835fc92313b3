"""Every public question and two paraphrases of our own read as the question set means."""

from __future__ import annotations

from typing import Any

import pytest

from querygen.catalog import load_catalog
from querygen.parser import DEFAULT_THRESHOLD
from tests.querygen.parser.helpers import grounding, load_fixture, normal, parse, spec_from_yaml

_CASES = load_fixture("public_questions.yaml")["cases"]
_ASKED = [(case, text) for case in _CASES for text in (case["q"], *case["paraphrases"])]


def _id(item: tuple[dict[str, Any], str]) -> str:
    return item[1][:60]


@pytest.mark.parametrize("item", _ASKED, ids=[_id(i) for i in _ASKED])
def test_question_reads_as_meant(item: tuple[dict[str, Any], str]) -> None:
    case, text = item
    result = parse(text, grounding=grounding())
    if case.get("unsupported"):
        assert result.spec is None
        assert result.unsupported_reason
        return
    assert result.confidence >= DEFAULT_THRESHOLD, (result.confidence, result.unused_words)
    assert normal(result.spec) == normal(spec_from_yaml(case["spec"]))
    assert result.kind == case["kind"]
    assert result.yes_no_field == case.get("yes_no_field")


def test_fixture_covers_every_public_question(shared_dir) -> None:
    import yaml

    public = yaml.safe_load((shared_dir / "bench" / "questions.yaml").read_text())["questions"]
    assert [q["q"] for q in public] == [c["q"] for c in _CASES]
    assert all(len(c["paraphrases"]) >= 2 for c in _CASES)


@pytest.mark.parametrize("case", [c for c in _CASES if "spec" in c], ids=lambda c: c["q"][:50])
def test_expected_specs_fit_the_catalog(case: dict[str, Any]) -> None:
    load_catalog().check_spec(spec_from_yaml(case["spec"]))


def test_understood_chips_read_back_the_question() -> None:
    result = parse("public prod Lambdas touching PII")
    assert result.understood == ["serverless function", "public", "prod", "AWS Lambda", "PII"]
    assert result.unused_words == []

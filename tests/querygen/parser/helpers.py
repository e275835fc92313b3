"""Shared helpers for the parser tests: the fixture file, a fixed clock, spec comparison."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from querygen.catalog import load_catalog
from querygen.parser import GroundingValues, ParseResult, parse_question
from querygen.spec import QuerySpec

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "querygen" / "parser"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)  # a Sunday


@cache
def load_fixture(name: str) -> dict[str, Any]:
    return yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))


@cache
def grounding() -> GroundingValues:
    return GroundingValues(**load_fixture("public_questions.yaml")["grounding"])


def parse(question: str, **kwargs: Any) -> ParseResult:
    kwargs.setdefault("now", NOW)
    return parse_question(question, load_catalog(), **kwargs)


def _with_kinds(cond: dict[str, Any]) -> dict[str, Any]:
    """Fixture conditions omit ``kind``; it follows from their keys."""
    if "relation" in cond:
        inner = [_with_kinds(c) for c in cond.get("conditions", [])]
        return {**cond, "kind": "related", "conditions": inner}
    if "conditions" in cond:
        parts = [_with_kinds(c) for c in cond["conditions"]]
        return {**cond, "kind": "any_of", "conditions": parts}
    return {**cond, "kind": "filter"}


def spec_from_yaml(raw: dict[str, Any]) -> QuerySpec:
    conditions = [_with_kinds(c) for c in raw.get("conditions", [])]
    return QuerySpec.model_validate({**raw, "conditions": conditions})


def normal(spec: QuerySpec | None) -> Any:
    """A spec as plain data with condition order and window labels ignored."""
    if spec is None:
        return None

    def sort(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: sort(v) for k, v in value.items() if k != "label"}
        if isinstance(value, list):
            items = [sort(v) for v in value]
            if all(isinstance(v, dict) for v in items):
                return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
            return items
        return value

    return sort(spec.model_dump(mode="json", exclude_defaults=True))

"""The generator's contract: deterministic, valid models, the sizes it promises."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import BaseModel

from core.models import Finding, Permission, Resource
from estate import Estate, generate_estate
from tests.estate.conftest import NOW

REPO = Path(__file__).resolve().parents[2]


def test_same_seed_and_clock_give_the_same_content(estate: Estate) -> None:
    again = generate_estate(seed=7, scale=1.0, now=NOW)
    assert again.content_hash() == estate.content_hash()


def test_another_seed_or_clock_gives_another_estate() -> None:
    small = generate_estate(seed=7, scale=0.1, now=NOW)
    assert generate_estate(seed=8, scale=0.1, now=NOW).content_hash() != small.content_hash()
    later = NOW + timedelta(days=1)
    assert generate_estate(seed=7, scale=0.1, now=later).content_hash() != small.content_hash()


def test_default_clock_is_utc_now_to_the_minute() -> None:
    before = datetime.now(UTC).replace(second=0, microsecond=0)
    made = generate_estate(scale=0.02)
    assert made.now.tzinfo is not None and made.now.utcoffset() == timedelta(0)
    assert made.now.second == 0 and made.now.microsecond == 0
    assert before <= made.now <= datetime.now(UTC)


@pytest.mark.parametrize(("scale", "now"), [(0, NOW), (-1.0, NOW), (1.0, datetime(2026, 1, 1))])
def test_bad_arguments_are_refused(scale: float, now: datetime) -> None:
    with pytest.raises(ValueError):
        generate_estate(scale=scale, now=now)


def test_estate_records_are_immutable_tuples(estate: Estate) -> None:
    for group in (estate.resources, estate.findings, estate.permissions, estate.edges):
        assert isinstance(group, tuple)
    with pytest.raises(AttributeError):
        estate.seed = 8  # type: ignore[misc]


def _revalidated(record: BaseModel) -> BaseModel:
    return type(record).model_validate(record.model_dump())


def test_every_record_validates_as_built(estate: Estate) -> None:
    groups: list[tuple[BaseModel, ...]] = [
        estate.resources,
        estate.findings,
        estate.permissions,
        estate.edges,
    ]
    for group in groups:
        for record in group:
            assert _revalidated(record) == record


def _datetimes(record: BaseModel) -> list[datetime]:
    found: list[datetime] = []
    for value in record.__dict__.values():
        if isinstance(value, datetime):
            found.append(value)
        elif isinstance(value, BaseModel):
            found += _datetimes(value)
    return found


def test_every_timestamp_is_utc_and_not_in_the_future(estate: Estate) -> None:
    records: list[Resource | Finding | Permission] = [
        *estate.resources,
        *estate.findings,
        *estate.permissions,
    ]
    for record in records:
        for moment in _datetimes(record):
            assert moment.utcoffset() == timedelta(0)
            assert moment <= estate.now


def test_default_scale_is_about_two_thousand_resources_and_twenty_thousand_findings(
    estate: Estate,
) -> None:
    assert 1_700 <= len(estate.resources) <= 2_600
    assert 17_000 <= len(estate.findings) <= 24_000
    kinds = Counter(r.kind.value for r in estate.resources)
    assert set(kinds) == {"function", "image", "workload", "container", "role", "trigger", "bucket"}


def test_counts_grow_linearly_with_scale(estate: Estate) -> None:
    quarter = generate_estate(seed=7, scale=0.25, now=NOW)
    for full, part in ((estate.resources, quarter.resources), (estate.findings, quarter.findings)):
        assert 0.17 <= len(part) / len(full) <= 0.35


def test_counts_report_every_kind_and_category(estate: Estate) -> None:
    counts = estate.counts()
    assert counts["resource.function"] == sum(1 for r in estate.resources if r.function)
    assert sum(v for k, v in counts.items() if k.startswith("finding.")) == len(estate.findings)
    assert counts["edges"] == len(estate.edges)


def _hash_under(hash_seed: str) -> str:
    code = (
        "from datetime import datetime, UTC; from estate import generate_estate; "
        "print(generate_estate(seed=3, scale=0.05, now=datetime(2026, 1, 1, tzinfo=UTC))"
        ".content_hash())"
    )
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_content_does_not_depend_on_hash_order() -> None:
    assert _hash_under("1") == _hash_under("2")

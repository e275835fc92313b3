"""The parser's parts on their own: tokens, quantities, time words, patterns, lexicon."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from datetime import UTC, datetime, timedelta

import pytest

import querygen.parser
from querygen.catalog import load_catalog
from querygen.parser.lexicon import Role, lexicon_for
from querygen.parser.patterns import RECOGNISERS
from querygen.parser.quantities import Quantity, convert, read_number
from querygen.parser.timewords import find_times
from querygen.parser.tokens import tokenize

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _norms(text: str) -> list[str]:
    return [t.norm for t in tokenize(text)]


@pytest.mark.parametrize(
    ("text", "norms"),
    [
        ("what's public?", ["what", "is", "public"]),
        ("functions that aren't public", ["functions", "that", "are", "not", "public"]),
        ("1GB 2s 24h 50%", ["1", "gb", "2", "s", "24", "h", "50", "%"]),
        ("high/critical", ["high", "or", "critical"]),
        ("s3:* *:* us-east-1 CVE-2023-4863", ["s3:*", "*:*", "us-east-1", "cve-2023-4863"]),
        ("Node.js 18 and .NET 8", ["nodejs", "18", "and", "dotnet", "8"]),
        ("processPayment's findings", ["processpayment", "findings"]),
    ],
)
def test_tokenize(text: str, norms: list[str]) -> None:
    assert _norms(text) == norms


def test_tokens_keep_the_typed_case() -> None:
    assert tokenize("is processPayment public")[1].text == "processPayment"


@pytest.mark.parametrize(
    ("quantity", "unit", "value"),
    [
        (Quantity(1, "gb"), "MB", 1024),
        (Quantity(512, "mb"), "MB", 512),
        (Quantity(2, "seconds"), "ms", 2000),
        (Quantity(1.5, "s"), "ms", 1500),
        (Quantity(5, "minutes"), "s", 300),
        (Quantity(3, "weeks"), "days", 21),
        (Quantity(0.5, None), None, 0.5),
        (Quantity(10, "k"), None, 10000),
        (Quantity(50, "%"), None, 0.5),
        (Quantity(300, "ms"), "s", 0.3),
    ],
)
def test_convert(quantity: Quantity, unit: str | None, value: float) -> None:
    assert convert(quantity, unit) == value


def test_read_number() -> None:
    assert [read_number(w) for w in ("five", "ten", "12", "0.25", "x")] == [5, 10, 12, 0.25, None]


@pytest.mark.parametrize(
    ("text", "since", "until"),
    [
        ("today", datetime(2026, 11, 22, tzinfo=UTC), None),
        ("yesterday", datetime(2026, 11, 21, tzinfo=UTC), datetime(2026, 11, 22, tzinfo=UTC)),
        ("last 24 hours", NOW - timedelta(hours=24), None),
        ("past 3 days", NOW - timedelta(days=3), None),
        ("this week", NOW - timedelta(days=7), None),
        ("last week", NOW - timedelta(days=7), None),
        ("this month", datetime(2026, 11, 1, tzinfo=UTC), None),
        ("past month", NOW - timedelta(days=30), None),
        ("since monday", datetime(2026, 11, 16, tzinfo=UTC), None),
        ("since sunday", datetime(2026, 11, 22, tzinfo=UTC), None),
        ("since 2026-10-01", datetime(2026, 10, 1, tzinfo=UTC), None),
        ("since december 5th", datetime(2025, 12, 5, tzinfo=UTC), None),
        ("before 2026-01-01", None, datetime(2026, 1, 1, tzinfo=UTC)),
    ],
)
def test_time_words(text: str, since: datetime | None, until: datetime | None) -> None:
    (span,) = find_times(text.split(), NOW)
    assert (span.since, span.until) == (since, until)


@pytest.mark.parametrize("text", ["last", "since then", "this one", "since 2026-02-31"])
def test_not_time_words(text: str) -> None:
    assert find_times(text.split(), NOW) == []


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("python 3.8", "runtime=python3.8"),
        ("python3.11", "runtime=python3.11"),
        ("node 16", "runtime=nodejs16.x"),
        ("nodejs20.x", "runtime=nodejs20.x"),
        ("java 17", "runtime=java17"),
        ("go 1.x", "runtime=go1.x"),
        ("golang", "runtime_family=go"),
        ("cve-2021-44228", "cve_id=CVE-2021-44228"),
        ("eu-west-2", "region=eu-west-2"),
        ("us-central1", "region=us-central1"),
        ("123456789012", "account=123456789012"),
        ("s3:*", "wildcard=s3"),
        ("*:*", "wildcard=*"),
        ("wildcard dynamodb", "wildcard=dynamodb"),
        ("log4j-core", "package=log4j-core"),
        ("write to s3 without encryption", "type=unencrypted_storage_write"),
    ],
)
def test_recognisers(text: str, concept: str) -> None:
    words = text.split()
    hits = [r(words, 0) for r in RECOGNISERS]
    assert (concept, len(words)) in hits


def test_lexicon_reads_the_catalog_and_the_hand_tables() -> None:
    lex = lexicon_for(load_catalog())
    assert lex.phrases[("lambdas",)].implied == ("cloud=aws",)
    assert lex.phrases[("wiz",)].key == "source=wiz"
    assert lex.phrases[("internet", "facing")].key == "public"
    assert lex.phrases[("host", "paths")].key == "host_path"
    assert lex.phrases[("per",)].role is Role.GROUP
    assert lex.phrases[("identity",)].key == "team=identity"  # not the roles noun
    assert lexicon_for(load_catalog()) is lex


def test_doctests() -> None:
    failures = 0
    for info in pkgutil.iter_modules(querygen.parser.__path__):
        module = importlib.import_module(f"querygen.parser.{info.name}")
        failures += doctest.testmod(module).failed
    assert failures == 0

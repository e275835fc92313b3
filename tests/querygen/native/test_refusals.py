"""Edge cases each compiler must refuse (or annotate) rather than approximate silently."""

from __future__ import annotations

import pytest

from querygen.catalog import load_catalog
from querygen.native.base import NotExpressible, compile_native
from querygen.spec import Filter, Op, OrderBy, QuerySpec, Related, TimeWindow


def _spec(view: str, *conds, **extra) -> QuerySpec:
    return QuerySpec(view=view, conditions=list(conds), **extra)


def _f(field: str, op: str, value=None) -> Filter:
    return Filter(field=field, op=Op(op), value=value)


def _refused(platform: str, spec: QuerySpec, match: str) -> None:
    with pytest.raises(NotExpressible, match=match):
        compile_native(spec, load_catalog(), platform)


WEEK = TimeWindow(field="first_seen", since="2024-06-03T00:00:00Z", until="2024-06-10T00:00:00Z")


@pytest.mark.parametrize("platform", ["wiz", "prisma", "lacework"])
def test_distinct_is_refused_everywhere(platform: str) -> None:
    _refused(platform, _spec("findings", time_window=WEEK, distinct=True), "DISTINCT")


@pytest.mark.parametrize(
    ("spec", "match"),
    [
        (
            _spec("functions", _f("cloud", "eq", "aws"), _f("service", "eq", "Azure Functions")),
            "two different conditions on cloudPlatform.equals",
        ),
        (
            _spec("functions", Related(relation="findings", negate=True)),
            "without findings",
        ),
        (
            _spec(
                "images", Related(relation="vulnerabilities", conditions=[_f("package", "eq", "x")])
            ),
            "anything but severity",
        ),
        (
            _spec(
                "functions",
                Related(relation="findings", conditions=[_f("status", "eq", "resolved")]),
            ),
            "status other than open",
        ),
        (_spec("vulnerabilities", _f("epss", "gte", 0.5)), r"epss gte \(only >, <, =, != exist\)"),
        (_spec("findings", _f("first_seen", "gte", "last tuesday")), "not a timestamp"),
        (_spec("findings", _f("region", "ne", "us-east-1")), "takes a list of values"),
        (_spec("findings", _f("account", "eq", "123456789012")), "findings.account"),
    ],
)
def test_wiz_refusals(spec: QuerySpec, match: str) -> None:
    _refused("wiz", spec, match)


def test_wiz_accepts_iso_text_dates_and_notes_client_side_sorting() -> None:
    spec = _spec(
        "findings",
        _f("first_seen", "gte", "2024-06-03"),
        order_by=[OrderBy(field="risk_score", descending=True)],
    )
    native = compile_native(spec, load_catalog(), "wiz")
    assert native.variables["filterBy"]["createdAt"] == {"after": "2024-06-03T00:00:00Z"}
    assert "orderBy" not in native.variables
    assert any("cannot sort by risk_score" in n for n in native.notes)


def test_wiz_pages_past_its_page_size() -> None:
    native = compile_native(_spec("findings", limit=2000), load_catalog(), "wiz")
    assert native.variables["first"] == 500
    assert any("the first 2000 rows" in n for n in native.notes)


@pytest.mark.parametrize(
    ("spec", "match"),
    [
        (
            _spec("vulnerabilities", _f("cve_id", "eq", "CVE-1"), _f("severity", "eq", "high")),
            r"only a minimum exists",
        ),
        (
            _spec("vulnerabilities", _f("cve_id", "eq", "CVE-1"), _f("fix_available", "is_false")),
            "risk factors only select",
        ),
        (
            _spec("vulnerabilities", _f("cve_id", "in", ["CVE-1", "CVE-2"])),
            "without one CVE",
        ),
        (
            _spec("functions", _f("cloud", "eq", "aws"), _f("name", "eq", 'x" or runtime exists')),
            "quote or backslash",
        ),
        (_spec("functions", _f("cloud", "eq", "azure")), "cloud = 'azure'"),
        (_spec("functions", _f("cloud", "eq", "aws"), _f("memory_mb", "gt", 1.5)), None),
        (_spec("findings", _f("resource_name", "ne", "x")), "takes equal values only"),
        (_spec("findings", _f("region", "eq", "us-east-1")), "findings.region"),
    ],
)
def test_prisma_refusals(spec: QuerySpec, match: str | None) -> None:
    if match is None:  # a float compared on an integer JSON path is still exact: allowed
        compile_native(spec, load_catalog(), "prisma")
        return
    _refused("prisma", spec, match)


def test_prisma_open_ended_window_and_default_status_are_noted() -> None:
    since = TimeWindow(field="first_seen", since="2024-06-03")
    native = compile_native(_spec("findings", time_window=since), load_catalog(), "prisma")
    assert native.body["timeRange"] == {"type": "absolute", "value": {"startTime": 1717372800000}}
    assert any("default status scope" in n for n in native.notes)


@pytest.mark.parametrize(
    ("spec", "match"),
    [
        (
            _spec(
                "findings",
                time_window=TimeWindow(field="first_seen", since="2024-06-01", until="2024-06-09"),
            ),
            "longer than 7 days",
        ),
        (
            _spec("findings", time_window=TimeWindow(field="first_seen", until="2024-06-09")),
            "needs a start",
        ),
        (_spec("findings", _f("title", "contains", "100%"), time_window=WEEK), "LIKE wildcard"),
        (
            _spec("findings", _f("source_id", "eq", "N-3910"), time_window=WEEK),
            "alert ids are numbers",
        ),
        (_spec("findings", _f("severity", "eq", "high")), "needs a time window"),
        (_spec("functions", _f("cloud", "eq", "aws"), _f("name", "is_null")), "name is_null"),
        (_spec("functions", _f("cloud", "eq", "aws"), _f("region", "gt", "eu")), "on text"),
    ],
)
def test_lacework_refusals(spec: QuerySpec, match: str) -> None:
    _refused("lacework", spec, match)


def test_lacework_open_ended_window_sends_only_a_start() -> None:
    since = TimeWindow(field="first_seen", since="2024-06-08")
    native = compile_native(_spec("findings", time_window=since), load_catalog(), "lacework")
    assert native.body["timeFilter"] == {"startTime": "2024-06-08T00:00:00Z"}
    assert any("at most 7 days" in n for n in native.notes)

"""Field maps and enum translation: every map fits the catalog and the platform's enums."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from querygen.catalog import load_catalog
from querygen.native import fields as F
from querygen.native import lacework, prisma, wiz
from querygen.native.base import Cond, NotExpressible, flatten
from querygen.native.fields import (
    FieldMap,
    bool_value,
    enum_map,
    enum_members,
    int_bound,
    translate,
    validate_maps,
)
from querygen.spec import AnyOf, Filter, Op, QuerySpec, Related, TimeWindow

SEVERITIES = ("critical", "high", "medium", "low", "info")
MAPS = {"wiz": wiz.FIELD_MAPS, "prisma": prisma.FIELD_MAPS, "lacework": lacework.FIELD_MAPS}


@pytest.mark.parametrize("platform", sorted(MAPS))
def test_every_field_map_fits_the_catalog_and_the_platform_enums(platform: str) -> None:
    assert validate_maps(load_catalog(), MAPS[platform]) == []


def test_validate_maps_reports_each_kind_of_mistake() -> None:
    bad = {
        "findings": {
            "severity": enum_map("severity", "sev", {"urgent": ("U",)}, {"X"}),
            "colour": FieldMap("colour", "colour", "string"),
        },
        "nowhere": {},
    }
    problems = validate_maps(load_catalog(), bad)
    assert "findings.severity: 'urgent' is not a catalog value" in problems
    assert "findings.severity: 'U' is not in sev's enum" in problems
    assert "findings.colour: not a catalog column" in problems
    assert "nowhere: not a catalog view" in problems


@pytest.mark.parametrize(
    ("platform", "view", "column", "ours", "theirs"),
    [
        ("wiz", "findings", "severity", "critical", ["CRITICAL"]),
        ("prisma", "findings", "severity", "critical", ["critical"]),
        ("lacework", "findings", "severity", "critical", ["Critical"]),
        ("wiz", "findings", "severity", "info", ["INFORMATIONAL"]),
        ("wiz", "vulnerabilities", "severity", "info", ["NONE"]),
        ("prisma", "findings", "severity", "info", ["informational"]),
        ("lacework", "vulnerabilities", "severity", "info", ["Info"]),
        ("wiz", "findings", "status", "open", ["OPEN", "IN_PROGRESS"]),
        ("wiz", "findings", "status", "resolved", ["RESOLVED"]),
        ("wiz", "findings", "status", "suppressed", ["REJECTED"]),
        ("prisma", "findings", "status", "open", ["open"]),
        ("prisma", "findings", "status", "suppressed", ["dismissed", "snoozed"]),
        ("lacework", "findings", "status", "resolved", ["Closed"]),
        ("lacework", "vulnerabilities", "status", "suppressed", ["EXCEPTION"]),
        ("wiz", "findings", "cloud", "azure", ["Azure"]),
        ("prisma", "findings", "cloud", "gcp", ["gcp"]),
    ],
)
def test_values_translate_into_the_platform_vocabulary(platform, view, column, ours, theirs):
    fmap = MAPS[platform][view][column]
    assert translate(fmap, (ours,), platform) == theirs


@pytest.mark.parametrize(
    ("platform", "view", "column", "ours"),
    [
        ("lacework", "findings", "status", "suppressed"),
        ("wiz", "findings", "category", "secret"),
        ("prisma", "findings", "category", "cold_start"),
        ("wiz", "findings", "resource_kind", "role"),
    ],
)
def test_values_with_no_native_equivalent_are_refused(platform, view, column, ours):
    with pytest.raises(NotExpressible, match=f"{column} = '{ours}'"):
        translate(MAPS[platform][view][column], (ours,), platform)


def test_a_translation_outside_the_platform_enum_is_a_bug_not_a_filter() -> None:
    fmap = enum_map("severity", "severity", {"critical": ("SEVERE",)}, F.WIZ_SEVERITIES)
    with pytest.raises(ValueError, match="SEVERE"):
        translate(fmap, ("critical",), "wiz")


@pytest.mark.parametrize(
    ("op", "value", "members"),
    [
        (Op.EQ, "high", ("high",)),
        (Op.IN, ["low", "critical"], ("critical", "low")),
        (Op.GTE, "high", ("critical", "high")),
        (Op.GT, "medium", ("critical", "high")),
        (Op.LT, "medium", ("low", "info")),
        (Op.LTE, "low", ("low", "info")),
        (Op.NE, "info", ("critical", "high", "medium", "low")),
        (Op.NOT_IN, ["info", "low"], ("critical", "high", "medium")),
    ],
)
def test_severity_conditions_resolve_to_a_value_set(op, value, members) -> None:
    assert enum_members([Cond("severity", op, value)], SEVERITIES, "wiz") == members


def test_severity_sets_intersect_and_full_sets_need_no_filter() -> None:
    conds = [Cond("severity", Op.GTE, "medium"), Cond("severity", Op.NE, "high")]
    assert enum_members(conds, SEVERITIES, "wiz") == ("critical", "medium")
    assert enum_members([Cond("severity", Op.GTE, "info")], SEVERITIES, "wiz") is None


def test_enum_values_are_checked_against_the_catalog() -> None:
    with pytest.raises(NotExpressible, match="severity 'urgent'"):
        enum_members([Cond("severity", Op.EQ, "urgent")], SEVERITIES, "prisma")


def test_contradictions_and_meaningless_operators_are_refused() -> None:
    with pytest.raises(NotExpressible, match="match no value"):
        enum_members(
            [Cond("severity", Op.EQ, "low"), Cond("severity", Op.EQ, "high")], SEVERITIES, "wiz"
        )
    with pytest.raises(NotExpressible, match="cloud gt"):
        enum_members([Cond("cloud", Op.GT, "aws")], ("aws", "azure", "gcp"), "wiz")
    with pytest.raises(NotExpressible, match="match nothing"):
        bool_value([Cond("in_kev", Op.IS_TRUE), Cond("in_kev", Op.IS_FALSE)], "wiz")
    assert bool_value([Cond("in_kev", Op.NE, False)], "wiz") is True


def test_int_bounds_are_exact_only_for_integers() -> None:
    assert int_bound(Cond("memory_mb", Op.GTE, 1024)) == ("gt", 1023)
    assert int_bound(Cond("memory_mb", Op.LTE, 30)) == ("lt", 31)
    assert int_bound(Cond("cvss_score", Op.GTE, 7.5)) is None
    assert int_bound(Cond("cvss_score", Op.GT, 7.5)) == ("gt", 7.5)


def test_flatten_turns_one_field_ors_into_in_and_windows_into_bounds() -> None:
    spec = QuerySpec(
        view="findings",
        conditions=[
            AnyOf(
                conditions=[
                    Filter(field="cloud", op=Op.EQ, value="aws"),
                    Filter(field="cloud", op=Op.IN, value=["gcp", "aws"]),
                ]
            ),
            Related(relation="vulnerabilities"),
        ],
        time_window=TimeWindow(field="first_seen", since="2024-06-03"),
    )
    conds, related = flatten(spec, "wiz")
    assert conds == [
        Cond("cloud", Op.IN, ["aws", "gcp"]),
        Cond("first_seen", Op.GTE, datetime(2024, 6, 3, tzinfo=UTC)),
    ]
    assert [r.relation for r in related] == ["vulnerabilities"]


def test_flatten_refuses_ors_of_other_operators() -> None:
    spec = QuerySpec(
        view="findings",
        conditions=[
            AnyOf(
                conditions=[
                    Filter(field="risk_score", op=Op.GT, value=8),
                    Filter(field="risk_score", op=Op.EQ, value=1),
                ]
            )
        ],
    )
    with pytest.raises(NotExpressible, match="OR of anything but equalities"):
        flatten(spec, "lacework")

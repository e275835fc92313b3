"""The mappings are valid package data and cover every finding type the estate emits."""

from __future__ import annotations

import pytest

from compliance.mapping import (
    Framework,
    framework_ids,
    load_checks,
    load_framework,
    resolve_framework,
)
from core.errors import ValidationFailed
from estate.issues import CHECKS

# every finding type the demo estate emits: the issue checks plus vulnerabilities
ESTATE_TYPES = set(CHECKS) | {"vulnerable_package"}


def test_three_frameworks_ship() -> None:
    assert framework_ids() == ["cis", "iso27001", "soc2"]


@pytest.mark.parametrize("name", ["cis", "soc2", "iso27001"])
def test_every_control_is_complete_and_unique(name: str) -> None:
    fw = load_framework(name)
    ids = [c.id for c in fw.controls]
    assert len(ids) == len(set(ids))
    assert len(fw.source) > 100, "say where the mapping came from"
    for control in fw.controls:
        assert control.title and control.description and control.checks
        assert set(control.checks) <= set(load_checks().checks)


def test_soc2_covers_cc6_cc7_cc8_in_depth() -> None:
    ids = {c.id for c in load_framework("soc2").controls}
    assert {"CC6.1", "CC6.3", "CC6.6", "CC6.7", "CC6.8"} <= ids
    assert {"CC7.1", "CC7.2", "CC7.3", "CC7.4", "CC7.5", "CC8.1"} <= ids


def test_every_estate_type_is_mapped_or_deliberately_unmapped() -> None:
    registry = load_checks()
    mapped = set().union(*(load_framework(f).check_ids for f in framework_ids()))
    for finding_type in ESTATE_TYPES:
        assert finding_type in mapped or finding_type in registry.unmapped, finding_type
    assert set(registry.unmapped) <= ESTATE_TYPES
    assert all(len(why) > 20 for why in registry.unmapped.values())


def test_every_registry_check_is_used() -> None:
    mapped = set().union(*(load_framework(f).check_ids for f in framework_ids()))
    assert set(load_checks().checks) == mapped


def test_aliases_and_unknown_names() -> None:
    assert resolve_framework("SOC 2") == "soc2"
    assert resolve_framework("ISO") == "iso27001"
    with pytest.raises(ValidationFailed, match="not a compliance framework"):
        resolve_framework("pci")


def test_duplicate_ids_and_empty_checks_are_rejected() -> None:
    control = {"id": "X.1", "title": "t", "description": "d", "checks": ["public_bucket"]}
    base = {"id": "x", "name": "X", "version": "1", "source": "s" * 30}
    with pytest.raises(ValueError, match="duplicate control ids"):
        Framework.model_validate(base | {"controls": [control, control]})
    with pytest.raises(ValueError, match="at least 1"):
        Framework.model_validate(base | {"controls": [control | {"checks": []}]})
    with pytest.raises(ValueError, match="twice"):
        Framework.model_validate(
            base | {"controls": [control | {"checks": ["public_bucket", "public_bucket"]}]}
        )

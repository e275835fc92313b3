"""The connector packages say what they export, and export only what exists."""

from __future__ import annotations

import importlib

import pytest

PACKAGES = [
    "connectors",
    "connectors.simulator",
    "connectors.wiz",
    "connectors.prisma",
    "connectors.lacework",
    "connectors.orca",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_names_exist_and_are_unique(name: str) -> None:
    module = importlib.import_module(name)
    exported = module.__all__
    assert exported and len(set(exported)) == len(exported)
    assert [n for n in exported if not hasattr(module, n)] == []

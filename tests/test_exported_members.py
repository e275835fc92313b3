"""Every package says what it exports, and exports only what exists."""

from __future__ import annotations

import importlib

import pytest

PACKAGES = [
    "workflow",
    "tickets",
    "proposals",
    "core",
    "store",
    "risk",
    "estate",
    "querygen",
    "querygen.native",
    "prompts",
    "llm",
    "governance",
    "pipeline",
    "posture_cli",
    "connectors.webhooks",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_names_exist_and_are_sorted_uniquely(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert exported, f"{name} has no __all__"
    assert len(set(exported)) == len(exported)
    missing = [n for n in exported if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ names what it lacks: {missing}"


@pytest.mark.parametrize("name", PACKAGES)
def test_public_functions_and_classes_are_exported(name: str) -> None:
    module = importlib.import_module(name)
    public = {
        n
        for n, v in vars(module).items()
        if not n.startswith("_") and getattr(v, "__module__", "").startswith(name + ".")
    }
    assert public <= set(module.__all__), (
        f"{name} exports not listed: {public - set(module.__all__)}"
    )

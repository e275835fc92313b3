"""Each package's ``__all__`` names exactly what it exports (httpx's test_exported_members)."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("package", ["llm", "governance"])
def test_all_names_exist_and_nothing_public_is_missing(package: str) -> None:
    module = importlib.import_module(package)
    exported = set(module.__all__)
    assert all(hasattr(module, name) for name in exported)
    public = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and getattr(value, "__module__", "").startswith(f"{package}.")
    }
    assert public <= exported

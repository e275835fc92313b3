"""Fixtures for the connector tests: a small estate, a simulator on a free port, helpers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from connectors.simulator import Simulator
from estate import Estate, generate_estate
from tests.conftest import DEMO_NOW

SCALE = 0.05  # ~160 resources, ~1,400 findings: every kind and every platform, quickly


@pytest.fixture(scope="session")
def small_estate() -> Estate:
    return generate_estate(seed=3, scale=SCALE, now=DEMO_NOW)


@pytest.fixture
def sim(small_estate: Estate) -> Iterator[Simulator]:
    """A fault-free simulator serving the small estate, stopped after the test."""
    with Simulator(small_estate) as simulator:
        yield simulator


@pytest.fixture(scope="session")
def realdata() -> Path:
    shared = Path(__file__).resolve().parents[2] / ".." / "shared" / "realdata"
    if not shared.is_dir():
        pytest.skip(f"{shared} is not beside the repo")
    return shared

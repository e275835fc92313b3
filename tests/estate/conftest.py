"""One default estate per test session: generating it is the slow part."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from estate import Estate, generate_estate

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def estate() -> Estate:
    """The default estate (seed 7, scale 1) at a fixed clock."""
    return generate_estate(seed=7, scale=1.0, now=NOW)

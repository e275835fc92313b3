"""A writable store holding the hand-counted estate, one per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from compliance import sync_mappings
from store import FindingsStore
from tests.compliance.estate import batch


@pytest.fixture
def store(tmp_path: Path) -> Iterator[FindingsStore]:
    with FindingsStore(tmp_path / "home" / "posture.duckdb") as s:
        s.load(batch(), origin="test")
        sync_mappings(s)
        yield s

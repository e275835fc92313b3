"""Shared fixtures: a clean environment for every test, and a small hand-built estate."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from store import FindingsStore

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def clean_environ(tmp_path: Path) -> Iterator[None]:
    """No test sees the developer's POSTURE_* or API keys; each gets its own home."""
    saved = dict(os.environ)
    for name in list(os.environ):
        if name.startswith(("POSTURE_", "ANTHROPIC_", "SLACK_")):
            del os.environ[name]
    os.environ["POSTURE_HOME"] = str(tmp_path / "home")
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is not beside the repo")
    return SHARED


DEMO_NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def demo_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default demo estate (seed 7, scale 1) at a pinned clock, built once per run."""
    from posture_cli.demo import load_demo_estate

    path = tmp_path_factory.mktemp("demo") / "posture.duckdb"
    load_demo_estate(path, now=DEMO_NOW)
    return path


@pytest.fixture(scope="session")
def demo_store(demo_store_path: Path) -> Iterator[FindingsStore]:
    """A read-only handle on the demo store, shared by every test that only reads."""
    with FindingsStore(demo_store_path, read_only=True) as store:
        yield store

"""Shared fixtures: a clean environment for every test, and a small hand-built estate."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

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

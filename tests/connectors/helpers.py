"""Helpers shared by the connector tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from core.settings import Settings
from store import FindingsStore


def content_hash(path: Path) -> str:
    with FindingsStore(path, read_only=True) as store:
        return store.content_hash()


def settings_env(settings: Settings) -> dict[str, str]:
    """The ``POSTURE_*`` variables that rebuild ``settings`` in another process."""
    env: dict[str, str] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(f"{prefix}__{name.upper()}", getattr(value, name))
        elif value is not None:
            secret = getattr(value, "get_secret_value", None)
            env[prefix] = str(secret() if secret else value)

    for section in ("wiz", "prisma", "lacework", "orca", "http", "sync"):
        walk(f"POSTURE_{section.upper()}", getattr(settings, section))
    return env

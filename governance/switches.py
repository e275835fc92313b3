"""Run-time switches an admin flips (Claude on or off), kept with who flipped them.

Claude stays off until an admin turns it on, even when a key is configured: sending
questions to a model is a decision, not a side effect of an environment variable. Each
flip is written to ``admin.json`` and appended to the audit trail.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from governance.audit import AuditEvent, AuditLog

__all__ = ["AdminSwitches", "Switch", "read_switches", "set_claude"]


class Switch(BaseModel):
    model_config = ConfigDict(frozen=True)

    enabled: bool = False
    set_by: str | None = None
    set_at: datetime | None = None


class AdminSwitches(BaseModel):
    model_config = ConfigDict(frozen=True)

    claude: Switch = Field(default_factory=Switch)


def read_switches(path: Path) -> AdminSwitches:
    """The switches as last set; all off when the file does not exist yet."""
    if not path.exists():
        return AdminSwitches()
    return AdminSwitches.model_validate_json(path.read_text(encoding="utf-8"))


def set_claude(path: Path, audit: AuditLog, *, enabled: bool, by: str) -> AdminSwitches:
    """Turn Claude on or off, atomically, and audit who did it."""
    current = read_switches(path)
    updated = current.model_copy(
        update={"claude": Switch(enabled=enabled, set_by=by, set_at=datetime.now(UTC))}
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(updated.model_dump(mode="json"), indent=2), encoding="utf-8")
    os.replace(tmp, path)
    audit.append(
        AuditEvent(
            action="admin.claude_switched",
            actor=by,
            details={"enabled": enabled, "was": current.claude.enabled},
        )
    )
    return updated

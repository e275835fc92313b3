"""The audit trail: an append-only, hash-chained JSON Lines file under $POSTURE_HOME.

It lives outside the findings store on purpose: the store is a cache that `posture demo`
or a full sync may rebuild, the audit trail is never rebuilt. Each line holds the
SHA-256 of the line before it, so an edited, removed or reordered line breaks the chain
and ``verify()`` names the first line that does not fit. Appends take an exclusive
``flock`` so several processes (the bot, the CLI) can write to one file.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["GENESIS", "AuditEvent", "AuditLog", "AuditRecord", "ChainReport"]

GENESIS = "0" * 64


class AuditEvent(BaseModel):
    """What happened, who did it, and its details (already redacted by the caller)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    action: str = Field(pattern=r"^[a-z_]+(\.[a-z_]+)+$")  # e.g. question.answered
    actor: str = Field(min_length=1, max_length=256)
    details: dict[str, Any] = Field(default_factory=dict)


class AuditRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    seq: int
    at: datetime
    action: str
    actor: str
    details: dict[str, Any]
    prev_hash: str
    hash: str


class ChainReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    records: int
    ok: bool
    first_bad_line: int | None = None
    reason: str | None = None


def _digest(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class AuditLog:
    """Append-only audit trail in one file.

    >>> import tempfile, pathlib
    >>> log = AuditLog(pathlib.Path(tempfile.mkdtemp()) / "audit.jsonl")
    >>> log.append(AuditEvent(action="question.answered", actor="U1")).seq
    1
    >>> log.verify().ok
    True
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, event: AuditEvent) -> AuditRecord:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                seq, prev = self._tail(handle)
                body = {
                    "seq": seq + 1,
                    "at": datetime.now(UTC).isoformat(),
                    "action": event.action,
                    "actor": event.actor,
                    "details": event.details,
                    "prev_hash": prev,
                }
                record = {**body, "hash": _digest(body)}
                handle.write(json.dumps(record, sort_keys=True, default=str) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return AuditRecord.model_validate(record)

    @staticmethod
    def _tail(handle: Any) -> tuple[int, str]:
        handle.seek(0)
        last = None
        for line in handle:
            if line.strip():
                last = line
        if last is None:
            return 0, GENESIS
        data = json.loads(last)
        return int(data["seq"]), str(data["hash"])

    def records(self) -> list[AuditRecord]:
        if not self.path.exists():
            return []
        with open(self.path, encoding="utf-8") as handle:
            return [AuditRecord.model_validate_json(line) for line in handle if line.strip()]

    def verify(self) -> ChainReport:
        """Walk the chain; report the first line that was changed, removed or moved."""
        if not self.path.exists():
            return ChainReport(records=0, ok=True)
        prev, count = GENESIS, 0
        with open(self.path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                count += 1
                problem = _check_line(line, prev, count)
                if problem:
                    return ChainReport(
                        records=count, ok=False, first_bad_line=number, reason=problem
                    )
                prev = json.loads(line)["hash"]
        return ChainReport(records=count, ok=True)


def _check_line(line: str, prev: str, expected_seq: int) -> str | None:
    try:
        data = json.loads(line)
        claimed = data.pop("hash")
    except (ValueError, KeyError, AttributeError):
        return "not a JSON audit record"
    if data.get("prev_hash") != prev:
        return "does not follow the line before it (removed or reordered lines)"
    if data.get("seq") != expected_seq:
        return "sequence number out of order"
    if _digest(data) != claimed:
        return "content does not match its hash (edited)"
    return None

"""The audit trail: an append-only, hash-chained JSON Lines file under $POSTURE_HOME.

It lives outside the findings store on purpose: the store is a cache that `posture demo`
or a full sync may rebuild, the audit trail is never rebuilt. Each line holds the
SHA-256 of the line before it, so an edited, removed, inserted or reordered line breaks
the chain and ``verify()`` names the first line that does not fit. A chain alone cannot
notice its last lines being cut off (or a forged line appended with a valid hash), so
every append also writes the newest record's sequence number and hash to a small head
file beside the log (``audit.jsonl.head``), which ``verify()`` compares the end against.
Appends take an exclusive ``flock`` so several processes (the bot, the CLI) can write to
one file.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

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
                self._write_head(seq + 1, str(record["hash"]))
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return AuditRecord.model_validate(record)

    @staticmethod
    def _tail(handle: Any) -> tuple[int, str]:
        """The last record's (seq, hash), read backwards from the end of the file.

        Appends stay constant-time however long the trail grows; a record bigger than
        the window just widens it.
        """
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        window = 64 * 1024
        while True:
            start = max(0, size - window)
            handle.buffer.seek(start)
            lines = [ln for ln in handle.buffer.read(size - start).split(b"\n") if ln.strip()]
            complete = lines[1:] if start > 0 else lines  # the first may be cut mid-record
            if complete or start == 0:
                break
            window *= 4
        if not complete:
            return 0, GENESIS
        data = json.loads(complete[-1])
        return int(data["seq"]), str(data["hash"])

    @property
    def head_path(self) -> Path:
        return self.path.with_name(self.path.name + ".head")

    def _write_head(self, seq: int, digest: str) -> None:
        """Record the newest (seq, hash) atomically: a temporary file renamed over it."""
        temporary = self.head_path.with_name(self.head_path.name + ".tmp")
        temporary.write_text(json.dumps({"seq": seq, "hash": digest}), encoding="utf-8")
        os.replace(temporary, self.head_path)

    def _read_head(self) -> tuple[int, str] | None:
        try:
            data = json.loads(self.head_path.read_text(encoding="utf-8"))
            return int(data["seq"]), str(data["hash"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def records(self) -> list[AuditRecord]:
        if not self.path.exists():
            return []
        with open(self.path, encoding="utf-8") as handle:
            return [AuditRecord.model_validate_json(line) for line in handle if line.strip()]

    def export(self, out: IO[str], *, since: datetime | None = None) -> int:
        """Write the records (at or after ``since``) to ``out`` as JSON Lines, hashes
        included so the copy can be checked; returns how many were written."""
        if not self.path.exists():
            return 0
        written = 0
        with open(self.path, encoding="utf-8") as handle:
            for _, line in _numbered(handle):  # verbatim, so each line's hash still holds
                record = AuditRecord.model_validate_json(line)
                if since is None or record.at >= since:
                    out.write(line if line.endswith("\n") else line + "\n")
                    written += 1
        return written

    def verify(self) -> ChainReport:
        """Walk the chain; report the first line that was changed, removed, inserted or
        moved, naming the line and the record it concerns."""
        if not self.path.exists():
            return ChainReport(records=0, ok=True)
        walk = _Walk()
        with open(self.path, encoding="utf-8") as handle:
            for number, line in _numbered(handle):
                problem = walk.step(line, number)
                if problem:
                    return ChainReport(
                        records=walk.count, ok=False, first_bad_line=number, reason=problem
                    )
        problem, bad_line = walk.against_head(self._read_head())
        if problem:
            return ChainReport(
                records=walk.count, ok=False, first_bad_line=bad_line, reason=problem
            )
        return ChainReport(records=walk.count, ok=True)


def _numbered(handle: IO[str]) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(handle, start=1):
        if line.strip():
            yield number, line


class _Walk:
    """The state of one walk down the chain: the last two hashes and the line count."""

    def __init__(self) -> None:
        self.count = 0
        self.last_line = 0
        self.prev = GENESIS
        self.before_prev: str | None = None

    def step(self, line: str, number: int) -> str | None:
        self.count += 1
        expected = self.count
        try:
            data = json.loads(line)
            claimed = data.pop("hash")
            seq = int(data["seq"])
        except (ValueError, KeyError, AttributeError, TypeError):
            return f"line {number} is not a JSON audit record (edited)"
        if seq > expected:
            return f"record {expected} is missing before line {number} (deleted)"
        if seq < expected:
            return (
                f"line {number - 1} was inserted: record {seq} appears twice"
                if seq == expected - 1
                else f"line {number} holds record {seq} out of order (moved or inserted)"
            )
        if data.get("prev_hash") != self.prev:
            if data.get("prev_hash") == self.before_prev:
                return f"line {number - 1} was inserted or replaced (line {number} skips it)"
            return f"line {number} (record {seq}) does not follow line {number - 1} (edited)"
        if _digest(data) != claimed:
            return f"line {number} (record {seq}): content does not match its hash (edited)"
        self.before_prev, self.prev, self.last_line = self.prev, claimed, number
        return None

    def against_head(self, head: tuple[int, str] | None) -> tuple[str | None, int | None]:
        """Whether the last record is the one the head file names."""
        if head is None:
            return None, None
        seq, digest = head
        if self.count < seq:
            gone = f"{self.count + 1}" if seq == self.count + 1 else f"{self.count + 1}-{seq}"
            return f"record {gone} is missing at the end (deleted)", None
        if self.count > seq:
            return (
                f"line {self.last_line} (record {self.count}) was appended outside the log",
                self.last_line,
            )
        if self.prev != digest:
            return f"line {self.last_line} (record {seq}) was edited after it was written", (
                self.last_line
            )
        return None, None

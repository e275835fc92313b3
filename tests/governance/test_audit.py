"""The audit trail is append-only and any edit, removal or reordering is caught."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

from governance.audit import AuditEvent, AuditLog


def _fill(log: AuditLog, n: int = 5) -> None:
    for i in range(n):
        log.append(AuditEvent(action="question.answered", actor=f"U{i}", details={"i": i}))


def test_chain_verifies(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    _fill(log)
    report = log.verify()
    assert report.ok and report.records == 5
    assert [r.seq for r in log.records()] == [1, 2, 3, 4, 5]


def test_edited_line_is_named(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    _fill(log)
    lines = log.path.read_text().splitlines()
    record = json.loads(lines[2])
    record["actor"] = "mallory"
    lines[2] = json.dumps(record, sort_keys=True)
    log.path.write_text("\n".join(lines) + "\n")
    report = log.verify()
    assert not report.ok and report.first_bad_line == 3 and "edited" in (report.reason or "")


def test_removed_line_is_caught(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    _fill(log)
    lines = log.path.read_text().splitlines()
    del lines[1]
    log.path.write_text("\n".join(lines) + "\n")
    report = log.verify()
    assert not report.ok and report.first_bad_line == 2


def _append_many(path: str, who: str) -> None:
    log = AuditLog(Path(path))
    for i in range(20):
        log.append(AuditEvent(action="question.answered", actor=who, details={"i": i}))


def test_concurrent_processes_keep_one_chain(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_append_many, args=(str(path), f"P{i}")) for i in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    report = AuditLog(path).verify()
    assert report.ok and report.records == 60

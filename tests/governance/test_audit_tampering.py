"""Tampering with any single record, at any position, is caught and the record named;
``export`` writes the records as JSON Lines that still verify."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from governance.audit import AuditEvent, AuditLog, _digest

N = 6


def _log(tmp_path: Path) -> AuditLog:
    log = AuditLog(tmp_path / "audit.jsonl")
    for i in range(N):
        log.append(
            AuditEvent(action="proposal.approved", actor=f"U{i}", details={"finding_id": f"f{i}"})
        )
    assert log.verify().ok
    return log


def _lines(log: AuditLog) -> list[str]:
    return log.path.read_text().splitlines()


def _write(log: AuditLog, lines: list[str]) -> None:
    log.path.write_text("".join(line + "\n" for line in lines))


@pytest.mark.parametrize("index", range(N))
def test_an_edited_record_is_named(tmp_path: Path, index: int) -> None:
    log = _log(tmp_path)
    lines = _lines(log)
    record = json.loads(lines[index])
    record["details"]["finding_id"] = "someone-else"
    lines[index] = json.dumps(record, sort_keys=True)
    _write(log, lines)
    report = log.verify()
    assert not report.ok
    assert report.first_bad_line == index + 1
    assert f"line {index + 1} (record {index + 1})" in (report.reason or "")
    assert "edited" in (report.reason or "")


@pytest.mark.parametrize("index", range(N))
def test_an_edited_record_with_its_hash_recomputed_is_caught(tmp_path: Path, index: int) -> None:
    log = _log(tmp_path)
    lines = _lines(log)
    record = json.loads(lines[index])
    record.pop("hash")
    record["actor"] = "mallory"
    record["hash"] = _digest(record)
    lines[index] = json.dumps(record, sort_keys=True)
    _write(log, lines)
    report = log.verify()
    assert not report.ok
    # the next line no longer follows it; for the last record the head file notices
    assert report.first_bad_line == min(index + 2, N)
    assert f"line {index + 1}" in (report.reason or "") or f"line {index + 2}" in (
        report.reason or ""
    )


@pytest.mark.parametrize("index", range(N))
def test_a_deleted_record_is_named(tmp_path: Path, index: int) -> None:
    log = _log(tmp_path)
    lines = _lines(log)
    del lines[index]
    _write(log, lines)
    report = log.verify()
    assert not report.ok
    assert f"record {index + 1}" in (report.reason or "")
    assert "deleted" in (report.reason or "")


@pytest.mark.parametrize("index", range(N + 1))
def test_an_inserted_record_is_caught(tmp_path: Path, index: int) -> None:
    """A forged record with a correct sequence number, link and hash, at any position."""
    log = _log(tmp_path)
    lines = _lines(log)
    prev = json.loads(lines[index - 1])["hash"] if index else "0" * 64
    forged = {
        "seq": index + 1,
        "at": datetime.now(UTC).isoformat(),
        "action": "proposal.approved",
        "actor": "mallory",
        "details": {"finding_id": "forged"},
        "prev_hash": prev,
    }
    forged["hash"] = _digest(forged)
    lines.insert(index, json.dumps(forged, sort_keys=True))
    _write(log, lines)
    report = log.verify()
    assert not report.ok
    assert f"line {index + 1}" in (report.reason or "")
    assert "inserted" in (report.reason or "") or "appended outside" in (report.reason or "")


def test_two_records_swapped_are_caught(tmp_path: Path) -> None:
    log = _log(tmp_path)
    lines = _lines(log)
    lines[2], lines[3] = lines[3], lines[2]
    _write(log, lines)
    report = log.verify()
    assert not report.ok and report.first_bad_line == 3


def test_export_writes_jsonl_that_still_verifies(tmp_path: Path) -> None:
    log = _log(tmp_path)
    out = io.StringIO()
    assert log.export(out) == N
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["seq"] for r in rows] == list(range(1, N + 1))
    assert {"prev_hash", "hash", "actor", "details"} <= rows[0].keys()
    copy = AuditLog(tmp_path / "copy.jsonl")
    copy.path.write_text(out.getvalue())
    assert copy.verify().ok  # no head file beside a copy: the chain alone is checked


def test_export_since_keeps_only_later_records(tmp_path: Path) -> None:
    log = _log(tmp_path)
    out = io.StringIO()
    assert log.export(out, since=datetime.now(UTC) + timedelta(minutes=1)) == 0
    assert log.export(out, since=datetime.now(UTC) - timedelta(minutes=5)) == N

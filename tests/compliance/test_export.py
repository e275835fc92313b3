"""Reports parse, escape hostile titles, and the trend PNG decodes to a real chart."""

from __future__ import annotations

import csv
import io
import struct
import zlib
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

from compliance import compliance_summary
from compliance.chart import LINE, trend_png
from compliance.export import (
    EVIDENCE_COLUMNS,
    evidence_csv,
    render_html,
    render_markdown,
    write_report,
)
from store import FindingsStore
from tests.compliance.estate import HOSTILE

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_parses_and_escapes_hostile_titles(store: FindingsStore) -> None:
    page = render_html(compliance_summary(store, "cis", now=T0))
    parser = _Collector()
    parser.feed(page)
    parser.close()
    assert "script" not in parser.tags and "table" in parser.tags
    assert "<script>" not in page.lower() and "&lt;script&gt;" in page
    assert HOSTILE in "".join(parser.text)  # shown as text, intact


def test_markdown_has_no_raw_html_or_broken_cells(store: FindingsStore) -> None:
    text = render_markdown(compliance_summary(store, "cis", now=T0))
    assert text.startswith("# CIS Benchmarks")
    assert "Pass rate: 58% (7 passed, 5 failed, 2 not assessed, of 14 controls)" in text
    assert "<script>" not in text and "\\<script\\>" in text
    hostile_rows = [line for line in text.splitlines() if "alert" in line]
    # the failing-controls table has 6 columns (7 bars), the evidence table 7 (8 bars)
    bars = sorted(line.count("|") - line.count("\\|") for line in hostile_rows)
    assert bars == [7, 8]


def test_csv_has_the_declared_columns_and_defuses_formulas(store: FindingsStore) -> None:
    snap = compliance_summary(store, "cis", now=T0).snapshot
    rows = list(csv.DictReader(io.StringIO(evidence_csv(snap))))
    assert tuple(rows[0]) == EVIDENCE_COLUMNS
    failing = [r for r in rows if r["status"] == "fail"]
    # 1.15 + 2.1.4 + 12.6 + 12.9 + 12.11: one finding each
    assert len(failing) == 5 and len(rows) == 5 + 9
    bucket = next(r for r in failing if r["control_id"] == "AWS-2.1.4")
    assert bucket["finding_title"] == HOSTILE  # starts with '<', not a formula
    assert all(not v.startswith(("=", "+", "@")) for r in rows for v in r.values())


def test_write_report_names_files_by_framework_scope_and_time(
    store: FindingsStore, tmp_path: Path
) -> None:
    summary = compliance_summary(store, "soc2", env="prod", now=T0)
    path = write_report(summary, tmp_path / "out", "md")
    assert path.name == "soc2-prod-20261120T1200.md" and path.stat().st_size > 500


def _decode_png(data: bytes) -> tuple[int, int, bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * 3 + 1
    assert len(raw) == stride * height and all(raw[y * stride] == 0 for y in range(height))
    pixels = b"".join(raw[y * stride + 1 : (y + 1) * stride] for y in range(height))
    return width, height, pixels


def test_trend_png_has_the_size_and_a_line(store: FindingsStore) -> None:
    from compliance.history import trend
    from compliance.snapshot import Scope
    from tests.compliance.estate import batch

    for day in range(3):
        if day == 2:
            store.load(batch(bucket_resolved=True), origin="test")
        compliance_summary(store, "cis", save=True, now=T0 + timedelta(days=day))
    points = trend(store, "cis", Scope().key)
    assert len(points) == 3
    width, height, pixels = _decode_png(trend_png(points, width=480, height=240))
    assert (width, height) == (480, 240)
    colours = {pixels[i : i + 3] for i in range(0, len(pixels), 3)}
    assert len(colours) > 3 and bytes(LINE) in colours
    assert trend_png(points) == trend_png(points)  # deterministic


def test_an_empty_trend_is_still_a_valid_png() -> None:
    width, height, _ = _decode_png(trend_png([]))
    assert (width, height) == (640, 320)

"""The set-based path maps a page exactly as the Python mappers do, or hands records back."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from connectors.base import Mapped, RawPage, StreamSpec
from connectors.columnar import ColumnarMapper
from connectors.demo import sync_demo_from_simulator
from connectors.groups import map_page
from connectors.registry import build_connector
from connectors.simulator import Simulator
from store import Batch, FindingsStore
from store.batch import append_tables, to_arrow
from tests.conftest import DEMO_NOW
from tests.connectors.helpers import content_hash

COLUMNAR = [("wiz", "vulnerabilities"), ("prisma", "alerts"), ("lacework", "vulnerabilities")]


@pytest.fixture
def mapper() -> Iterator[ColumnarMapper]:
    columnar = ColumnarMapper()
    yield columnar
    columnar.close()


def _stream_pages(sim: Simulator, source: str, name: str) -> tuple[StreamSpec, list[RawPage]]:
    client = build_connector(source, sim.connector_settings(page_size=200))
    try:
        [stream] = [s for s in client.streams() if s.name == name]
        assert stream.columnar is not None
        return stream, list(stream.fetch(None, None))
    finally:
        client.close()


def _tables(mapped: Mapped) -> dict[str, pa.Table]:
    batch = to_arrow(Batch(findings=tuple(mapped.findings)))
    merged = append_tables(
        batch, findings=mapped.finding_tables, vulnerabilities=mapped.vulnerability_tables
    )
    return {
        "findings": merged.findings.sort_by("finding_id"),
        "vulnerabilities": merged.vulnerabilities.sort_by("vulnerability_id"),
    }


def _python_only(stream: StreamSpec, page: RawPage) -> Mapped:
    return map_page(stream, page, columnar=None)


def _spoil(records: list[dict[str, Any]], source: str) -> list[dict[str, Any]]:
    """Records the SQL must hand back: wrong types, odd times, padding, a missing id."""
    out = copy.deepcopy(records)
    if source == "wiz":
        out[0]["score"] = "7.5"  # a string where a number belongs: pydantic reads it
        out[1]["firstDetectedAt"] = "2026-07-27T06:49:05+02:00"  # an offset, not Z
        out[2]["detailedName"] = " openssl "  # the models strip; SQL's trim differs
        out[3]["hasExploit"] = "yes"  # truthy in Python
        del out[4]["id"]  # no id: skipped, with the rest of the page kept
    elif source == "lacework":
        out[0]["_posture"]["epss"] = "0.1"
        out[1]["startTime"] = "2026-07-26 14:19:14"  # no T, no Z: Python reads it
        out[2]["featureKey"]["name"] = " golang.org/x/net "
        out[3]["vulnId"] = "ALAS-2023-1234"  # an advisory: the CVE is in its description
        del out[4]["startTime"]
    else:
        out[0]["metadata"]["cvss"] = "9.8"
        out[1]["firstSeen"] = "1785321370000"  # epoch ms as a string
        out[2]["_posture"].pop("firstSeen", None)
        out[2]["firstSeen"] = 1785321370000.5  # a fraction of a millisecond
        out[3]["metadata"]["packageName"] = "\tminimist"
        del out[4]["id"]
    return out


@pytest.mark.parametrize(("source", "name"), COLUMNAR)
def test_columnar_pages_equal_the_python_mapping(
    sim: Simulator, mapper: ColumnarMapper, source: str, name: str
) -> None:
    stream, pages = _stream_pages(sim, source, name)
    assert pages and sum(len(p.records) for p in pages) > 100
    for page in pages:
        fast = mapper.map_page(stream.columnar, page)  # type: ignore[arg-type]
        assert fast.mapped.finding_tables and fast.mapped.finding_tables[0].num_rows
        assert _tables(map_page(stream, page, mapper)) == _tables(_python_only(stream, page))


@pytest.mark.parametrize(("source", "name"), COLUMNAR)
def test_records_the_sql_cannot_take_go_the_python_way(
    sim: Simulator, mapper: ColumnarMapper, source: str, name: str
) -> None:
    stream, pages = _stream_pages(sim, source, name)
    vulnerable = [r for r in pages[0].records if source != "prisma" or r.get("metadata")]
    page = RawPage(name, _spoil(vulnerable[:40], source), None)
    fast = mapper.map_page(stream.columnar, page)  # type: ignore[arg-type]
    assert len(fast.handed_back) >= 5
    mixed, python = map_page(stream, page, mapper), _python_only(stream, page)
    assert mixed.skipped == python.skipped >= 1  # the record without an id
    assert _tables(mixed) == _tables(python)
    assert _tables(mixed)["findings"].num_rows == len(page.records) - python.skipped


def test_a_record_that_is_not_a_json_object_is_skipped_and_the_rest_lands(
    sim: Simulator, mapper: ColumnarMapper
) -> None:
    stream, pages = _stream_pages(sim, "wiz", "vulnerabilities")
    body = b"\n".join([b"[1, 2]", *(p for p in _ndjson(pages[0].records[:3]))])
    mapped = map_page(stream, RawPage("vulnerabilities", [], None, body=body), mapper)
    assert mapped.skipped == 1 and _tables(mapped)["findings"].num_rows == 3


def _ndjson(records: list[dict[str, Any]]) -> list[bytes]:
    import orjson

    return [orjson.dumps(r) for r in records]


def test_the_demo_synced_from_the_simulator_equals_the_direct_load(
    demo_store: FindingsStore, tmp_path: Path
) -> None:
    report = sync_demo_from_simulator(tmp_path / "synced.duckdb", now=DEMO_NOW)
    assert not report.failed and report.derived_rebuilt
    assert content_hash(tmp_path / "synced.duckdb") == demo_store.content_hash()

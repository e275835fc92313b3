"""`python -m bench.ingest`: how fast findings go from CNAPP pages into the store.

Three numbers over the same estate (scale 50 is about a million findings):

1. **sync**: ``run_sync`` against the live simulator, end to end (the simulator renders
   pages on the same cores, so this is a floor, not the connectors' own speed);
2. **ingest**: the same pages, fetched once and saved as newline-delimited JSON, read
   back and pushed through the real path: ``json`` parsing, the platform mappers, Arrow,
   one ``MERGE`` transaction per page with its checkpoint, and the final rebuild of
   derived tables and risk scores;
3. **limit**: DuckDB's own ``read_json`` over the same files into a table, which parses
   and stores but neither validates, merges nor scores.

Prints a table and, last, one JSON line with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import duckdb

from connectors.base import RawPage, StreamSpec
from connectors.config import ConnectorSettings
from connectors.http import HttpStats
from connectors.ratelimit import BucketStats
from connectors.registry import SOURCES, build_connector
from connectors.simulator import Simulator
from connectors.sync import run_sync
from core.models import Source
from estate import generate_estate

__all__ = ["main"]


@dataclass(frozen=True)
class SavedPage:
    source: str
    stream: str
    kind: str
    path: Path
    records: int


def _streams(settings: ConnectorSettings) -> Iterator[tuple[str, StreamSpec]]:
    for source in SOURCES:
        client = build_connector(source, settings)
        for stream in client.streams():
            yield source, stream


def fetch_pages(settings: ConnectorSettings, folder: Path) -> list[SavedPage]:
    """Every page of every stream, one NDJSON file each, as the API returned it."""
    saved: list[SavedPage] = []
    for source, stream in _streams(settings):
        for n, page in enumerate(stream.fetch(None, None)):
            path = folder / f"{stream.kind}-{source}-{stream.name}-{n:05d}.ndjson"
            with path.open("w", encoding="utf-8") as out:
                for record in page.records:
                    out.write(json.dumps(record, separators=(",", ":")) + "\n")
            saved.append(SavedPage(source, stream.name, stream.kind, path, len(page.records)))
    return saved


class SavedPages:
    """A connector whose pages come from disk: the sync engine without the network."""

    def __init__(self, source: str, settings: ConnectorSettings, pages: list[SavedPage]) -> None:
        self.source = Source(source)
        self._client = build_connector(source, settings)
        self._pages = [p for p in pages if p.source == source]

    def authenticate(self) -> None:
        """Nothing to prove: the pages are already here."""

    def streams(self) -> list[StreamSpec]:
        return [
            StreamSpec(s.name, s.kind, partial(self._fetch, s.name), s.map)
            for s in self._client.streams()
        ]

    def _fetch(self, stream: str, since: object, resume: object) -> Iterator[RawPage]:
        for page in self._pages:
            if page.stream == stream:
                yield RawPage(stream, [], None, body=page.path.read_bytes())

    def transport_stats(self) -> tuple[HttpStats, BucketStats]:
        return HttpStats(), BucketStats()

    def close(self) -> None:
        self._client.close()


def ingest_pages(
    settings: ConnectorSettings, pages: list[SavedPage], store_path: Path
) -> tuple[float, int]:
    """Every saved page through ``run_sync``: parse, map, commit, resolve, rebuild."""
    connectors = {s: SavedPages(s, settings, pages) for s in SOURCES}
    started = time.perf_counter()
    report = run_sync(store_path, settings, full=True, connectors=connectors)
    return time.perf_counter() - started, sum(s.counts["findings"] for s in report.sources)


def read_json_limit(folder: Path, database: Path) -> tuple[float, int]:
    """DuckDB parsing the finding pages into a table: the ceiling for any ingest.

    A file-backed database, so a million wide records can spill to disk.
    """
    started = time.perf_counter()
    with duckdb.connect(str(database)) as con:
        # bounded memory, spilling to disk: a million wide records otherwise exhaust RAM
        con.execute("SET preserve_insertion_order = false")
        con.execute("SET memory_limit = '6GB'")
        con.execute(f"SET temp_directory = '{database.parent / 'spill'}'")
        rows = 0
        for pattern in sorted({p.name.rsplit("-", 1)[0] for p in folder.glob("findings-*")}):
            con.execute(
                f"CREATE OR REPLACE TABLE t AS SELECT * FROM read_json("
                f"'{folder / pattern}-*.ndjson', format='newline_delimited', "
                f"maximum_object_size=16777216)"
            )
            rows += con.execute("SELECT count(*) FROM t").fetchall()[0][0]
    return time.perf_counter() - started, rows


def _rate(n: int, seconds: float) -> int:
    return int(n / seconds) if seconds else 0


def _show(figures: dict[str, object], **new: object) -> None:
    """Record and print figures as each phase ends, so a late failure loses nothing."""
    figures.update(new)
    for key, value in new.items():
        shown = f"{value:,}" if isinstance(value, int) else str(value)
        print(f"{key:>24}: {shown}", flush=True)


def _timed_sync(settings: ConnectorSettings, path: Path) -> tuple[float, int]:
    started = time.perf_counter()
    report = run_sync(path, settings, full=True)
    return time.perf_counter() - started, sum(s.counts["findings"] for s in report.sources)


def run(scale: float, seed: int, workdir: Path, phases: set[str]) -> dict[str, object]:
    figures: dict[str, object] = {}
    t0 = time.perf_counter()
    estate = generate_estate(seed=seed, scale=scale)
    _show(figures, scale=scale, cpus=os.cpu_count(), estate_s=round(time.perf_counter() - t0, 1))
    pages_dir = workdir / "pages"
    pages_dir.mkdir(parents=True, exist_ok=True)
    with Simulator(estate) as sim:
        settings = sim.connector_settings(fast=True)
        if "sync" in phases:
            sync_s, synced = _timed_sync(settings, workdir / "sync.duckdb")
            _show(figures, sync_s=round(sync_s, 1), sync_findings_per_s=_rate(synced, sync_s))
        t0 = time.perf_counter()
        pages = fetch_pages(settings, pages_dir)
        _show(figures, pages=len(pages), fetch_s=round(time.perf_counter() - t0, 1))
    del estate, sim
    if "ingest" in phases:
        ingest_s, ingested = ingest_pages(settings, pages, workdir / "ingest.duckdb")
        _show(
            figures,
            findings=ingested,
            ingest_s=round(ingest_s, 1),
            ingest_findings_per_s=_rate(ingested, ingest_s),
        )
    if "limit" in phases:
        limit_s, rows = read_json_limit(pages_dir, workdir / "limit.duckdb")
        _show(
            figures,
            read_json_rows=rows,
            read_json_s=round(limit_s, 1),
            read_json_rows_per_s=_rate(rows, limit_s),
        )
    rates = [figures.get(k) for k in ("ingest_findings_per_s", "read_json_rows_per_s")]
    if all(isinstance(r, int) and r for r in rates):
        _show(figures, ingest_vs_limit=round(int(str(rates[0])) / int(str(rates[1])), 3))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", type=float, default=50.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument(
        "--phases",
        default="sync,ingest,limit",
        help="Comma-separated subset of sync, ingest, limit.",
    )
    args = parser.parse_args(argv)
    phases = set(args.phases.split(","))
    with tempfile.TemporaryDirectory(prefix="posture-ingest-") as tmp:
        figures = run(args.scale, args.seed, args.workdir or Path(tmp), phases)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

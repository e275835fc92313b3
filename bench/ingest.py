"""`python -m bench.ingest`: how fast findings go from CNAPP pages into the store.

Both sides read the same pages, fetched once from the simulator serving a generated
estate and saved one NDJSON file per page, as the API returned the records:

1. **ingest**: every page (assets and findings) through ``run_sync`` with a connector
   that reads the files: parsing, mapping (set-based where a stream has a columnar
   map, the Python mappers otherwise), one ``MERGE`` transaction per commit group with
   its checkpoint, resolution, and the final rebuild of derived tables and risk;
2. **limit**: DuckDB's own ``read_json`` of the same files into tables, which parses
   and stores but neither validates, merges nor scores.

Each timed run is a fresh process on a fresh store (its peak RSS is that process's),
after one untimed warm-up over a slice of the pages; figures are medians of the runs,
with their spread as the noise. ``findings_per_s`` and ``limit_per_s`` divide the same
finding count by each side's median seconds. Prints a table and, last, one JSON line.
``measure(n_findings)`` returns the same figures to a harness.

Pages are built at the estate scale that yields about ``--findings`` CNAPP findings
(scale 1 is about 14,400) and cached by seed and scale under ``--cache`` (default: a
temporary directory), since generating a million-finding estate takes minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path

import duckdb

from connectors.base import RawPage, StreamSpec
from connectors.http import HttpStats
from connectors.ratelimit import BucketStats
from connectors.registry import SOURCES, build_connector
from connectors.simulator import Simulator
from connectors.sync import run_sync
from core.models import Source
from core.settings import Settings
from estate import generate_estate

__all__ = ["main", "measure"]

CNAPP_FINDINGS_PER_SCALE = 14_400  # what one unit of estate scale yields through the APIs
_SETTINGS = "settings.json"


def build_pages(n_findings: int, seed: int, cache: Path) -> Path:
    """The pages of an estate of about ``n_findings`` CNAPP findings (cached)."""
    scale = round(max(n_findings / CNAPP_FINDINGS_PER_SCALE, 0.05), 2)
    folder = cache / f"pages-seed{seed}-scale{scale:g}"
    if (folder / _SETTINGS).exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    with Simulator(generate_estate(seed=seed, scale=scale)) as sim:
        settings = sim.connector_settings(fast=True)
        for source in SOURCES:
            client = build_connector(source, settings)
            try:
                for stream in client.streams():
                    for n, page in enumerate(stream.fetch(None, None)):
                        if not page.records:
                            continue
                        name = f"{stream.kind}-{source}-{stream.name}-{n:05d}.ndjson"
                        lines = (json.dumps(r, separators=(",", ":")) + "\n" for r in page.records)
                        (folder / name).write_text("".join(lines), encoding="utf-8")
            finally:
                client.close()
    sections = {"wiz", "prisma", "lacework", "orca", "http", "sync"}
    (folder / _SETTINGS).write_text(settings.model_dump_json(include=sections), encoding="utf-8")
    return folder


class SavedPages:
    """A connector whose pages come from disk: the sync engine without the network."""

    def __init__(self, source: str, settings: Settings, folder: Path, limit: int) -> None:
        self.source = Source(source)
        self._client = build_connector(source, settings)
        self._folder, self._limit = folder, limit

    def authenticate(self) -> None:
        """Nothing to prove: the pages are already here."""

    def streams(self) -> list[StreamSpec]:
        return [replace(s, fetch=partial(self._fetch, s)) for s in self._client.streams()]

    def _fetch(self, stream: StreamSpec, since: object, resume: object) -> Iterator[RawPage]:
        pattern = f"{stream.kind}-{self.source.value}-{stream.name}-*.ndjson"
        for path in sorted(self._folder.glob(pattern))[: self._limit]:
            yield RawPage(stream.name, [], None, body=path.read_bytes())

    def transport_stats(self) -> tuple[HttpStats, BucketStats]:
        return HttpStats(), BucketStats()

    def close(self) -> None:
        self._client.close()


def ingest_once(
    folder: Path, store: Path, page_limit: int, memory_limit: str = "768MB"
) -> dict[str, float]:
    """One ingest of the saved pages into a new store (run in a fresh process)."""
    settings = Settings.model_validate_json((folder / _SETTINGS).read_text("utf-8"))
    connectors = {s: SavedPages(s, settings, folder, page_limit) for s in SOURCES}
    started = time.perf_counter()
    report = run_sync(store, settings, full=True, connectors=connectors, memory_limit=memory_limit)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "findings": sum(s.counts.get("findings", 0) for s in report.sources),
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "store_bytes": sum(p.stat().st_size for p in store.parent.glob(store.name + "*")),
    }


def limit_once(folder: Path, database: Path) -> float:
    """DuckDB ``read_json`` of every page file, one table per stream: the ceiling."""
    started = time.perf_counter()
    with duckdb.connect(str(database)) as con:
        con.execute("SET preserve_insertion_order = false")
        con.execute(f"SET temp_directory = '{database.parent / 'spill'}'")
        for i, prefix in enumerate(sorted({p.name.rsplit("-", 1)[0] for p in folder.glob("*-*")})):
            con.execute(
                f"CREATE TABLE t{i} AS SELECT * FROM read_json('{folder / prefix}-*.ndjson', "
                "format='newline_delimited', maximum_object_size=16777216)"
            )
    return time.perf_counter() - started


def _child(folder: Path, store: Path, page_limit: int, memory_limit: str) -> dict[str, float]:
    command = ["--child", str(folder), str(store), str(page_limit), memory_limit]
    out = subprocess.run(
        [sys.executable, "-m", "bench.ingest", *command],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def _spread(values: list[float]) -> float:
    return round((max(values) - min(values)) / statistics.median(values), 3)


def measure(
    n_findings: int,
    *,
    runs: int = 3,
    seed: int = 7,
    cache: Path | None = None,
    memory_limit: str = "768MB",
) -> dict[str, object]:
    """Median ingest and ``read_json`` figures over ``runs`` runs on the same pages.

    ``memory_limit`` is the store's DuckDB cap during the sync (as ``posture sync`` takes
    it from ``POSTURE_STORE__MEMORY_LIMIT``); peak RSS is measured under it.
    """
    with tempfile.TemporaryDirectory(prefix="posture-ingest-") as tmp:
        work = Path(tmp)
        folder = build_pages(n_findings, seed, cache or work)
        _child(folder, work / "warmup" / "s.duckdb", 1, memory_limit)  # untimed: caches, imports
        ingests = [
            _child(folder, work / f"run{i}" / "s.duckdb", 1 << 30, memory_limit)
            for i in range(runs)
        ]
        limits = []
        for i in range(runs):
            (work / f"limit{i}").mkdir()
            limits.append(limit_once(folder, work / f"limit{i}" / "l.duckdb"))
    seconds = [r["seconds"] for r in ingests]
    findings = int(ingests[0]["findings"])
    ingest_s, limit_s = statistics.median(seconds), statistics.median(limits)
    return {
        "findings": findings,
        "runs": runs,
        "memory_limit": memory_limit,
        "cpus": os.cpu_count(),
        "ingest_s": round(ingest_s, 2),
        "limit_s": round(limit_s, 2),
        "findings_per_s": int(findings / ingest_s),
        "limit_per_s": int(findings / limit_s),
        "ratio": round(limit_s / ingest_s, 3),
        "ingest_spread": _spread(seconds),
        "limit_spread": _spread(limits),
        "peak_rss_bytes": int(max(r["peak_rss_bytes"] for r in ingests)),
        "store_bytes": int(statistics.median(r["store_bytes"] for r in ingests)),
    }


def _table(figures: dict[str, object]) -> str:
    rows = [
        f"{k:>16}  {v:,}" if isinstance(v, int) else f"{k:>16}  {v}" for k, v in figures.items()
    ]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        folder, store, limit = Path(argv[1]), Path(argv[2]), int(argv[3])
        store.parent.mkdir(parents=True, exist_ok=True)
        print(json.dumps(ingest_once(folder, store, limit, argv[4])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cache", type=Path, default=None, help="where to keep built pages")
    parser.add_argument("--memory-limit", default="768MB", help="the store's DuckDB cap")
    args = parser.parse_args(argv)
    figures = measure(
        args.findings,
        runs=args.runs,
        seed=args.seed,
        cache=args.cache,
        memory_limit=args.memory_limit,
    )
    print(_table(figures))
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The benchmark's estates: one demo store per scale, built once and reused.

A store is keyed by seed, scale, clock and a fingerprint of the code that builds it
(generator, store schema and write path, risk), so a stale cache is never measured: any
change to those files builds afresh. Building a million findings takes minutes; asking
questions of it takes seconds, so the cache is what keeps ``make bench`` inside its budget.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["BENCH_NOW", "SCALES", "BenchEstate", "code_fingerprint", "ensure_estate"]

REPO = Path(__file__).resolve().parents[1]
BENCH_NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)  # a pinned clock: same data every run
# label -> estate scale; the default scale 1.0 is about 20,400 findings
SCALES: dict[str, float] = {"10k": 0.5, "100k": 5.0, "1M": 50.0}
_BUILDERS = ("estate", "store", "risk", "core/models.py", "compliance")


@dataclass(frozen=True, slots=True)
class BenchEstate:
    label: str
    scale: float
    path: Path
    build_s: float | None  # None: taken from the cache


def code_fingerprint(root: Path = REPO) -> str:
    """sha256 over the files that decide a store's content, first 12 hex digits."""
    digest = hashlib.sha256()
    for part in _BUILDERS:
        base = root / part
        files = sorted(base.rglob("*")) if base.is_dir() else [base]
        for f in files:
            if f.is_file() and f.suffix in {".py", ".sql", ".yaml", ".yml", ".json", ".csv"}:
                digest.update(str(f.relative_to(root)).encode())
                digest.update(f.read_bytes())
    return digest.hexdigest()[:12]


def ensure_estate(label: str, cache: Path, seed: int = 7) -> BenchEstate:
    """The store for ``label`` (a key of SCALES), built when the cache lacks it."""
    from posture_cli.demo import load_demo_estate

    scale = SCALES[label]
    name = f"estate-s{seed}-x{scale:g}-{BENCH_NOW:%Y%m%d}-{code_fingerprint()}.duckdb"
    path = cache / name
    if path.exists():
        return BenchEstate(label, scale, path, None)
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob(f"estate-s{seed}-x{scale:g}-*.duckdb*"):
        old.unlink()  # a stale build of the same scale: code changed since
    partial = path.with_name(path.name + ".part")
    started = time.perf_counter()
    load_demo_estate(partial, seed=seed, scale=scale, now=BENCH_NOW, memory_limit="6GB")
    partial.rename(path)
    return BenchEstate(label, scale, path, round(time.perf_counter() - started, 1))

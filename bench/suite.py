"""`make bench`: every speed figure at 10k, 100k and 1M findings, against the floors.

    python -m bench.suite [--scales 10k,100k,1M] [--rounds 5] [--skip ingest,slack,serve]

For each scale: the demo estate's store (built once, then cached under ``.bench-cache``),
then parse + compile, the full ask and the gold SQL on plain DuckDB over the public
questions, the store's size, and the ingest figures from ``python -m bench.ingest`` (run
as its own process, with a time limit). Then, once: Slack acks under 100 concurrent
signed requests to `posture serve`, and serve start-up. Writes ``bench/results.json``,
prints the table and the floor verdicts; ``--readme`` also replaces the README's table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from bench.estates import BENCH_NOW, REPO, SCALES, code_fingerprint, ensure_estate
from bench.external import normalise_ingest, run_step
from bench.table import render_markdown

__all__ = ["main", "machine", "replace_readme_table"]

RESULTS = REPO / "bench" / "results.json"
README_BEGIN = "<!-- bench:begin -->"
README_END = "<!-- bench:end -->"
_INGEST_TIMEOUT_S = {"10k": 120.0, "100k": 300.0}
# 1M simulator pages take ~10 minutes to build before the first timed run, which does not
# fit make bench's 15 minutes; `python -m bench.ingest --findings 1000000` measures it alone
_INGEST_1M = (
    "not run by make bench (building 1M simulator pages alone takes ~10 min); "
    "run `python -m bench.ingest --findings 1000000 --cache .bench-cache/ingest-pages`"
)


def machine() -> dict[str, Any]:
    """Cores, memory and versions of the machine the figures come from."""
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        mem = None
    return {
        "cores": os.cpu_count(),
        "memory_bytes": mem,
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "platform": platform.platform(terse=True),
    }


def _store_figures(path: Path) -> dict[str, Any]:
    with duckdb.connect(str(path), read_only=True) as con:
        findings = int(con.execute("SELECT count(*) FROM raw.findings").fetchall()[0][0])
    size = path.stat().st_size
    return {
        "findings": findings,
        "store_bytes": size,
        "store_bytes_per_million": round(size / findings * 1_000_000) if findings else None,
    }


def _ingest(label: str, cache: Path) -> dict[str, Any]:
    if label not in _INGEST_TIMEOUT_S:
        return {"error": _INGEST_1M}
    findings = round(SCALES[label] * 20_000)
    args = ["bench.ingest", "--findings", str(findings), "--runs", "3"]
    step = run_step(
        [*args, "--cache", str(cache / "ingest-pages")], timeout_s=_INGEST_TIMEOUT_S[label]
    )
    out = normalise_ingest(step.get("reported") or {})
    out["wall_s"] = step["wall_s"]
    if "error" in step:
        out["error"] = step["error"]
    elif "peak_rss_bytes" not in out:
        out["note"] = "bench.ingest reports no peak_rss_bytes"
    return out


def _scale(label: str, cache: Path, rounds: int, skip: set[str]) -> dict[str, Any]:
    from bench.asking import measure_questions

    print(f"[{label}] estate ...", flush=True)
    estate = ensure_estate(label, cache)
    out: dict[str, Any] = {"scale": estate.scale, "build_s": estate.build_s}
    out.update(_store_figures(estate.path))
    print(f"[{label}] {out['findings']:,} findings; questions x {rounds} rounds ...", flush=True)
    out.update(measure_questions(estate.path, rounds, BENCH_NOW))
    if "ingest" not in skip:
        print(f"[{label}] ingest (python -m bench.ingest) ...", flush=True)
        out["ingest"] = _ingest(label, cache)
    else:
        out["ingest"] = {"error": "skipped (--skip ingest)"}
    return out


def _run_wide(doc: dict[str, Any], cache: Path, skip: set[str]) -> None:
    from bench.slack_ack import measure_start
    from bench.slack_ack import run as slack_run

    store = ensure_estate("10k", cache).path
    if "slack" in skip:
        doc["slack"] = {"error": "skipped (--skip slack)"}
    else:
        print("[run] Slack ack under load ...", flush=True)
        try:
            doc["slack"] = slack_run(100, 100, store=store)
        except (SystemExit, Exception) as exc:  # a failed phase is a reported n/a
            doc["slack"] = {"error": f"{type(exc).__name__}: {exc}"}
    if "serve" in skip:
        doc["serve_start"] = {"error": "skipped (--skip serve)"}
    else:
        print("[run] serve start-up ...", flush=True)
        try:
            doc["serve_start"] = measure_start(store)
        except (SystemExit, Exception) as exc:
            doc["serve_start"] = {"error": f"{type(exc).__name__}: {exc}"}


def replace_readme_table(readme: str, table: str, doc: dict[str, Any]) -> str:
    """The README with the text between the bench markers replaced by ``table``.

    >>> text = "a\\n<!-- bench:begin -->\\nold\\n<!-- bench:end -->\\nb"
    >>> out = replace_readme_table(text, "TABLE", {"machine": {"cores": 2}})
    >>> out.count("TABLE"), "old" in out, out.startswith("a"), out.endswith("b")
    (1, False, True, True)
    """
    head, sep, rest = readme.partition(README_BEGIN)
    _, sep2, tail = rest.partition(README_END)
    if not sep or not sep2:
        raise ValueError(f"README lacks the {README_BEGIN} / {README_END} markers")
    m = doc.get("machine", {})
    mem = m.get("memory_bytes")
    size = f"{m.get('cores')} cores, {mem / 2**30:.0f} GiB" if mem else f"{m.get('cores')} cores"
    when = doc.get("finished_at", "")[:16].replace("T", " ")
    note = f"Measured {when} UTC on {size} (DuckDB {m.get('duckdb')}, Python {m.get('python')})."
    return f"{head}{README_BEGIN}\n{note}\n\n{table}\n{README_END}{tail}"


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scales", default="10k,100k,1M", help="comma-separated: 10k,100k,1M")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per question set")
    parser.add_argument("--skip", default="", help="comma-separated: ingest,slack,serve")
    parser.add_argument("--cache", type=Path, default=REPO / ".bench-cache")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--readme", action="store_true", help="replace the README's table")
    parser.add_argument("--note", default="", help="a note stored with the results")
    parser.add_argument(
        "--render",
        action="store_true",
        help="measure nothing: print the table of --out (and with --readme, update it)",
    )
    args = parser.parse_args(argv)
    unknown = set(args.scales.split(",")) - set(SCALES)
    if unknown:
        parser.error(f"unknown scales {sorted(unknown)}; choose from {list(SCALES)}")
    return args


def _render(args: argparse.Namespace) -> int:
    doc = json.loads(args.out.read_text("utf-8"))
    table = render_markdown(doc)
    print(table)
    if args.readme:
        readme = REPO / "README.md"
        readme.write_text(replace_readme_table(readme.read_text("utf-8"), table, doc), "utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if args.render:
        return _render(args)
    skip = {s for s in args.skip.split(",") if s}
    started = time.perf_counter()
    doc: dict[str, Any] = {
        "machine": machine(),
        "note": args.note,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "code": code_fingerprint(),
        "rounds": args.rounds,
        "scales": {},
    }
    for label in args.scales.split(","):
        doc["scales"][label] = _scale(label, args.cache, args.rounds, skip)
    _run_wide(doc, args.cache, skip)
    doc["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    doc["elapsed_s"] = round(time.perf_counter() - started, 1)
    args.out.write_text(json.dumps(doc, indent=2, default=str) + "\n", encoding="utf-8")
    table = render_markdown(doc)
    print(table)
    print(f"\nwrote {args.out} in {doc['elapsed_s']:.0f} s")
    if args.readme:
        readme = REPO / "README.md"
        readme.write_text(replace_readme_table(readme.read_text("utf-8"), table, doc), "utf-8")
        print(f"updated {readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Question-path latency on the default demo estate: parse + compile, and the full ask.

    python -m bench.latency [--rounds 5]

Every public question and paraphrase is asked ``rounds`` times after one warm-up round
(the first parse builds the lexicon, the first query warms DuckDB); the figures are the
median and p95 over all timed calls, plus the spread of per-round medians as the noise.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench.gold import load_gold
from pipeline import Copilot
from pipeline.grounding import read_grounding
from posture_cli.demo import load_demo_estate
from querygen import compile_spec, load_catalog, parse_question
from store import FindingsStore

__all__ = ["main"]


def _questions() -> list[str]:
    out: list[str] = []
    for entry in load_gold():
        out += [entry.q, *entry.paraphrases]
    return out


def _time_rounds(
    fn: Callable[[str], object], questions: list[str], rounds: int
) -> list[list[float]]:
    for q in questions:  # warm-up, not timed
        fn(q)
    per_round = []
    for _ in range(rounds):
        times = []
        for q in questions:
            started = time.perf_counter()
            fn(q)
            times.append((time.perf_counter() - started) * 1000)
        per_round.append(times)
    return per_round


def _summary(name: str, per_round: list[list[float]]) -> str:
    flat = sorted(t for r in per_round for t in r)
    p50 = statistics.median(flat)
    p95 = flat[int(0.95 * (len(flat) - 1))]
    medians = [statistics.median(r) for r in per_round]
    noise = max(medians) - min(medians)
    return f"{name:16} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   round-median spread {noise:.2f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="question-path latency")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    now = datetime.now(UTC)
    questions = _questions()
    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "posture.duckdb"
        load_demo_estate(path, now=now)
        with FindingsStore(path, read_only=True) as store:
            grounding = read_grounding(store)
            copilot = Copilot(store, catalog, clock=lambda: now)

            def parse_compile(q: str) -> object:
                parsed = parse_question(q, catalog, grounding=grounding, now=now)
                return compile_spec(parsed.spec, catalog) if parsed.spec else None

            pc = _time_rounds(parse_compile, questions, args.rounds)
            ask = _time_rounds(lambda q: copilot.ask(q, user="bench"), questions, args.rounds)
    print(f"machine: {os.cpu_count()} cores; {len(questions)} questions x {args.rounds} rounds")
    print(_summary("parse + compile", pc))
    print(_summary("ask (full)", ask))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

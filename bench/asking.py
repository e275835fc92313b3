"""Ask latency on one bench store, and the engine's own limit on the same questions.

Three figures over the public questions that have gold SQL, each after one untimed
warm-up round and over ``rounds`` timed rounds:

- **parse + compile**: the offline parser and the compiler, no store;
- **ask**: the full pipeline (parse, compile, guard, read-only query, answer, audit);
- **raw**: the gold SQL on a plain read-only DuckDB connection to the same file, which
  is the floor no pipeline can beat. Run after the pipeline's store is closed, in the
  same process, on the same data.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from bench.gold import GoldEntry, load_gold, now_literal
from bench.stats import summarise

__all__ = ["measure_questions", "public_entries", "time_rounds"]


def public_entries() -> list[GoldEntry]:
    """The public questions that have gold SQL (pending ones are not answerable yet)."""
    return [e for e in load_gold() if e.compare != "pending" and e.gold]


def time_rounds(
    fn: Callable[[str], object], items: list[str], rounds: int
) -> tuple[list[list[float]], dict[str, float]]:
    """Per-round call times in ms (after one untimed warm-up) and each item's median."""
    for item in items:
        fn(item)
    per_round: list[list[float]] = []
    by_item: dict[str, list[float]] = {item: [] for item in items}
    for _ in range(rounds):
        times = []
        for item in items:
            started = time.perf_counter()
            fn(item)
            elapsed = (time.perf_counter() - started) * 1000
            times.append(elapsed)
            by_item[item].append(elapsed)
        per_round.append(times)
    return per_round, {k: statistics.median(v) for k, v in by_item.items()}


def _pipeline(path: Path, questions: list[str], rounds: int, now: datetime) -> dict[str, Any]:
    from governance.audit import AuditLog
    from pipeline import Copilot
    from querygen import compile_spec, load_catalog, parse_question
    from store import FindingsStore

    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as tmp, FindingsStore(path, read_only=True) as store:
        copilot = Copilot(
            store, catalog, audit=AuditLog(Path(tmp) / "audit.jsonl"), clock=lambda: now
        )
        grounding = copilot.grounding

        def parse_compile(q: str) -> object:
            parsed = parse_question(q, catalog, grounding=grounding, now=now)
            return compile_spec(parsed.spec, catalog) if parsed.spec else None

        pc, _ = time_rounds(parse_compile, questions, rounds)
        ask, per_question = time_rounds(lambda q: copilot.ask(q, user="bench"), questions, rounds)
    return {"parse_compile": summarise(pc), "ask": summarise(ask), "ask_by_question": per_question}


def _raw(path: Path, entries: list[GoldEntry], rounds: int, now: datetime) -> dict[str, Any]:
    sql = {e.q: str(e.gold).replace("{now}", now_literal(now)) for e in entries}
    config: dict[str, str | bool | int | float | list[str]] = {"enable_external_access": False}
    with duckdb.connect(str(path), read_only=True, config=config) as con:
        raw, per_question = time_rounds(lambda q: con.execute(sql[q]).fetchall(), list(sql), rounds)
    return {"raw": summarise(raw), "raw_by_question": per_question}


def measure_questions(path: Path, rounds: int, now: datetime) -> dict[str, Any]:
    """parse + compile, ask and raw summaries, and the slowest questions of each side."""
    entries = public_entries()
    questions = [e.q for e in entries]
    out = _pipeline(path, questions, rounds, now)
    out.update(_raw(path, entries, rounds, now))
    out["questions"] = len(questions)
    out["rounds"] = rounds
    for side in ("ask_by_question", "raw_by_question"):
        ranked = sorted(out[side].items(), key=lambda kv: kv[1], reverse=True)[:5]
        out[side] = {q: round(ms, 2) for q, ms in ranked}
    return out

"""`python -m bench.profile_ask [STORE]`: where one warm `ask` spends its time.

Asks every public gold question once to warm up, then again under cProfile, and prints the
mean time per ask and the 30 most expensive calls by cumulative time. STORE defaults to
the store under $POSTURE_HOME (run `posture demo` first).
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

from bench.asking import public_entries
from core.settings import Settings
from governance.audit import AuditLog
from pipeline import Copilot
from querygen import load_catalog
from store import FindingsStore

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else Settings().store_path
    questions = [e.q for e in public_entries()]
    with (
        FindingsStore(path, read_only=True) as store,
        tempfile.TemporaryDirectory() as scratch,
    ):
        copilot = Copilot(store, load_catalog(), audit=AuditLog(Path(scratch) / "a.jsonl"))
        for question in questions:
            copilot.ask(question, user="bench")
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        for question in questions:
            copilot.ask(question, user="bench")
        profile.disable()
        per_ask = (time.perf_counter() - started) * 1000 / len(questions)
    print(f"{len(questions)} questions, {per_ask:.1f} ms per ask (under the profiler)")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()

"""`make bench-accuracy`: the public question set and our paraphrases, scored end to end.

Builds the default demo estate in a temporary store, asks every question through the
full pipeline (offline parser only), compares each answer with its gold SQL and prints
accuracy, the wrong-answer rate (answered but wrong, as opposed to clarified) and every
failure, ending with one line:

    accuracy: public 0.983 paraphrase 0.941 wrong-answer 0.008
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bench.gold import GoldEntry, load_gold
from bench.scoring import Verdict, score
from pipeline import Copilot
from posture_cli.demo import load_demo_estate
from querygen.catalog import load_catalog
from store import FindingsStore

__all__ = ["main", "run"]


def _ask_all(
    copilot: Copilot, entries: list[GoldEntry], now: datetime
) -> tuple[list[tuple[str, str, Verdict]], list[str]]:
    results: list[tuple[str, str, Verdict]] = []
    pending: list[str] = []
    for entry in entries:
        if entry.compare == "pending":
            pending.append(f"{entry.q}  ({entry.pending})")
            continue
        for set_name, question in [("public", entry.q)] + [
            ("paraphrase", p) for p in entry.paraphrases
        ]:
            answer = copilot.ask(question, user="bench")
            results.append((set_name, question, score(copilot, answer, entry, now)))
    return results, pending


def run(store_dir: Path) -> dict[str, object]:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    path = store_dir / "posture.duckdb"
    load_demo_estate(path, now=now)
    with FindingsStore(path) as store:
        copilot = Copilot(store, load_catalog(), clock=lambda: now)
        results, pending = _ask_all(copilot, load_gold(), now)
    totals = Counter((s, v) for s, _, v in results)

    def rate(set_name: str) -> float:
        n = sum(c for (s, _), c in totals.items() if s == set_name)
        return totals[(set_name, "right")] / n if n else 0.0

    answered = len(results)
    wrong = sum(c for (_, v), c in totals.items() if v == "wrong")
    return {
        "public": round(rate("public"), 3),
        "paraphrase": round(rate("paraphrase"), 3),
        "wrong_answer": round(wrong / answered, 3) if answered else 0.0,
        "questions": answered,
        "failures": [
            {"set": s, "question": q, "verdict": v} for s, q, v in results if v != "right"
        ],
        "pending": pending,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        report = run(Path(tmp))
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for failure in report["failures"]:  # type: ignore[attr-defined]
            print(f"  {failure['verdict']:9} [{failure['set']}] {failure['question']}")
        for item in report["pending"]:  # type: ignore[attr-defined]
            print(f"  pending   {item}")
        print(f"questions scored: {report['questions']}")
    print(
        f"accuracy: public {report['public']:.3f} paraphrase {report['paraphrase']:.3f} "
        f"wrong-answer {report['wrong_answer']:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

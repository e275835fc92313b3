"""Running a benchmark step as its own process: time limit, its own peak RSS, last JSON line.

The ingest figures come from ``python -m bench.ingest`` (owned by the connectors work);
the suite reads whatever it prints last as JSON and tolerates missing keys, so either
side can change without breaking the other. A step that fails or times out yields an
``error`` the table shows as the reason for ``n/a``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

__all__ = ["last_json_line", "normalise_ingest", "run_step"]

REPO = Path(__file__).resolve().parents[1]

# bench.ingest key (today's or the announced measure() name) -> the suite's key
_INGEST_KEYS: dict[str, tuple[str, ...]] = {
    "findings_per_s": ("findings_per_s", "sync_findings_per_s", "ingest_findings_per_s"),
    "limit_per_s": ("limit_per_s", "read_json_rows_per_s"),
    "ratio": ("ratio", "ingest_vs_limit"),
    "peak_rss_bytes": ("peak_rss_bytes",),
    "store_bytes": ("store_bytes",),
    "findings": ("findings", "read_json_rows"),
}


def last_json_line(text: str) -> dict[str, Any] | None:
    """The last line of ``text`` that parses as a JSON object.

    >>> last_json_line('noise\\n{"a": 1}\\nmore\\n{"b": 2}\\ntrailer')
    {'b': 2}
    >>> last_json_line("nothing here") is None
    True
    """
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                parsed = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(parsed, dict):
                return parsed
    return None


def normalise_ingest(raw: dict[str, Any]) -> dict[str, Any]:
    """The suite's ingest keys from whatever names ``bench.ingest`` used.

    When the ratio is missing but both rates are there it is computed; a figure nobody
    reported stays absent (the table shows n/a).

    >>> normalise_ingest({"ingest_findings_per_s": 50, "read_json_rows_per_s": 100})
    {'findings_per_s': 50, 'limit_per_s': 100, 'ratio': 0.5}
    """
    out: dict[str, Any] = {}
    for key, names in _INGEST_KEYS.items():
        for name in names:
            if isinstance(raw.get(name), int | float):
                out[key] = raw[name]
                break
    if "ratio" not in out and out.get("findings_per_s") and out.get("limit_per_s"):
        out["ratio"] = round(out["findings_per_s"] / out["limit_per_s"], 3)
    return out


def run_step(args: list[str], timeout_s: float) -> dict[str, Any]:
    """Run ``python -m <args>`` from the repo; its last JSON line, wall time and peak RSS.

    Returns ``{"error": ...}`` (plus whatever was measured) on failure or timeout.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    timed_out = threading.Event()

    def _kill() -> None:
        timed_out.set()
        os.killpg(proc.pid, signal.SIGKILL)

    timer = threading.Timer(timeout_s, _kill)
    timer.start()
    try:
        out, err = proc.communicate()
    finally:
        timer.cancel()
    wall = round(time.perf_counter() - started, 1)
    result: dict[str, Any] = {"wall_s": wall}
    parsed = last_json_line(out)
    if parsed is not None:
        result["reported"] = parsed
    if timed_out.is_set():
        result["error"] = f"timed out after {timeout_s:g} s"
    elif proc.returncode != 0:
        tail = (err.strip().splitlines() or ["no output"])[-1]
        result["error"] = f"exit {proc.returncode}: {tail[:200]}"
    elif parsed is None:
        result["error"] = "printed no JSON line"
    return result

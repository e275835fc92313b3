"""How fast `posture serve` (HTTP mode) acknowledges Slack, and how soon answers follow.

    python -m bench.slack_ack [--requests 100] [--workers 10]

Builds the demo estate in a temporary home, starts the fake Slack (the Web API and the
response_urls) and `posture serve` as its own process on a free port, then sends signed
`/posture ask …` slash commands from ``workers`` concurrent clients. The ack time is the
HTTP round trip Slack would wait on (its limit is 3 s); the answer time runs from the
request to the answer arriving at the command's response_url.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from bench.stats import summarise
from posture_cli.demo import load_demo_estate
from tests.fakes.slack_server import (
    BOT_TOKEN,
    SIGNING_SECRET,
    Call,
    FakeSlack,
    signed_headers,
)

__all__ = ["main"]

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = (
    "public prod Lambdas touching PII",
    "open critical findings per team",
    "top 5 riskiest serverless functions in prod",
    "how many critical findings are open?",
    "which container images running in prod have critical CVEs with known exploits?",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_serve(
    home: Path, slack: FakeSlack, port: int, workers: int | None
) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "POSTURE_"))}
    if workers is not None:
        env["POSTURE_SLACK__WORKERS"] = str(workers)
    env.update(
        {
            "POSTURE_HOME": str(home),
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack.base_url,
            "PYTHONPATH": str(REPO),
        }
    )
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "posture_cli.main",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "WARNING",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_healthy(url: str, process: subprocess.Popen[str], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(
                f"posture serve exited: {process.stderr.read() if process.stderr else ''}"
            )
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise SystemExit("posture serve did not become healthy")


def _command(client: httpx.Client, url: str, slack: FakeSlack, n: int) -> tuple[float, float]:
    from tests.bot.payloads import FORM, command_body

    body = command_body(
        f"ask {QUESTIONS[n % len(QUESTIONS)]}", response_url=slack.response_url(f"r{n}")
    )
    started = time.monotonic()
    response = client.post(
        f"{url}/slack/events",
        content=body.encode(),
        headers=signed_headers(body, content_type=FORM),
    )
    acked = time.monotonic()
    if response.status_code != 200:
        raise SystemExit(f"request {n}: HTTP {response.status_code} {response.text}")
    return started, acked - started


def _answer_to(name: str) -> Callable[[Call], bool]:
    """The answer (not the tidy-up) posted to the response_url called ``name``."""
    return lambda call: call.args["_name"] == name and "blocks" in call.args


def _start_healthy(
    home: Path, slack: FakeSlack, serve_workers: int | None
) -> tuple[subprocess.Popen[str], str, float]:
    """Start `posture serve`; the process, its URL and seconds from start to /healthz 200."""
    port = _free_port()
    started = time.monotonic()
    process = _start_serve(home, slack, port, serve_workers)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
    except BaseException:
        _stop(process)
        raise
    return process, url, time.monotonic() - started


def _stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    finally:
        if process.stderr:
            process.stderr.close()


def _signed_request(url: str, slack: FakeSlack, n: int) -> bytes:
    """One signed slash command as raw HTTP/1.1, built before the clock starts (Slack
    signs on its side, so signing is not the server's time)."""
    from tests.bot.payloads import FORM, command_body

    body = command_body(
        f"ask {QUESTIONS[n % len(QUESTIONS)]}", response_url=slack.response_url(f"r{n}")
    ).encode()
    host = url.split("//", 1)[1]
    lines = ["POST /slack/events HTTP/1.1", f"host: {host}", "connection: close"]
    lines += [f"{k}: {v}" for k, v in signed_headers(body.decode(), content_type=FORM).items()]
    lines.append(f"content-length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _fire(url: str, slack: FakeSlack, requests: int, workers: int) -> list[tuple[float, float]]:
    """``requests`` signed commands, ``workers`` in flight at once, sent by
    ``bench.slack_burst`` in its own process (Slack is not on the server's GIL)."""
    raws = [_signed_request(url, slack, n).decode("latin-1") for n in range(requests)]
    port = url.rsplit(":", 1)[1]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "requests.json"
        path.write_text(json.dumps(raws), "utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "bench.slack_burst", port, str(path), str(workers)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    if done.returncode != 0:
        raise SystemExit(f"bench.slack_burst failed: {done.stderr.strip()[-300:]}")
    results = json.loads(done.stdout.strip().splitlines()[-1])
    bad = [status for _, _, status in results if status != 200]
    if bad:
        raise SystemExit(f"{len(bad)} requests were not acknowledged with 200: {bad[:5]}")
    return [(started, took) for started, took, _ in results]


def _collect(slack: FakeSlack, results: list[tuple[float, float]]) -> tuple[list[float], int]:
    """Answer times of the requests whose answer arrived; how many never did."""
    answers, lost = [], 0
    deadline = time.monotonic() + 120
    for n, (started, _) in enumerate(results):
        try:
            wait = max(0.1, deadline - time.monotonic())
            [call] = slack.wait_for("response_url", timeout=wait, where=_answer_to(f"r{n}"))
        except AssertionError:
            lost += 1
            continue
        answers.append(call.at - started)
    return answers, lost


def measure_start(store: Path, runs: int = 3) -> dict[str, Any]:
    """Seconds from process start to /healthz 200, ``runs`` times (cold imports each time)."""
    times = []
    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as slack:
        home = Path(tmp)
        shutil.copyfile(store, home / "posture.duckdb")
        for _ in range(runs):
            process, _, took = _start_healthy(home, slack, None)
            _stop(process)
            times.append(took)
    return {
        "runs": [round(t, 3) for t in times],
        "p50_s": round(statistics.median(times), 3),
        "max_s": round(max(times), 3),
    }


def run(
    requests: int, workers: int, serve_workers: int | None = None, store: Path | None = None
) -> dict[str, Any]:
    """Ack and answer times under ``workers`` concurrent clients, and answers lost."""
    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as slack:
        home = Path(tmp)
        if store is None:
            load_demo_estate(home / "posture.duckdb")
        else:
            shutil.copyfile(store, home / "posture.duckdb")
        process, url, took = _start_healthy(home, slack, serve_workers)
        try:
            with httpx.Client(timeout=10) as warm:  # first parse and query warm up
                _command(warm, url, slack, -1)
            slack.wait_for("response_url", 2, timeout=30)
            results = _fire(url, slack, requests, workers)
            answers, lost = _collect(slack, results)
        finally:
            _stop(process)
    acks = [r[1] * 1000 for r in results]
    return {
        "requests": requests,
        "clients": workers,
        "ack": summarise([acks], digits=1),
        "answer": summarise([[a * 1000 for a in answers]], digits=1) if answers else None,
        "lost": lost,
        "start_s": round(took, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--workers", type=int, default=100, help="concurrent Slack clients")
    parser.add_argument(
        "--serve-workers",
        type=int,
        default=None,
        help="POSTURE_SLACK__WORKERS for the server (default: its own)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = run(args.requests, args.workers, args.serve_workers)
    if args.json:
        print(json.dumps(figures))
        return
    print(
        f"{args.requests} signed /posture ask requests, {args.workers} concurrent clients, "
        f"posture serve (HTTP mode) against the fake Slack; {figures['lost']} answers lost"
    )
    ack, answer = figures["ack"], figures["answer"]
    for name, s in (("ack", ack), ("answer", answer)):
        if s:
            print(
                f"{name:8} n={s['n']:4d}  p50 {s['p50']:7.1f} ms  "
                f"p95 {s['p95']:7.1f} ms  p99 {s['p99']:7.1f} ms  max {s['max']:7.1f} ms"
            )


if __name__ == "__main__":
    main()

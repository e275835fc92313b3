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
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

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


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _line(name: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"{name:8} n={len(ms):4d}  p50 {statistics.median(ms):7.1f} ms  "
        f"p95 {_pct(ms, 0.95):7.1f} ms  p99 {_pct(ms, 0.99):7.1f} ms  max {max(ms):7.1f} ms"
    )


def run(requests: int, workers: int, serve_workers: int | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as slack:
        home = Path(tmp)
        load_demo_estate(home / "posture.duckdb")
        port = _free_port()
        process = _start_serve(home, slack, port, serve_workers)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, process)
            with httpx.Client(timeout=10) as warm:  # first parse and query warm up
                _command(warm, url, slack, -1)
            slack.wait_for("response_url", 2, timeout=30)
            clients = [httpx.Client(timeout=10) for _ in range(workers)]
            with ThreadPoolExecutor(max_workers=workers) as pool:
                results = list(
                    pool.map(
                        lambda n: _command(clients[n % workers], url, slack, n), range(requests)
                    )
                )
            for client in clients:
                client.close()
            answers = []
            for n, (started, _) in enumerate(results):
                [call] = slack.wait_for("response_url", timeout=60, where=_answer_to(f"r{n}"))
                answers.append(call.at - started)
        finally:
            process.terminate()
            process.wait(timeout=30)
    print(
        f"{requests} signed /posture ask requests, {workers} concurrent clients, "
        f"posture serve (HTTP mode) against the fake Slack"
    )
    print(_line("ack", [r[1] for r in results]))
    print(_line("answer", answers))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--workers", type=int, default=10, help="concurrent Slack clients")
    parser.add_argument(
        "--serve-workers",
        type=int,
        default=None,
        help="POSTURE_SLACK__WORKERS for the server (default: its own)",
    )
    args = parser.parse_args()
    run(args.requests, args.workers, args.serve_workers)


if __name__ == "__main__":
    main()

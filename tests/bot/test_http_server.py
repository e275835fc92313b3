"""HTTP mode over real sockets: the in-process server, and `posture serve` as a process."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot import messages
from bot.http_server import MAX_BODY, SlackHTTPServer, make_server
from tests.bot import payloads
from tests.conftest import REPO
from tests.fakes.slack_server import BOT_TOKEN, SIGNING_SECRET, FakeSlack, signed_headers


@pytest.fixture
def server(app) -> Iterator[SlackHTTPServer]:
    running = make_server(app, "127.0.0.1", 0)
    thread = running.start_in_thread()
    yield running
    running.shutdown()
    running.server_close()
    thread.join(timeout=5)


def post(url: str, body: str, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(url, content=body.encode(), headers=headers, timeout=5)


def test_health(server: SlackHTTPServer):
    response = httpx.get(f"{server.url}/healthz", timeout=5)
    assert response.status_code == 200 and response.json() == {"ok": True}


def test_a_signed_slash_command_is_acknowledged_within_a_second(server, slack: FakeSlack):
    body = payloads.command_body("ask admin roles", response_url=slack.response_url())
    started = time.perf_counter()
    response = post(
        f"{server.url}/slack/events", body, signed_headers(body, content_type=payloads.FORM)
    )
    assert time.perf_counter() - started < 1.0
    assert response.status_code == 200
    assert response.json()["text"] == messages.ACK_QUESTION.format(question="admin roles")
    answer, _ = slack.wait_for("response_url", 2)
    assert answer.args["blocks"][0]["text"]["text"] == "admin roles"


def test_a_bad_signature_gets_401_and_no_work(server, slack: FakeSlack):
    body = payloads.command_body("ask admin roles", response_url=slack.response_url())
    headers = signed_headers(body, content_type=payloads.FORM, secret="not-the-secret")
    assert post(f"{server.url}/slack/events", body, headers).status_code == 401
    unsigned = {"content-type": payloads.FORM}
    assert post(f"{server.url}/slack/events", body, unsigned).status_code == 401
    assert [m for m in slack.methods() if m != "auth.test"] == []


def test_other_paths_and_oversized_bodies_are_refused(server):
    assert post(f"{server.url}/elsewhere", "{}", {}).status_code == 404
    big = "x" * (MAX_BODY + 1)
    assert post(f"{server.url}/slack/events", big, {}).status_code == 413


def test_url_verification_echoes_the_challenge(server):
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "t"})
    response = post(f"{server.url}/slack/events", body, signed_headers(body))
    assert response.status_code == 200 and response.json() == {"challenge": "c-123"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"posture serve exited: {process.stderr.read()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)  # bounded poll while the process starts
    raise AssertionError("posture serve did not become healthy")


def _serve_env(home: Path, slack: FakeSlack) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "POSTURE_"))}
    env.update(
        {
            "POSTURE_HOME": str(home),
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack.base_url,
            "PYTHONPATH": str(REPO),
        }
    )
    return env


def test_posture_serve_answers_a_signed_command_and_stops_on_sigterm(
    demo_store_path, slack: FakeSlack
):
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "posture_cli.main",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=REPO,
        env=_serve_env(demo_store_path.parent, slack),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, process)
        body = payloads.command_body("top 3 prod", response_url=slack.response_url())
        started = time.perf_counter()
        response = post(
            f"{url}/slack/events", body, signed_headers(body, content_type=payloads.FORM)
        )
        assert response.status_code == 200 and time.perf_counter() - started < 1.0
        answer, _ = slack.wait_for("response_url", 2)
        assert answer.args["blocks"][0]["text"]["text"] == "top 3 riskiest open findings in prod"
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=15)
    assert process.returncode == 0, err
    assert "HTTP mode: Slack Request URL" in out and "stopping" in out

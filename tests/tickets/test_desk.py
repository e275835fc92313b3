"""The desk's promises: once per proposal, one ticket per finding, even under races."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from core.errors import TicketingError
from tests.conftest import REPO
from tests.fakes.jira_server import FakeJira
from tests.tickets.conftest import make_settings, request
from tickets import DeliveryReceipt, TicketBook, TicketDesk, correlation_id
from workflow import WorkflowDB

SECRET = "AKIAIOSFODNN7EXAMPLE"


def test_same_key_twice_is_one_ticket_and_no_second_call(
    jira: FakeJira, desk_for: Callable[..., TicketDesk]
) -> None:
    desk = desk_for(settings=make_settings(jira=jira))
    first = desk.deliver(request())
    calls = len(jira.calls)
    second = desk.deliver(request())
    assert second == first
    assert len(jira.calls) == calls  # answered from the record
    assert len(jira.issues) == 1


def test_receipt_survives_a_restart(
    jira: FakeJira, desk_for: Callable[..., TicketDesk], tmp_path: Path
) -> None:
    path = tmp_path / "restart.sqlite3"
    with WorkflowDB(path) as db:
        first = desk_for(settings=make_settings(jira=jira), database=db).deliver(request())
    with WorkflowDB(path) as db:
        again = desk_for(settings=make_settings(jira=jira), database=db).deliver(request())
    assert again == first and len(jira.issues) == 1


def test_threads_with_the_same_key_make_exactly_one_ticket(
    jira: FakeJira, desk_for: Callable[..., TicketDesk], tmp_path: Path
) -> None:
    """Eight workers, each with its own connection (as separate processes would be)."""
    path = tmp_path / "race.sqlite3"
    dbs = [WorkflowDB(path) for _ in range(8)]
    desks = [desk_for(settings=make_settings(jira=jira), database=d) for d in dbs]
    start = threading.Barrier(len(desks))

    def deliver(desk: TicketDesk) -> DeliveryReceipt:
        start.wait()
        return desk.deliver(request())

    try:
        with ThreadPoolExecutor(len(desks)) as pool:
            receipts = list(pool.map(deliver, desks))
    finally:
        for d in dbs:
            d.close()
    assert len(jira.issues) == 1
    assert len(jira.calls_to("POST", "/rest/api/3/issue")) == 1
    assert {r.key for r in receipts} == {"PAY-1"}
    assert sum(r.created for r in receipts) == len(receipts)  # one delivery, one answer


def test_concurrent_proposals_for_one_finding_make_one_ticket_and_comments(
    jira: FakeJira, desk_for: Callable[..., TicketDesk]
) -> None:
    desk = desk_for(settings=make_settings(jira=jira))
    start = threading.Barrier(5)

    def deliver(n: int) -> DeliveryReceipt:
        start.wait()
        return desk.deliver(request(idempotency_key=f"prop-100{n}"))

    with ThreadPoolExecutor(5) as pool:
        receipts = list(pool.map(deliver, range(5)))
    assert len(jira.issues) == 1
    assert sorted(r.created for r in receipts) == [False, False, False, False, True]
    assert len(jira.comments["PAY-1"]) == 4


def test_a_live_reservation_elsewhere_makes_the_caller_wait_then_fail_clearly(
    jira: FakeJira, desk_for: Callable[..., TicketDesk], db: WorkflowDB
) -> None:
    TicketBook(db).reserve(request(), "PAY", correlation_id("wiz", "wiz:f-1"))
    desk = desk_for(settings=make_settings(jira=jira), wait_s=0.2)
    with pytest.raises(TicketingError) as caught:
        desk.deliver(request())
    assert "still running" in caught.value.message
    assert jira.calls == []


def test_secrets_in_evidence_never_reach_the_ticket_system(
    jira: FakeJira, desk_for: Callable[..., TicketDesk]
) -> None:
    leaky = request(
        title=f"Key {SECRET} in env",
        evidence=(f"env AWS_ACCESS_KEY_ID={SECRET}", "password=hunter2hunter2"),
        fix=None,
    )
    desk_for(settings=make_settings(jira=jira)).deliver(leaky)
    sent = "".join(str(c.body) for c in jira.calls)
    assert SECRET not in sent and "hunter2hunter2" not in sent
    assert "[REDACTED:aws_access_key]" in sent


def test_no_team_route_is_refused_before_anything_is_recorded(
    jira: FakeJira, desk_for: Callable[..., TicketDesk]
) -> None:
    desk = desk_for(settings=make_settings(jira=jira))
    with pytest.raises(TicketingError) as caught:
        desk.deliver(request(team="ghosts"))
    assert "teams:" in caught.value.remediation
    assert desk.records() == [] and jira.calls == []


def test_unconfigured_target_says_which_variables_to_set(
    desk_for: Callable[..., TicketDesk],
) -> None:
    desk = desk_for(settings=make_settings())
    with pytest.raises(TicketingError) as caught:
        desk.deliver(request())
    assert "POSTURE_JIRA__BASE_URL" in caught.value.remediation
    assert desk.records() == []


@pytest.mark.slow
def test_processes_with_the_same_key_make_exactly_one_ticket(
    jira: FakeJira, tmp_path: Path
) -> None:
    path = tmp_path / "processes.sqlite3"
    WorkflowDB(path).close()  # migrate once, as the bot would have
    start_at = time.time() + 5.0  # after both have imported
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "tests.tickets.race_worker", str(path), jira.base_url]
    workers = [
        subprocess.Popen(
            [*command, str(start_at)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=REPO,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [w.communicate(timeout=60) for w in workers]
    assert all(w.returncode == 0 for w in workers), [err for _, err in outputs]
    keys = {json.loads(out)["key"] for out, _ in outputs}
    assert keys == {"PAY-1"}
    assert len(jira.calls_to("POST", "/rest/api/3/issue")) == 1


def test_redaction_leaves_the_identity_of_the_delivery_alone() -> None:
    from tickets.render import redact_request

    secretish = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig"
    original = request(idempotency_key=secretish, finding_id=secretish, evidence=(secretish,))
    redacted = redact_request(original)
    assert (redacted.idempotency_key, redacted.finding_id) == (secretish, secretish)
    assert redacted.evidence == ("[REDACTED:jwt]",)

"""Delivery to the fake Jira Cloud: payloads, comments, errors, retries, status."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from core.errors import TicketingError
from tests.fakes import jira_server
from tests.fakes.jira_server import FakeJira, adf_errors
from tests.tickets.conftest import make_settings, request
from tickets import TicketDesk, correlation_id, refresh_statuses
from tickets.adf import adf_problems


def test_creates_an_issue_with_adf_description_and_labels(
    jira: FakeJira, desk_for: Callable[..., TicketDesk]
) -> None:
    receipt = desk_for(settings=make_settings(jira=jira)).deliver(request())

    assert (receipt.key, receipt.created, receipt.state) == ("PAY-1", True, "open")
    assert receipt.url == f"{jira.base_url}/browse/PAY-1"
    [call] = jira.calls_to("POST", "/rest/api/3/issue")
    fields = call.body["fields"]
    assert fields["project"] == {"key": "PAY"}
    assert fields["issuetype"] == {"name": "Task"}
    assert fields["summary"] == "[CRITICAL] Public function URL on processPayment"
    assert correlation_id("wiz", "wiz:f-1") in fields["labels"]
    assert {"posture-copilot", "severity-critical"} <= set(fields["labels"])
    assert adf_problems(fields["description"]) == [] and adf_errors(fields["description"]) == []
    assert call.headers["authorization"].startswith("Basic ")


def test_second_proposal_for_the_finding_comments(
    jira: FakeJira, desk_for: Callable[..., TicketDesk]
) -> None:
    desk = desk_for(settings=make_settings(jira=jira))
    first = desk.deliver(request())
    second = desk.deliver(request(idempotency_key="prop-0002", requested_by="U0CAROL"))

    assert (second.key, second.created) == (first.key, False)
    assert len(jira.issues) == 1
    [comment] = jira.comments["PAY-1"]
    assert adf_errors(comment["body"], "body") == []
    assert "prop-0002" in str(comment["body"])


def test_unknown_project_says_to_check_the_team_route(
    jira: FakeJira, desk_for: Callable[..., TicketDesk]
) -> None:
    settings = make_settings(jira=jira, teams={"payments": {"jira_project": "NOPE"}})
    with pytest.raises(TicketingError) as caught:
        desk_for(settings=settings).deliver(request())
    assert "jira_project" in caught.value.remediation
    assert "valid project is required" in caught.value.message


def test_bad_credentials_are_one_clear_line_and_nothing_delivered(
    jira: FakeJira, desk_for: Callable[..., TicketDesk]
) -> None:
    wrong = {"base_url": jira.base_url, "email": "bot@example.com", "api_token": "wrong"}
    settings = make_settings(jira=wrong)
    desk = desk_for(settings=settings)
    with pytest.raises(TicketingError) as caught:
        desk.deliver(request())
    assert "refused the credentials" in caught.value.one_line()
    assert "POSTURE_JIRA__API_TOKEN" in caught.value.remediation
    assert "\n" not in caught.value.one_line()
    [record] = desk.records()
    assert record.state == "failed" and record.key is None and not record.delivered
    assert jira.issues == {}


def test_retries_503_and_429_honouring_retry_after(
    jira: FakeJira, desk_for: Callable[..., TicketDesk], waits: list[float]
) -> None:
    jira.fail_next(503, headers={"Retry-After": "2"}, method="POST", path="/issue$")
    jira.fail_next(429, headers={"Retry-After": "3"}, method="POST", path="/issue$")
    receipt = desk_for(settings=make_settings(jira=jira)).deliver(request())

    assert receipt.key == "PAY-1" and len(jira.issues) == 1
    assert len(jira.calls_to("POST", "/rest/api/3/issue")) == 3
    assert waits == [2.0, 3.0]


def test_a_500_on_create_is_not_blindly_retried(
    jira: FakeJira, desk_for: Callable[..., TicketDesk]
) -> None:
    jira.fail_next(500, method="POST", path="/issue$")
    desk = desk_for(settings=make_settings(jira=jira))
    with pytest.raises(TicketingError):
        desk.deliver(request())
    assert len(jira.calls_to("POST", "/rest/api/3/issue")) == 1
    assert desk.deliver(request()).key == "PAY-1"  # the retry is safe


def test_done_in_jira_flows_back(jira: FakeJira, desk_for: Callable[..., TicketDesk]) -> None:
    desk = desk_for(settings=make_settings(jira=jira))
    desk.deliver(request())
    assert refresh_statuses(desk) == []

    jira.transition("PAY-1", "Done")
    [change] = refresh_statuses(desk)
    assert (change.key, change.before, change.after, change.remote_status) == (
        "PAY-1",
        "open",
        "closed",
        "Done",
    )
    assert change.proposals == ("prop-0001",)
    assert refresh_statuses(desk) == []
    assert desk.records()[0].state == "closed"
    assert desk.deliver(request()).state == "closed"  # the recorded receipt, updated


def test_a_closed_ticket_gets_a_new_one_for_a_new_proposal(
    jira: FakeJira, desk_for: Callable[..., TicketDesk]
) -> None:
    desk = desk_for(settings=make_settings(jira=jira))
    desk.deliver(request())
    jira.transition("PAY-1", "Done")
    again = desk.deliver(request(idempotency_key="prop-0002"))
    assert (again.key, again.created) == ("PAY-2", True)
    assert jira.comments["PAY-1"] == []


def test_field_errors_from_the_body_are_in_the_line(
    jira: FakeJira, desk_for: Callable[..., TicketDesk]
) -> None:
    settings = make_settings(
        jira={
            "base_url": jira.base_url,
            "email": "bot@example.com",
            "api_token": "fake-jira-api-token-0000",
            "issue_type": "Epic",
        }
    )
    with pytest.raises(TicketingError) as caught:
        desk_for(settings=settings).deliver(request())
    assert "issuetype: The issue type selected is invalid." in caught.value.message
    assert "POSTURE_JIRA__ISSUE_TYPE" in caught.value.remediation


def test_unreachable_jira_is_retried_then_one_clear_line(
    desk_for: Callable[..., TicketDesk], waits: list[float]
) -> None:
    with FakeJira() as gone:
        url = gone.base_url  # a port that was just closed: connection refused
    settings = make_settings(jira={"base_url": url, "email": "bot@example.com", "api_token": "t"})
    with pytest.raises(TicketingError) as caught:
        desk_for(settings=settings).deliver(request())
    assert "cannot reach" in caught.value.message
    assert len(waits) == 3  # four attempts of the first request (the search)


def test_fake_speaks_the_shapes_of_the_real_samples(
    jira: FakeJira, desk_for: Callable[..., TicketDesk], shared_dir: Path
) -> None:
    real = shared_dir / "realdata/ticketing/jira"
    created = json.loads((real / "create-issue-response.json").read_text())
    fetched = json.loads((real / "get-issue-response.json").read_text())
    sample_request = json.loads((real / "create-issue-request.json").read_text())

    desk_for(settings=make_settings(jira=jira)).deliver(request())
    [call] = jira.calls_to("POST", "/rest/api/3/issue")
    ours = call.body["fields"]
    for name in ("project", "issuetype", "summary", "labels"):
        assert type(ours[name]) is type(sample_request["fields"][name])
    assert ours["project"].keys() == sample_request["fields"]["project"].keys()
    assert ours["description"]["type"] == fetched["fields"]["description"]["type"]

    response = httpx.get(
        f"{jira.base_url}/rest/api/3/issue/PAY-1",
        params={"fields": "status"},
        auth=(jira_server.EMAIL, jira_server.TOKEN),
    ).json()
    assert set(created) <= set(response) | {"id"}
    assert fetched["fields"]["status"].keys() <= response["fields"]["status"].keys()

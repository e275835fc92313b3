"""Delivery to the fake ServiceNow Table API: incident fields, work notes, errors, status."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.errors import TicketingError
from tests.fakes.servicenow_server import FakeServiceNow
from tests.tickets.conftest import make_settings, request
from tickets import TicketBook, TicketDesk, TicketTarget, correlation_id, refresh_statuses
from workflow import WorkflowDB

SN = TicketTarget.SERVICENOW


def test_creates_an_incident_with_our_correlation_id(
    servicenow: FakeServiceNow, desk_for: Callable[..., TicketDesk]
) -> None:
    receipt = desk_for(settings=make_settings(servicenow=servicenow)).deliver(request(target=SN))

    [call] = servicenow.calls_to("POST", "/api/now/table/incident")
    body = call.body
    assert body["short_description"] == "[CRITICAL] Public function URL on processPayment"
    assert (body["impact"], body["urgency"]) == ("1", "1")
    assert body["assignment_group"] == "Payments Operations"
    assert body["correlation_id"] == correlation_id("wiz", "wiz:f-1")
    assert body["category"] == "security"
    assert "RISK\nPublic prod function" in body["description"]
    [incident] = servicenow.incidents.values()
    assert (receipt.key, receipt.created) == (incident["number"], True)
    assert incident["sys_id"] in receipt.url


def test_second_proposal_adds_a_work_note(
    servicenow: FakeServiceNow, desk_for: Callable[..., TicketDesk]
) -> None:
    desk = desk_for(settings=make_settings(servicenow=servicenow))
    first = desk.deliver(request(target=SN))
    second = desk.deliver(request(target=SN, idempotency_key="prop-0002", severity="low"))

    assert (second.key, second.created) == (first.key, False)
    [sys_id] = servicenow.incidents
    [note] = servicenow.work_notes[sys_id]
    assert "proposal prop-0002" in note
    [patch] = servicenow.calls_to("PATCH", f"/api/now/table/incident/{sys_id}")
    assert set(patch.body) == {"work_notes"}


def test_unknown_group_is_a_field_error_pointing_at_the_route(
    servicenow: FakeServiceNow, desk_for: Callable[..., TicketDesk]
) -> None:
    settings = make_settings(
        servicenow=servicenow, teams={"payments": {"servicenow_group": "Nobody"}}
    )
    with pytest.raises(TicketingError) as caught:
        desk_for(settings=settings).deliver(request(target=SN))
    assert "Invalid assignment_group: Nobody" in caught.value.message
    assert "servicenow_group" in caught.value.remediation


def test_401_is_clear_and_records_nothing_delivered(
    servicenow: FakeServiceNow, desk_for: Callable[..., TicketDesk]
) -> None:
    servicenow.fail_next(401, body={"error": {"message": "User Not Authenticated"}})
    desk = desk_for(settings=make_settings(servicenow=servicenow))
    with pytest.raises(TicketingError) as caught:
        desk.deliver(request(target=SN))
    assert caught.value.remediation.startswith("Check POSTURE_SERVICENOW__USERNAME")
    assert [r.state for r in desk.records()] == ["failed"]
    assert servicenow.incidents == {}


def test_resolved_incident_flows_back(
    servicenow: FakeServiceNow, desk_for: Callable[..., TicketDesk]
) -> None:
    desk = desk_for(settings=make_settings(servicenow=servicenow))
    receipt = desk.deliver(request(target=SN))
    servicenow.resolve(receipt.key)
    [change] = refresh_statuses(desk)
    assert (change.key, change.after, change.remote_status) == (receipt.key, "closed", "6")


def test_a_crash_after_the_create_is_recovered_without_a_duplicate(
    servicenow: FakeServiceNow, desk_for: Callable[..., TicketDesk], db: WorkflowDB
) -> None:
    """Reserved, created in ServiceNow, then the process died before recording it."""
    desk = desk_for(settings=make_settings(servicenow=servicenow))
    crashed = TicketBook(db, lease_s=0)  # its lease is over at once: a dead worker
    correlation = correlation_id("wiz", "wiz:f-1")
    crashed.reserve(request(target=SN), "Payments Operations", correlation)
    desk.client(SN).create("Payments Operations", correlation, request(target=SN))

    receipt = desk.deliver(request(target=SN))

    assert (receipt.created, len(servicenow.incidents)) == (True, 1)
    assert servicenow.calls_to("PATCH", ".*") == []  # adopted, not commented
    [record] = desk.records()
    assert (record.state, record.attempts) == ("open", 2)


def test_an_open_incident_we_never_recorded_gets_a_work_note(
    servicenow: FakeServiceNow, desk_for: Callable[..., TicketDesk]
) -> None:
    """E.g. the workflow DB was rebuilt: the incident is found by correlation id."""
    desk = desk_for(settings=make_settings(servicenow=servicenow))
    correlation = correlation_id("wiz", "wiz:f-1")
    desk.client(SN).create("Payments Operations", correlation, request(target=SN))

    receipt = desk.deliver(request(target=SN, idempotency_key="prop-0009"))

    assert (receipt.created, len(servicenow.incidents)) == (False, 1)
    assert len(servicenow.calls_to("PATCH", ".*")) == 1

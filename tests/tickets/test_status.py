"""Closed tickets against the findings store: which findings are still open."""

from __future__ import annotations

from collections.abc import Callable

from core.query import ValidatedQuery
from store import FindingsStore
from tests.fakes.jira_server import FakeJira
from tests.tickets.conftest import make_settings, request
from tickets import TicketDesk, closed_but_still_open, refresh_statuses


def _one(store: FindingsStore, status: str) -> tuple[str, str]:
    sql = (
        f"SELECT source, finding_id FROM findings WHERE status = '{status}' "
        "ORDER BY finding_id LIMIT 1"
    )
    [(source, finding_id)] = store.query(ValidatedQuery(sql=sql)).rows
    return str(source), str(finding_id)


def test_reports_closed_tickets_whose_finding_is_still_open(
    jira: FakeJira, desk_for: Callable[..., TicketDesk], demo_store: FindingsStore
) -> None:
    desk = desk_for(settings=make_settings(jira=jira))
    still_open, resolved = _one(demo_store, "open"), _one(demo_store, "resolved")
    for n, (source, finding_id) in enumerate((still_open, resolved)):
        desk.deliver(request(idempotency_key=f"prop-200{n}", source=source, finding_id=finding_id))
    assert closed_but_still_open(desk.book, demo_store) == []  # nothing closed yet

    jira.transition("PAY-1", "Done")
    jira.transition("PAY-2", "Done")
    assert len(refresh_statuses(desk)) == 2

    [stale] = closed_but_still_open(desk.book, demo_store)
    assert (stale.source, stale.finding_id, stale.key) == (*still_open, "PAY-1")
    assert stale.remote_status == "Done" and stale.closed_at
    assert stale.seen_since_close is False  # the demo estate was synced before the close
    assert stale.proposals == ("prop-2000",)


def test_a_new_open_ticket_for_the_finding_silences_the_report(
    jira: FakeJira, desk_for: Callable[..., TicketDesk], demo_store: FindingsStore
) -> None:
    desk = desk_for(settings=make_settings(jira=jira))
    source, finding_id = _one(demo_store, "open")
    desk.deliver(request(source=source, finding_id=finding_id))
    jira.transition("PAY-1", "Done")
    refresh_statuses(desk)
    desk.deliver(request(idempotency_key="prop-0002", source=source, finding_id=finding_id))
    assert closed_but_still_open(desk.book, demo_store) == []


def test_one_system_down_does_not_stop_the_others(
    jira: FakeJira, desk_for: Callable[..., TicketDesk]
) -> None:
    desk = desk_for(settings=make_settings(jira=jira))
    desk.deliver(request())
    jira.transition("PAY-1", "Done")
    jira.fail_next(401)
    assert refresh_statuses(desk) == []  # logged and skipped
    assert desk.records()[0].state == "open"
    assert [c.key for c in refresh_statuses(desk)] == ["PAY-1"]

"""ServiceNow: incidents through the Table API, with our dedupe key as ``correlation_id``.

Table API (https://developer.servicenow.com/dev.do#!/reference/api/latest/rest/c_TableAPI):
``POST /api/now/table/incident`` answers 201 ``{"result": {sys_id, number, ...}}``;
``GET /api/now/table/incident?sysparm_query=correlation_id=...^active=true`` lists;
``PATCH /api/now/table/incident/{sys_id}`` with ``work_notes`` adds a work note (the
journal field appends, it does not overwrite). Incident ``state``: 1 New, 2 In
Progress, 3 On Hold, 6 Resolved, 7 Closed, 8 Canceled. Auth is basic (a user with the
itil role). Errors come as ``{"error": {"message", "detail"}, "status": "failure"}``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from core.ticketing_settings import ServiceNowSettings
from tickets.client import RemoteTicket
from tickets.http import RetryPolicy, TicketHttp, TicketingFailed, make_client
from tickets.models import DeliveryRequest, TicketTarget
from tickets.render import render_comment, render_ticket

__all__ = ["ServiceNowClient", "explain_servicenow_error", "impact_urgency"]

_TABLE = "/api/now/table/incident"
_FIELDS = "sys_id,number,state,active"
_DONE_STATES = {"6", "7", "8"}  # Resolved, Closed, Canceled
_CATEGORY = "security"  # not an out-of-box choice; ServiceNow stores it as given
_SHORT_MAX = 160  # short_description is a 160-character field


def impact_urgency(severity: str) -> tuple[str, str]:
    """Impact and urgency (1 high .. 3 low) for a severity; priority follows from both.

    >>> impact_urgency("critical"), impact_urgency("medium"), impact_urgency("info")
    (('1', '1'), ('2', '2'), ('3', '3'))
    """
    return {
        "critical": ("1", "1"),
        "high": ("2", "1"),
        "medium": ("2", "2"),
        "low": ("3", "2"),
    }.get(severity.lower(), ("3", "3"))


class ServiceNowClient:
    """Incidents assigned to the team's group; ``route`` is the assignment group."""

    target = TicketTarget.SERVICENOW

    def __init__(
        self,
        settings: ServiceNowSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        if not settings.configured or settings.password is None or not settings.instance_url:
            raise TicketingFailed(
                "ServiceNow is not configured.",
                target="servicenow",
                remediation="Set POSTURE_SERVICENOW__INSTANCE_URL, __USERNAME and __PASSWORD "
                "(or the servicenow: block of posture.yaml).",
            )
        self.base_url = settings.instance_url.rstrip("/")
        client = make_client(self.base_url, transport=transport)
        client.auth = httpx.BasicAuth(settings.username or "", settings.password.get_secret_value())
        self.http = TicketHttp(
            "servicenow", client, explain=explain_servicenow_error, policy=policy, sleep=sleep
        )

    def close(self) -> None:
        self.http.close()

    def find_open(self, route: str, correlation: str) -> RemoteTicket | None:
        params = {
            # ^ joins conditions; our key holds only [a-z0-9-], so it needs no escaping
            "sysparm_query": f"correlation_id={correlation}^active=true",
            "sysparm_fields": _FIELDS,
            "sysparm_limit": "1",
        }
        found = self.http.request("GET", _TABLE, params=params) or {}
        rows = found.get("result") or []
        return self._ticket(rows[0]) if rows else None

    def create(self, route: str, correlation: str, request: DeliveryRequest) -> RemoteTicket:
        impact, urgency = impact_urgency(request.severity)
        record = {
            "short_description": _short(request),
            "description": render_ticket(request, "txt"),
            "impact": impact,
            "urgency": urgency,
            "assignment_group": route,
            "category": _CATEGORY,
            "correlation_id": correlation,
            "correlation_display": "Posture Copilot",
        }
        made = self.http.request(
            "POST", _TABLE, json=record, params={"sysparm_fields": _FIELDS}, unsafe=True
        )
        row = (made or {}).get("result") or {}
        if not row.get("sys_id"):
            raise TicketingFailed("ServiceNow answered without a sys_id.", target="servicenow")
        return self._ticket(row)

    def comment(self, route: str, ticket: RemoteTicket, request: DeliveryRequest) -> None:
        note = {"work_notes": render_comment(request, "txt")}
        self.http.request(
            "PATCH", f"{_TABLE}/{ticket.remote_id}", json=note, params={"sysparm_fields": _FIELDS}
        )

    def status(self, route: str, ticket: RemoteTicket) -> RemoteTicket:
        found = self.http.request(
            "GET", f"{_TABLE}/{ticket.remote_id}", params={"sysparm_fields": _FIELDS}
        )
        return self._ticket((found or {}).get("result") or {"sys_id": ticket.remote_id})

    def _ticket(self, row: dict[str, Any]) -> RemoteTicket:
        sys_id = str(row.get("sys_id", ""))
        state = str(row.get("state", ""))
        return RemoteTicket(
            key=str(row.get("number") or sys_id),
            url=f"{self.base_url}/nav_to.do?uri=incident.do?sys_id={sys_id}",
            remote_id=sys_id,
            status=state or "unknown",
            closed=state in _DONE_STATES,
        )


def _short(request: DeliveryRequest) -> str:
    text = f"[{request.severity.upper()}] {' '.join(request.title.split())}"
    return text if len(text) <= _SHORT_MAX else text[: _SHORT_MAX - 1] + "…"


def explain_servicenow_error(status: int, body: Any) -> tuple[str, str]:
    """ServiceNow's error body as one line and what to do about it.

    >>> explain_servicenow_error(401, {"error": {"message": "User Not Authenticated"}})[1]
    'Check POSTURE_SERVICENOW__USERNAME and __PASSWORD; nothing was delivered.'
    """
    error = (body or {}).get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    parts = [str(error.get(k)) for k in ("message", "detail") if error.get(k)]
    detail = ": ".join(parts)[:300]
    if status == 401:
        return "ServiceNow refused the credentials", (
            "Check POSTURE_SERVICENOW__USERNAME and __PASSWORD; nothing was delivered."
        )
    if status == 403:
        return f"ServiceNow refused the request{': ' + detail if detail else ''}", (
            "Give the ServiceNow user the itil role (create and update incidents)."
        )
    if status == 404:
        return "ServiceNow cannot find the record or table", (
            "Check the instance URL and that the incident table is reachable."
        )
    if status == 400:
        return f"ServiceNow rejected the fields: {detail or 'no detail given'}", (
            "Check the team's servicenow_group in posture.yaml and the incident form's "
            "mandatory fields."
        )
    return f"ServiceNow failed{': ' + detail if detail else ''}", "Retry later."

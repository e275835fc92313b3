"""Jira Cloud: issues with an ADF description, comments, status, search by label.

REST API v3 (https://developer.atlassian.com/cloud/jira/platform/rest/v3/):
``POST /rest/api/3/issue`` (fields: project.key, issuetype.name, summary, description
as ADF, labels), ``POST /rest/api/3/issue/{key}/comment`` (body as ADF),
``GET /rest/api/3/issue/{key}?fields=status`` (``status.statusCategory.key`` is
``new`` / ``indeterminate`` / ``done``) and ``POST /rest/api/3/search/jql`` (the
enhanced JQL search; the older ``/search`` is being removed). Auth is basic with the
account email and an API token. Errors come as ``{"errorMessages": [...],
"errors": {field: message}}``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from core.ticketing_settings import JiraSettings
from tickets.adf import adf_problems, markdown_to_adf
from tickets.client import RemoteTicket
from tickets.http import RetryPolicy, TicketHttp, TicketingFailed, make_client
from tickets.models import DeliveryRequest, TicketTarget
from tickets.render import render_comment, render_ticket

__all__ = ["JiraClient", "explain_jira_error"]

_SUMMARY_MAX = 254  # Jira's summary field limit


class JiraClient:
    """Issues in the team's Jira project; ``route`` is the project key."""

    target = TicketTarget.JIRA

    def __init__(
        self,
        settings: JiraSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        if not settings.configured or settings.api_token is None or settings.base_url is None:
            raise TicketingFailed(
                "Jira is not configured.",
                target="jira",
                remediation="Set POSTURE_JIRA__BASE_URL, POSTURE_JIRA__EMAIL and "
                "POSTURE_JIRA__API_TOKEN (or the jira: block of posture.yaml).",
            )
        self.base_url = settings.base_url.rstrip("/")
        self.issue_type = settings.issue_type
        client = make_client(self.base_url, transport=transport)
        client.auth = httpx.BasicAuth(settings.email or "", settings.api_token.get_secret_value())
        self.http = TicketHttp(
            "jira", client, explain=explain_jira_error, policy=policy, sleep=sleep
        )

    def close(self) -> None:
        self.http.close()

    def find_open(self, route: str, correlation: str) -> RemoteTicket | None:
        # Search is eventually consistent in Jira Cloud: this finds tickets of earlier
        # runs; races between concurrent deliveries are settled by the workflow DB.
        jql = (
            f"project = {_quoted(route)} AND labels = {_quoted(correlation)} "
            "AND statusCategory != Done"
        )
        body = {"jql": jql, "fields": ["status"], "maxResults": 1}
        found = self.http.request("POST", "/rest/api/3/search/jql", json=body) or {}
        issues = found.get("issues") or []
        return self._ticket(issues[0]) if issues else None

    def create(self, route: str, correlation: str, request: DeliveryRequest) -> RemoteTicket:
        description = _adf(render_ticket(request, "md"))
        labels = sorted({*request.labels, correlation, f"severity-{request.severity.lower()}"})
        fields = {
            "project": {"key": route},
            "issuetype": {"name": self.issue_type},
            "summary": _summary(request),
            "description": description,
            "labels": [label.replace(" ", "-") for label in labels],
        }
        made = self.http.request("POST", "/rest/api/3/issue", json={"fields": fields}, unsafe=True)
        key = str((made or {}).get("key", ""))
        if not key:
            raise TicketingFailed("Jira answered without an issue key.", target="jira")
        return RemoteTicket(key=key, url=self._browse(key), remote_id=key, status="To Do")

    def comment(self, route: str, ticket: RemoteTicket, request: DeliveryRequest) -> None:
        body = {"body": _adf(render_comment(request, "md"))}
        self.http.request("POST", f"/rest/api/3/issue/{ticket.remote_id}/comment", json=body)

    def status(self, route: str, ticket: RemoteTicket) -> RemoteTicket:
        issue = self.http.request(
            "GET", f"/rest/api/3/issue/{ticket.remote_id}", params={"fields": "status"}
        )
        return self._ticket(issue or {"key": ticket.remote_id})

    def _ticket(self, issue: dict[str, Any]) -> RemoteTicket:
        key = str(issue.get("key", ""))
        status = (issue.get("fields") or {}).get("status") or {}
        category = (status.get("statusCategory") or {}).get("key", "")
        return RemoteTicket(
            key=key,
            url=self._browse(key),
            remote_id=key,
            status=str(status.get("name") or "unknown"),
            closed=category == "done",
        )

    def _browse(self, key: str) -> str:
        return f"{self.base_url}/browse/{key}"


def _quoted(value: str) -> str:
    """A JQL string literal.

    >>> print(_quoted('PAY" OR project = "X'))
    "PAY\\" OR project = \\"X"
    """
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _summary(request: DeliveryRequest) -> str:
    text = f"[{request.severity.upper()}] {' '.join(request.title.split())}"
    return text if len(text) <= _SUMMARY_MAX else text[: _SUMMARY_MAX - 1] + "…"


def _adf(markdown: str) -> dict[str, Any]:
    doc = markdown_to_adf(markdown)
    problems = adf_problems(doc)
    if problems:  # a bug of ours; Jira would answer 400 with a vaguer line
        raise TicketingFailed(f"Built invalid ADF: {problems[0]}.", target="jira")
    return doc


def explain_jira_error(status: int, body: Any) -> tuple[str, str]:
    """Jira's error body as one line and what to do about it.

    >>> explain_jira_error(400, {"errors": {"project": "valid project is required"}})[1]
    "Check the team's jira_project in posture.yaml: Jira does not know that project."
    """
    body = body if isinstance(body, dict) else {}
    fields = body.get("errors") or {}
    details = [*(body.get("errorMessages") or []), *(f"{k}: {v}" for k, v in fields.items())]
    detail = "; ".join(str(d) for d in details)[:300]
    if status == 401:
        return "Jira refused the credentials", (
            "Check POSTURE_JIRA__EMAIL and POSTURE_JIRA__API_TOKEN; nothing was delivered."
        )
    if status == 403:
        return "Jira refused the request", (
            "Give the Jira account Browse, Create and Add Comments in the team's project."
        )
    project_named = "project" in fields or "project" in detail.lower()
    if status == 404 or (status == 400 and project_named):
        return f"Jira cannot find it{': ' + detail if detail else ''}", (
            "Check the team's jira_project in posture.yaml: Jira does not know that project."
        )
    if status == 400:
        return f"Jira rejected the fields: {detail or 'no detail given'}", (
            "Make these fields optional on the project's create screen, or set "
            "POSTURE_JIRA__ISSUE_TYPE to a type that accepts them."
        )
    return f"Jira failed{': ' + detail if detail else ''}", "Retry later; Jira may be degraded."

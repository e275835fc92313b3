"""Ticket and pull-request delivery: Jira, ServiceNow, GitHub."""

from tickets.adf import adf_problems, markdown_to_adf
from tickets.client import RemoteTicket, TicketClient, correlation_id
from tickets.desk import TicketDesk, clients_from_settings
from tickets.github import GitHubClient
from tickets.http import RetryPolicy, TicketingFailed
from tickets.jira import JiraClient
from tickets.models import (
    Deliverer,
    DeliveryReceipt,
    DeliveryRequest,
    TicketState,
    TicketTarget,
)
from tickets.records import TicketBook, TicketRecord
from tickets.servicenow import ServiceNowClient
from tickets.status import ClosedButOpen, StatusChange, closed_but_still_open, refresh_statuses

__all__ = [
    "ClosedButOpen",
    "DeliveryReceipt",
    "DeliveryRequest",
    "Deliverer",
    "GitHubClient",
    "JiraClient",
    "RemoteTicket",
    "RetryPolicy",
    "ServiceNowClient",
    "StatusChange",
    "TicketBook",
    "TicketClient",
    "TicketDesk",
    "TicketRecord",
    "TicketState",
    "TicketTarget",
    "TicketingFailed",
    "adf_problems",
    "clients_from_settings",
    "closed_but_still_open",
    "correlation_id",
    "markdown_to_adf",
    "refresh_statuses",
]

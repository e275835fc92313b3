"""Ticket and pull-request delivery: Jira, ServiceNow, GitHub."""

from tickets.models import (
    Deliverer,
    DeliveryReceipt,
    DeliveryRequest,
    TicketState,
    TicketTarget,
)

__all__ = ["DeliveryReceipt", "DeliveryRequest", "Deliverer", "TicketState", "TicketTarget"]

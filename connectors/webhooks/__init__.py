"""The webhook inbox: CNAPP push events checked, stored durably, then processed.

``WebhookReceiver.handle`` answers ``POST /webhooks/{source}`` (auth per platform, raw
event committed before the 2xx, duplicates dropped, malformed kept in a dead-letter
table); ``WebhookProcessor`` normalises stored events on a worker thread and announces
new critical findings; ``apply_pending`` loads them into the findings store from a writer.
"""

from connectors.webhooks.apply import WEBHOOK_ORIGIN, ApplyReport, apply_pending
from connectors.webhooks.auth import Unauthenticated, sign, verify
from connectors.webhooks.inbox import InboxRow, WebhookInbox
from connectors.webhooks.normalise import Malformed, NormalisedEvent, normalise, split
from connectors.webhooks.processor import AlertSink, WebhookProcessor
from connectors.webhooks.receiver import WebhookReceiver
from connectors.webhooks.request import SOURCES, WebhookAnswer, WebhookRequest

__all__ = [
    "SOURCES",
    "WEBHOOK_ORIGIN",
    "AlertSink",
    "ApplyReport",
    "InboxRow",
    "Malformed",
    "NormalisedEvent",
    "Unauthenticated",
    "WebhookAnswer",
    "WebhookInbox",
    "WebhookProcessor",
    "WebhookReceiver",
    "WebhookRequest",
    "apply_pending",
    "normalise",
    "sign",
    "split",
    "verify",
]

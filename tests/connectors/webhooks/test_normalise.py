"""Webhook payloads, real samples first, become the findings the API sync would make."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connectors.webhooks import Malformed, normalise, split
from core.models import FindingStatus, Severity, Source

API = Path("realdata/cnapp-api")


def load(shared_dir: Path, name: str):
    return json.loads((shared_dir / API / name).read_text())


def test_a_real_wiz_issue_node_as_a_custom_template(shared_dir: Path):
    data = load(shared_dir, "wiz/graphql-issues-response.json")["data"]
    node = next(iter(data.values()))["nodes"][0]
    event = normalise("wiz", node, b"raw")
    (finding,) = event.findings
    assert finding.source is Source.WIZ and finding.source_id == node["id"]
    assert finding.resource_id == node["entitySnapshot"]["providerId"]
    assert event.event_id.startswith(f"{node['id']}:{node['status']}:")
    assert event.resource_name == node["entitySnapshot"]["name"]


def test_wiz_default_template_with_owner_tags():
    body = {
        "issue": {
            "id": "i-1",
            "status": "OPEN",
            "severity": "CRITICAL",
            "created": "2026-01-01T00:00:00Z",
        },
        "resource": {
            "id": "arn:x",
            "name": "pay",
            "tags": {"Environment": "Prod", "team": "payments"},
        },
        "control": {"id": "c-1", "name": "Public bucket", "description": ""},
    }
    event = normalise("wiz", body, b"raw")
    assert event.findings[0].severity is Severity.CRITICAL
    assert (event.environment, event.owner_team, event.event_id) == ("prod", "payments", "i-1:OPEN")


def test_real_prisma_alerts_and_the_flat_notification_shape(shared_dir: Path):
    items = load(shared_dir, "prisma-cloud/alerts-v2-response.json")["items"]
    (event,) = [normalise("prisma", r, b"raw") for r in split("prisma", items)]
    assert event.findings[0].source_id == "N-3910" and event.resource_name == "IS-37133"
    flat = {
        "alertId": "P-7",
        "alertStatus": "resolved",
        "policyName": "S3 public",
        "severity": "critical",
        "resourceId": "arn:aws:s3:::b",
        "resourceName": "b",
        "firstSeen": 1694003441966,
        "lastSeen": 1694003441966,
        "policyType": "config",
    }
    resolved = normalise("prisma", flat, b"raw")
    assert resolved.findings[0].status is FindingStatus.RESOLVED
    assert resolved.event_id == "P-7:resolved:1694003441966"


def test_real_lacework_alerts_and_the_alert_channel_event(shared_dir: Path):
    details = normalise("lacework", load(shared_dir, "lacework/alert-details-response.json"), b"r")
    assert details.findings[0].source_id == "967272" and details.event_id == "967272:Open"
    row = load(shared_dir, "lacework/alerts-list-response.json")["data"][0]
    assert normalise("lacework", row, b"r").findings[0].severity is Severity.HIGH
    channel = {
        "event_title": "Root account used",
        "event_link": "https://acme.lacework.net/x",
        "lacework_account": "acme",
        "event_source": "AWS",
        "event_description": "d",
        "event_timestamp": "10 Mar 2021 17:00 GMT",
        "event_type": "CloudTrailDefaultAlert",
        "event_id": "123",
        "event_severity": "1",
    }
    finding = normalise("lacework", channel, b"r").findings[0]
    assert finding.severity is Severity.CRITICAL and finding.first_seen.year == 2021


def test_an_orca_alert():
    alert = {
        "state": {
            "alert_id": "orca-1",
            "status": "open",
            "risk_level": "critical",
            "created_at": "2026-01-01T00:00:00Z",
            "last_seen": "2026-01-02T00:00:00Z",
        },
        "type": "public_bucket",
        "category": "Data at risk",
        "asset_unique_id": "b-1",
        "asset_name": "bucket",
        "data": {"title": "Public S3 bucket"},
    }
    event = normalise("orca", alert, b"raw")
    assert event.findings[0].severity is Severity.CRITICAL
    assert event.event_id == "orca-1:open:2026-01-02T00:00:00Z"


@pytest.mark.parametrize(
    ("source", "payload", "reason"),
    [
        ("wiz", [], "non-empty array"),
        ("wiz", [{}, {}], "one event per call"),
        ("wiz", {"trigger": {}}, "needs an issue"),
        ("prisma", {"alertId": "P-1"}, "needs firstSeen"),
        ("lacework", {"event_title": "x"}, "needs startTime"),
        ("orca", {"state": {}}, "created_at"),
        (
            "wiz",
            {
                "issue": {"id": "1", "created": "2026-01-01T00:00:00Z", "status": "WEIRD"},
                "resource": {"id": "r"},
            },
            "WEIRD",
        ),
    ],
)
def test_malformed_payloads_say_why(source, payload, reason):
    with pytest.raises(Malformed) as caught:
        for record in split(source, payload):
            normalise(source, record, b"raw")
    assert reason in caught.value.reason

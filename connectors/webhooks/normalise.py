"""Webhook payloads to findings, through the same mappers the API sync uses.

A webhook carries a platform's alert in its notification shape; each is rewritten into
the API record its mapper already reads (Wiz ``issuesV2`` node, Prisma Cloud alerts v2
item, Lacework Alerts row, Orca alert), so vendor vocabulary still stops in one place.

Shapes accepted, per platform:

- wiz: Wiz's default webhook body (``trigger`` / ``issue`` / ``resource`` / ``control``,
  the Mustache template of the Wiz automation action), or a template that renders the
  issue node itself (``id``, ``entitySnapshot`` ...).
- prisma: a JSON array of alerts (Prisma Cloud's webhook payload), or one alert; each in
  the notification's flat shape (``alertId``, ``policyName``, ``resourceId`` ...) or the
  alerts v2 shape (``id``, ``policy``, ``resource``).
- lacework: the alert channel's flat event (``event_id``, ``event_title``,
  ``event_severity`` ...), or an Alerts API row (``alertId`` ...), bare or under ``data``.
- orca: an alert (``state.alert_id`` ...), or an array of them.

The event id is the platform's id plus the alert's status and update time, so a retried
delivery is a duplicate while a status change (resolved, reopened) is a new event; with
no platform id it is the SHA-256 of the record.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from connectors.lacework.mapping import alert_to_finding as lacework_alert
from connectors.orca.mapping import alert_to_finding as orca_alert
from connectors.prisma.mapping import alert_to_finding as prisma_alert
from connectors.wiz.mapping import issue_to_finding
from core.models import Finding

__all__ = ["Malformed", "NormalisedEvent", "normalise", "split"]

Record = dict[str, Any]


class Malformed(ValueError):
    """The payload is JSON but not an event this source sends; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class NormalisedEvent:
    """One event as findings, with what the payload says about the resource's owner."""

    event_id: str
    findings: tuple[Finding, ...]
    resource_name: str | None = None
    environment: str | None = None
    owner_team: str | None = None

    def to_json(self) -> str:
        return json.dumps(
            {
                "findings": [f.model_dump(mode="json") for f in self.findings],
                "resource_name": self.resource_name,
                "environment": self.environment,
                "owner_team": self.owner_team,
            }
        )

    @classmethod
    def from_json(cls, event_id: str, text: str) -> NormalisedEvent:
        data = json.loads(text)
        findings = tuple(Finding.model_validate(f) for f in data["findings"])
        return cls(
            event_id, findings, data["resource_name"], data["environment"], data["owner_team"]
        )


def _blank(value: Any) -> Any:
    """Mustache renders a missing field as ""; treat it as missing."""
    return None if value in ("", [], {}) else value


def _context(tags: Any) -> tuple[str | None, str | None]:
    """Environment and owner team from the resource's tags, where the payload has them."""
    if not isinstance(tags, dict):
        return None, None
    lowered = {str(k).lower(): str(v).strip().lower() for k, v in tags.items() if v}
    env = next((lowered[k] for k in ("environment", "env", "stage") if k in lowered), None)
    team = next((lowered[k] for k in ("owner_team", "team", "owner") if k in lowered), None)
    return env, team


def _event_id(platform_id: Any, *version: Any) -> str | None:
    if not platform_id:
        return None
    marks = [str(v) for v in version if v]
    return ":".join([str(platform_id), *marks])


# --- Wiz -----------------------------------------------------------------------------


def _wiz_node(record: Record) -> Record:
    if "entitySnapshot" in record:
        return record
    issue, resource = record.get("issue") or {}, record.get("resource") or {}
    control = record.get("control") or {}
    if not issue:
        raise Malformed("a Wiz event needs an issue (or the issue node itself)")
    return {
        "id": _blank(issue.get("id")),
        "status": _blank(issue.get("status")),
        "severity": _blank(issue.get("severity")) or _blank(control.get("severity")),
        "createdAt": _blank(issue.get("created")) or _blank(issue.get("createdAt")),
        "updatedAt": _blank(issue.get("updatedAt")),
        "entitySnapshot": {
            "providerId": _blank(resource.get("id")) or _blank(resource.get("providerId")),
            "name": _blank(resource.get("name")),
            "nativeType": _blank(resource.get("type")),
            "cloudPlatform": _blank(resource.get("cloudPlatform")),
            "region": _blank(resource.get("region")),
            "subscriptionExternalId": _blank(resource.get("subscriptionId")),
            "tags": resource.get("tags") if isinstance(resource.get("tags"), dict) else {},
        },
        "sourceRule": {
            "id": _blank(control.get("id")),
            "name": _blank(control.get("name")),
            "description": _blank(control.get("description")),
        },
    }


def _wiz(record: Record) -> tuple[str | None, Finding, Record]:
    node = _wiz_node(record)
    version = node.get("updatedAt") or node.get("statusChangedAt")
    entity = node.get("entitySnapshot") or {}
    return _event_id(node.get("id"), node.get("status"), version), issue_to_finding(node), entity


# --- Prisma Cloud --------------------------------------------------------------------


def _prisma_item(record: Record) -> Record:
    if isinstance(record.get("policy"), dict) and isinstance(record.get("resource"), dict):
        return record
    given = record.get("resource")
    resource: Record = given if isinstance(given, dict) else {}
    return {
        "id": record.get("alertId") or record.get("id"),
        "status": str(record.get("alertStatus") or record.get("status") or "open").lower(),
        "firstSeen": record.get("firstSeen") or record.get("alertTs"),
        "lastSeen": record.get("lastSeen") or record.get("alertTs"),
        "policy": {
            "policyId": record.get("policyId"),
            "name": record.get("policyName"),
            "policyType": record.get("policyType"),
            "description": record.get("policyDescription"),
            "severity": record.get("severity"),
        },
        "resource": {
            "id": record.get("resourceId") or resource.get("id"),
            "name": record.get("resourceName") or resource.get("name"),
            "resourceTags": record.get("resourceTags") or resource.get("resourceTags"),
        },
    }


def _prisma(record: Record) -> tuple[str | None, Finding, Record]:
    item = _prisma_item(record)
    version = item.get("lastUpdated") or item.get("lastSeen")
    resource = dict(item.get("resource") or {})
    resource["tags"] = resource.get("resourceTags") or resource.get("tags")
    return _event_id(item.get("id"), item.get("status"), version), prisma_alert(item), resource


# --- Lacework ------------------------------------------------------------------------

_LACEWORK_SEVERITY = {"1": "critical", "2": "high", "3": "medium", "4": "low", "5": "info"}


def _lacework_time(value: Any) -> Any:
    """The alert channel writes times like "10 Mar 2021 17:00 GMT"; the API, RFC 3339."""
    if isinstance(value, str) and value.endswith(" GMT"):
        try:
            return datetime.strptime(value, "%d %b %Y %H:%M %Z").isoformat() + "Z"
        except ValueError:
            return value
    return value


def _lacework_row(record: Record) -> Record:
    if isinstance(record.get("data"), dict):
        record = record["data"]
    if "alertId" in record:
        return record
    severity = str(record.get("event_severity") or "")
    return {
        "alertId": record.get("event_id"),
        "alertName": record.get("event_title"),
        "alertType": record.get("event_type"),
        "severity": _LACEWORK_SEVERITY.get(severity, severity or None),
        "startTime": _lacework_time(record.get("event_timestamp")),
        "status": record.get("status") or "Open",
        "alertInfo": {
            "subject": record.get("event_title"),
            "description": record.get("event_description"),
        },
    }


def _lacework(record: Record) -> tuple[str | None, Finding, Record]:
    row = _lacework_row(record)
    status = row.get("status")
    version = row.get("lastUserUpdatedTime") if row.get("lastUserUpdatedTime") != "0" else None
    return _event_id(row.get("alertId"), status, version), lacework_alert(row), {}


# --- Orca ----------------------------------------------------------------------------


def _orca(record: Record) -> tuple[str | None, Finding, Record]:
    state = record.get("state") or {}
    version = state.get("last_updated") or state.get("last_seen")
    resource = {"name": record.get("asset_name"), "tags": record.get("asset_tags_info_list")}
    if isinstance(resource["tags"], list):  # Orca lists tags as "key|value" strings
        resource["tags"] = dict(str(t).partition("|")[::2] for t in resource["tags"])
    finding = orca_alert(record)
    return _event_id(state.get("alert_id"), state.get("status"), version), finding, resource


_MAPPERS: dict[str, Callable[[Record], tuple[str | None, Finding, Record]]] = {
    "wiz": _wiz,
    "prisma": _prisma,
    "lacework": _lacework,
    "orca": _orca,
}


def split(source: str, payload: Any) -> list[Record]:
    """The events one request carries (Prisma Cloud and Orca may send an array).

    Raises:
        Malformed: not an object or an array of objects.
    """
    records = payload if isinstance(payload, list) else [payload]
    if not records or not all(isinstance(r, dict) for r in records):
        raise Malformed("the body must be a JSON object or a non-empty array of objects")
    if len(records) > 1 and source not in ("prisma", "orca"):
        raise Malformed(f"{source} sends one event per call, not an array")
    return records


def normalise(source: str, record: Record, raw: bytes) -> NormalisedEvent:
    """One event as findings.

    Raises:
        Malformed: the record lacks what its platform always sends.
    """
    try:
        platform_id, finding, resource = _MAPPERS[source](record)
    except Malformed:
        raise
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        raise Malformed(f"{source} event: {where}: {problem['msg']}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise Malformed(f"{source} event: {exc}") from None
    environment, team = _context(resource.get("tags"))
    name = resource.get("name")
    return NormalisedEvent(
        event_id=platform_id or "sha256:" + hashlib.sha256(raw).hexdigest(),
        findings=(finding,),
        resource_name=str(name) if name else None,
        environment=environment,
        owner_team=team,
    )

"""Proactive alerts: a new critical finding on a prod resource, told to its owner team.

The webhook worker (connectors/webhooks/processor.py) calls ``target`` and ``send``.
The owner and environment come from the event's own tags, else from the findings store
(read-only) when it knows the resource; the channel is the team's ``slack_channel``
(``teams`` in posture.yaml), else the fallback team's. The message leads with the new
finding (its text is untrusted: secrets redacted, Slack's control characters escaped)
and its risk, then carries a real answer, "open findings on <resource>", so its buttons
(Show SQL, Explain, Export CSV ...) work like those of any answer.
"""

from __future__ import annotations

import logging
from typing import Any

from bot import messages
from bot.delivery import Courier, Place
from bot.desk import AnswerDesk
from bot.replies import Reply
from bot.views.common import context, cut, escape, finish, section
from connectors.webhooks import NormalisedEvent
from core.models import Finding
from core.settings import Settings
from governance.redact import Redactor
from querygen.spec import Filter, Op, OrderBy, QuerySpec
from risk import RiskScore, RiskSignals, risk_score

__all__ = ["ALERT_USER", "ProactiveAlerts", "ResourceFacts"]

logger = logging.getLogger(__name__)

ALERT_USER = "posture-webhooks"  # who the stored answer belongs to
_PLATFORMS = {"wiz": "Wiz", "prisma": "Prisma Cloud", "lacework": "Lacework", "orca": "Orca"}
_LOOKUP_COLUMNS = ["name", "environment", "team", "is_public", "data_classes"]
ResourceFacts = dict[str, Any]


class ProactiveAlerts:
    """The bot's ``AlertSink``: picks the channel, builds the message, posts it."""

    def __init__(self, settings: Settings, desk: AnswerDesk, courier: Courier) -> None:
        self.settings = settings
        self.desk = desk
        self.courier = courier
        self._redactor = Redactor(pseudonymise=False)

    # --- where ---------------------------------------------------------------------------

    def facts(self, event: NormalisedEvent, finding: Finding) -> ResourceFacts:
        """Name, environment and team of the finding's resource: the event first, then
        the findings store."""
        known = self._stored(finding.resource_id)
        return {
            "name": event.resource_name or known.get("name") or finding.resource_id,
            "environment": event.environment or known.get("environment"),
            "team": event.owner_team or known.get("team"),
            "is_public": bool(known.get("is_public")),
            "data_classes": tuple(known.get("data_classes") or ()),
        }

    def _stored(self, resource_id: str) -> ResourceFacts:
        spec = QuerySpec(
            view="resources",
            conditions=[Filter(field="resource_id", op=Op.EQ, value=resource_id)],
            columns=_LOOKUP_COLUMNS,
            limit=1,
        )
        answer = self.desk.copilot.answer_spec(spec, question=f"resource {resource_id[:200]}")
        if not answer.rows:
            return {}
        return dict(zip(answer.columns, answer.rows[0], strict=False))

    def known(self, finding: Finding) -> bool:
        """Is the finding in the findings store already (synced before it was pushed)?"""
        spec = QuerySpec(
            view="findings",
            conditions=[Filter(field="finding_id", op=Op.EQ, value=finding.finding_id)],
            columns=["finding_id"],
            limit=1,
        )
        return bool(self.desk.copilot.answer_spec(spec, question="a known finding").rows)

    def target(self, event: NormalisedEvent, finding: Finding) -> str | None:
        """The owner team's channel when the finding is new and the resource is prod;
        None otherwise."""
        if self.known(finding):
            return None
        facts = self.facts(event, finding)
        if str(facts["environment"] or "").lower() != "prod":
            return None
        teams = self.settings.teams
        route = teams.get(str(facts["team"] or "")) or teams.get(
            self.settings.access.fallback_team or ""
        )
        if route is None or not route.slack_channel:
            logger.warning("no channel for team %r; alert on %s not sent", facts["team"], finding)
            return None
        return route.slack_channel

    # --- what ----------------------------------------------------------------------------

    def send(self, channel: str, event: NormalisedEvent, finding: Finding) -> None:
        """Post the alert; the courier logs a failed send under an incident id."""
        reply = self.courier.guarded(lambda: self.reply(event, finding), "building an alert")
        self.courier.deliver(Place(channel=channel, user=ALERT_USER), reply)

    def reply(self, event: NormalisedEvent, finding: Finding) -> Reply:
        facts = self.facts(event, finding)
        score = _risk(finding, facts)
        platform = _PLATFORMS.get(finding.source.value, finding.source.value)
        title = self._clean(finding.title, 300)
        lead = messages.ALERT_LEAD.format(
            platform=platform,
            title=title,
            resource=f"`{self._clean(str(facts['name']), 200)}`",
            team=self._clean(str(facts["team"] or "unassigned"), 60),
            risk=f"{score.score:.2f}",
        )
        factors = ", ".join(escape(f.detail) for f in score.top(3))
        head = [section(lead), context(messages.ALERT_FACTORS.format(factors=factors))]
        answer = self.desk.with_row_keys(
            self.desk.answer_spec(
                _open_findings(finding.resource_id),
                question=messages.ALERT_QUESTION.format(resource=cut(str(facts["name"]), 120)),
            )
        )
        body = self.desk.answer_reply(answer, ALERT_USER)
        blocks = finish(head) + body.blocks
        text = messages.ALERT_TEXT.format(platform=platform, title=title)
        return Reply(text=cut(text, 3000), blocks=blocks[:50])

    def _clean(self, text: str, limit: int) -> str:
        """Untrusted text for mrkdwn: secrets out, control characters escaped, cut."""
        return escape(cut(self._redactor.redact(" ".join(text.split())).text, limit))


def _open_findings(resource_id: str) -> QuerySpec:
    return QuerySpec(
        view="findings",
        conditions=[
            Filter(field="resource_id", op=Op.EQ, value=resource_id),
            Filter(field="status", op=Op.EQ, value="open"),
        ],
        order_by=[OrderBy(field="risk_score", descending=True)],
        limit=10,
    )


def _risk(finding: Finding, facts: ResourceFacts) -> RiskScore:
    """The finding's score from what the event and the store say (the store scores it
    again, with everything it knows, once the finding is applied)."""
    vuln = finding.vulnerability
    return risk_score(
        RiskSignals(
            severity=finding.severity.value,
            category=finding.category.value,
            cvss=vuln.cvss_score if vuln else None,
            epss=vuln.epss if vuln else None,
            in_kev=bool(vuln and vuln.in_kev),
            exploit_available=bool(vuln and vuln.exploit_available),
            fix_available=bool(vuln and vuln.fixed_version),
            is_public=bool(facts["is_public"]),
            environment=facts["environment"],
            data_classes=tuple(str(d) for d in facts["data_classes"]),
        )
    )

"""The approval flow with nothing faked but the outside world: Slack and ServiceNow are
loopback servers, delivery goes through the real ``TicketDesk`` that ``posture serve``
builds (``bot.proposal_wiring.build_deliverer``) over the proposals' own database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import Settings, SlackSettings
from governance.audit import AuditLog
from pipeline import Copilot
from store import FindingsStore
from tests.bot import payloads
from tests.bot.test_actions import press
from tests.bot.test_compliance import summary
from tests.bot.test_proposals import Bot, _draft, _press, _thread_replies
from tests.fakes import servicenow_server
from tests.fakes.servicenow_server import FakeServiceNow
from tests.fakes.slack_server import BOT_TOKEN, SIGNING_SECRET, FakeSlack
from tests.proposals.conftest import ACCESS, APPROVER, K8S_FIX, LEAD, LEADS_GROUP, TEAMS, VIEWER

INCIDENTS = "/api/now/table/incident"


@pytest.fixture
def servicenow() -> Iterator[FakeServiceNow]:
    with FakeServiceNow(groups=("Platform Operations",)) as fake:
        yield fake


@pytest.fixture
def bot(
    slack: FakeSlack,
    servicenow: FakeServiceNow,
    copilot: Copilot,
    demo_store: FindingsStore,
    tmp_path: Path,
) -> Iterator[Bot]:
    slack.usergroups[LEADS_GROUP] = [LEAD]
    settings = Settings(
        home=tmp_path / "home",
        slack=SlackSettings(
            bot_token=BOT_TOKEN,
            signing_secret=SIGNING_SECRET,
            api_url=slack.base_url,
            send_interval_s=0.0,
        ),
        teams={  # whoever presses the answer's buttons (payloads.USER) may request
            name: route.model_copy(update={"requesters": (*route.requesters, payloads.USER)})
            for name, route in TEAMS.items()
        },
        access=ACCESS.model_copy(update={"fallback_team": "platform"}),
        servicenow={
            "instance_url": servicenow.base_url,
            "username": servicenow_server.USERNAME,
            "password": servicenow_server.PASSWORD,
        },
    )
    running = Bot(settings, copilot, demo_store, None, AuditLog(tmp_path / "audit.jsonl"))
    yield running
    running.stop()


def _created(servicenow: FakeServiceNow) -> list:
    return servicenow.calls_to("POST", INCIDENTS)


def test_approve_creates_one_incident_and_posts_its_number(
    bot: Bot, slack: FakeSlack, servicenow: FakeServiceNow
):
    posted = _draft(bot, slack, K8S_FIX, "C0PLATFORM")
    assert _created(servicenow) == []  # nothing leaves before a human approves
    _press(bot, slack, posted, "proposal_approve", APPROVER)
    [receipt] = _thread_replies(slack)
    [incident] = servicenow.incidents.values()
    assert incident["number"] in receipt.args["text"]
    assert K8S_FIX in incident["description"] and len(_created(servicenow)) == 1


def test_a_double_click_and_a_restart_still_make_one_incident(
    bot: Bot, slack: FakeSlack, servicenow: FakeServiceNow
):
    posted = _draft(bot, slack, K8S_FIX, "C0PLATFORM")
    bot.stop()
    bot.start()
    _press(bot, slack, posted, "proposal_approve", APPROVER)
    _press(bot, slack, posted, "proposal_approve", APPROVER)
    _thread_replies(slack)
    slack.wait_for("chat.postEphemeral", where=lambda c: "already" in c.args["text"])
    assert len(servicenow.incidents) == 1 and len(_created(servicenow)) == 1


def test_a_viewer_approval_sends_nothing_to_servicenow(
    bot: Bot, slack: FakeSlack, servicenow: FakeServiceNow
):
    posted = _draft(bot, slack, K8S_FIX, "C0PLATFORM")
    _press(bot, slack, posted, "proposal_approve", VIEWER)
    slack.wait_for("chat.postEphemeral", where=lambda c: c.args["user"] == VIEWER)
    assert servicenow.calls == []


def test_draft_tickets_on_a_compliance_summary_proposes_each_control_for_approval(
    bot: Bot, slack: FakeSlack, servicenow: FakeServiceNow
):
    blocks = summary(bot.app, slack, "compliance soc2 prod")
    press(bot.app, slack, blocks, "compliance_tickets")
    # five controls; where two share their riskiest finding, the second is told it exists
    notes = slack.wait_for("chat.postEphemeral", 5, where=lambda c: "prop_" in c.args["text"])
    drafted = [c for c in notes if "posted it for approval" in c.args["text"]]
    repeats = [c for c in notes if "already proposes this" in c.args["text"]]
    assert drafted and len(drafted) + len(repeats) == 5
    proposals = slack.wait_for(
        "chat.postMessage",
        len(drafted),
        where=lambda c: "proposal_approve" in str(c.args.get("blocks")),
    )
    assert {c.args["channel"] for c in proposals} <= {"C0PLATFORM", "C0PAYMENTS"}
    assert servicenow.calls == []  # proposed, not filed: each waits for an approver
    platform = next(c for c in proposals if c.args["channel"] == "C0PLATFORM")
    _press(bot, slack, platform, "proposal_approve", APPROVER)
    [receipt] = slack.wait_for(
        "chat.postMessage", where=lambda c: "Delivered as" in str(c.args.get("text"))
    )
    [incident] = servicenow.incidents.values()
    assert incident["number"] in receipt.args["text"]

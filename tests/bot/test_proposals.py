"""End to end through the fake Slack: a row's Draft fix posts a proposal to the owner
team's channel; Approve by an approver delivers once (double clicks too); a viewer is
refused; Reject asks why and delivers nothing; Edit re-validates; a restart between
steps loses nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_bolt import App

from bot.app import Services, build_app, build_services
from bot.proposal_wiring import build_proposal_desk
from bot.views.proposal_forms import EDIT_CALLBACK, REJECT_CALLBACK, SUPPRESS_CALLBACK
from core.settings import Settings, SlackSettings
from governance.audit import AuditLog
from pipeline import Copilot
from querygen.spec import Filter, Op, QuerySpec
from store import FindingsStore
from tests.bot import payloads
from tests.bot.conftest import dispatch, texts
from tests.bot.proposal_payloads import button_body, submission_body, typed
from tests.conftest import DEMO_NOW
from tests.fakes.recording_deliverer import RecordingDeliverer
from tests.fakes.slack_server import BOT_TOKEN, SIGNING_SECRET, Call, FakeSlack
from tests.proposals.conftest import (
    ACCESS,
    APPROVER,
    CRITICAL_FIX,
    K8S_FIX,
    LEAD,
    LEADS_GROUP,
    REQUESTER,
    TEAMS,
    VIEWER,
)


@pytest.fixture
def settings(slack: FakeSlack, tmp_path: Path) -> Settings:
    slack.usergroups[LEADS_GROUP] = [LEAD]
    return Settings(
        home=tmp_path / "home",
        slack=SlackSettings(
            bot_token=BOT_TOKEN,
            signing_secret=SIGNING_SECRET,
            api_url=slack.base_url,
            send_interval_s=0.0,
        ),
        teams=TEAMS,
        access=ACCESS,
    )


@pytest.fixture
def deliverer() -> RecordingDeliverer:
    return RecordingDeliverer(delay_s=0.05)


class Bot:
    """The app, rebuilt at will over the same files (a restart)."""

    def __init__(self, settings, copilot, store, deliverer, audit) -> None:
        self.args = (settings, copilot, store, deliverer, audit)
        self.services: Services | None = None
        self.app: App | None = None
        self.start()

    def start(self) -> None:
        settings, copilot, store, deliverer, audit = self.args
        self.services = build_services(
            settings,
            copilot,
            audit=audit,
            proposals=lambda client: build_proposal_desk(
                settings, store, client, audit=audit, deliverer=deliverer, clock=lambda: DEMO_NOW
            ),
        )
        self.app = build_app(settings, self.services)

    def stop(self) -> None:
        assert self.services is not None
        self.services.close()


@pytest.fixture
def audit(tmp_path: Path) -> AuditLog:
    return AuditLog(tmp_path / "audit.jsonl")


@pytest.fixture
def bot(
    settings: Settings,
    copilot: Copilot,
    demo_store: FindingsStore,
    deliverer: RecordingDeliverer,
    audit: AuditLog,
) -> Iterator[Bot]:
    running = Bot(settings, copilot, demo_store, deliverer, audit)
    yield running
    running.stop()


def _row_menu_value(bot: Bot, finding_id: str, choice: str) -> str:
    """Render an answer listing the finding and read the row menu option a person picks."""
    desk = bot.services.desk
    spec = QuerySpec(
        view="findings", conditions=[Filter(field="finding_id", op=Op.EQ, value=finding_id)]
    )
    answer = desk.with_row_keys(desk.answer_spec(spec, question="this finding"))
    blocks = desk.answer_reply(answer, REQUESTER).blocks
    menu = next(b["accessory"] for b in blocks if b.get("accessory", {}).get("type") == "overflow")
    return next(o["value"] for o in menu["options"] if o["value"].startswith(f"{choice}:"))


def _pick_row(bot: Bot, slack: FakeSlack, finding_id: str, choice: str, user: str = REQUESTER):
    value = _row_menu_value(bot, finding_id, choice)
    action = {"action_id": "row_menu", "type": "overflow", "selected_option": {"value": value}}
    body = button_body(user, payloads.CHANNEL, "1700000300.000100", action)
    assert dispatch(bot.app, body, content_type=payloads.FORM).status == 200


def _draft(bot: Bot, slack: FakeSlack, finding_id: str, channel: str) -> Call:
    _pick_row(bot, slack, finding_id, "fix")
    [posted] = slack.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == channel)
    slack.wait_for("chat.postEphemeral", where=lambda c: "for approval" in c.args["text"])
    return posted


def _button(posted: Call, slack: FakeSlack, action_id: str) -> dict:
    ts = posted_ts(slack, posted)
    message = slack.messages[(posted.args["channel"], ts)]
    for block in message["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return element
    raise AssertionError(f"no {action_id} on the proposal")


def posted_ts(slack: FakeSlack, posted: Call) -> str:
    channel = posted.args["channel"]
    return next(
        ts for (c, ts), m in slack.messages.items() if c == channel and not m.get("thread_ts")
    )


def _press(bot: Bot, slack: FakeSlack, posted: Call, action_id: str, user: str) -> None:
    element = _button(posted, slack, action_id)
    action = {"action_id": action_id, "type": "button", "value": element["value"]}
    body = button_body(user, posted.args["channel"], posted_ts(slack, posted), action)
    assert dispatch(bot.app, body, content_type=payloads.FORM).status == 200


def _thread_replies(slack: FakeSlack, count: int = 1) -> list[Call]:
    return slack.wait_for("chat.postMessage", count, where=lambda c: bool(c.args.get("thread_ts")))


def test_draft_fix_posts_the_proposal_to_the_owner_team(
    bot: Bot, slack: FakeSlack, audit: AuditLog
):
    posted = _draft(bot, slack, K8S_FIX, "C0PLATFORM")
    body = texts(posted.args["blocks"])
    assert "Proposed fix" in body and K8S_FIX in body and "ServiceNow" in body
    assert "privileged" in body.lower() and "Waiting for an approver of *platform*" in body
    [note] = slack.wait_for("chat.postEphemeral", where=lambda c: c.args["user"] == REQUESTER)
    assert "posted it for approval in <#C0PLATFORM>" in note.args["text"]
    assert [r.action for r in audit.records()] == ["proposal.drafted"]
    assert _button(posted, slack, "proposal_approve")["value"].startswith("prop_")


def test_approve_by_an_approver_delivers_once_and_reports_in_the_thread(
    bot: Bot, slack: FakeSlack, deliverer: RecordingDeliverer
):
    posted = _draft(bot, slack, K8S_FIX, "C0PLATFORM")
    _press(bot, slack, posted, "proposal_approve", APPROVER)
    [receipt] = _thread_replies(slack)
    assert "Delivered as" in receipt.args["text"] and "INC0000001" in receipt.args["text"]
    [update] = slack.wait_for("chat.update")
    assert update.args["ts"] == posted_ts(slack, posted)
    assert f"Approved by <@{APPROVER}>" in texts(update.args["blocks"])
    assert "proposal_approve" not in json.dumps(update.args["blocks"])
    assert len(deliverer.requests) == 1


def test_approve_by_a_viewer_is_refused_ephemerally_and_audited(
    bot: Bot, slack: FakeSlack, deliverer: RecordingDeliverer, audit: AuditLog
):
    posted = _draft(bot, slack, K8S_FIX, "C0PLATFORM")
    _press(bot, slack, posted, "proposal_approve", VIEWER)
    [refusal] = slack.wait_for("chat.postEphemeral", where=lambda c: c.args["user"] == VIEWER)
    assert "approver" in refusal.args["text"] and refusal.args["channel"] == "C0PLATFORM"
    assert audit.records()[-1].action == "proposal.refused"
    assert deliverer.requests == [] and slack.calls_to("chat.update") == []


def test_a_double_click_makes_one_ticket(bot: Bot, slack: FakeSlack, deliverer: RecordingDeliverer):
    posted = _draft(bot, slack, K8S_FIX, "C0PLATFORM")
    _press(bot, slack, posted, "proposal_approve", APPROVER)
    _press(bot, slack, posted, "proposal_approve", APPROVER)
    _thread_replies(slack)
    [late] = slack.wait_for(
        "chat.postEphemeral",
        where=lambda c: c.args["user"] == APPROVER and "already" in c.args["text"],
    )
    assert "delivered" in late.args["text"] or "approved" in late.args["text"]
    assert len(deliverer.requests) == 1 and deliverer.tickets == 1
    assert len(_thread_replies(slack)) == 1


def test_reject_asks_why_and_delivers_nothing(
    bot: Bot, slack: FakeSlack, deliverer: RecordingDeliverer, audit: AuditLog
):
    posted = _draft(bot, slack, K8S_FIX, "C0PLATFORM")
    _press(bot, slack, posted, "proposal_reject", APPROVER)
    [opened] = slack.wait_for("views.open")
    view = opened.args["view"]
    assert view["callback_id"] == REJECT_CALLBACK
    body = submission_body(APPROVER, view, {"reason": typed("node-exporter needs host access")})
    assert dispatch(bot.app, body, content_type=payloads.FORM).status == 200
    [update] = slack.wait_for("chat.update")
    assert "Rejected by" in texts(update.args["blocks"]) and "host access" in texts(
        update.args["blocks"]
    )
    assert deliverer.requests == [] and audit.records()[-1].action == "proposal.rejected"


def test_a_restart_between_draft_and_approval_continues(
    bot: Bot, slack: FakeSlack, deliverer: RecordingDeliverer
):
    posted = _draft(bot, slack, K8S_FIX, "C0PLATFORM")
    bot.stop()
    bot.start()  # a new process: new app, new workflow connection, same files
    _press(bot, slack, posted, "proposal_approve", APPROVER)
    [receipt] = _thread_replies(slack)
    assert "Delivered as" in receipt.args["text"] and len(deliverer.requests) == 1


def test_an_approver_through_a_user_group_may_approve(
    bot: Bot, slack: FakeSlack, deliverer: RecordingDeliverer
):
    posted = _draft(bot, slack, CRITICAL_FIX, "C0PAYMENTS")
    _press(bot, slack, posted, "proposal_approve", LEAD)  # member of S0PAYLEADS
    [receipt] = _thread_replies(slack)
    assert "acme/payments-infra#1" in receipt.args["text"]  # a fix with code: a pull request
    assert slack.calls_to("usergroups.users.list")[0].args["usergroup"] == LEADS_GROUP


def test_an_edit_with_broken_terraform_is_refused_under_the_field(bot: Bot, slack: FakeSlack):
    posted = _draft(bot, slack, CRITICAL_FIX, "C0PAYMENTS")
    _press(bot, slack, posted, "proposal_edit", APPROVER)
    [opened] = slack.wait_for("views.open")
    view = opened.args["view"]
    assert view["callback_id"] == EDIT_CALLBACK
    fields = {
        b["block_id"]: b["element"].get("initial_value")
        for b in view["blocks"]
        if b["type"] == "input"
    }
    assert "aws_lambda_function_url" in fields["terraform"]
    broken = submission_body(APPROVER, view, {"terraform": typed('resource "x" "y" {\n  a = \n')})
    response = dispatch(bot.app, broken, content_type=payloads.FORM)
    errors = json.loads(response.body)
    assert (
        errors["response_action"] == "errors" and "does not parse" in errors["errors"]["terraform"]
    )
    fixed = fields["terraform"].replace("AWS_IAM", "AWS_IAM") + "# reviewed by the payments team\n"
    ok = submission_body(
        APPROVER, view, {"terraform": typed(fixed), "notes": typed("roll out Monday")}
    )
    assert dispatch(bot.app, ok, content_type=payloads.FORM).body == ""
    [update] = slack.wait_for("chat.update")
    assert "roll out Monday" in texts(update.args["blocks"])
    [edited] = _thread_replies(slack)
    assert "edited the draft" in edited.args["text"]


def test_suppress_from_a_row_asks_for_terms_then_is_approved_like_a_fix(
    bot: Bot, slack: FakeSlack, deliverer: RecordingDeliverer
):
    _pick_row(bot, slack, K8S_FIX, "suppress")
    [opened] = slack.wait_for("views.open")
    view = opened.args["view"]
    assert view["callback_id"] == SUPPRESS_CALLBACK
    values = {
        "suppression_kind": {
            "type": "static_select",
            "selected_option": {"value": "false_positive"},
        },
        "reason": typed("fluent-bit needs privileged for log collection"),
        "expires": {"type": "datepicker", "selected_date": "2027-01-31"},
    }
    body = submission_body(REQUESTER, view, values)
    assert dispatch(bot.app, body, content_type=payloads.FORM).status == 200
    [posted] = slack.wait_for(
        "chat.postMessage", where=lambda c: c.args.get("channel") == "C0PLATFORM"
    )
    assert "False positive until 2027-01-31" in texts(posted.args["blocks"])
    _press(bot, slack, posted, "proposal_approve", APPROVER)
    [update] = slack.wait_for("chat.update")
    assert "Approved by" in texts(update.args["blocks"]) and deliverer.requests == []
    store = bot.services.proposals.service.store
    assert store.suppressed_ids(DEMO_NOW) == {K8S_FIX}


def test_the_sweeper_ends_an_expired_suppression_and_says_so_in_slack(
    bot: Bot, slack: FakeSlack, audit: AuditLog
):
    from datetime import timedelta

    from bot.sweeper import ProposalSweeper

    _pick_row(bot, slack, K8S_FIX, "suppress")
    [opened] = slack.wait_for("views.open")
    values = {
        "suppression_kind": {"type": "static_select", "selected_option": {"value": "accept_risk"}},
        "reason": typed("decommissioned next sprint"),
        "expires": {"type": "datepicker", "selected_date": "2026-12-01"},
    }
    body = submission_body(REQUESTER, opened.args["view"], values)
    dispatch(bot.app, body, content_type=payloads.FORM)
    [posted] = slack.wait_for(
        "chat.postMessage", where=lambda c: c.args.get("channel") == "C0PLATFORM"
    )
    slack.wait_for("chat.postEphemeral", where=lambda c: "for approval" in c.args["text"])
    _press(bot, slack, posted, "proposal_approve", APPROVER)
    slack.wait_for("chat.update")
    sweeper = ProposalSweeper(bot.services.proposals)
    assert sweeper.run_once(DEMO_NOW + timedelta(days=5)) == []
    [ended] = sweeper.run_once(DEMO_NOW + timedelta(days=12))
    assert ended.finding_id == K8S_FIX
    update = slack.wait_for("chat.update", 2)[-1]
    assert "Expired" in texts(update.args["blocks"])
    assert audit.records()[-1].action == "suppression.expired"


def test_a_viewer_pressing_edit_or_reject_gets_no_dialog(
    bot: Bot, slack: FakeSlack, audit: AuditLog
):
    posted = _draft(bot, slack, K8S_FIX, "C0PLATFORM")
    _press(bot, slack, posted, "proposal_edit", VIEWER)
    _press(bot, slack, posted, "proposal_reject", VIEWER)
    refusals = slack.wait_for("chat.postEphemeral", 2, where=lambda c: c.args["user"] == VIEWER)
    assert all("viewer" in c.args["text"] for c in refusals)
    assert slack.calls_to("views.open") == []
    assert [r.action for r in audit.records()][-2:] == ["proposal.refused"] * 2


def test_a_restart_resumes_an_approval_cut_off_before_delivery(
    bot: Bot, slack: FakeSlack, deliverer: RecordingDeliverer
):
    from bot.sweeper import ProposalSweeper
    from proposals import ProposalState

    posted = _draft(bot, slack, K8S_FIX, "C0PLATFORM")
    store = bot.services.proposals.service.store
    [p] = store.find()
    store.move(p.id, {ProposalState.PENDING}, ProposalState.APPROVED, decided_by=APPROVER)
    bot.stop()
    bot.start()
    ProposalSweeper(bot.services.proposals).resume()
    [update] = slack.wait_for("chat.update")
    assert update.args["ts"] == posted_ts(slack, posted) and "delivered as" in texts(
        update.args["blocks"]
    )
    assert deliverer.tickets == 1


def test_a_team_channel_the_bot_cannot_post_in_falls_back_to_where_it_was_asked(
    bot: Bot, slack: FakeSlack
):
    slack.not_member.add("C0PLATFORM")
    _pick_row(bot, slack, K8S_FIX, "fix")
    [posted] = slack.wait_for(
        "chat.postMessage", where=lambda c: c.args.get("channel") == payloads.CHANNEL
    )
    assert "Proposed fix" in texts(posted.args["blocks"])
    [note] = slack.wait_for("chat.postEphemeral", where=lambda c: "for approval" in c.args["text"])
    assert f"<#{payloads.CHANNEL}>" in note.args["text"]

"""User groups resolve through the real Web API client against the fake Slack's
``usergroups.users.list``; an unknown group or a failed call grants nothing."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.proposal_wiring import slack_group_members
from core.routing import Role
from proposals import CachedGroups, Rbac
from tests.fakes.slack_server import FakeSlack
from tests.proposals.conftest import ACCESS, LEAD, LEADS_GROUP, TEAMS


def test_group_membership_comes_from_slack_and_failures_fail_closed(slack: FakeSlack):
    slack.usergroups[LEADS_GROUP] = [LEAD]
    client = WebClient(token=slack.token, base_url=slack.base_url)
    groups = CachedGroups(slack_group_members(client), ttl_s=0)
    rbac = Rbac(TEAMS, ACCESS, groups)
    assert rbac.role(LEAD, "payments") is Role.APPROVER
    [call] = slack.calls_to("usergroups.users.list")
    assert call.args["usergroup"] == LEADS_GROUP
    slack.fail_next(
        "usergroups.users.list", "ratelimited", status=429, headers={"retry-after": "0"}
    )
    assert rbac.role(LEAD, "payments") is Role.VIEWER  # could not ask: no group role
    del slack.usergroups[LEADS_GROUP]
    assert groups("S0UNKNOWN1") == frozenset()

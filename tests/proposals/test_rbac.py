"""Roles per team from the config: by user ID, by user group, admins everywhere."""

from __future__ import annotations

import pytest

from core.routing import AccessSettings, Role
from proposals import Action, CachedGroups, Rbac
from tests.proposals.conftest import (
    ACCESS,
    ADMIN,
    APPROVER,
    LEAD,
    REQUESTER,
    TEAMS,
    VIEWER,
    groups,
)

STRANGER = "U0NOBODY1"


@pytest.mark.parametrize(
    ("user", "team", "role"),
    [
        (ADMIN, "payments", Role.ADMIN),
        (ADMIN, "no-such-team", Role.ADMIN),
        (APPROVER, "payments", Role.APPROVER),
        (LEAD, "payments", Role.APPROVER),  # through the S0PAYLEADS user group
        (LEAD, "platform", Role.VIEWER),  # the group only names them for payments
        (REQUESTER, "payments", Role.REQUESTER),
        (VIEWER, "payments", Role.VIEWER),
        (STRANGER, "payments", Role.VIEWER),  # default_role
    ],
)
def test_roles(user: str, team: str, role: Role):
    assert Rbac(TEAMS, ACCESS, groups).role(user, team) is role


_MATRIX = {
    Role.VIEWER: {Action.VIEW},
    Role.REQUESTER: {Action.VIEW, Action.DRAFT, Action.EDIT},
    Role.APPROVER: set(Action),
    Role.ADMIN: set(Action),
}


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize(
    ("user", "role"),
    [
        (VIEWER, Role.VIEWER),
        (REQUESTER, Role.REQUESTER),
        (APPROVER, Role.APPROVER),
        (ADMIN, Role.ADMIN),
    ],
)
def test_the_matrix(user: str, role: Role, action: Action):
    refusal = Rbac(TEAMS, ACCESS, groups).check(user, action, "payments")
    assert (refusal is None) == (action in _MATRIX[role])
    if refusal is not None:
        assert refusal.role is role and role.name.lower() in refusal.reason


@pytest.mark.parametrize("user", [APPROVER, ADMIN, LEAD])
def test_nobody_approves_their_own_critical_proposal(user: str):
    rbac = Rbac(TEAMS, ACCESS, groups)
    own = rbac.check(user, Action.APPROVE, "payments", requested_by=user, severity="critical")
    assert own is not None and "someone else" in own.reason
    assert rbac.check(user, Action.APPROVE, "payments", requested_by=user, severity="high") is None
    assert (
        rbac.check(user, Action.REJECT, "payments", requested_by=user, severity="critical") is None
    )


def test_default_role_none_shuts_strangers_out():
    rbac = Rbac(TEAMS, AccessSettings(default_role="none"), groups)
    assert rbac.check(STRANGER, Action.VIEW, "payments") is not None


def test_without_a_group_lookup_group_ids_match_nobody():
    assert Rbac(TEAMS, ACCESS).role(LEAD, "payments") is Role.VIEWER


def test_group_members_are_cached_and_a_failure_fails_closed():
    calls: list[str] = []
    now = [0.0]

    def fetch(group_id: str) -> list[str]:
        calls.append(group_id)
        if now[0] > 1000:
            raise OSError("slack is down")
        return [LEAD]

    cached = CachedGroups(fetch, ttl_s=300, clock=lambda: now[0])
    assert cached("S0PAYLEADS") == {LEAD} and cached("S0PAYLEADS") == {LEAD}
    assert calls == ["S0PAYLEADS"]
    now[0] = 2000.0
    assert cached("S0PAYLEADS") == frozenset()  # expired, refetch failed: nobody

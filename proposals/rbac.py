"""Who may do what to a proposal: roles per team from ``posture.yaml``, and the rules.

A person's role for a team is the highest that names them, directly by user ID or
through a Slack user group (``S...``) whose members a ``GroupLookup`` lists
(in the bot: ``usergroups.users.list``, cached for a few minutes); admins hold every team; anyone
else gets ``access.default_role``. On top of roles: nobody approves their own proposal
for a critical finding (four eyes), whatever their role.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from core.routing import AccessSettings, Role, TeamRoute

__all__ = [
    "Action",
    "CachedGroups",
    "GroupLookup",
    "Rbac",
    "Refusal",
]

logger = logging.getLogger(__name__)


class Action(StrEnum):
    VIEW = "view"
    DRAFT = "draft"  # draft a fix or ticket, propose a suppression
    EDIT = "edit"
    APPROVE = "approve"
    REJECT = "reject"
    RETRY = "retry"  # deliver again after a failed delivery


_NEEDS = {
    Action.VIEW: Role.VIEWER,
    Action.DRAFT: Role.REQUESTER,
    Action.EDIT: Role.REQUESTER,
    Action.APPROVE: Role.APPROVER,
    Action.REJECT: Role.APPROVER,
    Action.RETRY: Role.APPROVER,
}


@dataclass(frozen=True)
class Refusal:
    """Why someone may not do something, in words fit to show them."""

    user: str
    action: Action
    team: str
    role: Role
    needed: Role
    reason: str


class GroupLookup(Protocol):
    """The members of a Slack user group (``S...``)."""

    def __call__(self, group_id: str) -> frozenset[str]: ...


class CachedGroups:
    """Group members from ``fetch``, kept ``ttl_s`` seconds; a failed fetch counts as
    empty (fail closed: nobody gains a role because Slack could not be asked).
    """

    def __init__(
        self,
        fetch: Callable[[str], Iterable[str]],
        *,
        ttl_s: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._ttl = ttl_s
        self._clock = clock
        self._cache: dict[str, tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def __call__(self, group_id: str) -> frozenset[str]:
        now = self._clock()
        with self._lock:
            hit = self._cache.get(group_id)
            if hit is not None and now - hit[0] < self._ttl:
                return hit[1]
        try:
            members = frozenset(self._fetch(group_id))
        except Exception:  # any failure to ask Slack: no members, logged
            logger.warning("could not list the members of user group %s", group_id)
            return frozenset()
        with self._lock:
            self._cache[group_id] = (now, members)
        return members


def _no_groups(group_id: str) -> frozenset[str]:
    return frozenset()


class Rbac:
    """Roles and rules over the configured teams.

    Args:
        teams: team name -> its route and people (``Settings.teams``).
        access: admins, the default role (``Settings.access``).
        groups: user-group members; without it, group IDs in the config match nobody.
    """

    def __init__(
        self,
        teams: Mapping[str, TeamRoute],
        access: AccessSettings,
        groups: GroupLookup | None = None,
    ) -> None:
        self.teams = teams
        self.access = access
        self.groups: GroupLookup = groups or _no_groups

    def _named(self, user: str, principals: Iterable[str]) -> bool:
        for principal in principals:
            if principal == user:
                return True
            if principal.startswith("S") and user in self.groups(principal):
                return True
        return False

    def role(self, user: str, team: str) -> Role:
        """The highest role that names ``user`` for ``team``."""
        if self._named(user, self.access.admins):
            return Role.ADMIN
        route = self.teams.get(team)
        if route is not None:
            for role, people in (
                (Role.APPROVER, route.approvers),
                (Role.REQUESTER, route.requesters),
                (Role.VIEWER, route.viewers),
            ):
                if self._named(user, people):
                    return role
        return self.access.default_role

    def check(
        self,
        user: str,
        action: Action,
        team: str,
        *,
        requested_by: str | None = None,
        severity: str | None = None,
    ) -> Refusal | None:
        """None when ``user`` may do ``action`` for ``team``; else why not.

        ``requested_by`` and ``severity`` describe the proposal being approved: its
        requester may not approve it when the finding is critical.
        """
        role, needed = self.role(user, team), _NEEDS[action]
        if role < needed:
            reason = (
                f"You are {role.name.lower()} for team {team}; "
                f"this needs {needed.name.lower()} or higher."
            )
            return Refusal(user, action, team, role, needed, reason)
        if action is Action.APPROVE and severity == "critical" and requested_by == user:
            reason = "You requested this fix for a critical finding; someone else must approve it."
            return Refusal(user, action, team, role, needed, reason)
        return None

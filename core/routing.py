"""Owner teams: where their work goes, and who may do what (RBAC), from the config file.

A ``posture.yaml`` looks like::

    access:
      admins: [U0ADMIN]
      default_role: viewer        # anyone in the workspace may ask questions
    teams:
      payments:
        slack_channel: C0PAYMENTS
        jira_project: PAY
        servicenow_group: Payments Operations
        github_repo: acme/payments-infra
        approvers: [U0ALICE, S0PAYLEADS]   # Slack user IDs or user-group IDs (S...)
        requesters: [U0BOB]

Roles are ordered: viewer < requester < approver < admin. A person's role for a team is
the highest that names them (directly or through a user group); admins hold every team.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

__all__ = ["AccessSettings", "Role", "SlackPrincipal", "TeamRoute"]

# a Slack user (U..., W...) or user group (S...) ID
SlackPrincipal = Annotated[str, StringConstraints(pattern=r"^[UWS][A-Z0-9]{2,20}$")]


class Role(IntEnum):
    """What a person may do for a team; higher includes lower."""

    NONE = 0
    VIEWER = 1  # ask questions, see answers
    REQUESTER = 2  # draft fixes and tickets, propose suppressions
    APPROVER = 3  # approve or reject proposals
    ADMIN = 4  # everything, every team, and the admin switches


class TeamRoute(BaseModel):
    """One owner team: its destinations and its people."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    slack_channel: str | None = None  # channel ID (C...) for proposals and proactive alerts
    jira_project: str | None = None  # project key, e.g. PAY
    servicenow_group: str | None = None  # assignment_group name or sys_id
    github_repo: str | None = Field(default=None, pattern=r"^[\w.-]+/[\w.-]+$")  # owner/name
    viewers: tuple[SlackPrincipal, ...] = ()
    requesters: tuple[SlackPrincipal, ...] = ()
    approvers: tuple[SlackPrincipal, ...] = ()


class AccessSettings(BaseModel):
    """Workspace-wide RBAC: admins, and the role of someone no team names."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    admins: tuple[SlackPrincipal, ...] = ()
    # "viewer": anyone in the workspace may ask; "none": only people a team names
    default_role: Role = Role.VIEWER
    # findings whose owner team has no route go here (a team name in ``teams``)
    fallback_team: str | None = None

    @field_validator("default_role", mode="before")
    @classmethod
    def _role_by_name(cls, value: object) -> object:
        return Role[value.upper()] if isinstance(value, str) else value

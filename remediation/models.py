"""What a fix drafter hands back: a draft in prowler's Remediation shape, or a refusal.

Drafts only ever describe a change; nothing in ``remediation/`` applies one. A draft is
built, then every code block in it is parsed back and checked (``remediation.validate``);
only a draft whose checks all passed is returned with ``validated=True``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from core.errors import ValidationFailed

__all__ = ["DraftInvalid", "NoAutomaticFix", "Remediation", "RemediationCode"]

Text = Annotated[str, StringConstraints(min_length=1, max_length=65536)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RemediationCode(_Frozen):
    """The change in each form a team might deploy it (prowler's ``Code``).

    ``native_iac`` holds the platform's own form: a Kubernetes patch, a SAM template,
    a serverless.yml, a Dockerfile; its key says which.
    """

    cli: str | None = None
    terraform: str | None = None
    native_iac: dict[str, str] = Field(default_factory=dict)
    other: str | None = None


class Remediation(_Frozen):
    """A drafted fix for one finding, already parsed back and validated."""

    finding_id: Text
    finding_type: Text
    drafter: Text
    summary: Text
    recommendation: Text
    code: RemediationCode
    diff: str | None = None
    checks: tuple[str, ...] = ()
    validated: bool = False
    validation: tuple[str, ...] = ()


class NoAutomaticFix(_Frozen):
    """No fix can be drafted safely; says why and what a person can do instead."""

    finding_id: Text
    finding_type: Text
    reason: Text
    guidance: tuple[str, ...] = ()


class DraftInvalid(ValidationFailed):
    """A drafted change failed to parse back or to validate, so it is never shown."""

    default_remediation = "Draft this fix by hand; the automatic draft did not validate."

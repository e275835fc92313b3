"""Fix drafts from Claude for finding types no offline drafter serves.

The larger model answers through one tool (``draft_fix``); every code block it returns
goes through the same validators as the offline drafts (``remediation.validate``), and
only a draft whose blocks all pass is returned with ``validated=True``. Finding text is
attacker-controlled: it is redacted of secrets and fenced before it leaves the process.
Any failure (the API, the budget, a draft that does not validate) becomes a
``NoAutomaticFix`` that says why, never an unchecked change.
"""

from __future__ import annotations

import json
from typing import Any

from core.errors import CopilotError
from governance.redact import Redactor
from llm.base import LLM, LLMRequest
from prompts import fence, render, template_info
from remediation.context import FixContext
from remediation.models import DraftInvalid, NoAutomaticFix, Remediation, RemediationCode
from remediation.validate import check_dockerfile, check_terraform, check_yaml

__all__ = ["FIX_TOOL", "LLMDrafter"]

SYSTEM, USER = "fix_system.j2", "fix_user.j2"

FIX_TOOL: dict[str, Any] = {
    "name": "draft_fix",
    "description": "The drafted remediation for the finding.",
    "input_schema": {
        "type": "object",
        "properties": {
            "summary": {"type": "string"},
            "recommendation": {"type": "string"},
            "code": {
                "type": "object",
                "properties": {
                    "cli": {"type": "string"},
                    "terraform": {"type": "string"},
                    "native_iac": {"type": "object", "additionalProperties": {"type": "string"}},
                    "other": {"type": "string"},
                },
                "additionalProperties": False,
            },
            "checks": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["summary", "recommendation", "code"],
    },
}


class LLMDrafter:
    """Drafts with ``client`` (the large tier); callable like an offline drafter."""

    def __init__(self, client: LLM, *, max_tokens: int = 2048) -> None:
        self._client = client
        self._max_tokens = max_tokens
        self._redactor = Redactor(pseudonymise=False)

    def __call__(self, ctx: FixContext) -> Remediation | NoAutomaticFix:
        ftype = ctx.finding.type
        try:
            reply = self._client.create(self._request(ctx))
            calls = [c for c in reply.tool_calls if c.name == FIX_TOOL["name"]]
            if not calls:
                raise DraftInvalid("The model answered without a draft.")
            return self._checked(ctx, calls[0].input, self._client.model_for("large"))
        except DraftInvalid as exc:
            reason = f"The drafted fix did not validate, so it is not shown: {exc.message}"
        except CopilotError as exc:
            reason = f"Claude could not draft a fix: {exc.one_line()}"
        return NoAutomaticFix(
            finding_id=ctx.finding.finding_id,
            finding_type=ftype,
            reason=reason,
            guidance=("Open the finding in its source console for the vendor's remediation.",),
        )

    def _request(self, ctx: FixContext) -> LLMRequest:
        clean = self._redactor.redact
        resource = json.dumps(ctx.resource.model_dump(exclude_none=True), sort_keys=True)
        user = render(
            USER,
            finding_type=fence(ctx.finding.type),
            severity=fence(ctx.finding.severity),
            title=fence(clean(ctx.finding.title).text),
            resource=fence(clean(resource).text),
        )
        return LLMRequest(
            system=({"type": "text", "text": render(SYSTEM)},),
            messages=({"role": "user", "content": [{"type": "text", "text": user}]},),
            tools=(FIX_TOOL,),
            tool_choice={"type": "tool", "name": FIX_TOOL["name"]},
            tier="large",
            max_tokens=self._max_tokens,
        )

    def _checked(self, ctx: FixContext, data: dict[str, Any], model: str) -> Remediation:
        """The draft with every block validated; raises DraftInvalid on the first failure."""
        try:
            code = RemediationCode.model_validate(data.get("code") or {})
            summary, recommendation = str(data["summary"]), str(data["recommendation"])
        except (ValueError, KeyError) as exc:
            raise DraftInvalid(f"The draft has the wrong shape ({type(exc).__name__}).") from None
        if not (code.cli or code.terraform or code.native_iac):
            raise DraftInvalid(f"The model proposed no change: {recommendation[:300]}")
        validation = list(_validate(code))
        info = template_info(SYSTEM)
        return Remediation(
            finding_id=ctx.finding.finding_id,
            finding_type=ctx.finding.type,
            drafter=f"llm:{model}:{info.name}@{info.sha256[:12]}",
            summary=summary,
            recommendation=recommendation,
            code=code,
            checks=tuple(str(c) for c in data.get("checks") or ()),
            validated=True,
            validation=(*validation, "drafted by a model: review before approving"),
        )


def _validate(code: RemediationCode) -> list[str]:
    """Every block parsed back; an unknown file form is refused rather than shown."""
    done = []
    if code.terraform:
        check_terraform(code.terraform)
        done.append("terraform parses")
    for name, text in code.native_iac.items():
        lowered = name.lower()
        if lowered.endswith((".yaml", ".yml")):
            check_yaml(text, cfn="template" in lowered)
        elif lowered.endswith(".json"):
            try:
                json.loads(text)
            except ValueError:
                raise DraftInvalid(f"The drafted {name} is not valid JSON.") from None
        elif lowered.startswith("dockerfile"):
            check_dockerfile(text)
        else:
            raise DraftInvalid(f"The draft has a file of a form that cannot be checked: {name}")
        done.append(f"{name} parses")
    return done

"""Editing a draft before approval: which parts a person may change, and the re-checks.

Code a person edits is parsed back and checked like a drafter's output (Terraform with
python-hcl2, IAM policies with parliament against the draft's own baseline, YAML,
Dockerfiles); an edit that fails is refused with the checker's reason and the stored
draft stays as it was.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping

from proposals.models import ProposalDraft
from remediation.models import DraftInvalid, Remediation
from remediation.validate import (
    check_dockerfile,
    check_iam_policy,
    check_terraform,
    check_yaml,
    parliament_issues,
)

__all__ = ["apply_edit", "check_artifact", "editable_parts"]

_NATIVE = "native:"
_FREE_TEXT = {"cli", "other", "notes", "summary"}


def editable_parts(draft: ProposalDraft) -> dict[str, str]:
    """Part name -> its current text: each code block of a fix, or a ticket's summary;
    and free notes for both."""
    parts: dict[str, str] = {}
    fix = draft.remediation
    if fix is not None:
        parts.update({f"{_NATIVE}{k}": v for k, v in fix.code.native_iac.items()})
        for name in ("terraform", "cli", "other"):
            text = getattr(fix.code, name)
            if text:
                parts[name] = text
    else:
        parts["summary"] = draft.summary
    parts["notes"] = draft.notes or ""
    return parts


def check_artifact(part: str, text: str, before: str) -> str:
    """Parse ``text`` back as what ``part`` holds; return what was checked.

    Raises:
        DraftInvalid: it does not parse or fails its check.
    """
    if part in _FREE_TEXT:
        return f"{part} is free text"
    if part == "terraform":
        check_terraform(text)
        return "edited Terraform parses (python-hcl2)"
    name = part.removeprefix(_NATIVE)
    if name.endswith(".json"):
        try:
            baseline = parliament_issues(json.loads(before))
        except ValueError:
            baseline = set()
        check_iam_policy(text, baseline)
        return "edited policy parses and parliament adds no finding"
    if name == "Dockerfile":
        check_dockerfile(text)
        return "edited Dockerfile parses"
    if name.endswith((".yaml", ".yml")):
        docs = check_yaml(text, cfn=name == "template.yaml")
        if not all(isinstance(d, dict) for d in docs):
            raise DraftInvalid(f"The edited {name} is not a YAML mapping.")
        return f"edited {name} parses"
    raise DraftInvalid(f"{part} cannot be edited here.")


def _with_code(fix: Remediation, part: str, text: str) -> Remediation:
    code = fix.code
    if part.startswith(_NATIVE):
        native = {**code.native_iac, part[len(_NATIVE) :]: text}
        code = code.model_copy(update={"native_iac": native})
    else:
        code = code.model_copy(update={part: text})
    return fix.model_copy(update={"code": code})


def apply_edit(
    draft: ProposalDraft, changes: Mapping[str, str], user: str
) -> tuple[ProposalDraft, str]:
    """The draft with ``changes`` applied and re-checked, and a unified diff of the edit.

    Raises:
        DraftInvalid: a part is unknown, a code part was emptied, or a check failed.
    """
    parts = editable_parts(draft)
    fix, notes, summary = draft.remediation, draft.notes, draft.summary
    checks: list[str] = []
    diff: list[str] = []
    for part, raw in changes.items():
        if part not in parts:
            raise DraftInvalid(f"{part} is not a part of this draft.")
        text, before = raw.strip("\n") + ("\n" if part.startswith(_NATIVE) else ""), parts[part]
        if text.strip() == before.strip():
            continue
        if not text.strip() and part not in ("notes",):
            raise DraftInvalid(f"The {part} part cannot be emptied; reject the proposal instead.")
        checks.append(check_artifact(part, text, before))
        diff += difflib.unified_diff(
            before.splitlines(), text.splitlines(), f"a/{part}", f"b/{part}", lineterm=""
        )
        if part == "notes":
            notes = text.strip() or None
        elif part == "summary":
            summary = text.strip()
        elif fix is not None:
            fix = _with_code(fix, part, text)
    if not checks:
        return draft, ""
    if fix is not None:
        fix = fix.model_copy(update={"validation": (*fix.validation, *checks)})
    edited = draft.model_copy(
        update={
            "remediation": fix,
            "notes": notes,
            "summary": summary,
            "edited_by": (*draft.edited_by, user),
        }
    )
    return edited, "\n".join(diff)

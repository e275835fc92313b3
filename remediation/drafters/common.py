"""Helpers every drafter shares: names, diffs, and the finished draft."""

from __future__ import annotations

import difflib
import re
from typing import Any

import yaml

from remediation.context import FixContext
from remediation.models import NoAutomaticFix, Remediation, RemediationCode

__all__ = ["dump_yaml", "finish", "no_fix", "tf_name", "unified_diff"]


class _NoAliasDumper(yaml.SafeDumper):
    """Writes a mapping used twice in full, never as ``&id001`` / ``*id001``."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_yaml(doc: Any) -> str:
    """YAML as a person writes it: keys in their order, no anchors or aliases.

    >>> shared = {"cpu": "1"}
    >>> print(dump_yaml({"limits": shared, "requests": shared}), end="")
    limits:
      cpu: '1'
    requests:
      cpu: '1'
    """
    return yaml.dump(doc, Dumper=_NoAliasDumper, sort_keys=False)


def tf_name(name: str) -> str:
    """A Terraform resource label from any cloud name.

    >>> tf_name("processPayment-role"), tf_name("9lives")
    ('processpayment_role', 'r_9lives')
    """
    label = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_") or "resource"
    return label if label[0].isalpha() else f"r_{label}"


def unified_diff(before: str, after: str, path: str) -> str:
    """A ``git diff``-style unified diff of one file.

    >>> print(unified_diff("a\\n", "b\\n", "x.txt"), end="")
    --- a/x.txt
    +++ b/x.txt
    @@ -1 +1 @@
    -a
    +b
    """
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    return "".join(lines)


def finish(
    ctx: FixContext,
    drafter: str,
    *,
    summary: str,
    recommendation: str,
    code: RemediationCode,
    validation: list[str],
    checks: list[str],
    diff: str | None = None,
) -> Remediation:
    """The draft, marked validated: callers reach this only after every check passed."""
    return Remediation(
        finding_id=ctx.finding.finding_id,
        finding_type=ctx.finding.type,
        drafter=drafter,
        summary=summary,
        recommendation=recommendation,
        code=code,
        diff=diff or None,
        checks=tuple(checks),
        validated=True,
        validation=tuple(validation),
    )


def no_fix(ctx: FixContext, reason: str, *guidance: str) -> NoAutomaticFix:
    return NoAutomaticFix(
        finding_id=ctx.finding.finding_id,
        finding_type=ctx.finding.type,
        reason=reason,
        guidance=guidance,
    )

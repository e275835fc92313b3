"""Least privilege for an AWS role: only what it used, on what it touched.

Used grants with a concrete action are kept on their own resource pattern. A used
wildcard (``s3:*``, ``*``) is replaced by the concrete actions seen through it
(permission rows with ``granted=False, used=True``) or, for S3, by policy_sentry's CRUD
template over the buckets the role reaches; otherwise the draft is refused, because
nobody knows which actions the wildcard served. The result may never grant anything
today's policy does not (checked), must add no parliament finding (checked) and its
Terraform must parse back to the same JSON (checked).
"""

from __future__ import annotations

import json
from collections.abc import Set as AbstractSet
from fnmatch import fnmatchcase
from typing import Any

from policy_sentry.querying.actions import get_action_data
from policy_sentry.writing.sid_group import SidGroup

from remediation.context import FixContext, PermissionRow
from remediation.drafters.common import finish, no_fix, tf_name, unified_diff
from remediation.models import DraftInvalid, NoAutomaticFix, Remediation, RemediationCode
from remediation.validate import check_iam_policy, check_terraform, hcl_string, parliament_issues

__all__ = ["covers", "draft_aws", "policy_from_rows", "rows_from_policy"]

Grant = tuple[str, str]  # (action, resource)


def rows_from_policy(
    policy: dict[str, Any], used: AbstractSet[str] = frozenset()
) -> list[PermissionRow]:
    """Permission rows for each Allow (action, resource) of a policy; ``used`` marks some.

    >>> rows_from_policy({"Statement": {"Effect": "Allow", "Action": "s3:*",
    ...     "Resource": "*"}}, {"s3:*"})[0].used
    True
    """
    rows = []
    statements = policy.get("Statement", [])
    for st in [statements] if isinstance(statements, dict) else statements:
        if st.get("Effect") != "Allow" or "Action" not in st:
            continue
        for action in _as_list(st["Action"]):
            for resource in _as_list(st.get("Resource", "*")):
                rows.append(
                    PermissionRow(action=action, resource_pattern=resource, used=action in used)
                )
    return rows


def policy_from_rows(grants: list[Grant]) -> dict[str, Any]:
    """A policy with one statement per distinct resource list, deterministic order."""
    by_action: dict[str, set[str]] = {}
    for action, resource in grants:
        by_action.setdefault(action, set()).add(resource)
    by_resources: dict[tuple[str, ...], list[str]] = {}
    for action, resources in sorted(by_action.items()):
        by_resources.setdefault(tuple(sorted(resources)), []).append(action)
    statements = [
        {
            "Sid": f"Allow{i}",
            "Effect": "Allow",
            "Action": actions,
            "Resource": list(resources) if len(resources) > 1 else resources[0],
        }
        for i, (resources, actions) in enumerate(sorted(by_resources.items()), start=1)
    ]
    return {"Version": "2012-10-17", "Statement": statements}


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value]


def covers(pattern: str, action: str) -> bool:
    """Whether an IAM action pattern matches an action (IAM matching ignores case).

    >>> covers("s3:Get*", "s3:getobject"), covers("s3:*", "sqs:SendMessage")
    (True, False)
    """
    return fnmatchcase(action.lower(), pattern.lower())


def _crud_for_buckets(ctx: FixContext) -> list[Grant]:
    read = sorted({t.to_id for t in ctx.touched if t.relation == "can_read"})
    write = sorted({t.to_id for t in ctx.touched if t.relation == "can_write"})
    if not (read or write):
        return []
    template = {
        "mode": "crud",
        "name": "touched",
        "read": [f"{b}/*" for b in read],
        "list": sorted({*read, *write}),
        "write": [f"{b}/*" for b in write],
    }
    policy = SidGroup().process_template(template)
    grants = [(a, r) for st in policy["Statement"] for a in st["Action"] for r in st["Resource"]]
    # policy_sentry's database is newer than parliament's: keep what both agree on
    return [g for g in grants if not parliament_issues(policy_from_rows([g]))]


def _least_privilege(ctx: FixContext) -> tuple[list[Grant], list[str]] | str:
    used = [p for p in ctx.permissions if p.used]
    concrete = [(p.action, p.resource_pattern) for p in used if "*" not in p.action]
    notes: list[str] = []
    for wild in (p for p in used if "*" in p.action):
        seen = [g for g in concrete if covers(wild.action, g[0])]
        if seen:
            notes.append(f"{wild.action} narrowed to the {len(seen)} action(s) seen through it")
            continue
        crud = _crud_for_buckets(ctx) if wild.action.lower().startswith(("s3:", "*")) else []
        if wild.action in ("*", "*:*") or not crud:
            return f"the role used its {wild.action} grant and no record says for which actions"
        concrete += crud
        notes.append(
            f"{wild.action} narrowed to read/list/write on the {len(crud)} bucket grants "
            "the role reaches (policy_sentry CRUD template)"
        )
    if not concrete:
        return "the role used none of its grants in the observed window"
    return sorted(set(concrete)), notes


def _granted_today(ctx: FixContext, today: dict[str, Any]) -> list[Grant]:
    rows = rows_from_policy(today)
    return [(r.action, r.resource_pattern) for r in rows]


def _validate(
    ctx: FixContext, today: dict[str, Any], grants: list[Grant], text: str, terraform: str
) -> list[str]:
    check_iam_policy(text, baseline=parliament_issues(today))
    done = ["policy JSON parses", "parliament: no finding beyond today's policy"]
    allowed = _granted_today(ctx, today)
    wider = [
        g for g in grants if not any(covers(a, g[0]) and fnmatchcase(g[1], r) for a, r in allowed)
    ]
    if wider:
        raise DraftInvalid(
            "The draft grants more than today's policy.", errors=[f"{a} on {r}" for a, r in wider]
        )
    done.append("grants nothing today's policy does not")
    unknown = sorted({a for a, _ in grants if not get_action_data(*a.split(":", 1))})
    if unknown:
        raise DraftInvalid("The draft names actions AWS does not have.", errors=unknown)
    done.append("every action exists in policy_sentry's IAM database")
    parsed = check_terraform(terraform)
    block = parsed["resource"][0]['"aws_iam_role_policy"']
    body = next(iter(block.values()))
    if json.loads(hcl_string(body["policy"])) != json.loads(text):
        raise DraftInvalid("The Terraform policy does not round-trip to the drafted JSON.")
    done.append("Terraform parses (python-hcl2) and carries the same policy")
    return done


def _terraform(role: str, text: str) -> str:
    body = "\n".join(f"    {line}" for line in text.splitlines())
    return (
        f'resource "aws_iam_role_policy" "{tf_name(role)}_least_privilege" {{\n'
        f'  name = "least-privilege"\n'
        f'  role = "{role}"\n'
        f"  policy = <<-EOT\n{body}\n  EOT\n}}\n"
    )


def draft_aws(ctx: FixContext) -> Remediation | NoAutomaticFix:
    """Least-privilege inline policy for an AWS role, as JSON, a diff, CLI and Terraform.

    Raises:
        DraftInvalid: the draft failed a check.
    """
    role = ctx.resource.name
    today_text = ctx.artifacts.current_policy
    granted = [(p.action, p.resource_pattern) for p in ctx.permissions if p.granted]
    today = json.loads(today_text) if today_text else policy_from_rows(granted)
    found = _least_privilege(ctx)
    if isinstance(found, str):
        return no_fix(
            ctx,
            f"No least-privilege policy can be drafted: {found}.",
            "Generate one from CloudTrail with IAM Access Analyzer policy generation.",
            "Or review the role's last-accessed data (IAM > Roles > Access Advisor).",
        )
    grants, notes = found
    policy = policy_from_rows(grants)
    text = json.dumps(policy, indent=2)
    before = json.dumps(today, indent=2, sort_keys=True) + "\n"
    after = json.dumps(policy, indent=2, sort_keys=True) + "\n"
    terraform = _terraform(role, text)
    validation = _validate(ctx, today, grants, text, terraform)
    dropped = len({a for a, _ in granted}) - len({a for a, _ in grants})
    return finish(
        ctx,
        "iam_aws",
        summary=f"Replace {role}'s grants with the {len(grants)} it actually used.",
        recommendation=(
            f"Attach this least-privilege policy to {role} and remove its broader "
            "inline and managed policies; it keeps only used actions on the "
            "resources the role touched."
        ),
        code=RemediationCode(
            cli=(
                f"aws iam put-role-policy --role-name {role} --policy-name least-privilege "
                "--policy-document file://least-privilege.json"
            ),
            terraform=terraform,
            native_iac={"least-privilege.json": text + "\n"},
        ),
        diff=unified_diff(before, after, f"{role}.policy.json"),
        checks=[
            *notes,
            f"{max(dropped, 0)} granted action(s) are dropped: confirm no monthly or "
            "quarterly job needs them (usage was observed over the last 90 days)",
            "Simulate the draft against a week of CloudTrail events "
            "(aws iam simulate-custom-policy) before detaching the old policies",
            "Roll out in staging first and watch for AccessDenied in the function logs",
        ],
        validation=validation,
    )

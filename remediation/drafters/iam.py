"""Over-permissive identities: admin, wildcard, over-permissive and unused grants.

AWS roles get a least-privilege IAM policy (``iam_aws``). Azure managed identities and
GCP service accounts get a custom role holding only the actions they used, in Terraform
and as the CLI call; a used wildcard there is refused for the same reason as on AWS.
"""

from __future__ import annotations

import json
import re

from remediation.context import FixContext
from remediation.drafters.common import finish, no_fix, tf_name, unified_diff
from remediation.drafters.iam_aws import draft_aws
from remediation.models import DraftInvalid, NoAutomaticFix, Remediation, RemediationCode
from remediation.validate import check_terraform, hcl_string

__all__ = ["draft"]


def draft(ctx: FixContext) -> Remediation | NoAutomaticFix:
    """Least privilege for the finding's role, in its cloud's form.

    Raises:
        DraftInvalid: the draft failed a check.
    """
    if ctx.resource.cloud == "aws":
        return draft_aws(ctx)
    used = sorted({p.action for p in ctx.permissions if p.used})
    wild = [a for a in used if "*" in a]
    if wild or not used:
        why = f"it used the wildcard grant {wild[0]}" if wild else "it used none of its grants"
        return no_fix(
            ctx,
            f"No custom role can be drafted: {why}.",
            "Review the identity's activity logs for the actions it really calls.",
            "Azure: Entra ID > sign-in and activity logs; GCP: IAM Recommender.",
        )
    granted = sorted({p.action for p in ctx.permissions if p.granted})
    terraform, cli = (_azure if ctx.resource.cloud == "azure" else _gcp)(ctx, used)
    parsed = check_terraform(terraform)
    if _actions_in(parsed) != used:
        raise DraftInvalid("The custom role's Terraform does not list exactly the used actions.")
    before = json.dumps(granted, indent=2) + "\n"
    after = json.dumps(used, indent=2) + "\n"
    name = ctx.resource.name
    return finish(
        ctx,
        "iam_custom_role",
        summary=f"A custom role for {name} with the {len(used)} actions it used.",
        recommendation=(
            f"Create this custom role, assign it to {name} on the same scope, "
            "then remove the broader role assignments."
        ),
        code=RemediationCode(cli=cli, terraform=terraform),
        diff=unified_diff(before, after, f"{name}.actions.json"),
        checks=[
            f"{len(granted) - len(used)} granted action(s) are dropped: confirm no "
            "infrequent job needs them",
            "Assign the new role before removing the old assignment, in staging first",
        ],
        validation=["Terraform parses (python-hcl2)", "lists exactly the used actions"],
    )


def _actions_in(node: object) -> list[str]:
    """The string list under an ``actions`` / ``permissions`` key, wherever it sits."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("actions", "permissions") and isinstance(value, list):
                if all(isinstance(v, str) for v in value):
                    return sorted(hcl_string(v) for v in value)
            found = _actions_in(value)
            if found:
                return found
    if isinstance(node, list):
        for item in node:
            found = _actions_in(item)
            if found:
                return found
    return []


def _hcl_list(values: list[str]) -> str:
    return "[\n" + "".join(f'      "{v}",\n' for v in values) + "    ]"


def _azure(ctx: FixContext, used: list[str]) -> tuple[str, str]:
    label = tf_name(ctx.resource.name)
    scope = f"/subscriptions/{ctx.resource.account}"
    terraform = (
        f'resource "azurerm_role_definition" "{label}_least_privilege" {{\n'
        f'  name  = "{ctx.resource.name}-least-privilege"\n'
        f'  scope = "{scope}"\n'
        f"  permissions {{\n    actions = {_hcl_list(used)}\n  }}\n"
        f'  assignable_scopes = ["{scope}"]\n}}\n'
    )
    cli = "az role definition create --role-definition @least-privilege-role.json"
    return terraform, cli


def _gcp(ctx: FixContext, used: list[str]) -> tuple[str, str]:
    role_id = re.sub(r"[^A-Za-z0-9_]", "_", ctx.resource.name)[:50] + "_least"
    project = ctx.resource.account
    terraform = (
        f'resource "google_project_iam_custom_role" "{tf_name(ctx.resource.name)}" {{\n'
        f'  project     = "{project}"\n'
        f'  role_id     = "{role_id}"\n'
        f'  title       = "{ctx.resource.name} least privilege"\n'
        f"  permissions = {_hcl_list(used)}\n}}\n"
    )
    cli = f"gcloud iam roles create {role_id} --project {project} --permissions {','.join(used)}"
    return terraform, cli

"""Least privilege from used grants: hand-built roles and AWS's real managed policies."""

from __future__ import annotations

import json

import pytest

from remediation import Artifacts, NoAutomaticFix, Remediation, draft_fix
from remediation.context import PermissionRow, TouchedRow
from remediation.drafters.iam_aws import covers as _covers
from remediation.drafters.iam_aws import rows_from_policy
from remediation.validate import check_terraform, hcl_string, parliament_issues
from tests.remediation.helpers import make_ctx, real

ROLE = {"resource_id": "arn:aws:iam::123456789012:role/pay-role", "name": "pay-role"}
LOGS = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/pay:*"


def _p(action: str, pattern: str = "*", used: bool = False, granted: bool = True) -> PermissionRow:
    return PermissionRow(action=action, resource_pattern=pattern, used=used, granted=granted)


def _actions(policy: dict[str, object]) -> set[str]:
    return {a for st in policy["Statement"] for a in st["Action"]}  # type: ignore[index,union-attr]


def test_drops_unused_and_wildcard_grants_and_keeps_used_ones() -> None:
    perms = (
        _p("logs:PutLogEvents", LOGS, used=True),
        _p("s3:*"),
        _p("dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:123456789012:table/pay", used=True),
        _p("sns:Publish", "arn:aws:sns:us-east-1:123456789012:t"),
    )
    fix = draft_fix(make_ctx("wildcard_permissions", kind="role", resource=ROLE, permissions=perms))
    assert isinstance(fix, Remediation) and fix.validated
    policy = json.loads(fix.code.native_iac["least-privilege.json"])
    assert _actions(policy) == {"logs:PutLogEvents", "dynamodb:PutItem"}
    removed = [line for line in (fix.diff or "").splitlines() if line.startswith("-")]
    assert any('"s3:*"' in line for line in removed)
    assert any("sns:Publish" in line for line in removed)
    body = next(
        iter(
            check_terraform(fix.code.terraform or "")["resource"][0][
                '"aws_iam_role_policy"'
            ].values()
        )
    )
    assert json.loads(hcl_string(body["policy"])) == policy


def test_used_s3_wildcard_narrows_to_the_buckets_the_role_touched() -> None:
    perms = (_p("s3:*", used=True), _p("logs:PutLogEvents", LOGS, used=True))
    touched = (
        TouchedRow(relation="can_read", to_id="arn:aws:s3:::in"),
        TouchedRow(relation="can_write", to_id="arn:aws:s3:::out"),
    )
    fix = draft_fix(
        make_ctx(
            "wildcard_permissions", kind="role", resource=ROLE, permissions=perms, touched=touched
        )
    )
    assert isinstance(fix, Remediation)
    policy = json.loads(fix.code.native_iac["least-privilege.json"])
    resources = {
        r
        for st in policy["Statement"]
        for r in ([st["Resource"]] if isinstance(st["Resource"], str) else st["Resource"])
    }
    assert "*" not in resources and "arn:aws:s3:::out/*" in resources
    assert "s3:PutObject" in _actions(policy) and "s3:*" not in _actions(policy)


def test_a_used_admin_grant_with_no_detail_gets_no_fix() -> None:
    fix = draft_fix(
        make_ctx("admin_access", kind="role", resource=ROLE, permissions=(_p("*", used=True),))
    )
    assert isinstance(fix, NoAutomaticFix) and "Access Analyzer" in " ".join(fix.guidance)


SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/*"
LOG_GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:"
TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/t"


@pytest.mark.parametrize(
    ("policy_file", "used"),
    [
        (
            "AdministratorAccess.json",
            {
                "s3:GetObject": "arn:aws:s3:::data/*",
                "dynamodb:Query": TABLE,
                "sqs:SendMessage": "arn:aws:sqs:us-east-1:123456789012:q",
            },
        ),
        (
            "AmazonS3FullAccess.json",
            {"s3:GetObject": "arn:aws:s3:::data/*", "s3:ListBucket": "arn:aws:s3:::data"},
        ),
        ("AmazonDynamoDBFullAccess.json", {"dynamodb:GetItem": TABLE, "dynamodb:PutItem": TABLE}),
        (
            "AWSLambda_FullAccess.json",
            {
                "lambda:InvokeFunction": "arn:aws:lambda:us-east-1:123456789012:function:f",
                "logs:GetLogEvents": f"{LOG_GROUP}/aws/lambda/f:*",
            },
        ),
        (
            "SecretsManagerReadWrite.json",
            {"secretsmanager:GetSecretValue": SECRET},
        ),
    ],
)
def test_real_managed_policies_get_a_narrower_policy_parliament_passes(
    policy_file: str, used: dict[str, str]
) -> None:
    doc = json.loads(real(f"iam-policies/{policy_file}"))
    document = doc.get("PolicyVersion", {}).get("Document", doc)
    # the wildcard grants the activity went through are the used ones
    granted = tuple(
        p.model_copy(update={"used": "*" in p.action and any(_covers(p.action, a) for a in used)})
        for p in rows_from_policy(document)
    )
    observed = tuple(_p(a, r, used=True, granted=False) for a, r in sorted(used.items()))
    ctx = make_ctx(
        "admin_access",
        kind="role",
        resource=ROLE,
        permissions=(*granted, *observed),
        artifacts=Artifacts(current_policy=json.dumps(document)),
    )
    fix = draft_fix(ctx)
    assert isinstance(fix, Remediation), fix
    policy = json.loads(fix.code.native_iac["least-privilege.json"])
    assert _actions(policy) == set(used)
    assert not parliament_issues(policy) - parliament_issues(document)
    assert fix.diff and fix.diff.startswith("--- a/pay-role.policy.json")


@pytest.mark.parametrize("cloud", ["azure", "gcp"])
def test_azure_and_gcp_get_a_custom_role_of_the_used_actions(cloud: str) -> None:
    perms = (_p("storage.objects.get", "b", used=True), _p("pubsub.topics.publish", "t"))
    fix = draft_fix(
        make_ctx(
            "unused_permissions",
            kind="role",
            permissions=perms,
            resource={**ROLE, "cloud": cloud, "account": "proj-1"},
        )
    )
    assert isinstance(fix, Remediation)
    assert "storage.objects.get" in (fix.code.terraform or "")
    assert "pubsub.topics.publish" not in (fix.code.terraform or "")

"""Runtime bumps, endpoint auth, secrets and cold starts, on real IaC and hand-built rows."""

from __future__ import annotations

import ast

import pytest

from remediation import Artifacts, NoAutomaticFix, Remediation, draft_fix
from remediation.drafters.iac import values_of
from remediation.validate import check_terraform, check_yaml
from tests.remediation.helpers import make_ctx, real

FN = {
    "name": "processPayment",
    "runtime": "python3.8",
    "memory_mb": 256,
    "cold_start_p95_ms": 2400,
    "invocations_30d": 2_000_000,
}


@pytest.mark.parametrize(
    ("form", "file", "old", "new"),
    [
        ("terraform", "terraform/lambda_deprecated_runtime.tf", "python3.6", "python3.12"),
        ("terraform", "terraform/lambda_deprecated_runtime.tf", "dotnetcore3.1", "dotnet8"),
        ("sam", "sam-cfn/deprecated-runtime.sam.yaml", "python3.6", "python3.12"),
        (
            "serverless",
            "serverless-framework/golang-s3-replicator.serverless.yml",
            "go1.x",
            "provided.al2023",
        ),
        (
            "serverless",
            "serverless-framework/aws-credentials-provider-FAILED.serverless.yml",
            "python3.7",
            "python3.12",
        ),
    ],
)
def test_runtime_bump_edits_real_templates_that_still_parse(
    form: str, file: str, old: str, new: str
) -> None:
    ctx = make_ctx(
        "deprecated_runtime",
        resource={**FN, "runtime": old},
        artifacts=Artifacts(**{form: real(f"serverless/{file}")}),
    )
    fix = draft_fix(ctx)
    assert isinstance(fix, Remediation), fix
    text = fix.code.terraform if form == "terraform" else next(iter(fix.code.native_iac.values()))
    parsed = (
        check_terraform(text or "") if form == "terraform" else check_yaml(text or "", cfn=True)
    )
    runtimes = values_of(parsed, "runtime")
    assert new in runtimes and old not in runtimes
    assert fix.diff and "+" in fix.diff and new in fix.diff


@pytest.mark.parametrize("cloud", ["aws", "azure", "gcp"])
def test_runtime_bump_without_files_drafts_each_form(cloud: str) -> None:
    fix = draft_fix(
        make_ctx("deprecated_runtime", resource={**FN, "cloud": cloud, "runtime": "nodejs16.x"})
    )
    assert isinstance(fix, Remediation)
    assert "20" in (fix.code.terraform or "")
    if cloud == "aws":
        assert set(fix.code.native_iac) == {"template.yaml", "serverless.yml"}
        assert any("SDK v3" in c for c in fix.checks)


@pytest.mark.parametrize(
    ("form", "file"),
    [
        ("terraform", "terraform/lambda_function_url_auth.tf"),
        ("sam", "sam-cfn/LambdaFunctionURLAuth_Fail.yml"),
        ("sam", "sam-cfn/fastapi-function-url-auth-none.template.yaml"),
        ("sam", "sam-cfn/nextjs-function-url-auth-none.template.yaml"),
    ],
)
def test_public_function_url_gets_iam_auth_in_real_templates(form: str, file: str) -> None:
    ctx = make_ctx(
        "public_function_url",
        resource=FN,
        artifacts=Artifacts(**{form: real(f"serverless/{file}")}),
    )
    fix = draft_fix(ctx)
    assert isinstance(fix, Remediation), fix
    text = fix.code.terraform if form == "terraform" else fix.code.native_iac["template.yaml"]
    parsed = (
        check_terraform(text or "") if form == "terraform" else check_yaml(text or "", cfn=True)
    )
    key = "authorization_type" if form == "terraform" else "AuthType"
    assert "NONE" not in values_of(parsed, key) and "AWS_IAM" in values_of(parsed, key)


@pytest.mark.parametrize("cloud", ["aws", "azure", "gcp"])
def test_routes_without_auth_get_an_authorizer(cloud: str) -> None:
    fix = draft_fix(
        make_ctx(
            "api_without_auth",
            kind="trigger",
            resource={"name": "orders route", "cloud": cloud, "path": "/v1"},
        )
    )
    assert isinstance(fix, Remediation) and fix.code.terraform


@pytest.mark.parametrize("cloud", ["aws", "azure", "gcp"])
def test_secret_moves_to_the_cloud_secret_store(cloud: str) -> None:
    title = "Secret in environment variable STRIPE_SECRET_KEY of processPayment"
    fix = draft_fix(make_ctx("secret_in_env_var", title=title, resource={**FN, "cloud": cloud}))
    assert isinstance(fix, Remediation)
    assert "STRIPE_SECRET_KEY" in (fix.code.other or "")
    ast.parse(fix.code.other or "")
    assert any(c.startswith("Rotate STRIPE_SECRET_KEY") for c in fix.checks)


def test_cold_start_gets_provisioned_concurrency_or_snapstart() -> None:
    plain = draft_fix(make_ctx("cold_start_latency", resource=FN))
    java = draft_fix(make_ctx("cold_start_latency", resource={**FN, "runtime": "java21"}))
    assert isinstance(plain, Remediation) and isinstance(java, Remediation)
    assert "aws_lambda_provisioned_concurrency_config" in (plain.code.terraform or "")
    assert "memory_size   = 512" in (plain.code.terraform or "")
    assert "snap_start" in (java.code.terraform or "")
    gcp = draft_fix(make_ctx("cold_start_latency", resource={**FN, "cloud": "gcp"}))
    assert isinstance(gcp, NoAutomaticFix)

"""Public function URL or public route without auth -> IAM auth or an authorizer.

A Lambda function URL moves to ``AWS_IAM`` auth (callers sign requests with SigV4); an
API Gateway route gets an authorizer; an Azure HTTP trigger gets function-key auth; a
Cloud Function stops allowing ``allUsers``. Real Terraform / SAM files are edited in
place; otherwise the changed block is drafted in each form and parsed back.
"""

from __future__ import annotations

from remediation.context import FixContext
from remediation.drafters.common import dump_yaml, finish, tf_name
from remediation.drafters.iac import edit_artifacts
from remediation.models import DraftInvalid, Remediation, RemediationCode
from remediation.validate import check_terraform, check_yaml, hcl_string

__all__ = ["draft"]

_CHECKS = [
    "List every caller of the endpoint first (access logs): each must sign or send a token",
    "Browsers and webhooks cannot sign SigV4: put them behind CloudFront with OAC or an "
    "API route with a JWT authorizer instead",
    "Roll out in staging, then watch 401/403 rates after the prod change",
]


def draft(ctx: FixContext) -> Remediation:
    """Require authentication on the finding's public endpoint.

    Raises:
        DraftInvalid: a drafted or edited file did not parse back.
    """
    if ctx.finding.type == "public_function_url" or (ctx.resource.trigger_type == "function_url"):
        return _function_url(ctx)
    return _route(ctx)


def _function_url(ctx: FixContext) -> Remediation:
    fn = ctx.resource.function_name or ctx.resource.name
    cli = f"aws lambda update-function-url-config --function-name {fn} --auth-type AWS_IAM"
    edited = edit_artifacts(
        ctx,
        {"terraform": "authorization_type", "sam": "AuthType", "serverless": "authorizer"},
        "NONE",
        "AWS_IAM",
    )
    if edited:
        texts, validation, diff = edited
        code = RemediationCode(
            cli=cli,
            terraform=texts.get("terraform"),
            native_iac={k: v for k, v in texts.items() if k != "terraform"},
        )
    else:
        code, validation, diff = *_function_url_forms(fn, cli), ""
    return finish(
        ctx,
        "endpoint_auth",
        summary=f"Require AWS_IAM auth on {fn}'s function URL.",
        recommendation="Set the function URL's auth type to AWS_IAM and grant "
        "lambda:InvokeFunctionUrl only to the callers that need it.",
        code=code,
        diff=diff,
        checks=_CHECKS,
        validation=validation,
    )


def _function_url_forms(fn: str, cli: str) -> tuple[RemediationCode, list[str]]:
    """The function URL's auth in Terraform, SAM and serverless.yml, parsed back."""
    tf = (
        f'resource "aws_lambda_function_url" "{tf_name(fn)}" {{\n'
        f'  function_name      = "{fn}"\n  authorization_type = "AWS_IAM"\n}}\n'
    )
    sam = dump_yaml(
        {
            "Resources": {
                "Function": {
                    "Type": "AWS::Serverless::Function",
                    "Properties": {"FunctionUrlConfig": {"AuthType": "AWS_IAM"}},
                }
            }
        }
    )
    sls = dump_yaml({"functions": {fn: {"url": {"authorizer": "aws_iam"}}}})
    parsed = check_terraform(tf)
    body = next(iter(parsed["resource"][0]['"aws_lambda_function_url"'].values()))
    if hcl_string(body["authorization_type"]) != "AWS_IAM":
        raise DraftInvalid("The drafted function URL does not require AWS_IAM.")
    check_yaml(sam)
    check_yaml(sls)
    validation = [
        "Terraform parses and sets authorization_type AWS_IAM",
        "SAM and serverless.yml parse",
    ]
    code = RemediationCode(
        cli=cli, terraform=tf, native_iac={"template.yaml": sam, "serverless.yml": sls}
    )
    return code, validation


def _route(ctx: FixContext) -> Remediation:
    r = ctx.resource
    label = tf_name(r.name)
    if r.cloud == "azure":
        tf = (
            f'resource "azurerm_function_app_function" "{label}" {{\n'
            f"  # only the arguments that change\n"
            f'  config_json = jsonencode({{ bindings = [{{ authLevel = "function", '
            f'type = "httpTrigger", direction = "in", name = "req" }}] }})\n}}\n'
        )
        cli, what = None, "function-key auth (authLevel function) or Easy Auth"
    elif r.cloud == "gcp":
        fn = r.function_name or r.name
        tf = (
            f'resource "google_cloudfunctions2_function_iam_member" "{label}" {{\n'
            f'  cloud_function = "{fn}"\n  role           = "roles/cloudfunctions.invoker"\n'
            f'  member         = "serviceAccount:CALLER@PROJECT.iam.gserviceaccount.com"\n}}\n'
        )
        cli = (
            f"gcloud functions remove-invoker-policy-binding {fn} --member=allUsers --region=REGION"
        )
        what = "invoker rights for named callers instead of allUsers"
    else:
        tf = (
            f'resource "aws_apigatewayv2_authorizer" "{label}" {{\n'
            f'  api_id           = "API_ID"\n  authorizer_type  = "JWT"\n'
            f'  identity_sources = ["$request.header.Authorization"]\n'
            f'  name             = "{label}-jwt"\n  jwt_configuration {{\n'
            f'    audience = ["API_AUDIENCE"]\n    issuer   = "https://ISSUER"\n  }}\n}}\n'
        )
        cli, what = None, "a JWT authorizer on the route"
    check_terraform(tf)
    return finish(
        ctx,
        "endpoint_auth",
        summary=f"Require authentication on {r.name}: {what}.",
        recommendation=f"Put {what} in front of {r.path or r.name}; fill in the placeholders "
        "(API id, issuer, caller) from your identity provider.",
        code=RemediationCode(cli=cli, terraform=tf),
        checks=["Replace the UPPER-CASE placeholders before applying", *_CHECKS],
        validation=["Terraform parses (python-hcl2)"],
    )

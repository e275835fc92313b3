"""Secret in an environment variable -> the cloud's secret store, in IaC and in code.

The value itself is never read or shown: the draft creates an empty secret, points the
function at it by name, and reads it at start-up. Someone with access sets the value
and rotates the old one (it has been visible to anyone who could read the config).
"""

from __future__ import annotations

import ast
import re

from remediation.context import FixContext
from remediation.drafters.common import finish, tf_name
from remediation.models import DraftInvalid, Remediation, RemediationCode
from remediation.validate import check_terraform

__all__ = ["draft", "secret_var"]

_VAR = re.compile(r"environment variable ([A-Z_][A-Z0-9_]*)")


def secret_var(title: str) -> str:
    """The variable a secret finding names (the functions view does not list them).

    >>> secret_var("Secret in environment variable DB_PASSWORD of f")
    'DB_PASSWORD'
    """
    match = _VAR.search(title)
    return match.group(1) if match else "SECRET_VALUE"


def _aws(fn: str, var: str, label: str) -> tuple[str, str, str]:
    name = f"{fn}/{var.lower()}"
    tf = (
        f'resource "aws_secretsmanager_secret" "{label}" {{\n  name = "{name}"\n}}\n\n'
        f'resource "aws_lambda_function" "{tf_name(fn)}" {{\n'
        f"  # only the arguments that change: drop {var}, pass the secret's ARN\n"
        f"  environment {{\n    variables = {{\n"
        f"      {var}_SECRET_ARN = aws_secretsmanager_secret.{label}.arn\n    }}\n  }}\n}}\n"
    )
    code = (
        f"import os\n\nimport boto3\n\n_client = boto3.client('secretsmanager')\n"
        f"{var} = _client.get_secret_value(\n"
        f"    SecretId=os.environ['{var}_SECRET_ARN'])['SecretString']\n"
    )
    cli = f"aws secretsmanager create-secret --name {name} --secret-string file://value.txt"
    return tf, code, cli


def _azure(fn: str, var: str, label: str) -> tuple[str, str, str]:
    secret = var.lower().replace("_", "-")
    tf = (
        f'resource "azurerm_key_vault_secret" "{label}" {{\n  name         = "{secret}"\n'
        f'  value        = "SET-OUT-OF-BAND"\n  key_vault_id = "KEY_VAULT_ID"\n'
        f"  lifecycle {{\n    ignore_changes = [value]\n  }}\n}}\n"
    )
    code = (
        f"import os\n\n# app setting {var} = @Microsoft.KeyVault(SecretUri=...{secret}/)"
        f"\n{var} = os.environ['{var}']  # resolved by Key Vault references\n"
    )
    cli = (
        f"az functionapp config appsettings set --name {fn} --settings "
        f'"{var}=@Microsoft.KeyVault(VaultName=VAULT;SecretName={secret})"'
    )
    return tf, code, cli


def _gcp(fn: str, var: str, label: str) -> tuple[str, str, str]:
    secret = var.lower().replace("_", "-")
    tf = (
        f'resource "google_secret_manager_secret" "{label}" {{\n  secret_id = "{secret}"\n'
        f"  replication {{\n    auto {{}}\n  }}\n}}\n"
    )
    code = (
        f"import os\n\n# deployed with --set-secrets {var}={secret}:latest\n"
        f"{var} = os.environ['{var}']  # mounted by Cloud Functions from Secret Manager\n"
    )
    cli = f"gcloud functions deploy {fn} --gen2 --set-secrets {var}={secret}:latest"
    return tf, code, cli


def draft(ctx: FixContext) -> Remediation:
    """Move the secret to the cloud's secret store.

    Raises:
        DraftInvalid: the drafted Terraform or Python does not parse.
    """
    fn, var = ctx.resource.name, secret_var(ctx.finding.title)
    store = {
        "aws": "AWS Secrets Manager",
        "azure": "Azure Key Vault",
        "gcp": "Google Secret Manager",
    }[ctx.resource.cloud]
    make = {"aws": _aws, "azure": _azure, "gcp": _gcp}[ctx.resource.cloud]
    tf, code, cli = make(fn, var, tf_name(f"{fn}_{var}"))
    check_terraform(tf)
    try:
        ast.parse(code)
    except SyntaxError as exc:
        raise DraftInvalid(f"The drafted Python does not parse: {exc}") from exc
    return finish(
        ctx,
        "secret_store",
        summary=f"Move {var} of {fn} into {store}.",
        recommendation=f"Store {var} in {store}, give {fn}'s identity read access to that "
        "one secret, read it at start-up, and remove the variable.",
        code=RemediationCode(cli=cli, terraform=tf, other=code),
        checks=[
            f"Rotate {var}: its current value has been readable in the function config",
            "Grant the function's identity read access to this secret only",
            "Cache the value across invocations to avoid a call per request",
        ],
        validation=["Terraform parses (python-hcl2)", "Python snippet parses (ast)"],
    )

"""Deprecated runtime -> the supported runtime of the same language, in IaC.

AWS gets Terraform, SAM and serverless.yml (or an edit of the caller's own file);
Azure Functions and Cloud Functions get Terraform for their stack setting.
"""

from __future__ import annotations

import re

from remediation.context import FixContext
from remediation.drafters.common import finish, no_fix, tf_name
from remediation.drafters.iac import edit_artifacts, function_forms
from remediation.models import NoAutomaticFix, Remediation, RemediationCode
from remediation.validate import check_terraform

__all__ = ["RUNTIME_UPGRADES", "draft", "upgrade_for"]

# deprecated AWS runtime identifier -> the current long-supported one of its language
RUNTIME_UPGRADES = {
    "python3.6": "python3.12",
    "python3.7": "python3.12",
    "python3.8": "python3.12",
    "nodejs12.x": "nodejs20.x",
    "nodejs14.x": "nodejs20.x",
    "nodejs16.x": "nodejs20.x",
    "go1.x": "provided.al2023",
    "dotnetcore3.1": "dotnet8",
    "dotnet6": "dotnet8",
    "java8": "java21",
    "java8.al2": "java21",
    "java11": "java21",
    "ruby2.7": "ruby3.3",
}
_CHECKS = {
    "python": [
        "Rebuild native wheels for the new interpreter (pip install --platform)",
        "Python 3.12 removed distutils and some deprecated stdlib APIs: run the tests",
    ],
    "nodejs": [
        "Node 18+ runtimes bundle AWS SDK v3 only: migrate v2 calls or package v2",
        "Check native add-ons rebuild for the new Node ABI",
    ],
    "go": [
        "Build a `bootstrap` binary (GOOS=linux, -tags lambda.norpc) and zip it at the "
        "root; the handler name is ignored on provided.al2023"
    ],
    "dotnet": ["Retarget the project to net8.0 and update the Amazon.Lambda.* packages"],
    "java": [
        "Recompile for Java 21; check reflection-heavy libraries and JVM flags",
        "Consider SnapStart once on Java 21",
    ],
    "ruby": ["Update the Gemfile's ruby version and rebuild native gems"],
}


def upgrade_for(runtime: str) -> str | None:
    """The runtime to move to, or None if this one is not known to be deprecated.

    >>> upgrade_for("go1.x"), upgrade_for("python3.12")
    ('provided.al2023', None)
    """
    return RUNTIME_UPGRADES.get(runtime)


def _family(runtime: str) -> str:
    match = re.match(r"^[a-z]+", runtime)
    return match.group(0) if match else runtime


def _other_cloud(ctx: FixContext, old: str, new: str) -> tuple[str, str]:
    """Terraform and CLI for Azure Functions / Cloud Functions (2nd gen)."""
    family, name = _family(old), ctx.resource.name
    version = re.sub(r"^[a-z]+|\.x$", "", new) or new
    if ctx.resource.cloud == "azure":
        key = {
            "python": "python_version",
            "nodejs": "node_version",
            "java": "java_version",
            "dotnet": "dotnet_version",
        }[family]
        value = f"{version}.0" if family == "dotnet" else version
        fx = {"python": "PYTHON", "nodejs": "NODE", "java": "JAVA", "dotnet": "DOTNET-ISOLATED"}
        tf = (
            f'resource "azurerm_linux_function_app" "{tf_name(name)}" {{\n'
            f"  # only the arguments that change\n  site_config {{\n"
            f'    application_stack {{\n      {key} = "{value}"\n    }}\n  }}\n}}\n'
        )
        return (
            tf,
            f'az functionapp config set --name {name} --linux-fx-version "{fx[family]}|{value}"',
        )
    gcp = new.replace(".x", "").replace(".", "")
    tf = (
        f'resource "google_cloudfunctions2_function" "{tf_name(name)}" {{\n'
        f'  # only the arguments that change\n  build_config {{\n    runtime = "{gcp}"\n'
        f"  }}\n}}\n"
    )
    return tf, f"gcloud functions deploy {name} --gen2 --runtime {gcp} --source ."


def draft(ctx: FixContext) -> Remediation | NoAutomaticFix:
    """The runtime bump in the function's IaC, with what to check before rollout.

    Raises:
        DraftInvalid: a drafted or edited file did not parse back.
    """
    old = ctx.resource.runtime or ""
    new = upgrade_for(old)
    if new is None:
        return no_fix(
            ctx,
            f"No known replacement for runtime {old or 'unknown'}.",
            "Pick the newest runtime of the same language your code supports.",
        )
    checks = [
        *_CHECKS.get(_family(old), []),
        "Deploy to staging and run the integration tests before prod",
        "Publish a new version and shift an alias gradually so rollback is one step",
    ]
    code, validation, diff = _code(ctx, old, new)
    return finish(
        ctx,
        "runtime_upgrade",
        summary=f"Move {ctx.resource.name} from {old} to {new}.",
        recommendation=f"{old} no longer gets security patches; change the runtime to {new} "
        "in the function's IaC and redeploy.",
        code=code,
        diff=diff,
        checks=checks,
        validation=validation,
    )


def _code(ctx: FixContext, old: str, new: str) -> tuple[RemediationCode, list[str], str]:
    name = ctx.resource.name
    if ctx.resource.cloud != "aws":
        tf, cli = _other_cloud(ctx, old, new)
        check_terraform(tf)
        return RemediationCode(cli=cli, terraform=tf), ["Terraform parses (python-hcl2)"], ""
    cli = f"aws lambda update-function-configuration --function-name {name} --runtime {new}"
    edited = edit_artifacts(
        ctx, {"terraform": "runtime", "sam": "Runtime", "serverless": "runtime"}, old, new
    )
    if edited:
        texts, validation, diff = edited
        native = {k: v for k, v in texts.items() if k != "terraform"}
        return (
            RemediationCode(cli=cli, terraform=texts.get("terraform"), native_iac=native),
            validation,
            diff,
        )
    texts, validation = function_forms(ctx, {"runtime": new}, {"Runtime": new}, {"runtime": new})
    native = {k: v for k, v in texts.items() if k != "terraform"}
    return RemediationCode(cli=cli, terraform=texts["terraform"], native_iac=native), validation, ""

"""Cold starts -> provisioned concurrency (SnapStart for Java) and memory right-sizing."""

from __future__ import annotations

from remediation.context import FixContext
from remediation.drafters.common import finish, no_fix, tf_name
from remediation.models import NoAutomaticFix, Remediation, RemediationCode
from remediation.validate import check_terraform

__all__ = ["draft", "right_size_memory"]

_SECONDS_30D = 30 * 24 * 3600


def right_size_memory(memory_mb: int, cold_ms: int) -> int:
    """More memory buys more CPU, which shortens init; step up one size, at most 3008 MB.

    >>> right_size_memory(128, 2500), right_size_memory(3008, 5000)
    (512, 3008)
    """
    for size in (512, 1024, 1769, 3008):
        if size > memory_mb:
            return size if cold_ms > 1000 else memory_mb
    return memory_mb


def _concurrency(invocations_30d: int) -> int:
    """Enough warm environments for the average rate of 1-s calls, times 4 for bursts."""
    return max(1, min(50, round(invocations_30d / _SECONDS_30D * 4 + 0.5)))


def draft(ctx: FixContext) -> Remediation | NoAutomaticFix:
    """Terraform for warm capacity or SnapStart, and bigger memory where it helps.

    Raises:
        DraftInvalid: the drafted Terraform does not parse.
    """
    r = ctx.resource
    if r.cloud != "aws":
        plan = "Premium plan always-ready instances" if r.cloud == "azure" else "min instances"
        return no_fix(
            ctx,
            "Only AWS Lambda cold-start drafts exist so far.",
            f"Use {plan} and raise memory for {r.name}.",
        )
    label, cold = tf_name(r.name), r.cold_start_p95_ms or 0
    memory = right_size_memory(r.memory_mb or 128, cold)
    java = (r.runtime or "").startswith("java")
    if java:
        extra = '  snap_start {\n    apply_on = "PublishedVersions"\n  }\n  publish = true\n'
        warm, what = "", "SnapStart"
    else:
        n = _concurrency(r.invocations_30d or 0)
        extra, what = "  publish = true\n", f"{n} provisioned environments"
        warm = (
            f'\nresource "aws_lambda_alias" "{label}_live" {{\n  name = "live"\n'
            f'  function_name    = "{r.name}"\n'
            f"  function_version = aws_lambda_function.{label}.version\n}}\n\n"
            f'resource "aws_lambda_provisioned_concurrency_config" "{label}" {{\n'
            f'  function_name                     = "{r.name}"\n'
            f"  qualifier                         = aws_lambda_alias.{label}_live.name\n"
            f"  provisioned_concurrent_executions = {n}\n}}\n"
        )
    tf = (
        f'resource "aws_lambda_function" "{label}" {{\n  # only the arguments that change\n'
        f'  function_name = "{r.name}"\n  memory_size   = {memory}\n{extra}}}\n{warm}'
    )
    check_terraform(tf)
    return finish(
        ctx,
        "cold_start",
        summary=f"Cut {r.name}'s {cold} ms p95 cold starts with {what}, memory {memory} MB.",
        recommendation="Serve traffic through an alias with warm capacity and give init "
        "more CPU via memory; both are plain Terraform changes.",
        code=RemediationCode(terraform=tf),
        checks=[
            "Provisioned concurrency is billed per hour: compare the cost with the latency target"
            if not java
            else "SnapStart restores a snapshot: re-seed "
            "random state and refresh credentials in a restore hook",
            "Point callers (triggers, URLs) at the alias, not $LATEST",
            "Compare p95 init duration in CloudWatch before and after",
        ],
        validation=["Terraform parses (python-hcl2)"],
    )

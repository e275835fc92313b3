"""Finding type -> the drafter that serves it, and the types deliberately left to people.

``draft_fix`` is the only entry point callers need: it picks the drafter, and turns a
draft that failed validation into a ``NoAutomaticFix`` carrying the validation error,
so an unvalidated change can never be shown as a fix.
"""

from __future__ import annotations

from collections.abc import Callable

from remediation.context import FixContext
from remediation.drafters import (
    cold_start,
    exposure,
    iam,
    kubernetes,
    packages,
    runtime,
    secrets,
    storage,
)
from remediation.models import DraftInvalid, NoAutomaticFix, Remediation

__all__ = ["DRAFTERS", "NO_AUTOMATIC_FIX", "Drafter", "draft_fix"]

Drafter = Callable[[FixContext], Remediation | NoAutomaticFix]

DRAFTERS: dict[str, Drafter] = {
    "admin_access": iam.draft,
    "wildcard_permissions": iam.draft,
    "over_permissive_role": iam.draft,
    "unused_permissions": iam.draft,
    "public_function_url": exposure.draft,
    "api_without_auth": exposure.draft,
    "deprecated_runtime": runtime.draft,
    "secret_in_env_var": secrets.draft,
    "cold_start_latency": cold_start.draft,
    "unencrypted_storage_write": storage.draft,
    "unencrypted_bucket": storage.draft,
    "public_bucket": storage.draft,
    "bucket_versioning_disabled": storage.draft,
    "privileged_container": kubernetes.draft,
    "run_as_root": kubernetes.draft,
    "host_path_mount": kubernetes.draft,
    "missing_resource_limits": kubernetes.draft,
    "vulnerable_package": packages.draft,
}

_RESPOND = "This is an active threat, not a setting: respond before anything is changed."
# runtime threats need incident response, not a config change
NO_AUTOMATIC_FIX: dict[str, tuple[str, ...]] = {
    "crypto_miner": (
        _RESPOND,
        "Isolate the pod (a deny-all NetworkPolicy on its labels) and keep it for forensics",
        "Rotate the workload identity's credentials",
        "Find the entry point: image, exposed port, stolen key",
    ),
    "reverse_shell": (
        _RESPOND,
        "Isolate the pod and block the destination at egress",
        "Rotate every secret the pod could read",
        "Rebuild from a clean image",
    ),
    "suspicious_process": (
        "Check the process tree and the image: is it expected tooling?",
        "If not, isolate the pod and rebuild it from a clean image",
        "Make the root filesystem read-only to stop runtime installs",
    ),
}
_GENERIC = ("Open the finding in its source console for the vendor's remediation text.",)


def draft_fix(ctx: FixContext, llm: Drafter | None = None) -> Remediation | NoAutomaticFix:
    """The validated fix for one finding, or why there is none and what to do instead.

    ``llm`` (a ``remediation.LLMDrafter`` when an admin turned Claude on) drafts types
    that no offline drafter serves; runtime threats still get incident guidance.
    """
    ftype = ctx.finding.type
    if ctx.finding.status == "resolved":
        return NoAutomaticFix(
            finding_id=ctx.finding.finding_id,
            finding_type=ftype,
            reason="This finding is resolved: its resource no longer has the problem.",
        )
    drafter = DRAFTERS.get(ftype)
    if drafter is None and llm is not None and ftype not in NO_AUTOMATIC_FIX:
        drafter = llm
    if drafter is None:
        guidance = NO_AUTOMATIC_FIX.get(ftype, _GENERIC)
        return NoAutomaticFix(
            finding_id=ctx.finding.finding_id,
            finding_type=ftype,
            reason=f"There is no automatic fix for {ftype} findings.",
            guidance=guidance,
        )
    try:
        result = drafter(ctx)
    except DraftInvalid as exc:
        return NoAutomaticFix(
            finding_id=ctx.finding.finding_id,
            finding_type=ftype,
            reason=f"The drafted fix did not validate, so it is not shown: {exc.message}",
            guidance=(*exc.errors, "Draft this change by hand from the recommendation."),
        )
    if isinstance(result, Remediation) and not result.validated:
        return NoAutomaticFix(
            finding_id=ctx.finding.finding_id,
            finding_type=ftype,
            reason="The drafted fix was not validated, so it is not shown.",
        )
    return result

"""Non-vulnerability issues, each derived from a resource's own settings.

A function with ``python3.8`` gets ``deprecated_runtime``; a role granting ``*:*`` gets
``admin_access``; a workload marked privileged gets ``privileged_container``. Findings
therefore agree with the resource rows they are about, which is what lets a question
be answered from either side. A few resolved issues describe settings since fixed.
"""

from __future__ import annotations

from collections.abc import Iterator

from core.models import FindingCategory as C
from core.models import Resource, Severity
from estate.emit import DEFAULT_WEIGHTS, Emitter, Issue
from estate.names import SECRET_ENV_VARS
from estate.world import World

__all__ = ["CHECKS", "issues_for"]

_RESOLVED = (0.0, 1.0, 0.0)  # an issue whose cause has since been fixed
_MIS, _PERM = C.MISCONFIGURATION, C.PERMISSIONS

# type -> (category, the check id the scanners (Prowler checks, Trivy AVD ids) use)
CHECKS: dict[str, tuple[C, str]] = {
    "deprecated_runtime": (_MIS, "awslambda_function_using_supported_runtimes"),
    "public_function_url": (_MIS, "awslambda_function_url_public"),
    "unencrypted_storage_write": (_MIS, "function_writes_unencrypted_storage"),
    "secret_in_env_var": (C.SECRET, "awslambda_function_no_secrets_in_variables"),
    "cold_start_latency": (C.COLD_START, "function_cold_start_latency"),
    "api_without_auth": (_MIS, "apigateway_restapi_authorizers_enabled"),
    "public_bucket": (_MIS, "s3_bucket_public_access"),
    "unencrypted_bucket": (_MIS, "s3_bucket_default_encryption"),
    "bucket_versioning_disabled": (_MIS, "s3_bucket_object_versioning"),
    "privileged_container": (_MIS, "KSV017"),
    "run_as_root": (_MIS, "KSV012"),
    "host_path_mount": (_MIS, "KSV023"),
    "missing_resource_limits": (_MIS, "KSV011"),
    "admin_access": (_PERM, "iam_role_administrative_privileges"),
    "wildcard_permissions": (_PERM, "iam_policy_wildcard_actions"),
    "over_permissive_role": (_PERM, "iam_role_over_permissive"),
    "unused_permissions": (_PERM, "iam_role_unused_permissions"),
    "crypto_miner": (C.RUNTIME_THREAT, "crypto_miner"),
    "reverse_shell": (C.RUNTIME_THREAT, "reverse_shell"),
    "suspicious_process": (C.RUNTIME_THREAT, "suspicious_process"),
}
_THREATS = (
    ("crypto_miner", Severity.CRITICAL, "Crypto-mining process (xmrig) detected"),
    ("reverse_shell", Severity.CRITICAL, "Reverse shell to an external host"),
    ("suspicious_process", Severity.HIGH, "Unexpected process spawned a shell"),
    ("suspicious_process", Severity.MEDIUM, "Package manager run in a container"),
)


def _mk(
    r: Resource,
    kind: str,
    severity: Severity,
    title: str,
    weights: tuple[float, float, float] = DEFAULT_WEIGHTS,
) -> Issue:
    category, check = CHECKS[kind]
    return Issue(r, category, kind, severity, title, check, status_weights=weights)


def _sev(sensitive: bool, high: Severity, low: Severity) -> Severity:
    return high if sensitive else low


def _function_config(world: World, fn: Resource) -> Iterator[Issue]:
    d = fn.function
    assert d is not None  # a function resource always carries its details
    if d.runtime_deprecated:
        title = f"{fn.name} runs on deprecated runtime {d.runtime}"
        yield _mk(fn, "deprecated_runtime", Severity.MEDIUM, title)
    elif world.rand.chance(0.05):
        title = f"{fn.name} ran on a deprecated runtime"
        yield _mk(fn, "deprecated_runtime", Severity.MEDIUM, title, _RESOLVED)
    for t in world.triggers_of.get(fn.resource_id, []):
        if t.trigger and t.trigger.trigger_type == "function_url" and not t.trigger.has_authorizer:
            severity = _sev(bool(fn.data_classes), Severity.CRITICAL, Severity.HIGH)
            title = f"Function URL of {fn.name} allows unauthenticated access"
            yield _mk(fn, "public_function_url", severity, title)
    role = world.roles.get(d.role_id) if d.role_id else None
    for bucket_id in role.writes if role else []:
        bucket = world.by_id[bucket_id]
        if bucket.bucket and not bucket.bucket.encrypted:
            severity = _sev(bool(bucket.data_classes), Severity.HIGH, Severity.MEDIUM)
            title = f"{fn.name} writes to unencrypted bucket {bucket.name}"
            yield _mk(fn, "unencrypted_storage_write", severity, title)
            break


def _function_runtime(world: World, fn: Resource) -> Iterator[Issue]:
    d = fn.function
    assert d is not None  # a function resource always carries its details
    secrets = [n for n in d.env_var_names if n in SECRET_ENV_VARS]
    if secrets:
        severity = _sev(fn.environment == "prod", Severity.CRITICAL, Severity.HIGH)
        title = f"Secret in environment variable {secrets[0]} of {fn.name}"
        yield _mk(fn, "secret_in_env_var", severity, title)
    cold = d.cold_start_p95_ms or 0
    if cold > 1000 and d.provisioned_concurrency == 0:
        severity = Severity.MEDIUM if cold > 4000 else Severity.LOW
        severity = severity if cold > 2000 else Severity.INFO
        title = f"{fn.name} cold starts take {cold} ms at p95"
        yield _mk(fn, "cold_start_latency", severity, title)


def _function(world: World, fn: Resource) -> Iterator[Issue]:
    yield from _function_config(world, fn)
    yield from _function_runtime(world, fn)


def _trigger(world: World, t: Resource) -> Iterator[Issue]:
    d = t.trigger
    if d and t.is_public and d.trigger_type in ("api_gateway", "http") and not d.has_authorizer:
        severity = _sev(bool(t.data_classes), Severity.CRITICAL, Severity.HIGH)
        yield _mk(t, "api_without_auth", severity, f"Public route {t.name} has no authorizer")


def _bucket(world: World, b: Resource) -> Iterator[Issue]:
    d, data = b.bucket, bool(b.data_classes)
    assert d is not None  # a bucket resource always carries its details
    if b.is_public or world.rand.chance(0.06):
        weights = DEFAULT_WEIGHTS if b.is_public else _RESOLVED
        severity = _sev(data, Severity.CRITICAL, Severity.MEDIUM)
        yield _mk(b, "public_bucket", severity, f"Bucket {b.name} is public", weights)
    if not d.encrypted:
        severity = _sev(data, Severity.HIGH, Severity.MEDIUM)
        yield _mk(b, "unencrypted_bucket", severity, f"Bucket {b.name} has no default encryption")
    if not d.versioning and world.rand.chance(0.5):
        title = f"Bucket {b.name} has versioning disabled"
        yield _mk(b, "bucket_versioning_disabled", Severity.LOW, title)


def _workload(world: World, w: Resource) -> Iterator[Issue]:
    d = w.workload
    assert d is not None  # a workload resource always carries its details
    if d.privileged or world.rand.chance(0.04):
        weights = (0.75, 0.18, 0.07) if d.privileged else _RESOLVED
        title = f"{w.name} runs a privileged container"
        yield _mk(w, "privileged_container", Severity.HIGH, title, weights)
    if d.runs_as_root:
        yield _mk(w, "run_as_root", Severity.MEDIUM, f"{w.name} runs as root")
    if d.host_paths:
        worst = any(p in ("/", "/var/run/docker.sock") for p in d.host_paths)
        severity = _sev(worst, Severity.HIGH, Severity.MEDIUM)
        yield _mk(w, "host_path_mount", severity, f"{w.name} mounts host path {d.host_paths[0]}")
    if d.cpu_limit is None or d.memory_limit is None:
        title = f"{w.name} sets no CPU or memory limit"
        yield _mk(w, "missing_resource_limits", Severity.LOW, title)


def _role(world: World, role: Resource) -> Iterator[Issue]:
    info = world.roles[role.resource_id]
    prod = role.environment == "prod"
    if info.admin:
        severity = _sev(prod, Severity.CRITICAL, Severity.HIGH)
        title = f"{role.name} grants full administrative access (*:*)"
        yield _mk(role, "admin_access", severity, title)
    broad = [a for a in info.wildcards if a.endswith((":*", "/*", ".*"))]
    if broad and not info.admin:
        severity = _sev(prod, Severity.HIGH, Severity.MEDIUM)
        title = f"{role.name} grants wildcard actions {', '.join(broad)}"
        yield _mk(role, "wildcard_permissions", severity, title)
    used = info.granted - info.unused
    if info.granted >= 5 and info.unused * 2 >= info.granted:
        title = f"{role.name} uses {used} of {info.granted} grants"
        yield _mk(role, "over_permissive_role", Severity.MEDIUM, title)
    if info.unused:
        title = f"{role.name} has {info.unused} permissions unused for 90 days"
        yield _mk(role, "unused_permissions", Severity.LOW, title)


def _runtime(world: World, r: Resource) -> Iterator[Issue]:
    if world.rand.chance(0.07 if r.container else 0.012):
        kind, severity, title = world.rand.pick(_THREATS)
        yield _mk(r, kind, severity, f"{title} in {r.name}", (0.4, 0.5, 0.1))


_BY_KIND = {
    "function": _function,
    "trigger": _trigger,
    "bucket": _bucket,
    "workload": _workload,
    "role": _role,
}


def issues_for(em: Emitter, resource: Resource) -> None:
    """Emit every non-vulnerability issue of one resource."""
    world = em.world
    make = _BY_KIND.get(resource.kind.value)
    issues = list(make(world, resource)) if make else []
    if resource.kind.value in ("container", "workload"):
        issues += list(_runtime(world, resource))
    for issue in issues:
        extra = 0.0 if issue.status_weights == _RESOLVED else 0.35
        em.emit(issue, em.sources_for(resource, issue.category, extra))

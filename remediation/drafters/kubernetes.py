"""Pod security: privileged, root, host path, no limits -> a strategic-merge patch.

The patch is drafted against the real manifest when the caller has it, otherwise
against a manifest rebuilt from the store's workload row (container named after the
workload, host-path volumes named ``host-path-N``: said in the checks). The patched
object must pass the Kubernetes schema (kubernetes-validate, strict) and no longer have
the flaw, and the patch must not add any other flaw.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from remediation.context import FixContext
from remediation.drafters.common import dump_yaml, finish, unified_diff
from remediation.drafters.k8s_patch import (
    apply_strategic_merge,
    containers,
    flaws,
    pod_spec,
    wrap_pod_patch,
)
from remediation.models import DraftInvalid, Remediation, RemediationCode
from remediation.validate import K8S_VERSION, check_k8s, check_yaml

__all__ = ["NON_ROOT_UID", "draft", "manifest_from_row"]

NON_ROOT_UID = 10001  # above any distro's system range, the conventional non-root choice
_DEFAULT_LIMITS = {"cpu": "500m", "memory": "512Mi"}
_WHAT = {
    "privileged_container": "stop running privileged",
    "run_as_root": "run as a non-root user",
    "host_path_mount": "stop mounting host paths",
    "missing_resource_limits": "set CPU and memory limits",
}


def _privileged(spec: dict[str, Any]) -> dict[str, Any]:
    fix = {"privileged": False, "allowPrivilegeEscalation": False}
    return _per_container(
        spec,
        lambda c: (c.get("securityContext") or {}).get("privileged") is True,
        {"securityContext": fix},
    )


def _root(spec: dict[str, Any]) -> dict[str, Any]:
    pod_sc = spec.get("securityContext") or {}
    user = pod_sc.get("runAsUser")
    uid = user if isinstance(user, int) and user > 0 else NON_ROOT_UID
    patch = _per_container(
        spec,
        lambda c: (
            "runAsUser" in (c.get("securityContext") or {})
            or "runAsNonRoot" in (c.get("securityContext") or {})
        ),
        {"securityContext": {"runAsNonRoot": True, "runAsUser": uid}},
    )
    patch["securityContext"] = {"runAsNonRoot": True, "runAsUser": uid}
    return patch


def _host_paths(spec: dict[str, Any]) -> dict[str, Any]:
    volumes = [
        {"name": v["name"], "hostPath": None, "emptyDir": {}}
        for v in spec.get("volumes") or []
        if "hostPath" in v
    ]
    return {"volumes": volumes}


def _limits(spec: dict[str, Any]) -> dict[str, Any]:
    patch: dict[str, Any] = {}
    for key in ("containers", "initContainers"):
        items = []
        for c in spec.get(key) or []:
            resources = c.get("resources") or {}
            limits, requests = resources.get("limits") or {}, resources.get("requests") or {}
            missing = {k: requests.get(k, v) for k, v in _DEFAULT_LIMITS.items() if k not in limits}
            if missing:
                items.append({"name": c["name"], "resources": {"limits": missing}})
        if items:
            patch[key] = items
    return patch


def _per_container(
    spec: dict[str, Any], wanted: Callable[[dict[str, Any]], bool], change: dict[str, Any]
) -> dict[str, Any]:
    patch: dict[str, Any] = {}
    for key in ("containers", "initContainers"):
        items = [{"name": c["name"], **change} for c in spec.get(key) or [] if wanted(c)]
        if items:
            patch[key] = items
    return patch


_PATCHERS = {
    "privileged_container": _privileged,
    "run_as_root": _root,
    "host_path_mount": _host_paths,
    "missing_resource_limits": _limits,
}


def manifest_from_row(ctx: FixContext) -> dict[str, Any]:
    """The workload as the store knows it, as a manifest to draft the patch against."""
    r = ctx.resource
    sc: dict[str, Any] = {"privileged": True} if r.privileged else {}
    if r.runs_as_root:
        sc["runAsUser"] = 0
    limits = {k: v for k, v in (("cpu", r.cpu_limit), ("memory", r.memory_limit)) if v}
    mounts = [{"name": f"host-path-{i}", "mountPath": p} for i, p in enumerate(r.host_paths)]
    container: dict[str, Any] = {"name": r.name, "image": r.image_name or r.name}
    container |= {"securityContext": sc} if sc else {}
    container |= {"resources": {"limits": limits}} if limits else {}
    container |= {"volumeMounts": mounts} if mounts else {}
    spec: dict[str, Any] = {"containers": [container]}
    if mounts:
        spec["volumes"] = [
            {"name": m["name"], "hostPath": {"path": m["mountPath"]}} for m in mounts
        ]
    kind = r.workload_type or "Deployment"
    if kind == "CronJob":
        spec["restartPolicy"] = "OnFailure"
    labels = {"app": r.name}
    template = {"metadata": {"labels": labels}, "spec": spec}
    body: dict[str, Any] = (
        {"schedule": "0 * * * *", "jobTemplate": {"spec": {"template": template}}}
        if kind == "CronJob"
        else {"selector": {"matchLabels": labels}, "template": template}
    )
    if kind == "StatefulSet":
        body["serviceName"] = r.name
    api = "batch/v1" if kind == "CronJob" else "apps/v1"
    meta = {"name": r.name, "namespace": r.namespace or "default"}
    return {"apiVersion": api, "kind": kind, "metadata": meta, "spec": body}


def _pick(ctx: FixContext) -> tuple[dict[str, Any], bool]:
    if not ctx.artifacts.manifest:
        return manifest_from_row(ctx), False
    docs = [d for d in check_yaml(ctx.artifacts.manifest) if isinstance(d, dict)]
    named = [d for d in docs if (d.get("metadata") or {}).get("name") == ctx.resource.name]
    with_pods = [d for d in named or docs if pod_spec(d)]
    if not with_pods:
        raise DraftInvalid("The manifest holds no object with a pod spec.")
    return with_pods[0], True


def _validate(
    ftype: str, before: dict[str, Any], patch: dict[str, Any], text: str, after: dict[str, Any]
) -> list[str]:
    if check_yaml(text)[0] != patch:
        raise DraftInvalid("The patch YAML does not parse back to the drafted patch.")
    check_k8s(after)
    if ftype in flaws(after):
        raise DraftInvalid(f"The patched manifest still has {ftype}.")
    added = flaws(after) - flaws(before)
    if added:
        raise DraftInvalid("The patch adds problems.", errors=sorted(added))
    return [
        "patch YAML parses",
        f"patched object passes the Kubernetes {K8S_VERSION} schema (kubernetes-validate, strict)",
        f"patched object no longer has {ftype}",
        "the patch adds no other pod-security flaw",
    ]


def draft(ctx: FixContext) -> Remediation:
    """A strategic-merge patch and its ``kubectl patch`` command for one pod-security flaw.

    Raises:
        DraftInvalid: nothing to patch, or the patched object fails a check.
    """
    ftype = ctx.finding.type
    before, real = _pick(ctx)
    pod_patch = _PATCHERS[ftype](pod_spec(before))
    if not any(pod_patch.values()):
        raise DraftInvalid(f"The manifest shows no {ftype} to patch.")
    kind, name = str(before["kind"]), str(before["metadata"]["name"])
    patch = wrap_pod_patch(kind, pod_patch)
    after = apply_strategic_merge(before, patch)
    text = dump_yaml(patch)
    validation = _validate(ftype, before, patch, text, after)
    ns = (before.get("metadata") or {}).get("namespace") or ctx.resource.namespace or "default"
    return finish(
        ctx,
        "kubernetes_patch",
        summary=f"Patch {kind} {name} to {_WHAT[ftype]}.",
        recommendation=f"Apply this strategic-merge patch to {kind} {name}, or fold it into "
        "the manifest in Git so the next deploy does not undo it.",
        code=RemediationCode(cli=_kubectl(kind, name, ns), native_iac={"patch.yaml": text}),
        diff=unified_diff(_dump(before), _dump(after), f"{name}.yaml"),
        checks=_checks(ftype, real, ctx, containers(pod_spec(before))),
        validation=validation,
    )


def _kubectl(kind: str, name: str, ns: str) -> str:
    if kind == "Pod":  # a pod's security settings are immutable: patch a copy, replace it
        return (
            f"kubectl get pod {name} -n {ns} -o yaml | kubectl patch --local -f - "
            "--type strategic --patch-file patch.yaml -o yaml | kubectl replace --force -f -"
        )
    return f"kubectl patch {kind.lower()} {name} -n {ns} --type strategic --patch-file patch.yaml"


def _dump(doc: dict[str, Any]) -> str:
    return dump_yaml(doc)


def _checks(ftype: str, real: bool, ctx: FixContext, cs: list[dict[str, Any]]) -> list[str]:
    out = {
        "privileged_container": [
            "Confirm the container needs no device or kernel access "
            "(hostPID/hostNetwork are left as they are)"
        ],
        "run_as_root": [
            f"Confirm the image runs as UID {NON_ROOT_UID}: files it writes must "
            "be writable by that user"
        ],
        "host_path_mount": [
            "The host paths become empty scratch volumes: confirm the app "
            "does not need host data (docker.sock, /var/log ...)"
        ],
        "missing_resource_limits": [
            "Set the limits from observed usage (kubectl top pod) "
            "with headroom; defaults are 500m CPU / 512Mi"
        ],
    }[ftype]
    if not real:
        names = ", ".join(str(c["name"]) for c in cs)
        out.append(
            f"Drafted from the store's view of the workload: check the container "
            f"name(s) ({names}) and volume names match the live object"
        )
    out.append("Roll out to one replica or a staging namespace first; watch for CrashLoopBackOff")
    return out

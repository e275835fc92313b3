"""Just enough of Kubernetes to draft and check a pod-security patch, offline.

``apply_strategic_merge`` implements the part of kubectl's strategic merge the patches
here use: maps merge, ``null`` deletes a key, and the pod-spec lists merge on their
patch merge keys (containers and volumes by ``name``, volume mounts by ``mountPath``).
``flaws`` finds the four problems these drafts fix, so a test can show a patched
manifest no longer has them.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = [
    "apply_strategic_merge",
    "containers",
    "flaws",
    "pod_spec",
    "pod_spec_path",
    "wrap_pod_patch",
]

MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "env": "name",
    "ports": "containerPort",
}
_POD_PATHS = {
    "Pod": ("spec",),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
_TEMPLATE_PATH = ("spec", "template", "spec")  # Deployment, StatefulSet, DaemonSet, Job ...


def pod_spec_path(kind: str) -> tuple[str, ...]:
    """Where the pod spec sits in an object of this kind.

    >>> pod_spec_path("CronJob")[:2], pod_spec_path("Deployment")
    (('spec', 'jobTemplate'), ('spec', 'template', 'spec'))
    """
    return _POD_PATHS.get(kind, _TEMPLATE_PATH)


def pod_spec(doc: dict[str, Any]) -> dict[str, Any]:
    node: Any = doc
    for key in pod_spec_path(str(doc.get("kind", ""))):
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


def containers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every container and init container of a pod spec."""
    return [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]


def wrap_pod_patch(kind: str, pod_patch: dict[str, Any]) -> dict[str, Any]:
    """A pod-spec patch placed at the object's pod-spec path.

    >>> wrap_pod_patch("Pod", {"hostPID": False})
    {'spec': {'hostPID': False}}
    """
    patch: dict[str, Any] = pod_patch
    for key in reversed(pod_spec_path(kind)):
        patch = {key: patch}
    return patch


def apply_strategic_merge(original: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """The object after a strategic-merge patch (the subset described above).

    >>> apply_strategic_merge({"containers": [{"name": "a", "x": 1}]},
    ...                       {"containers": [{"name": "a", "x": None, "y": 2}]})
    {'containers': [{'name': 'a', 'y': 2}]}
    """
    result = copy.deepcopy(original)
    for key, value in patch.items():
        current = result.get(key)
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict) and isinstance(current, dict):
            result[key] = apply_strategic_merge(current, value)
        elif isinstance(value, list) and key in MERGE_KEYS and isinstance(current, list):
            result[key] = _merge_list(current, value, MERGE_KEYS[key])
        else:
            result[key] = copy.deepcopy(value)
    return result


def _merge_list(current: list[Any], patch: list[Any], key: str) -> list[Any]:
    merged = copy.deepcopy(current)
    for item in patch:
        match = next((i for i, m in enumerate(merged) if m.get(key) == item.get(key)), None)
        if match is None:
            merged.append(copy.deepcopy(item))
        else:
            merged[match] = apply_strategic_merge(merged[match], item)
    return merged


def _runs_as_root(spec: dict[str, Any], container: dict[str, Any]) -> bool:
    pod_sc = spec.get("securityContext") or {}
    sc = container.get("securityContext") or {}
    user = sc.get("runAsUser", pod_sc.get("runAsUser"))
    non_root = sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot"))
    if user == 0:
        return True
    return non_root is not True and not (isinstance(user, int) and user > 0)


def flaws(doc: dict[str, Any]) -> set[str]:
    """The finding types this object has, named as the estate names them.

    >>> sorted(flaws({"kind": "Pod", "spec": {"containers": [{"name": "a",
    ...     "securityContext": {"privileged": True}}]}}))
    ['missing_resource_limits', 'privileged_container', 'run_as_root']
    """
    spec = pod_spec(doc)
    found: set[str] = set()
    for c in containers(spec):
        sc = c.get("securityContext") or {}
        limits = (c.get("resources") or {}).get("limits") or {}
        if sc.get("privileged") is True:
            found.add("privileged_container")
        if _runs_as_root(spec, c):
            found.add("run_as_root")
        if "cpu" not in limits or "memory" not in limits:
            found.add("missing_resource_limits")
    if any("hostPath" in (v or {}) for v in spec.get("volumes") or []):
        found.add("host_path_mount")
    return found

"""Trivy Kubernetes reports (``trivy k8s --format json``), both shapes Trivy has written.

Older releases: ``{ClusterName, Vulnerabilities: [...], Misconfigurations: [...]}``; newer:
``{ClusterName, Resources: [...]}``; each entry is one object
``{Namespace, Kind, Name, Results}``. Misconfigurations are findings on the object
(``k8s://cluster/namespace/Kind/name``). Vulnerabilities are findings on the image the
target names, and a workload that runs it gets a ``runs_image`` edge. Workloads are
created as resources (cloud, account and region come from an EKS cluster ARN); other
objects (Services, ConfigMaps, ...) have no kind in the model and carry findings only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from connectors.importers.common import (
    Mapped,
    arn_parts,
    image_resource,
    k8s_id,
    parse_image_ref,
)
from connectors.importers.trivy import map_results
from core.models import (
    Cloud,
    Edge,
    EdgeRelation,
    Resource,
    ResourceKind,
    RoleDetails,
    Source,
    WorkloadDetails,
)

__all__ = ["map_trivy_k8s"]

_WORKLOADS = frozenset(
    {
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "CronJob",
        "ReplicaSet",
        "ReplicationController",
        "Pod",
    }
)
_ROLES = frozenset({"ServiceAccount", "Role", "ClusterRole"})


class _Cluster:
    """Where the cluster lives: an EKS ARN says cloud, account and region."""

    def __init__(self, name: str, default_cloud: Cloud) -> None:
        parts = arn_parts(name)
        self.name = parts[3].rsplit("/", 1)[-1] if parts else name
        self.cloud = Cloud.AWS if parts else default_cloud
        self.region = parts[1] if parts else None
        self.account = parts[2] if parts else None


def _object(cluster: _Cluster, obj: dict[str, Any], seen: datetime) -> Resource | None:
    kind, name, ns = obj.get("Kind") or "", obj.get("Name") or "", obj.get("Namespace") or ""
    common: dict[str, Any] = {
        "resource_id": k8s_id(cluster.name, ns, kind, name),
        "cloud": cluster.cloud,
        "account": cluster.account,
        "region": cluster.region,
        "name": name,
        "sources": (Source.TRIVY,),
        "first_seen": seen,
        "last_seen": seen,
    }
    try:
        if kind in _WORKLOADS and ns:
            details = WorkloadDetails(cluster=cluster.name, namespace=ns, workload_type=kind)
            return Resource(kind=ResourceKind.WORKLOAD, workload=details, **common)
        if kind in _ROLES:
            return Resource(kind=ResourceKind.ROLE, role=RoleDetails(), **common)
    except ValueError:
        return None
    return None


def _with_image(workload: Resource, image_id: str) -> Resource:
    assert workload.workload is not None
    details = workload.workload.model_copy(update={"image_id": image_id})
    return workload.model_copy(update={"workload": details})


def _map_object(
    cluster: _Cluster, obj: dict[str, Any], seen: datetime, default_cloud: Cloud
) -> Mapped:
    out = Mapped()
    resource = _object(cluster, obj, seen)
    rid = k8s_id(cluster.name, obj.get("Namespace"), obj.get("Kind") or "", obj.get("Name") or "")
    for result in obj.get("Results") or []:
        ref = (
            parse_image_ref(result.get("Target") or "") if result.get("Class") != "config" else None
        )
        if ref is None or not result.get("Vulnerabilities"):
            out.extend(map_results([result], rid, seen))
            continue
        image = image_resource(ref, source=Source.TRIVY, default_cloud=default_cloud, seen_at=seen)
        out.resources.append(image)
        out.extend(map_results([result], image.resource_id, seen))
        if resource is not None and resource.kind is ResourceKind.WORKLOAD:
            resource = _with_image(resource, image.resource_id)
            out.edges.append(
                Edge(from_id=rid, to_id=image.resource_id, relation=EdgeRelation.RUNS_IMAGE)
            )
    if resource is not None:
        out.resources.append(resource)
    return out


def map_trivy_k8s(doc: dict[str, Any], *, observed_at: datetime, default_cloud: Cloud) -> Mapped:
    """A ``trivy k8s`` report: objects, images, their findings and runs-image edges."""
    cluster = _Cluster(str(doc.get("ClusterName") or "cluster"), default_cloud)
    objects = list(doc.get("Resources") or [])
    objects += list(doc.get("Vulnerabilities") or []) + list(doc.get("Misconfigurations") or [])
    out = Mapped()
    for obj in objects:
        out.extend(_map_object(cluster, obj, observed_at, default_cloud))
    out.resources = _keep_richest(out.resources)
    return out


def _keep_richest(resources: list[Resource]) -> list[Resource]:
    """One record per id; a workload seen twice keeps the record that knows its image."""
    kept: dict[str, Resource] = {}
    for r in resources:
        old = kept.get(r.resource_id)
        if old is None or (old.workload is None or old.workload.image_id is None):
            kept[r.resource_id] = r
    return list(kept.values())

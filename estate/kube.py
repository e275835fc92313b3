"""Kubernetes workloads and their running containers, wired to images and identities.

Workloads live in a team namespace (``payments`` ...) or a platform one; their risky
settings (privileged, root, hostPath, no limits) are the misconfiguration findings'
source. ``nginx-ingress`` is exactly one public workload whose identity reaches data
buckets, so its blast radius is worth asking about.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from core.models import (
    Cloud,
    ContainerDetails,
    DataClass,
    EdgeRelation,
    Environment,
    Resource,
    ResourceKind,
    Source,
    WorkloadDetails,
)
from estate import iam
from estate.images import App
from estate.names import CLUSTERS, Cluster
from estate.sources import ACCOUNT_SOURCES
from estate.world import World, ordered_classes

__all__ = ["make_workloads"]

_PUBLIC_HINTS = ("-api", "gateway", "renderer", "proxy", "portal", "landing")
_HOST_PATHS = ("/var/run/docker.sock", "/var/log", "/etc", "/")
_THIRD_HOST_PATHS = {
    "fluent-bit": ("/var/log", "/var/lib/docker/containers"),
    "node-exporter": ("/proc", "/sys", "/"),
}
_EXPOSURE = {True: "public via LoadBalancer (internet-facing)", False: "internal (ClusterIP)"}
_EXTRA_CLASSES = {
    "payments": (("PCI", 0.3), ("PII", 0.3)),
    "identity": (("PII", 0.4),),
    "data": (("PII", 0.3), ("PHI", 0.05)),
}


@dataclass(slots=True)
class _Flags:
    """Guarantees the question set relies on, kept across the whole run."""

    payments_privileged: bool = False


def _clusters(world: World, app: App) -> list[Cluster]:
    """Where an app runs: nginx-ingress in one prod cluster, others per environment."""
    if app.third_party is not None:
        if app.name == "nginx-ingress":
            return [CLUSTERS[0]]
        return world.rand.sample(CLUSTERS, world.rand.randint(1, 3))
    if app.stack == "tooling" or world.rand.chance(0.08):
        return []
    out: list[Cluster] = []
    for env, p in (("prod", 0.7), ("staging", 0.35), ("dev", 0.3)):
        if world.rand.chance(p) or (env == "prod" and app.name == "checkout-api"):
            pool = [c for c in CLUSTERS if c.cloud == app.cloud and c.env == env]
            pool = pool or [c for c in CLUSTERS if c.cloud == "aws" and c.env == env]
            out.append(world.rand.pick(pool))
    return out


def _workload_type(app: App) -> str:
    if app.third_party is not None:
        return app.third_party[5]
    if app.name.endswith(("-batch", "-cron", "-runner")):
        return "CronJob"
    return "StatefulSet" if ("store" in app.name or "connect" in app.name) else "Deployment"


def _public(world: World, app: App, env: str) -> bool:
    if app.name == "nginx-ingress":
        return True
    if app.third_party is None and any(h in app.name for h in _PUBLIC_HINTS):
        return world.rand.chance({"prod": 0.7, "staging": 0.25, "dev": 0.1}[env])
    return world.rand.chance(0.03)


def _security(world: World, app: App, namespace: str, flags: _Flags) -> dict[str, Any]:
    """privileged / root / hostPath / limits: mostly sane, sometimes not."""
    r = world.rand
    host_paths = _THIRD_HOST_PATHS.get(app.name, ())
    if not host_paths and app.third_party is None and r.chance(0.05):
        host_paths = (r.pick(_HOST_PATHS),)
    privileged = (
        bool(host_paths) and r.chance(0.5) or r.chance(0.12 if app.team == "payments" else 0.06)
    )
    if namespace == "payments" and app.name != "checkout-api" and not flags.payments_privileged:
        privileged = flags.payments_privileged = True
    root = app.name != "nginx-ingress" and (privileged or r.chance(0.3))
    missing = r.chance(0.2)
    cpu = None if missing and r.chance(0.7) else r.pick(("250m", "500m", "1", "2"))
    memory = None if missing and cpu is not None else r.pick(("256Mi", "512Mi", "1Gi", "4Gi"))
    return {
        "privileged": privileged,
        "runs_as_root": root or app.name == "checkout-api",
        "host_paths": host_paths,
        "cpu_limit": cpu,
        "memory_limit": memory,
    }


def _identity(world: World, app: App, cluster: Cluster) -> str | None:
    """The role behind the service account, when the workload has one."""
    broad = app.name == "nginx-ingress"
    if not broad and not world.rand.chance(0.4):
        return None
    return iam.workload_role(
        world,
        app.name,
        app.team,
        cluster.cloud,
        cluster.account,
        cluster.env,
        cluster.region,
        broad=broad,
    )


def _classes(world: World, app: App, role: str | None) -> tuple[DataClass, ...]:
    classes = world.reach_classes(role)
    if app.name == "checkout-api":
        classes |= {DataClass.PCI, DataClass.PII}
    for cls, p in _EXTRA_CLASSES.get(app.team, ()):
        if world.rand.chance(p):
            classes.add(DataClass(cls))
    return ordered_classes(classes)


def _sources(world: World, cluster: Cluster) -> tuple[Source, ...]:
    found = list(ACCOUNT_SOURCES[cluster.account])
    if world.rand.chance(0.6):
        found.append(Source.TRIVY)  # the trivy-operator runs in most clusters
    return tuple(s for s in Source if s in found)


def _details(
    world: World, app: App, cluster: Cluster, role: str | None, flags: _Flags
) -> WorkloadDetails:
    namespace = app.third_party[4] if app.third_party is not None else app.team
    kind = _workload_type(app)
    r = world.rand
    replicas = {"prod": r.randint(2, 6), "staging": r.randint(1, 2)}.get(cluster.env, 1)
    return WorkloadDetails(
        cluster=cluster.name,
        namespace=namespace,
        workload_type=kind,
        image_id=app.image_id,
        service_account=app.name if role else "default",
        replicas=r.randint(3, 12) if kind == "DaemonSet" else replicas,
        **_security(world, app, namespace, flags),
    )


def _workload(world: World, app: App, cluster: Cluster, flags: _Flags) -> Resource:
    role = _identity(world, app, cluster)
    public = _public(world, app, cluster.env)
    details = _details(world, app, cluster, role, flags)
    rid = f"k8s://{cluster.name}/{details.namespace}/{details.workload_type}/{app.name}"
    recent = world.rand.chance(0.05)
    resource = world.add(
        Resource(
            resource_id=rid,
            kind=ResourceKind.WORKLOAD,
            name=app.name,
            tags={"team": app.team, "env": cluster.env, "app.kubernetes.io/name": app.name},
            is_public=public,
            exposure=_EXPOSURE[public],
            data_classes=_classes(world, app, role),
            sources=_sources(world, cluster),
            first_seen=world.rand.before(world.now, 6 if recent else 170, 0.1 if recent else 7),
            last_seen=world.now - timedelta(minutes=world.rand.randint(3, 240)),
            workload=details,
            **_placement(cluster, app.team),
        )
    )
    world.link(rid, EdgeRelation.RUNS_IMAGE, app.image_id)
    if app.name == "nginx-ingress":
        world.showcase.add(rid)
    if role is not None:
        world.link(rid, EdgeRelation.USES_SERVICE_ACCOUNT, role)
    return resource


def _placement(cluster: Cluster, team: str | None) -> dict[str, Any]:
    """The Resource fields a cluster decides: cloud, account, region, environment, team."""
    return {
        "cloud": Cloud(cluster.cloud),
        "account": cluster.account,
        "region": cluster.region,
        "environment": Environment(cluster.env),
        "owner_team": team,
    }


def _node(world: World, cluster: Cluster) -> str:
    r = world.rand
    if cluster.cloud == "aws":
        return f"ip-10-{r.randint(0, 31)}-{r.randint(0, 255)}-{r.randint(1, 254)}.ec2.internal"
    if cluster.cloud == "azure":
        return f"aks-nodepool1-{r.digits(8)}-vmss{r.randint(0, 20):06d}"
    return f"gke-{cluster.name}-default-pool-{r.hex(8)}-{r.alnum(4)}"


def _pod_name(world: World, name: str, kind: str, i: int) -> str:
    if kind == "StatefulSet":
        return f"{name}-{i}"
    if kind in ("DaemonSet", "CronJob"):
        return f"{name}-{world.rand.alnum(5)}"
    return f"{name}-{world.rand.alnum(10)}-{world.rand.alnum(5)}"


def _container(world: World, workload: Resource, cluster: Cluster, i: int) -> None:
    """One running pod of a workload, with its single container."""
    wl = workload.workload
    assert wl is not None  # a workload resource always carries its details
    pod = _pod_name(world, workload.name, wl.workload_type, i)
    started = world.rand.before(world.now, 30, 0.01)
    rid = f"k8s://{cluster.name}/{wl.namespace}/Pod/{pod}/{workload.name}"
    details = ContainerDetails(
        cluster=cluster.name,
        namespace=wl.namespace,
        workload_id=workload.resource_id,
        image_id=wl.image_id,
        node=_node(world, cluster),
        privileged=wl.privileged,
        runs_as_root=wl.runs_as_root,
        started_at=started,
    )
    world.add(
        Resource(
            resource_id=rid,
            kind=ResourceKind.CONTAINER,
            name=pod,
            is_public=workload.is_public,
            exposure=workload.exposure,
            data_classes=workload.data_classes,
            sources=workload.sources,
            first_seen=started,
            last_seen=world.now - timedelta(minutes=world.rand.randint(1, 30)),
            container=details,
            **_placement(cluster, workload.owner_team),
        )
    )
    world.link(rid, EdgeRelation.INSTANCE_OF, workload.resource_id)
    if wl.image_id is not None:
        world.link(rid, EdgeRelation.RUNS_IMAGE, wl.image_id)


def make_workloads(world: World, apps: list[App]) -> None:
    """Deploy each app to its clusters, then start its pods."""
    flags = _Flags()
    for app in apps:
        for cluster in _clusters(world, app):
            workload = _workload(world, app, cluster, flags)
            replicas = workload.workload.replicas if workload.workload else 1
            for i in range(min(max(replicas, 1), 2 if world.rand.chance(0.2) else 1)):
                _container(world, workload, cluster, i)

"""Roles, what they grant, and which buckets that lets them reach.

Roles are where privilege questions are answered: admin roles (``*:*`` inline or
AdministratorAccess), wildcard grants (``s3:*``), and grants never used. Each grant that
touches a bucket also becomes a ``can_read`` / ``can_write`` edge, so blast radius and
data sensitivity follow from the same facts as the permission rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from core.models import (
    Cloud,
    EdgeRelation,
    Environment,
    Permission,
    Resource,
    ResourceKind,
    RoleDetails,
)
from estate import grants
from estate.grants import Grant
from estate.names import PLACES
from estate.sources import ACCOUNT_SOURCES
from estate.world import RoleInfo, World

__all__ = [
    "RoleSpec",
    "add_role",
    "function_role",
    "make_standing_roles",
    "role_id",
    "workload_role",
]

_MAX_WILDCARD_REACH = 8  # a wildcard role reaches every bucket; keep a sample as edges
_FUNCTION_TRUST = {
    "aws": "lambda.amazonaws.com",
    "azure": "Microsoft.Web/sites",
    "gcp": "cloudfunctions.googleapis.com",
}


@dataclass(frozen=True, slots=True)
class RoleSpec:
    """Everything needed to place one role."""

    cloud: str
    account: str
    env: str
    team: str
    name: str
    trusted_by: tuple[str, ...]
    managed: tuple[str, ...] = ()


def role_id(cloud: str, account: str, team: str, env: str, name: str) -> str:
    """The canonical id of an IAM role, managed identity or service account."""
    if cloud == "aws":
        return f"arn:aws:iam::{account}:role/{name}"
    if cloud == "azure":
        return (
            f"/subscriptions/{account}/resourceGroups/rg-{team}-{env}/providers/"
            f"Microsoft.ManagedIdentity/userAssignedIdentities/{name}"
        )
    return f"projects/{account}/serviceAccounts/{name}@{account}.iam.gserviceaccount.com"


def add_role(world: World, spec: RoleSpec, rows: list[Grant]) -> str:
    """Create the role resource, its permission rows and its bucket edges."""
    rid = role_id(spec.cloud, spec.account, spec.team, spec.env, spec.name)
    info = RoleInfo()
    seen: set[tuple[str, str]] = set()
    for g in rows:
        if (g.action, g.pattern) in seen:
            continue
        seen.add((g.action, g.pattern))
        _add_permission(world, rid, g, info)
    _reach(world, rid, spec.account, rows, info)
    world.roles[rid] = info
    world.add(
        Resource(
            resource_id=rid,
            kind=ResourceKind.ROLE,
            cloud=Cloud(spec.cloud),
            account=spec.account,
            region=None,
            name=spec.name,
            environment=Environment(spec.env),
            owner_team=spec.team,
            tags={"team": spec.team, "env": spec.env},
            sources=ACCOUNT_SOURCES[spec.account],
            first_seen=world.rand.before(world.now, 170, 10),
            last_seen=world.now - timedelta(minutes=world.rand.randint(3, 240)),
            role=RoleDetails(managed_policies=spec.managed, trusted_by=spec.trusted_by),
        )
    )
    return rid


def _add_permission(world: World, rid: str, g: Grant, info: RoleInfo) -> None:
    used = world.rand.chance(g.use_p)
    last = world.rand.before(world.now, 85, 0.01) if used else None
    world.permissions.append(
        Permission(
            role_id=rid,
            action=g.action,
            resource_pattern=g.pattern,
            used=used,
            last_used_at=last,
        )
    )
    info.granted += 1
    info.unused += 0 if used else 1
    if g.action in ("*", "*:*") and g.pattern == "*":
        info.admin = True
    elif "*" in g.action and g.action not in info.wildcards:
        info.wildcards.append(g.action)


def _reach(world: World, rid: str, account: str, rows: list[Grant], info: RoleInfo) -> None:
    """Turn bucket grants, and wildcard storage grants, into edges."""
    for g in rows:
        if g.bucket_id is not None:
            info.buckets.append((g.bucket_id, g.relation))
            if g.relation is EdgeRelation.CAN_WRITE:
                info.writes.append(g.bucket_id)
            world.link(rid, g.relation, g.bucket_id)
    if not any(g.reaches_all_storage for g in rows):
        return
    pool = world.buckets_by_account.get(account, [])
    for bucket in world.rand.sample(pool, _MAX_WILDCARD_REACH):
        for relation in (EdgeRelation.CAN_READ, EdgeRelation.CAN_WRITE):
            if (bucket.resource_id, relation) not in info.buckets:
                info.buckets.append((bucket.resource_id, relation))
            world.link(rid, relation, bucket.resource_id)


def _team_buckets(world: World, account: str, team: str, k: int) -> list[Resource]:
    pool = world.buckets_by_account.get(account, [])
    own = world.buckets_by_team.get((account, team), [])
    return world.rand.sample(own if own and world.rand.chance(0.75) else pool, k)


def function_role(
    world: World, fn: str, team: str, cloud: str, account: str, env: str, region: str
) -> str:
    """The execution role of one function; some teams share one broad role."""
    if world.rand.chance(0.3):
        key = (account, team)
        if key not in world.shared_roles:
            world.shared_roles[key] = _shared_role(world, team, cloud, account, env, region)
        return world.shared_roles[key]
    names = {"aws": f"{fn}-role", "azure": f"id-{fn}", "gcp": grants.gcp_sa_name(fn)}
    name = world.names.claim(f"role:{account}", names[cloud])
    rows = grants.compute_base(cloud, account, region, f"/aws/lambda/{fn}")
    for bucket in _team_buckets(world, account, team, world.rand.randint(0, 3)):
        rows += grants.bucket_rows(cloud, bucket, write=world.rand.chance(0.45))
    rows += grants.extras(world.rand, cloud, account, region, team)
    rows += grants.risky(world.rand, cloud, wildcard_p=0.09, admin_p=0.03)
    managed = grants.managed_for(cloud, rows)
    spec = RoleSpec(cloud, account, env, team, name, (_FUNCTION_TRUST[cloud],), managed)
    return add_role(world, spec, rows)


def _shared_role(world: World, team: str, cloud: str, account: str, env: str, region: str) -> str:
    name = world.names.claim(f"role:{account}", f"{team}-{env}-functions-shared")
    rows = grants.compute_base(cloud, account, region, f"/aws/lambda/{team}-*")
    for bucket in _team_buckets(world, account, team, world.rand.randint(2, 5)):
        rows += grants.bucket_rows(cloud, bucket, write=True)
    rows += grants.extras(world.rand, cloud, account, region, team)
    rows += grants.risky(world.rand, cloud, wildcard_p=0.6, admin_p=0.12)
    spec = RoleSpec(
        cloud, account, env, team, name, (_FUNCTION_TRUST[cloud],), grants.managed_for(cloud, rows)
    )
    return add_role(world, spec, rows)


def workload_role(
    world: World,
    app: str,
    team: str,
    cloud: str,
    account: str,
    env: str,
    region: str,
    broad: bool = False,
) -> str:
    """The cloud identity a Kubernetes service account maps to (IRSA, workload identity)."""
    base = {
        "aws": f"{app}-{env}-irsa",
        "azure": f"id-{app}-{env}",
        "gcp": grants.gcp_sa_name(f"{app}-{env}"),
    }[cloud]
    name = world.names.claim(f"role:{account}", base)
    trusted = {
        "aws": "oidc.eks.amazonaws.com",
        "azure": "aks workload identity",
        "gcp": "iam.gke.io",
    }[cloud]
    rows = grants.compute_base(cloud, account, region, f"/eks/{app}")
    k = world.rand.randint(4, 6) if broad else world.rand.randint(0, 3)
    for bucket in _team_buckets(world, account, team, k):
        rows += grants.bucket_rows(cloud, bucket, write=broad or world.rand.chance(0.4))
    rows += grants.extras(world.rand, cloud, account, region, team)
    if broad:
        rows.append(grants.storage_wildcard(cloud, use_p=0.3))
    else:
        rows += grants.risky(world.rand, cloud, wildcard_p=0.1, admin_p=0.02)
    spec = RoleSpec(cloud, account, env, team, name, (trusted,), grants.managed_for(cloud, rows))
    return add_role(world, spec, rows)


_MANAGEMENT_ACCOUNT = "118725409376"
_DATADOG_ACCOUNT = "464622532012"  # Datadog's published AWS integration account


_Standing = tuple[str, tuple[str, ...], tuple[str, ...], tuple[Grant, ...]]
_ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"
_ORG_ROOT = (f"arn:aws:iam::{_MANAGEMENT_ACCOUNT}:root",)

# fmt: off
_STANDING_AWS: tuple[_Standing, ...] = (
    ("OrganizationAccountAccessRole", _ORG_ROOT, (_ADMIN_POLICY,),
     (Grant("*", "*", 0.3, reaches_all_storage=True),)),
    ("security-audit", _ORG_ROOT, ("arn:aws:iam::aws:policy/SecurityAudit",),
     (Grant("iam:Get*", "*", 0.95), Grant("iam:List*", "*", 0.95),
      Grant("ec2:Describe*", "*", 0.95), Grant("s3:GetBucketPolicy", "*", 0.9))),
    ("datadog-integration", (f"arn:aws:iam::{_DATADOG_ACCOUNT}:root",), (),
     (Grant("cloudwatch:GetMetricData", "*", 0.99), Grant("cloudwatch:ListMetrics", "*", 0.99),
      Grant("tag:GetResources", "*", 0.9), Grant("ec2:Describe*", "*", 0.9))),
    ("github-actions-deployer", ("token.actions.githubusercontent.com",), (_ADMIN_POLICY,),
     (Grant("*", "*", 0.9, reaches_all_storage=True),)),
)
_BREAK_GLASS: _Standing = (
    "break-glass-admin", _ORG_ROOT, (), (Grant("*:*", "*", 0.0, reaches_all_storage=True),),
)
# fmt: on


def _standing_aws(env: str) -> tuple[_Standing, ...]:
    """Every AWS account has these; prod accounts also keep a break-glass admin."""
    return (*_STANDING_AWS, _BREAK_GLASS) if env == "prod" else _STANDING_AWS


def make_standing_roles(world: World) -> None:
    """Account-level roles nobody's function uses: org access, CI deployers, auditors."""
    for place in PLACES:
        if place.cloud == "aws":
            for name, trusted, managed, rows in _standing_aws(place.env):
                spec = RoleSpec("aws", place.account, place.env, "platform", name, trusted, managed)
                add_role(world, spec, list(rows))
            continue
        name = f"sp-terraform-{place.env}" if place.cloud == "azure" else f"terraform-{place.env}"
        managed = ("Owner",) if place.cloud == "azure" else ("roles/owner",)
        trusted = ("app.terraform.io",)
        spec = RoleSpec(place.cloud, place.account, place.env, "platform", name, trusted, managed)
        add_role(world, spec, [Grant("*", "*", 0.8, reaches_all_storage=True)])

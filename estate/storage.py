"""Storage buckets: where the estate's data lives, and so where PII/PCI/PHI come from.

Functions and workloads take their data classes from the buckets their roles reach,
so the sensitivity of a Lambda follows from its access, as a CNAPP's data graph would.
"""

from __future__ import annotations

from datetime import timedelta

from core.models import BucketDetails, Cloud, DataClass, Environment, Resource, ResourceKind
from estate.names import BUCKET_PURPOSES, ORG, PLACES, TEAMS, Place
from estate.sources import ACCOUNT_SOURCES
from estate.world import World

__all__ = ["PCI_ACCOUNT", "bucket_id", "make_buckets"]

PCI_ACCOUNT = "603918274510"
_PUBLIC_BY_DESIGN = ("campaign-assets", "email-templates")
_CLOUD_WEIGHT = {"aws": 3.0, "azure": 1.0, "gcp": 1.0}

Template = tuple[Place, str, str, tuple[str, ...]]


def _fits(place: Place, team: str) -> bool:
    """The PCI account holds payments data only; payments keeps none in the core account."""
    if place.account == PCI_ACCOUNT:
        return team == "payments"
    return not (place.cloud == "aws" and place.env == "prod" and team == "payments")


def _templates(world: World) -> list[Template]:
    """Every (place, team, purpose) once, in a weighted random order that favours AWS."""
    keyed: list[tuple[float, int, Template]] = []
    for place in PLACES:
        for team in TEAMS:
            if not _fits(place, team):
                continue
            for purpose, classes in BUCKET_PURPOSES[team]:
                key = world.rand.uniform(0.0, 1.0) ** (1.0 / _CLOUD_WEIGHT[place.cloud])
                keyed.append((key, len(keyed), (place, team, purpose, classes)))
    keyed.sort(key=lambda k: (-k[0], k[1]))
    return [t for _, _, t in keyed]


def bucket_id(cloud: str, account: str, team: str, env: str, name: str) -> tuple[str, str]:
    """The canonical id and display name of a bucket / storage container."""
    if cloud == "aws":
        return f"arn:aws:s3:::{name}", name
    if cloud == "gcp":
        return f"projects/_/buckets/{name}", name
    account_name = f"st{ORG}{team[:5]}{env}"
    container = name.removeprefix(f"{ORG}-{team}-").removesuffix(f"-{env}")
    rid = (
        f"/subscriptions/{account}/resourceGroups/rg-{team}-{env}/providers/"
        f"Microsoft.Storage/storageAccounts/{account_name}/blobServices/default/"
        f"containers/{container}"
    )
    return rid, f"{account_name}/{container}"


def _bucket(world: World, template: Template) -> Resource:
    place, team, purpose, classes = template
    name = world.names.claim("bucket", f"{ORG}-{team}-{purpose}-{place.env}")
    rid, display = bucket_id(place.cloud, place.account, team, place.env, name)
    public_p = 0.6 if purpose in _PUBLIC_BY_DESIGN else 0.03
    is_public = world.rand.chance(public_p)
    encrypted = place.cloud != "aws" or world.rand.chance(0.9)
    first_seen = world.rand.before(world.now, 170, 14 if world.rand.chance(0.9) else 0)
    return Resource(
        resource_id=rid,
        kind=ResourceKind.BUCKET,
        cloud=Cloud(place.cloud),
        account=place.account,
        region=place.regions[0],
        name=display,
        environment=Environment(place.env),
        owner_team=team,
        tags={
            "team": team,
            "env": place.env,
            "data-classification": ",".join(classes).lower() or "none",
        },
        is_public=is_public,
        exposure="public read (bucket policy allows *)" if is_public else None,
        data_classes=tuple(DataClass(c) for c in classes),
        sources=ACCOUNT_SOURCES[place.account],
        first_seen=first_seen,
        last_seen=world.now - timedelta(minutes=world.rand.randint(3, 240)),
        bucket=BucketDetails(encrypted=encrypted, versioning=world.rand.chance(0.55)),
    )


def make_buckets(world: World, base: int = 120) -> None:
    """Add about ``base * scale`` buckets; the PCI card vault always comes first."""
    templates = _templates(world)
    vault = next(t for t in templates if t[0].account == PCI_ACCOUNT and t[2] == "card-vault")
    ordered = [vault] + [t for t in templates if t is not vault]
    for i in range(world.count(base)):
        world.add(_bucket(world, ordered[i % len(ordered)]))

"""Apps and their container images, with the package versions each image was built with.

One image per repository, named after it, so ``checkout-api`` is exactly one image. An
image's age drives how stale its packages are: an image built 300 days ago tends to
carry 300-day-old OpenSSL, which is what makes "old images in prod" worth asking about.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from core.models import Cloud, FindingCategory, ImageDetails, Resource, ResourceKind, Source
from estate.facts_lang import LANG_LINES
from estate.facts_os import OS_LINES
from estate.names import APP_QUALIFIERS, APPS, ORG, THIRD_PARTY
from estate.sources import ACCOUNT_SOURCES, CAN_REPORT, REGISTRY_ACCOUNT
from estate.world import Installed, World

__all__ = ["App", "make_images"]

_OS_BY_STACK: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    "java": (("debian 11", "debian 12", "ubuntu 22.04", "alpine 3.18"), (25, 45, 20, 10)),
    "node": (("debian 12", "alpine 3.18", "alpine 3.19", "debian 11"), (40, 20, 20, 20)),
    "python": (("debian 12", "debian 11", "ubuntu 22.04", "alpine 3.19"), (50, 25, 15, 10)),
    "go": (("alpine 3.19", "debian 12", "alpine 3.18"), (50, 40, 10)),
    "nginx": (("debian 10",), (1,)),
    "tooling": (("debian sid", "ubuntu 22.04"), (1, 1)),
}
_REGISTRY = {
    "aws": (f"{REGISTRY_ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com", REGISTRY_ACCOUNT, "us-east-1"),
    "azure": (f"{ORG}prod.azurecr.io", "8f3c2a71-4b9e-4d2a-9c61-2f7e0b5d4a13", "westeurope"),
    "gcp": (
        "us-central1-docker.pkg.dev/acme-prod-4821/containers",
        "acme-prod-4821",
        "us-central1",
    ),
}
_MAX_AGE_DAYS = 400.0
_CHECKOUT = "checkout-api"
_CHECKOUT_JAVA = ("log4j-core", "spring-beans", "spring-web", "jackson-databind", "snakeyaml")


@dataclass(frozen=True, slots=True)
class App:
    """A deployable thing: one repository, one image, zero or more workloads."""

    name: str
    team: str
    stack: str
    cloud: str
    image_id: str
    third_party: tuple[str, str, str, str, str, str] | None = None


def _app_names(world: World, n: int) -> list[tuple[str, str, str]]:
    """(name, team, stack) for ``n`` internal apps: real names first, then variants."""
    bases = [(name, team, stack) for team, apps in APPS.items() for name, stack in apps]
    first = [b for b in bases if b[0] == _CHECKOUT]
    rest = world.rand.sample([b for b in bases if b[0] != _CHECKOUT], len(bases))
    out = first + rest
    variants = [b for b in rest if b[2] != "tooling"]
    while len(out) < n:
        name, team, stack = world.rand.pick(variants)
        out.append((f"{name}-{world.rand.pick(APP_QUALIFIERS)}", team, stack))
    return out[:n]


def _wanted(world: World, component: str, presence: float, stack: str, pinned: bool) -> bool:
    """Whether an image of ``stack`` carries a line of ``component``."""
    if component == "base":
        return True
    if component == "nginx":
        return stack == "nginx"
    return pinned or world.rand.chance(presence)


def _installed(world: World, os: str, stack: str, staleness: float, pin: bool) -> list[Installed]:
    """One version per present package line, older when the image is stale."""
    out: list[Installed] = []
    for ln in (*OS_LINES[os], *LANG_LINES.get(stack, ())):
        pinned = pin and ln.packages[0] in _CHECKOUT_JAVA
        if _wanted(world, ln.component, ln.presence, stack, pinned):
            index = world.rand.skewed_index(len(ln.versions), staleness)
            index = min(1, len(ln.versions) - 1) if pin else index
            out.append((ln, ln.versions[index]))
    return out


def _image_sources(world: World, cloud: str, internal: bool) -> tuple[Source, ...]:
    vulns = CAN_REPORT[FindingCategory.VULNERABILITY]
    scanners = [s for s in ACCOUNT_SOURCES[_REGISTRY[cloud][1]] if s in vulns]
    if world.rand.chance(0.85 if internal else 0.5):
        scanners.append(Source.TRIVY)
    return tuple(s for s in Source if s in scanners)


Third = tuple[str, str, str, str, str, str]


def _origin(
    world: World, name: str, team: str, stack: str, cloud: str, third: Third | None
) -> tuple[str, str, str, str, str, str]:
    """registry, repository, account, region, tag and OS of one image."""
    r = world.rand
    if third is not None:
        registry, repository = third[1].split("/", 1)
        _, account, region = _REGISTRY["aws"]
        return registry, repository, account, region, third[2], third[3]
    registry, account, region = _REGISTRY[cloud]
    tag = f"{r.randint(1, 4)}.{r.randint(0, 30)}.{r.randint(0, 20)}"
    os = "debian 11" if name == _CHECKOUT else r.weighted(*_OS_BY_STACK[stack])
    return registry, f"{team}/{name}", account, region, tag, os


def _image(
    world: World, name: str, team: str, stack: str, cloud: str, third: Third | None
) -> Resource:
    pin = name == _CHECKOUT
    registry, repository, account, region, tag, os = _origin(world, name, team, stack, cloud, third)
    age = 200.0 if pin else world.rand.uniform(0.05, _MAX_AGE_DAYS)
    created = world.now - timedelta(days=age)
    digest = world.rand.hex(64)
    rid = f"{registry}/{repository}@sha256:{digest}"
    world.installed[rid] = _installed(world, os, stack, age / _MAX_AGE_DAYS, pin)
    if pin:
        world.showcase.add(rid)
    details = ImageDetails(
        registry=registry,
        repository=repository,
        tag=tag,
        digest=f"sha256:{digest}",
        os=os,
        created_at=created,
    )
    sources = _image_sources(world, cloud, third is None)
    return _image_resource(world, rid, name, team, cloud, account, region, details, sources, stack)


def _image_resource(
    world: World,
    rid: str,
    name: str,
    team: str,
    cloud: str,
    account: str,
    region: str,
    details: ImageDetails,
    sources: tuple[Source, ...],
    stack: str,
) -> Resource:
    built = details.created_at or world.now
    return world.add(
        Resource(
            resource_id=rid,
            kind=ResourceKind.IMAGE,
            cloud=Cloud(cloud),
            account=account,
            region=region,
            name=name,
            owner_team=team,
            tags={"team": team, "stack": stack},
            sources=sources,
            first_seen=built + timedelta(minutes=world.rand.randint(2, 30)),
            last_seen=world.now - timedelta(minutes=world.rand.randint(3, 240)),
            image=details,
        )
    )


def make_images(world: World, base: int = 225) -> list[App]:
    """Third-party platform images plus about ``base * scale`` internal app images."""
    apps: list[App] = []
    for third in THIRD_PARTY:
        name = world.names.claim("image", third[0])
        image = _image(world, name, "platform", "go", "aws", third)
        apps.append(App(name, "platform", "go", "aws", image.resource_id, third))
    for raw, team, stack in _app_names(world, world.count(base)):
        name = world.names.claim("image", raw)
        cloud = (
            "aws"
            if name == _CHECKOUT
            else world.rand.weighted(("aws", "azure", "gcp"), (0.7, 0.15, 0.15))
        )
        image = _image(world, name, team, stack, cloud, None)
        apps.append(App(name, team, stack, cloud, image.resource_id))
    return apps

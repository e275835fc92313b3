"""Serverless functions: mostly AWS Lambda, some Azure Functions and Cloud Functions.

Each function gets an execution role first (its data classes follow from the buckets
that role reaches), then its triggers (its exposure follows from them), then itself.
``processPayment`` is placed by hand: exactly one, in prod, public, PCI and PII.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from core.models import (
    Cloud,
    DataClass,
    EdgeRelation,
    Environment,
    FunctionDetails,
    Resource,
    ResourceKind,
)
from estate import iam
from estate.grants import Grant, bucket_rows, compute_base, managed_for, storage_wildcard
from estate.names import ENV_VARS, FUNCTION_WORDS, ORG, PLACES, SECRET_ENV_VARS, TEAMS, kebab
from estate.sources import ACCOUNT_SOURCES
from estate.storage import PCI_ACCOUNT
from estate.triggers import FunctionPlace, TriggerPlan, add_triggers, exposure_of, plan_triggers
from estate.world import World, ordered_classes

__all__ = ["DEPRECATED_RUNTIMES", "function_id", "make_functions", "runtime_family"]

DEPRECATED_RUNTIMES = frozenset(("python3.8", "nodejs16.x", "go1.x", "dotnet6"))
_TEAM_WEIGHTS = (0.2, 0.17, 0.13, 0.18, 0.18, 0.14)
# fmt: off
_RUNTIMES: dict[str, tuple[tuple[str, float], ...]] = {
    "aws": (("python3.8", 6), ("python3.9", 8), ("python3.10", 8), ("python3.11", 12),
            ("python3.12", 14), ("nodejs16.x", 6), ("nodejs18.x", 12), ("nodejs20.x", 14),
            ("java11", 4), ("java17", 5), ("java21", 3), ("go1.x", 4), ("dotnet6", 2),
            ("dotnet8", 2)),
    "azure": (("python3.9", 10), ("python3.10", 10), ("python3.11", 14), ("nodejs16.x", 8),
              ("nodejs18.x", 16), ("nodejs20.x", 18), ("java11", 4), ("java17", 6),
              ("dotnet6", 6), ("dotnet8", 10)),
    "gcp": (("python3.8", 5), ("python3.9", 8), ("python3.10", 10), ("python3.11", 14),
            ("python3.12", 12), ("nodejs16.x", 6), ("nodejs18.x", 12), ("nodejs20.x", 14),
            ("go1.21", 8), ("go1.22", 6), ("java17", 5), ("java21", 4)),
}
_EXTRA_CLASSES: dict[str, tuple[tuple[str, float], ...]] = {
    "payments": (("PCI", 0.2), ("PII", 0.2)), "identity": (("PII", 0.35),),
    "data": (("PII", 0.2), ("PHI", 0.08)), "growth": (("PII", 0.15),),
}
# fmt: on
ANCHOR = "processPayment"


@dataclass(frozen=True, slots=True)
class FunctionPlan:
    place: FunctionPlace
    details: FunctionDetails
    triggers: list[TriggerPlan]
    first_seen_days: float


def runtime_family(runtime: str) -> str:
    """``nodejs18.x`` -> ``nodejs``, as the functions view derives it.

    >>> runtime_family("python3.12"), runtime_family("go1.x")
    ('python', 'go')
    """
    match = re.match(r"^[a-z]+", runtime)
    return match.group(0) if match else runtime


def function_id(cloud: str, account: str, region: str, team: str, env: str, name: str) -> str:
    if cloud == "aws":
        return f"arn:aws:lambda:{region}:{account}:function:{name}"
    if cloud == "azure":
        return (
            f"/subscriptions/{account}/resourceGroups/rg-{team}-{env}/providers/"
            f"Microsoft.Web/sites/{ORG}-{team}-{env}-func/functions/{name}"
        )
    return f"projects/{account}/locations/{region}/functions/{name}"


def _name(world: World, team: str, cloud: str, env: str) -> tuple[str, str]:
    """A unique function name and an API route that fits it."""
    verbs, nouns = FUNCTION_WORDS[team]
    verb, noun = world.rand.pick(verbs), world.rand.pick(nouns)
    base = verb + noun if cloud == "aws" else f"{kebab(noun)}-{verb}"
    if base == ANCHOR:
        base = f"{verb}{noun}s"
    wanted = base if env == "prod" else f"{base}-{env}"
    return world.names.claim("function", wanted), f"/v1/{kebab(noun)}s"


def _memory(world: World, cloud: str, family: str) -> int:
    r = world.rand
    if cloud == "azure":
        return r.weighted((1536, 2048, 4096), (6, 3, 1))
    if family == "java":
        return r.weighted((512, 1024, 1536, 2048, 3008), (1, 3, 3, 3, 1))
    if family == "go":
        return r.weighted((128, 256, 512), (4, 4, 2))
    if family == "dotnet":
        return r.weighted((256, 512, 1024, 1536), (2, 4, 3, 1))
    return r.weighted((128, 256, 512, 1024, 1536, 2048, 10240), (3, 5, 5, 3, 1, 1, 0.3))


def _timeout(world: World, cloud: str) -> int:
    r = world.rand
    if cloud == "aws":
        return r.weighted(
            (3, 6, 10, 15, 30, 60, 120, 300, 600, 900), (6, 5, 6, 6, 12, 8, 4, 3, 2, 2)
        )
    if cloud == "azure":
        return r.weighted((30, 60, 120, 230, 300, 600), (3, 4, 3, 2, 3, 1))
    return r.weighted((60, 120, 300, 540), (6, 3, 2, 1))


_PACKAGE_MB = {"python": 8.0, "nodejs": 6.0, "java": 45.0, "go": 9.0, "dotnet": 20.0}
_COLD_MS = {"python": 420.0, "nodejs": 330.0, "java": 2900.0, "go": 140.0, "dotnet": 1300.0}


def _details(world: World, cloud: str, env: str, runtime: str) -> FunctionDetails:
    """Sizing, traffic and latency that fit the runtime (Java is big and slow to start)."""
    r, family = world.rand, runtime_family(runtime)
    memory = _memory(world, cloud, family)
    package = round(min(250.0, max(0.1, r.lognormal(_PACKAGE_MB[family], 0.6))), 1)
    idle = r.chance(0.28 if family == "java" else 0.1)
    invocations = r.randint(0, 99) if idle else min(500_000_000, int(r.lognormal(25_000, 1.8)))
    provisioned = 0
    if cloud == "aws" and env == "prod" and r.chance(0.25 if family == "java" else 0.1):
        provisioned = r.randint(1, 10) * 5
    cold = None
    if invocations > 0:
        base = _COLD_MS[family] + (package * 5 if family in ("python", "nodejs") else 0)
        speed = max(0.6, min(1.4, (512 / memory) ** 0.15))
        cold = int(r.lognormal(base, 0.35) * speed * (0.15 if provisioned else 1.0))
    names = r.sample(ENV_VARS, r.randint(2, 6))
    if r.chance(0.09):
        names += r.sample(SECRET_ENV_VARS, r.randint(1, 2))
    return FunctionDetails(
        runtime=runtime,
        runtime_deprecated=runtime in DEPRECATED_RUNTIMES,
        memory_mb=memory,
        timeout_s=_timeout(world, cloud),
        package_size_mb=package,
        invocations_30d=invocations,
        cold_start_p95_ms=cold,
        provisioned_concurrency=provisioned,
        env_var_names=tuple(names),
    )


def _place(world: World, cloud: str, env: str, team: str) -> tuple[str, str]:
    """Account and region: prod payments Lambdas mostly live in the PCI account."""
    places = [p for p in PLACES if p.cloud == cloud and p.env == env]
    if cloud == "aws" and env == "prod":
        pci = team == "payments" and world.rand.chance(0.7)
        places = [p for p in places if (p.account == PCI_ACCOUNT) == pci]
    place = places[0]
    weights = tuple(1.0 / (i + 1) ** 1.5 for i in range(len(place.regions)))
    return place.account, world.rand.weighted(place.regions, weights)


def _classes(world: World, role: str, team: str) -> tuple[DataClass, ...]:
    classes = world.reach_classes(role)
    for cls, p in _EXTRA_CLASSES.get(team, ()):
        if world.rand.chance(p):
            classes.add(DataClass(cls))
    return ordered_classes(classes)


def _random_plan(world: World) -> FunctionPlan:
    r = world.rand
    team = r.weighted(TEAMS, _TEAM_WEIGHTS)
    cloud = r.weighted(("aws", "azure", "gcp"), (0.75, 0.13, 0.12))
    env = r.weighted(("prod", "staging", "dev"), (0.45, 0.25, 0.3))
    account, region = _place(world, cloud, env, team)
    name, route = _name(world, team, cloud, env)
    options = _RUNTIMES[cloud]
    runtime = r.weighted([n for n, _ in options], [w for _, w in options])
    details = _details(world, cloud, env, runtime)
    role = iam.function_role(world, name, team, cloud, account, env, region)
    fid = function_id(cloud, account, region, team, env, name)
    place = FunctionPlace(fid, name, cloud, account, region, env, team, _classes(world, role, team))
    details = details.model_copy(update={"role_id": role})
    recent = r.chance(0.05)
    return FunctionPlan(
        place,
        details,
        plan_triggers(world, cloud, route),
        r.uniform(0.2, 6) if recent else r.uniform(7, 170),
    )


def _add(world: World, plan: FunctionPlan) -> Resource:
    fp = plan.place
    add_triggers(world, fp, plan.triggers)
    exposure = exposure_of(plan.triggers)
    tool = world.rand.weighted(("serverless", "terraform", "sam", "cdk"), (4, 4, 2, 1))
    function = world.add(
        Resource(
            resource_id=fp.function_id,
            kind=ResourceKind.FUNCTION,
            cloud=Cloud(fp.cloud),
            account=fp.account,
            region=fp.region,
            name=fp.name,
            environment=Environment(fp.env),
            owner_team=fp.team,
            tags={"team": fp.team, "env": fp.env, "managed-by": tool},
            is_public=any(t.public for t in plan.triggers),
            exposure=exposure,
            data_classes=fp.data_classes,
            sources=ACCOUNT_SOURCES[fp.account],
            first_seen=world.now - timedelta(days=plan.first_seen_days),
            last_seen=world.now - timedelta(minutes=world.rand.randint(3, 240)),
            function=plan.details,
        )
    )
    if plan.details.role_id is not None:
        world.link(fp.function_id, EdgeRelation.ASSUMES_ROLE, plan.details.role_id)
    return function


def _anchor(world: World) -> None:
    """processPayment: prod, public, PCI+PII, python3.8, s3:* on its role."""
    world.names.reserve("function", ANCHOR)
    account, region, team = PCI_ACCOUNT, "us-east-1", "payments"
    vault = world.buckets_by_account[PCI_ACCOUNT][0]
    rows = compute_base("aws", account, region, f"/aws/lambda/{ANCHOR}")
    rows += bucket_rows("aws", vault, write=True) + [storage_wildcard("aws", 0.4)]
    rows.append(Grant("dynamodb:PutItem", f"arn:aws:dynamodb:{region}:{account}:table/payments"))
    spec = iam.RoleSpec(
        "aws",
        account,
        "prod",
        team,
        f"{ANCHOR}-role",
        ("lambda.amazonaws.com",),
        managed_for("aws", rows),
    )
    role = iam.add_role(world, spec, rows)
    world.names.reserve(f"role:{account}", f"{ANCHOR}-role")
    classes = ordered_classes(world.reach_classes(role) | {DataClass.PCI, DataClass.PII})
    fid = function_id("aws", account, region, team, "prod", ANCHOR)
    details = FunctionDetails(
        runtime="python3.8",
        runtime_deprecated=True,
        memory_mb=1024,
        timeout_s=30,
        package_size_mb=18.4,
        invocations_30d=1_250_000,
        cold_start_p95_ms=2350,
        role_id=role,
        env_var_names=("LOG_LEVEL", "TABLE_NAME", "CARD_VAULT_BUCKET", "STRIPE_SECRET_KEY"),
    )
    triggers = [
        TriggerPlan("api_gateway", "COGNITO", True, "POST", "/v1/payments"),
        TriggerPlan("function_url", "NONE", True),
    ]
    place = FunctionPlace(fid, ANCHOR, "aws", account, region, "prod", team, classes)
    _add(world, FunctionPlan(place, details, triggers, 150.0))
    world.showcase.add(fid)


def make_functions(world: World, base: int = 380) -> None:
    """Add about ``base * scale`` functions, processPayment first."""
    _anchor(world)
    for _ in range(world.count(base) - 1):
        _add(world, _random_plan(world))

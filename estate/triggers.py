"""What invokes a function: API routes, function URLs, HTTP triggers, queues, schedules.

A function is public exactly when one of its triggers is, and its exposure names the
weakest public door (an unauthenticated one first), as an attack-path view would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from core.models import (
    Cloud,
    DataClass,
    EdgeRelation,
    Environment,
    Resource,
    ResourceKind,
    TriggerDetails,
)
from estate.names import ORG
from estate.sources import ACCOUNT_SOURCES
from estate.world import World

__all__ = ["FunctionPlace", "TriggerPlan", "add_triggers", "exposure_of", "plan_triggers"]

_LABEL = {"api_gateway": "API Gateway", "function_url": "function URL", "http": "HTTP trigger"}


@dataclass(frozen=True, slots=True)
class TriggerPlan:
    trigger_type: str
    auth: str
    public: bool
    method: str = "POST"
    path: str | None = None


@dataclass(frozen=True, slots=True)
class FunctionPlace:
    """The function a trigger fronts, and where it lives."""

    function_id: str
    name: str
    cloud: str
    account: str
    region: str
    env: str
    team: str
    data_classes: tuple[DataClass, ...]


def _aws_plans(world: World, route: str) -> list[TriggerPlan]:
    r, plans = world.rand, []
    if r.chance(0.55):
        auth = r.weighted(
            ("NONE", "COGNITO", "AWS_IAM", "LAMBDA_AUTHORIZER", "JWT"),
            (0.3, 0.25, 0.15, 0.15, 0.15),
        )
        method = r.weighted(("GET", "POST", "PUT", "DELETE"), (4, 4, 1, 1))
        plans.append(TriggerPlan("api_gateway", auth, r.chance(0.9), method, route))
    if r.chance(0.12):
        plans.append(TriggerPlan("function_url", r.pick(("NONE", "AWS_IAM")), True))
    if not plans and r.chance(0.55):
        plans.append(TriggerPlan(r.pick(("sqs", "schedule")), "AWS_IAM", False))
    return plans


def plan_triggers(world: World, cloud: str, route: str) -> list[TriggerPlan]:
    """Zero or more triggers for one new function."""
    r = world.rand
    if cloud == "aws":
        return _aws_plans(world, route)
    if cloud == "azure":
        if r.chance(0.65):
            auth = r.weighted(("FUNCTION_KEY", "NONE", "AZURE_AD"), (0.5, 0.35, 0.15))
            return [TriggerPlan("http", auth, r.chance(0.9), "POST", route)]
        return [TriggerPlan("timer", "NONE", False)]
    if r.chance(0.6):
        auth = r.weighted(("NONE", "IAM"), (0.45, 0.55))
        return [TriggerPlan("http", auth, r.chance(0.85), "POST", route)]
    return [TriggerPlan("pubsub", "IAM", False)]


def _trigger_id(world: World, fp: FunctionPlace, plan: TriggerPlan) -> tuple[str, str]:
    """Canonical id and display name of one trigger."""
    r, acct, region, fn = world.rand, fp.account, fp.region, fp.name
    if plan.trigger_type == "api_gateway":
        api = r.alnum(10, "abcdefghijklmnopqrstuvwxyz0123456789")
        rid = f"arn:aws:execute-api:{region}:{acct}:{api}/{fp.env}/{plan.method}{plan.path}"
        return rid, f"{plan.method} {plan.path}"
    if plan.trigger_type == "function_url":
        host = r.alnum(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        return f"https://{host}.lambda-url.{region}.on.aws/", f"{fn} function URL"
    if plan.trigger_type == "sqs":
        return f"arn:aws:lambda:{region}:{acct}:event-source-mapping:{r.uuid()}", f"{fn} SQS"
    if plan.trigger_type == "schedule":
        return f"arn:aws:events:{region}:{acct}:rule/{fn}-schedule", f"{fn}-schedule"
    if plan.trigger_type == "http" and fp.cloud == "azure":
        app = f"{ORG}-{fp.team}-{fp.env}-func"
        return f"https://{app}.azurewebsites.net/api/{fn}", f"{fn} HTTP trigger"
    if plan.trigger_type == "http":
        return f"https://{region}-{acct}.cloudfunctions.net/{fn}", f"{fn} HTTP trigger"
    if plan.trigger_type == "timer":
        return f"{fp.function_id}/triggers/timer", f"{fn} timer"
    return f"projects/{acct}/locations/{region}/triggers/{fn}-pubsub", f"{fn} Pub/Sub"


def exposure_of(plans: list[TriggerPlan]) -> str | None:
    """How a function is reached from the internet, weakest door first."""
    public = sorted((p for p in plans if p.public), key=lambda p: p.auth != "NONE")
    if public:
        p = public[0]
        return f"public via {_LABEL.get(p.trigger_type, p.trigger_type)} (auth {p.auth})"
    if any(p.trigger_type == "api_gateway" for p in plans):
        return "private API Gateway (VPC endpoint)"
    return None


def add_triggers(world: World, fp: FunctionPlace, plans: list[TriggerPlan]) -> None:
    """Create each planned trigger resource and its ``triggers`` edge."""
    for plan in plans:
        rid, name = _trigger_id(world, fp, plan)
        exposure = exposure_of([plan]) if plan.trigger_type in _LABEL else None
        trigger = world.add(
            Resource(
                resource_id=rid,
                kind=ResourceKind.TRIGGER,
                cloud=Cloud(fp.cloud),
                account=fp.account,
                region=fp.region,
                name=name,
                environment=Environment(fp.env),
                owner_team=fp.team,
                tags={"team": fp.team, "env": fp.env},
                is_public=plan.public,
                exposure=exposure,
                data_classes=fp.data_classes,
                sources=ACCOUNT_SOURCES[fp.account],
                first_seen=world.rand.before(world.now, 160, 1),
                last_seen=world.now - timedelta(minutes=world.rand.randint(3, 240)),
                trigger=TriggerDetails(
                    trigger_type=plan.trigger_type,
                    function_id=fp.function_id,
                    auth_type=plan.auth,
                    path=plan.path,
                ),
            )
        )
        world.triggers_of.setdefault(fp.function_id, []).append(trigger)
        world.link(rid, EdgeRelation.TRIGGERS, fp.function_id)

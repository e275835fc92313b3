"""Generate a deterministic demo estate: the data the whole product is demonstrated on.

Order matters and is fixed: buckets first (data lives there), then standing roles,
functions (each with its role and triggers), images and the workloads and containers
that run them, and last the findings, which read everything above.

Models are built with normal validation throughout: measured on pydantic 2, validating
a frozen model is faster than ``model_construct`` (Rust core versus a Python loop), so
skipping validation would buy nothing at scale 50.
"""

from __future__ import annotations

from datetime import UTC, datetime

from core.models import ResourceKind
from estate.emit import Emitter
from estate.estate import Estate
from estate.functions import make_functions
from estate.iam import make_standing_roles
from estate.images import make_images
from estate.issues import issues_for
from estate.kube import make_workloads
from estate.rand import Rand
from estate.storage import make_buckets
from estate.vulns import function_vulns, image_vulns
from estate.world import World

__all__ = ["generate_estate"]


def _findings(world: World) -> Emitter:
    em = Emitter(world)
    for resource in list(world.resources):
        if resource.kind is ResourceKind.IMAGE:
            image_vulns(em, resource)
        elif resource.kind is ResourceKind.FUNCTION:
            function_vulns(em, resource)
        issues_for(em, resource)
    return em


def generate_estate(seed: int = 7, scale: float = 1.0, now: datetime | None = None) -> Estate:
    """Build the demo estate.

    Args:
        seed: the random seed; the same seed (with the same scale and now) gives the
            same estate, record for record.
        scale: multiplies every count linearly; 1.0 is about 2,000 resources and
            20,000 findings, 50 about a million findings.
        now: the clock every timestamp is relative to (timezone-aware); defaults to
            the current UTC time truncated to the minute.

    Returns:
        The estate, its records in generation order.

    Raises:
        ValueError: ``scale`` is not positive or ``now`` is naive.
    """
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    if now is None:
        now = datetime.now(UTC).replace(second=0, microsecond=0)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(UTC)
    world = World(now=now, scale=scale, rand=Rand(seed))
    make_buckets(world)
    make_standing_roles(world)
    make_functions(world)
    make_workloads(world, make_images(world))
    em = _findings(world)
    return Estate(
        seed=seed,
        scale=scale,
        now=now,
        resources=tuple(world.resources),
        findings=tuple(em.findings),
        permissions=tuple(world.permissions),
        edges=tuple(world.edges),
    )

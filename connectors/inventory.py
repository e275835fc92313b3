"""The resource document: a resource, its outgoing relations and its grants as JSON.

Every CNAPP keeps a free-form configuration document per asset next to its own summary
fields. The bundled simulator puts this document (our model's JSON) under the record's
``_posture.resource`` key, and ``decode`` turns it back into exactly the models it was
made from, so whichever platform serves a resource, the store gets the same row.
Against a real tenant the document is absent and each mapper falls back to the
platform's own fields (``None`` where they do not say enough).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.models import Edge, Permission, Resource, Source

__all__ = ["decode", "encode"]


def encode(
    resource: Resource, edges: Iterable[Edge] = (), permissions: Iterable[Permission] = ()
) -> dict[str, Any]:
    """The JSON document of one resource (what the simulator serves).

    ``sources`` is left out: each platform reports only that it saw the resource.
    """
    return {
        "resource": resource.model_dump(mode="json", exclude={"sources"}, exclude_none=True),
        "relationships": [{"relation": e.relation.value, "to": e.to_id} for e in edges],
        "permissions": [
            p.model_dump(mode="json", exclude={"role_id"}, exclude_none=True) for p in permissions
        ],
    }


def decode(document: dict[str, Any], source: Source) -> list[Resource | Permission | Edge]:
    """The models in a resource document, the resource tagged as seen by ``source``.

    Raises:
        ValueError: the document does not describe a valid resource.
    """
    body = document.get("resource")
    if not isinstance(body, dict):
        raise ValueError("a resource document needs a 'resource' object")
    resource = Resource.model_validate({**body, "sources": [source.value]})
    out: list[Resource | Permission | Edge] = [resource]
    rid = resource.resource_id
    out.extend(
        Edge.model_validate({"from_id": rid, "relation": rel["relation"], "to_id": rel["to"]})
        for rel in document.get("relationships") or ()
    )
    out.extend(
        Permission.model_validate({**grant, "role_id": rid})
        for grant in document.get("permissions") or ()
    )
    return out

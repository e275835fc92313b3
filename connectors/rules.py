"""Known checks: our finding ``type`` and each platform's id for the same check.

A connector meets two kinds of vendor rules. Known ones (listed here) map to our own
``(category, type)``; unknown ones keep the vendor's name, slugged, as the type, and a
category guessed from the vendor's metadata (see each ``mapping.py``). The vendor ids
below are the catalogue the simulator serves; a rule seen on a real tenant is added by
appending its id to the matching row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cache

from connectors.common import slug
from core.models import FindingCategory

__all__ = ["RULES", "Rule", "rule_by_vendor_id", "rule_for"]

_M, _P, _S, _C, _R = (
    FindingCategory.MISCONFIGURATION,
    FindingCategory.PERMISSIONS,
    FindingCategory.SECRET,
    FindingCategory.COLD_START,
    FindingCategory.RUNTIME_THREAT,
)
_NS = uuid.UUID("6b1f3d3e-9a53-4c0e-8f7a-2f1c4d5e6a70")


@dataclass(frozen=True)
class Rule:
    """One check as every platform names it."""

    type: str
    category: FindingCategory
    name: str
    wiz: str  # Wiz control id (wc-id-N)
    lacework: str  # Lacework policy id
    orca: str  # Orca alert type

    @property
    def prisma(self) -> str:
        """The Prisma Cloud policy id (a UUID)."""
        return str(uuid.uuid5(_NS, f"prisma-policy:{self.type}"))


_TABLE: tuple[tuple[str, FindingCategory, str, int, int], ...] = (
    ("deprecated_runtime", _M, "Serverless function uses a deprecated runtime", 1402, 301),
    ("public_function_url", _M, "Function URL allows unauthenticated access", 1403, 302),
    ("unencrypted_storage_write", _M, "Function writes to unencrypted storage", 1404, 303),
    ("secret_in_env_var", _S, "Secret stored in a function environment variable", 1405, 304),
    ("cold_start_latency", _C, "Function cold starts exceed the latency budget", 1406, 305),
    ("api_without_auth", _M, "Public API route without an authorizer", 1407, 306),
    ("public_bucket", _M, "Storage bucket is publicly accessible", 1408, 307),
    ("unencrypted_bucket", _M, "Storage bucket without default encryption", 1409, 308),
    ("bucket_versioning_disabled", _M, "Storage bucket versioning is disabled", 1410, 309),
    ("privileged_container", _M, "Container runs privileged", 1411, 310),
    ("run_as_root", _M, "Container runs as root", 1412, 311),
    ("host_path_mount", _M, "Workload mounts a host path", 1413, 312),
    ("missing_resource_limits", _M, "Workload sets no CPU or memory limits", 1414, 313),
    ("admin_access", _P, "Role grants full administrative access", 1415, 314),
    ("wildcard_permissions", _P, "Role grants wildcard actions", 1416, 315),
    ("over_permissive_role", _P, "Role grants more than it uses", 1417, 316),
    ("unused_permissions", _P, "Role has permissions unused for 90 days", 1418, 317),
    ("crypto_miner", _R, "Crypto-mining process detected", 1419, 318),
    ("reverse_shell", _R, "Reverse shell to an external host", 1420, 319),
    ("suspicious_process", _R, "Suspicious process in a container", 1421, 320),
)

RULES: tuple[Rule, ...] = tuple(
    Rule(t, c, name, f"wc-id-{w}", f"lacework-global-{lw}", f"posture_{t}")
    for t, c, name, w, lw in _TABLE
)


@cache
def _index() -> dict[str, Rule]:
    out: dict[str, Rule] = {}
    for rule in RULES:
        for key in (rule.wiz, rule.prisma, rule.lacework, rule.orca):
            out[key] = rule
    return out


def rule_by_vendor_id(vendor_id: str | None) -> Rule | None:
    """The known rule behind a vendor's rule id, policy id or alert type."""
    return _index().get(vendor_id or "")


def rule_for(category: FindingCategory, type_: str) -> Rule:
    """The rule a platform reports ``type_`` under; an unknown type gets one named for it.

    An invented rule's name slugs back to ``type_``, so even an unknown check survives
    the trip through a vendor's shape and back.

    >>> rule_for(FindingCategory.MISCONFIGURATION, "run_as_root").wiz
    'wc-id-1412'
    >>> rule_for(FindingCategory.SECRET, "token_in_logs").name
    'token in logs'
    """
    for rule in RULES:
        if rule.type == type_ and rule.category is category:
            return rule
    name = type_.replace("_", " ")
    return Rule(type_, category, name, f"wc-{slug(type_)}", f"lacework-{type_}", f"posture_{type_}")

"""The read-back: short chips that say how a question was read ("serverless function · prod")."""

from __future__ import annotations

__all__ = ["VIEW_CHIPS", "chip_for", "describe"]

VIEW_CHIPS = {
    "functions": "serverless function",
    "images": "container image",
    "workloads": "Kubernetes workload",
    "containers": "running container",
    "roles": "IAM role",
    "triggers": "API trigger",
    "buckets": "storage bucket",
    "findings": "finding",
    "vulnerabilities": "vulnerability",
    "permissions": "permission",
    "edges": "relation",
    "reachable": "blast radius",
    "resources": "resource",
}
_FLAG_CHIPS = {
    "public": "public",
    "pii": "PII",
    "pci": "PCI",
    "phi": "PHI",
    "deprecated_runtime": "deprecated runtime",
    "admin": "admin access",
    "privileged": "privileged",
    "root": "runs as root",
    "host_path": "hostPath mount",
    "resource_limits": "resource limits",
    "provisioned_concurrency": "provisioned concurrency",
    "authorizer": "authentication",
    "encrypted": "encrypted",
    "versioning": "versioning",
    "kev": "in CISA KEV",
    "exploit": "exploit available",
    "known_exploit": "known exploit (KEV or public exploit)",
    "fix": "fix available",
    "unused": "unused permissions",
    "wildcard": "wildcard permissions",
}
_NEGATED_CHIPS = {
    "public": "private",
    "fix": "no fix available",
    "authorizer": "no authentication",
    "encrypted": "unencrypted",
    "resource_limits": "no resource limits",
    "kev": "not in KEV",
    "provisioned_concurrency": "no provisioned concurrency",
    "root": "non-root",
}
_CLOUDS = {"aws": "AWS", "azure": "Azure", "gcp": "GCP"}
_SOURCES = {
    "wiz": "Wiz",
    "prisma": "Prisma Cloud",
    "lacework": "Lacework",
    "orca": "Orca",
    "trivy": "Trivy",
    "prowler": "Prowler",
}


def chip_for(concept: str, negated: bool = False) -> str:
    """The chip of a concept id.

    >>> chip_for("team=growth"), chip_for("public", True), chip_for("wildcard=s3")
    ('growth team', 'private', 'wildcard s3:*')
    """
    if negated and concept in _NEGATED_CHIPS:
        return _NEGATED_CHIPS[concept]
    text = _plain_chip(concept)
    return f"not {text}" if negated else text


def _plain_chip(concept: str) -> str:
    if concept in _FLAG_CHIPS:
        return _FLAG_CHIPS[concept]
    if concept.startswith(("flag:", "col:")):
        return concept.split(":", 1)[1].split("|")[0].replace("_", " ")
    if "=" not in concept:
        return concept.replace("_", " ")
    field, value = concept.split("=", 1)
    if field == "team":
        return f"{value} team"
    if field == "cloud":
        return _CLOUDS.get(value, value)
    if field == "source":
        return _SOURCES.get(value, value)
    if field in ("namespace", "cluster", "region", "account", "package"):
        return f"{field} {value}"
    if field == "wildcard":
        return f"wildcard {value}:*" if value not in ("*", "*:*") else "wildcard *:*"
    if field == "kind":
        return " or ".join(value.split(","))
    return value.replace("_", " ")


def describe(chips: list[str]) -> str:
    """One line from chips, for a candidate reading.

    >>> describe(["serverless function", "prod", "public"])
    'serverless function · prod · public'
    """
    return " · ".join(chips)[:200]

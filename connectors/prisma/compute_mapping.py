"""Prisma Cloud Compute (CWPP) scan results to models: images, functions, CVEs.

Shapes from the Compute OpenAPI 34.04 (``shared.ImageScanResult``,
``serverless.FunctionInfo``, ``vuln.Vulnerability``; copy in
shared/realdata/cnapp-api/prisma-cloud/openapi/) and the real samples
cnapp-api/prisma-cloud/compute-ci-scan-results-list.json and the twistcli reports in
cnapp-exports/prisma-cloud/. Compute has no finding ids: a CVE's id is its natural key
(image, CVE, package, version), as a scanner's would be.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from connectors.common import ext_of, parse_time, slug
from connectors.inventory import decode
from core.models import (
    Cloud,
    Edge,
    Finding,
    FindingCategory,
    Permission,
    Resource,
    Severity,
    Source,
    Vulnerability,
)

__all__ = [
    "FIXED_IN",
    "OS_FAMILIES",
    "PACKAGE_TYPES",
    "compute_vulnerability",
    "function_to_models",
    "image_to_models",
    "os_package_type",
    "scan_compliance_findings",
    "scan_vulnerability_findings",
]

# packages.Type -> our package_type; "package" is an OS package (see os_package_type)
PACKAGE_TYPES: dict[str, str] = {
    "nodejs": "npm",
    "python": "pypi",
    "jar": "maven",
    "go": "go",
    "nuget": "nuget",
    "gem": "gem",
}
_SEVERITIES = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "important": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "moderate": Severity.MEDIUM,
    "low": Severity.LOW,
    "negligible": Severity.INFO,
    "informational": Severity.INFO,
}
_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")


# package format -> words in a distribution's name, tried in this order
OS_FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("deb", ("debian", "ubuntu")),
    ("apk", ("alpine",)),
    ("rpm", ("red hat", "rhel", "centos", "amazon", "fedora", "rocky", "alma")),
)


def os_package_type(distro: str | None) -> str | None:
    """The package format of an OS distribution name.

    >>> os_package_type("Debian GNU/Linux 9 (stretch)"), os_package_type("Alpine Linux v3.18")
    ('deb', 'apk')
    """
    text = (distro or "").lower()
    for package_type, words in OS_FAMILIES:
        if any(w in text for w in words):
            return package_type
    return None


FIXED_IN = "fixed in "  # Compute's status of a CVE with a fix: "fixed in 1.2.6"


def _fixed_version(status: str | None) -> str | None:
    text = (status or "").strip()
    return text[len(FIXED_IN) :].strip() or None if text.lower().startswith(FIXED_IN) else None


def compute_vulnerability(raw: dict[str, Any], *, distro: str | None = None) -> Vulnerability:
    """A ``vuln.Vulnerability`` (or twistcli vulnerability) as our model.

    Raises:
        ValueError: no CVE id, package or version.
    """
    exploit = raw.get("exploit") or ""
    factors = raw.get("riskFactors") or {}
    package_type = PACKAGE_TYPES.get(raw.get("packageType") or "")
    if package_type is None and raw.get("packageType") in (None, "package", "os"):
        package_type = os_package_type(raw.get("distro") or distro)
    return Vulnerability(
        cve_id=raw.get("cve") or raw.get("id"),
        package=raw.get("packageName"),
        package_type=package_type,
        installed_version=raw.get("packageVersion"),
        fixed_version=_fixed_version(raw.get("status")),
        cvss_score=raw.get("cvss") or None,
        cvss_vector=raw.get("vecStr") or raw.get("vector") or None,
        epss=ext_of(raw).get("epss"),
        in_kev=exploit == "cisa-kev",
        exploit_available=bool(exploit) or any(k.startswith("Exploit exists") for k in factors),
    )


def _cloud_of_registry(registry: str) -> tuple[Cloud, str | None, str | None]:
    """Cloud, account and region from a registry host (ECR, ACR, Artifact Registry)."""
    ecr = re.match(r"^(\d+)\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$", registry)
    if ecr:
        return Cloud.AWS, ecr.group(1), ecr.group(2)
    if registry.endswith(".azurecr.io"):
        return Cloud.AZURE, None, None
    gar = re.match(r"^([a-z0-9-]+)-docker\.pkg\.dev$", registry)
    if gar or registry.endswith("gcr.io"):
        return Cloud.GCP, None, gar.group(1) if gar else None
    raise ValueError(f"cannot tell the cloud of registry {registry!r}")


def image_to_models(scan: dict[str, Any]) -> list[Resource | Permission | Edge]:
    """An ``/images`` entry (or a CI scan's ``entityInfo``) as an image resource.

    Raises:
        ValueError: the entry names no registry and repository.
    """
    document = ext_of(scan).get("resource")
    if isinstance(document, dict):
        return decode(document, Source.PRISMA)
    entity = scan.get("entityInfo") or scan
    tag = entity.get("repoTag") or {}
    registry, repo = tag.get("registry"), tag.get("repo")
    if not registry or not repo:
        raise ValueError("a Compute image needs repoTag.registry and repoTag.repo")
    digest = entity.get("id") if _DIGEST.match(str(entity.get("id"))) else None
    cloud, account, region = _cloud_of_registry(registry)
    resource_id = f"{registry}/{repo}@{digest}" if digest else f"{registry}/{repo}:{tag.get('tag')}"
    image = {
        "registry": registry,
        "repository": repo,
        "tag": tag.get("tag") or "latest",
        "digest": digest,
        "os": entity.get("distro"),
        "created_at": parse_time(entity.get("creationTime")),
    }
    return [
        Resource(
            resource_id=resource_id,
            kind="image",
            cloud=cloud,
            account=account,
            region=region,
            name=repo.rsplit("/", 1)[-1],
            sources=(Source.PRISMA,),
            image=image,
            first_seen=parse_time(entity.get("firstScanTime")),
            last_seen=parse_time(entity.get("scanTime")),
        )
    ]


def function_to_models(info: dict[str, Any]) -> list[Resource | Permission | Edge]:
    """A ``/serverless`` entry (``serverless.FunctionInfo``) as a function resource.

    Raises:
        ValueError: an entry without the simulator's document that lacks a runtime.
    """
    document = ext_of(info).get("resource")
    if isinstance(document, dict):
        return decode(document, Source.PRISMA)
    provider = {"aws": Cloud.AWS, "azure": Cloud.AZURE, "gcp": Cloud.GCP}[info["provider"]]
    meta = info.get("cloudMetadata") or {}
    name, region, account = info["name"], info.get("region"), info.get("accountID")
    resource_id = meta.get("resourceID") or f"arn:aws:lambda:{region}:{account}:function:{name}"
    function = {
        "runtime": info["runtime"],
        "memory_mb": info.get("memory") or 128,
        "timeout_s": info.get("timeout") or 3,
        "package_size_mb": 0.0,
        "invocations_30d": int(info.get("invocations") or 0),
        "role_id": info.get("role"),
        "env_var_names": tuple(v["name"] for v in info.get("envvars") or () if "name" in v),
    }
    return [
        Resource(
            resource_id=resource_id,
            kind="function",
            cloud=provider,
            account=account,
            region=region,
            name=name,
            sources=(Source.PRISMA,),
            function=function,
            first_seen=parse_time(info.get("firstScanTime")),
            last_seen=parse_time(info.get("scanTime")),
        )
    ]


def _scan_time(scan: dict[str, Any], entity: dict[str, Any], observed_at: datetime | None) -> Any:
    seen = parse_time(entity.get("scanTime") or scan.get("time"))
    return seen or parse_time(entity.get("firstScanTime")) or observed_at


def scan_vulnerability_findings(
    scan: dict[str, Any], *, resource_id: str, observed_at: datetime | None = None
) -> list[Finding]:
    """The CVEs of one scan (Compute image, function or twistcli result) as findings.

    ``observed_at`` dates a report that carries no scan time (twistcli's).
    """
    entity = scan.get("entityInfo") or scan
    seen = _scan_time(scan, entity, observed_at)
    out: list[Finding] = []
    for raw in entity.get("vulnerabilities") or ():
        vuln = compute_vulnerability(raw, distro=entity.get("distro"))
        first = parse_time(raw.get("discovered")) or seen
        if first is None:
            raise ValueError("a Compute vulnerability needs a discovery or scan time")
        out.append(
            Finding(
                source=Source.PRISMA,
                source_id=f"{vuln.cve_id}:{vuln.package}@{vuln.installed_version}:{resource_id}",
                resource_id=resource_id,
                category=FindingCategory.VULNERABILITY,
                type="vulnerable_package",
                title=f"{vuln.cve_id} in {vuln.package} {vuln.installed_version}",
                description=raw.get("description"),
                severity=_SEVERITIES.get(str(raw.get("severity")).lower(), Severity.LOW),
                first_seen=first,
                last_seen=max(first, seen or first),
                console_url=raw.get("link"),
                vulnerability=vuln,
            )
        )
    return out


def scan_compliance_findings(
    scan: dict[str, Any], *, resource_id: str, observed_at: datetime | None = None
) -> list[Finding]:
    """A scan's compliance issues (twistcli ``compliances``) as misconfigurations.

    Raises:
        ValueError: neither the scan nor ``observed_at`` says when it was seen.
    """
    entity = scan.get("entityInfo") or scan
    seen = _scan_time(scan, entity, observed_at)
    if seen is None:
        raise ValueError("a compliance issue needs a scan time or observed_at")
    issues = entity.get("complianceIssues") or entity.get("compliances") or ()
    out: list[Finding] = []
    for issue in issues:
        title = str(issue.get("title") or "Compute compliance check")
        secret = "secret" in title.lower() or "sensitive information" in title.lower()
        out.append(
            Finding(
                source=Source.PRISMA,
                source_id=f"compliance-{issue.get('id') or slug(title)}:{resource_id}",
                resource_id=resource_id,
                category=FindingCategory.SECRET if secret else FindingCategory.MISCONFIGURATION,
                type=slug(title),
                title=title[:1024],
                description=issue.get("description") or issue.get("cause") or None,
                severity=_SEVERITIES.get(str(issue.get("severity")).lower(), Severity.LOW),
                first_seen=seen,
                last_seen=seen,
            )
        )
    return out

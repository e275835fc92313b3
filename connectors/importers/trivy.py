"""Trivy JSON reports (``--format json``, SchemaVersion 2) of container images.

A report's ``Results`` hold vulnerabilities, misconfigurations and secrets per target
(the OS layer, each lockfile, each config file). All of them are about the scanned image.
Dedupe rule: one finding per (resource, CVE, package, installed version) for
vulnerabilities, per (resource, check ID) for misconfigurations, per (resource, target,
rule, line) for secrets; identifiers that are not CVE/GHSA/advisory ids are skipped.
Filesystem and repository scans describe source code, not a cloud resource, and are
refused with a hint.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from connectors.common import parse_time, slug
from connectors.importers.common import Mapped, image_resource, parse_image_ref, severity_of
from core.errors import ImportRejected
from core.models import (
    Cloud,
    Finding,
    FindingCategory,
    Source,
    Vulnerability,
)

__all__ = ["PACKAGE_TYPES", "map_results", "map_trivy_image", "vulnerability_of"]

# Result.Type -> our package_type
PACKAGE_TYPES: dict[str, str] = {
    "alpine": "apk",
    "wolfi": "apk",
    "chainguard": "apk",
    "debian": "deb",
    "ubuntu": "deb",
    "redhat": "rpm",
    "centos": "rpm",
    "rocky": "rpm",
    "alma": "rpm",
    "amazon": "rpm",
    "oracle": "rpm",
    "photon": "rpm",
    "suse": "rpm",
    "opensuse": "rpm",
    "cbl-mariner": "rpm",
    "npm": "npm",
    "yarn": "npm",
    "pnpm": "npm",
    "node-pkg": "npm",
    "pip": "pypi",
    "pipenv": "pypi",
    "poetry": "pypi",
    "python-pkg": "pypi",
    "jar": "maven",
    "pom": "maven",
    "gradle": "maven",
    "gomod": "go",
    "gobinary": "go",
    "bundler": "gem",
    "gemspec": "gem",
    "cargo": "cargo",
    "rust-binary": "cargo",
    "nuget": "nuget",
    "dotnet-core": "nuget",
    "composer": "composer",
}
_IMAGE_TYPES = {"container_image", "", None}


def _cvss(raw: dict[str, Any]) -> tuple[float | None, str | None]:
    """NVD's v3 score first, then any vendor's v3, then v2."""
    sources = raw.get("CVSS") or {}
    ordered = [sources["nvd"]] if "nvd" in sources else []
    ordered += [v for k, v in sources.items() if k != "nvd"]
    for score_key, vector_key in (("V3Score", "V3Vector"), ("V2Score", "V2Vector")):
        for entry in ordered:
            if entry.get(score_key) is not None:
                return float(entry[score_key]), entry.get(vector_key)
    return None, None


def vulnerability_of(raw: dict[str, Any], result_type: str | None) -> Vulnerability:
    """One ``Vulnerabilities[]`` entry; ValueError when it does not fit the model."""
    score, vector = _cvss(raw)
    return Vulnerability(
        cve_id=raw["VulnerabilityID"],
        package=raw["PkgName"],
        package_type=PACKAGE_TYPES.get(result_type or ""),
        installed_version=raw["InstalledVersion"],
        fixed_version=raw.get("FixedVersion") or None,
        cvss_score=score,
        cvss_vector=vector,
    )


def _vuln_findings(result: dict[str, Any], rid: str, seen: datetime, out: Mapped) -> None:
    for raw in result.get("Vulnerabilities") or []:
        try:
            vuln = vulnerability_of(raw, result.get("Type"))
        except (ValueError, KeyError):
            out.skipped["vulnerability id is not a CVE/GHSA/advisory id, or no package"] += 1
            continue
        out.findings.append(
            Finding(
                source=Source.TRIVY,
                source_id=f"{vuln.cve_id}:{vuln.package}@{vuln.installed_version}:{rid}",
                resource_id=rid,
                category=FindingCategory.VULNERABILITY,
                type="vulnerable_package",
                title=(raw.get("Title") or f"{vuln.cve_id} in {vuln.package}")[:1024],
                description=(raw.get("Description") or None) and raw["Description"][:16384],
                severity=severity_of(raw.get("Severity")),
                first_seen=seen,
                last_seen=seen,
                console_url=raw.get("PrimaryURL"),
                vulnerability=vuln,
            )
        )


def _misconfig_findings(result: dict[str, Any], rid: str, seen: datetime, out: Mapped) -> None:
    for raw in result.get("Misconfigurations") or []:
        status = str(raw.get("Status") or "FAIL").upper()
        if status != "FAIL":
            out.skipped[f"misconfiguration check with status {status}"] += 1
            continue
        check = raw.get("ID") or raw.get("AVDID") or "unknown"
        out.findings.append(
            Finding(
                source=Source.TRIVY,
                source_id=f"{check}:{rid}",
                resource_id=rid,
                category=FindingCategory.MISCONFIGURATION,
                type=slug(check),
                title=(raw.get("Title") or check)[:1024],
                description=(raw.get("Message") or raw.get("Description") or "")[:16384] or None,
                severity=severity_of(raw.get("Severity")),
                first_seen=seen,
                last_seen=seen,
                console_url=raw.get("PrimaryURL"),
            )
        )


def _secret_findings(result: dict[str, Any], rid: str, seen: datetime, out: Mapped) -> None:
    for raw in result.get("Secrets") or []:
        rule = raw.get("RuleID") or "secret"
        where = f"{result.get('Target', '')}:{raw.get('StartLine', 0)}"
        out.findings.append(
            Finding(
                source=Source.TRIVY,
                source_id=f"{rule}:{where}:{rid}",
                resource_id=rid,
                category=FindingCategory.SECRET,
                type=slug(f"secret {rule}"),
                title=(raw.get("Title") or rule)[:1024],
                description=f"{raw.get('Category') or 'secret'} in {where}",
                severity=severity_of(raw.get("Severity")),
                first_seen=seen,
                last_seen=seen,
            )
        )


def map_results(results: Iterable[dict[str, Any]], rid: str, seen: datetime) -> Mapped:
    """Every finding of a report's ``Results`` about the resource ``rid``."""
    out = Mapped()
    for result in results:
        _vuln_findings(result, rid, seen, out)
        _misconfig_findings(result, rid, seen, out)
        _secret_findings(result, rid, seen, out)
    return out


def _first(values: object) -> str | None:
    if isinstance(values, list):
        return next((v for v in values if isinstance(v, str) and v.strip()), None)
    return None


def _image_of(doc: dict[str, Any]) -> tuple[str, str | None]:
    """The reference to identify the image by, and the config digest as a fallback."""
    meta = doc.get("Metadata") or {}
    repo_digest = _first(meta.get("RepoDigests"))
    tag_ref = _first(meta.get("RepoTags")) or doc.get("ArtifactName") or ""
    tagged = parse_image_ref(tag_ref)
    digested = parse_image_ref(repo_digest) if repo_digest else None
    if (
        digested
        and tagged
        and (digested.registry, digested.repository)
        == (
            tagged.registry,
            tagged.repository,
        )
    ):
        return (
            f"{digested.resource_id.split('@')[0]}:{tagged.tag or 'latest'}@{digested.digest}",
            None,
        )
    ref = repo_digest or tag_ref
    return ref, meta.get("ImageID")


def map_trivy_image(doc: dict[str, Any], *, observed_at: datetime, default_cloud: Cloud) -> Mapped:
    """A ``trivy image`` report: the image resource and every finding on it.

    Raises:
        ImportRejected: a filesystem/repository/SBOM report, or no way to name the image.
    """
    kind = doc.get("ArtifactType")
    if kind not in _IMAGE_TYPES:
        raise ImportRejected(
            f"This Trivy report scanned a {kind}, not a container image: "
            "source code and SBOMs are not cloud resources.",
            detected=f"trivy {kind}",
            remediation="Scan the built image (`trivy image --format json`) and import that.",
        )
    seen = parse_time(doc.get("CreatedAt")) or observed_at
    ref_text, image_id = _image_of(doc)
    ref = parse_image_ref(ref_text) if ref_text else None
    if ref is None and image_id:
        ref = parse_image_ref(f"localhost/unnamed@{image_id}")
    if ref is None:
        raise ImportRejected(
            "This Trivy report names no image (no RepoTags, RepoDigests or ImageID).",
            detected="trivy",
        )
    os_meta = (doc.get("Metadata") or {}).get("OS") or {}
    os_name = " ".join(str(os_meta[k]) for k in ("Family", "Name") if os_meta.get(k)) or None
    created = parse_time(((doc.get("Metadata") or {}).get("ImageConfig") or {}).get("created"))
    resource = image_resource(
        ref,
        source=Source.TRIVY,
        default_cloud=default_cloud,
        seen_at=seen,
        os=os_name,
        created_at=created,
    )
    out = map_results(doc.get("Results") or [], resource.resource_id, seen)
    out.resources.append(resource)
    return out
